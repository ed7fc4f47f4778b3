// RUN: act-opt %s --split-input-file --act-vectorize="stream-bytes=1024" | FileCheck %s
// RUN: act-opt %s --split-input-file --act-vectorize | FileCheck %s --check-prefix=OFF

// A loop marked act.stream_stores, with a threshold: at run time, an output
// of >= 1024 bytes at an address that is a multiple of 4 takes the
// streaming form -- a masked head of min(n, (64 - address % 64) % 64 / 4)
// elements, the vector loop with aligned non-temporal stores (counting from
// 0 past the head, so that LLVM knows its trip count) that prefetches its
// input 4 KiB (1024 floats) ahead, the masked tail --
// and sets the function's flag; the function then fences once
// before it returns. Other outputs take the plain form.

// CHECK-LABEL: func.func @stream(
// CHECK-SAME:      %[[XS:.*]]: memref<?xf32>, %[[YS:.*]]: memref<?xf32>, %[[N:.*]]: index)
// CHECK:         %[[FLAG:.*]] = memref.alloca() : memref<i1>
// CHECK:         %[[FALSE:.*]] = arith.constant false
// CHECK:         memref.store %[[FALSE]], %[[FLAG]][] : memref<i1>
// CHECK:         %[[COUNT:.*]] = arith.maxsi
// CHECK:         %{{.*}}, %[[OFFSET:.*]], %[[SIZE:.*]], %[[STRIDE:.*]] = memref.extract_strided_metadata %[[YS]]
// CHECK:         %[[BYTES:.*]] = arith.muli %{{.*}}, %[[SIZE]] : index
// CHECK:         %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %[[YS]]
// CHECK:         %[[ADDR:.*]] = arith.addi %[[PTR]], %{{.*}} : index
// CHECK:         %[[LARGE:.*]] = arith.cmpi uge, %[[BYTES]], %{{.*}} : index
// CHECK:         %[[ODD:.*]] = arith.remui %[[ADDR]], %{{.*}} : index
// CHECK:         %[[ALIGNED:.*]] = arith.cmpi eq, %[[ODD]], %{{.*}} : index
// CHECK:         %[[STREAM:.*]] = arith.andi %[[LARGE]], %[[ALIGNED]] : i1
// CHECK:         scf.if %[[STREAM]] {
// CHECK:           %[[PAST:.*]] = arith.remui %[[ADDR]], %{{.*}} : index
// CHECK:           %[[HEAD:.*]] = arith.minui %{{.*}}, %[[COUNT]] : index
// CHECK:           %[[HMASK:.*]] = vector.create_mask %[[HEAD]] : vector<16xi1>
// CHECK:           vector.maskedload %[[XS]][%{{.*}}], %[[HMASK]]
// CHECK:           vector.maskedstore %[[YS]][%{{.*}}], %[[HMASK]]
// CHECK:           %[[START:.*]] = arith.addi %{{.*}}, %[[HEAD]] : index
// CHECK:           %[[ZERO:.*]] = arith.constant 0 : index
// CHECK:           scf.for %[[IV:.*]] = %[[ZERO]] to
// CHECK:             %[[I:.*]] = arith.addi %[[START]], %[[IV]] : index
// CHECK:             vector.load %[[XS]][%[[I]]]
// CHECK:             %[[PAGE:.*]] = arith.constant 1024 : index
// CHECK:             %[[AHEAD:.*]] = arith.addi %[[I]], %[[PAGE]] : index
// CHECK:             memref.prefetch %[[XS]][%[[AHEAD]]], read, locality<3>, data
// CHECK:             vector.store %{{.*}}, %[[YS]][%[[I]]] {alignment = 64 : i64, nontemporal = true}
// CHECK:           }
// CHECK:           vector.maskedstore %[[YS]]
// CHECK:           %[[TRUE:.*]] = arith.constant true
// CHECK:           memref.store %[[TRUE]], %[[FLAG]][] : memref<i1>
// CHECK:         } else {
// CHECK:           scf.for
// CHECK-NOT:         memref.prefetch
// CHECK:             vector.store %{{.*}}, %[[YS]][%{{.*}}] : memref<?xf32>, vector<16xf32>
// CHECK:           }
// CHECK:           vector.maskedstore %[[YS]]
// CHECK:         }
// CHECK:         %[[STREAMED:.*]] = memref.load %[[FLAG]][] : memref<i1>
// CHECK:         scf.if %[[STREAMED]] {
// CHECK:           llvm.call_intrinsic "llvm.x86.sse.sfence"() : () -> ()
// CHECK:         }
// CHECK:         return

// Without the option, the plain form only.
// OFF-LABEL: func.func @stream(
// OFF-NOT:     nontemporal
// OFF-NOT:     sfence
// OFF:         return

func.func @stream(%xs: memref<?xf32>, %ys: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%i] : memref<?xf32>
    %s = act.sigmoid %x : f32
    memref.store %s, %ys[%i] : memref<?xf32>
  } {act.vectorize, act.stream_stores}
  return
}

// -----

// Rows of a matrix (a bias kernel): the output's size is rows * cols, the
// row's first address uses the row index from the outer loop; one flag and
// one fence for the whole function, after the outer loop.

// CHECK-LABEL: func.func @rows(
// CHECK-SAME:      %[[XS:.*]]: memref<?x?xf32>, %[[YS:.*]]: memref<?x?xf32>, %[[ROWS:.*]]: index, %[[COLS:.*]]: index)
// CHECK:         %[[FLAG:.*]] = memref.alloca() : memref<i1>
// CHECK:         scf.for %[[R:.*]] =
// CHECK:           %{{.*}}, %[[OFFSET:.*]], %[[SIZES:.*]]:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata %[[YS]]
// CHECK:           %[[B0:.*]] = arith.muli %{{.*}}, %[[SIZES]]#0 : index
// CHECK:           arith.muli %[[B0]], %[[SIZES]]#1 : index
// CHECK:           arith.muli %[[R]], %[[STRIDES]]#0 : index
// CHECK:           scf.if
// CHECK:             nontemporal = true
// CHECK:             memref.store %{{.*}}, %[[FLAG]][] : memref<i1>
// CHECK:           } else {
// CHECK:         }
// CHECK:         memref.load %[[FLAG]][] : memref<i1>
// CHECK:         llvm.call_intrinsic "llvm.x86.sse.sfence"
// CHECK-NOT:     llvm.call_intrinsic
// CHECK:         return

func.func @rows(%xs: memref<?x?xf32>, %ys: memref<?x?xf32>, %rows: index, %cols: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %r = %c0 to %rows step %c1 {
    scf.for %c = %c0 to %cols step %c1 {
      %x = memref.load %xs[%r, %c] : memref<?x?xf32>
      %s = act.sigmoid %x : f32
      memref.store %s, %ys[%r, %c] : memref<?x?xf32>
    } {act.vectorize, act.stream_stores}
  }
  return
}

// -----

// An array the loop also reads (a running column sum) is never streamed;
// the loop's other output is.

// CHECK-LABEL: func.func @read_and_written(
// CHECK-SAME:      %[[XS:.*]]: memref<?xf32>, %[[YS:.*]]: memref<?xf32>, %[[SUMS:.*]]: memref<?xf32>, %[[N:.*]]: index)
// CHECK:         memref.extract_strided_metadata %[[YS]]
// CHECK:         scf.if
// CHECK:           scf.for
// CHECK-DAG:         vector.store %{{.*}}, %[[YS]][%{{.*}}] {alignment = 64 : i64, nontemporal = true}
// CHECK-DAG:         vector.store %{{.*}}, %[[SUMS]][%{{.*}}] : memref<?xf32>, vector<16xf32>

func.func @read_and_written(%xs: memref<?xf32>, %ys: memref<?xf32>, %sums: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%i] : memref<?xf32>
    %s = act.sigmoid %x : f32
    memref.store %s, %ys[%i] : memref<?xf32>
    %old = memref.load %sums[%i] : memref<?xf32>
    %new = arith.addf %old, %s : f32
    memref.store %new, %sums[%i] : memref<?xf32>
  } {act.vectorize, act.stream_stores}
  return
}

// -----

// Unmarked loops keep the plain form even with the option.

// CHECK-LABEL: func.func @unmarked(
// CHECK-NOT:     memref.alloca
// CHECK-NOT:     nontemporal
// CHECK:         return

func.func @unmarked(%xs: memref<?xf32>, %ys: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%i] : memref<?xf32>
    memref.store %x, %ys[%i] : memref<?xf32>
  } {act.vectorize}
  return
}
