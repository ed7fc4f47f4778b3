// RUN: act-opt %s --split-input-file --act-lower-to-llvm | FileCheck %s

// act.view builds the descriptor of a contiguous row-major array at the C
// pointer: allocated = aligned = ptr, offset 0, the sizes, strides
// (cols, 1). The kernel keeps exactly its C signature.

// CHECK-LABEL: llvm.func @view_2d(
// CHECK-SAME:      %[[P:.*]]: !llvm.ptr, %[[R:.*]]: i64, %[[C:.*]]: i64) -> f32
// CHECK:         %[[D0:.*]] = llvm.mlir.poison : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         %[[D1:.*]] = llvm.insertvalue %[[P]], %[[D0]][0]
// CHECK:         %[[D2:.*]] = llvm.insertvalue %[[P]], %[[D1]][1]
// CHECK:         %[[ZERO:.*]] = llvm.mlir.constant(0 : index) : i64
// CHECK:         %[[D3:.*]] = llvm.insertvalue %[[ZERO]], %[[D2]][2]
// CHECK:         %[[ONE:.*]] = llvm.mlir.constant(1 : index) : i64
// CHECK:         %[[D4:.*]] = llvm.insertvalue %[[C]], %[[D3]][3, 1]
// CHECK:         %[[D5:.*]] = llvm.insertvalue %[[ONE]], %[[D4]][4, 1]
// CHECK:         %[[STRIDE:.*]] = llvm.mul %[[ONE]], %[[C]] : i64
// CHECK:         %[[D6:.*]] = llvm.insertvalue %[[R]], %[[D5]][3, 0]
// CHECK:         %[[D7:.*]] = llvm.insertvalue %[[STRIDE]], %[[D6]][4, 0]
// CHECK:         llvm.extractvalue %[[D7]][1]
// CHECK:         llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK-NOT:     unrealized_conversion_cast
func.func @view_2d(%p: !llvm.ptr, %r: i64, %c: i64) -> f32 {
  %ri = arith.index_cast %r : i64 to index
  %ci = arith.index_cast %c : i64 to index
  %m = act.view %p[%ri, %ci] : !llvm.ptr -> memref<?x?xf32>
  %c1 = arith.constant 1 : index
  %v = memref.load %m[%c1, %c1] : memref<?x?xf32>
  return %v : f32
}

// -----

// A vectorized kernel: scf, vector (create_mask included: it becomes a
// compare of a lane-index constant with the broadcast bound), math, arith
// and memref all reach the LLVM dialect in one conversion.

// CHECK-LABEL: llvm.func @kernel_f32(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: f32) {
// CHECK:         llvm.cond_br
// CHECK:         llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<16xf32>
// CHECK:         llvm.intr.exp(%{{.*}}) : (vector<16xf32>) -> vector<16xf32>
// CHECK:         llvm.store %{{.*}} {alignment = 4 : i64} : vector<16xf32>, !llvm.ptr
// CHECK:         %[[LANES:.*]] = llvm.mlir.constant(dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : vector<16xi32>) : vector<16xi32>
// CHECK:         %[[BOUND:.*]] = llvm.shufflevector
// CHECK:         %[[MASK:.*]] = llvm.icmp "sgt" %[[BOUND]], %[[LANES]] : vector<16xi32>
// CHECK:         llvm.intr.masked.load %{{.*}}, %[[MASK]], %{{.*}} {alignment = 4 : i32}
// CHECK:         llvm.intr.vector.reduce.fmaximum(%{{.*}}) : (vector<16xf32>) -> f32
// CHECK:         llvm.intr.masked.store %{{.*}}, %{{.*}}, %[[MASK]] {alignment = 4 : i32}
// CHECK:         llvm.return
// CHECK-NOT:   vector.
// CHECK-NOT:   unrealized_conversion_cast
func.func @kernel_f32(%x: !llvm.ptr, %y: !llvm.ptr, %n: i64, %p: f32) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %ni = arith.index_cast %n : i64 to index
  %xs = act.view %x[%ni] : !llvm.ptr -> memref<?xf32>
  %ys = act.view %y[%ni] : !llvm.ptr -> memref<?xf32>
  %rest = arith.remui %ni, %c16 : index
  %end = arith.subi %ni, %rest : index
  scf.for %i = %c0 to %end step %c16 {
    %v = vector.load %xs[%i] : memref<?xf32>, vector<16xf32>
    %e = math.exp %v : vector<16xf32>
    vector.store %e, %ys[%i] : memref<?xf32>, vector<16xf32>
  }
  %mask = vector.create_mask %rest : vector<16xi1>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %t = vector.maskedload %xs[%end], %mask, %zero : memref<?xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
  %m = vector.reduction <maximumf>, %t, %p : vector<16xf32> into f32
  %b = vector.broadcast %m : f32 to vector<16xf32>
  %s = arith.subf %t, %b : vector<16xf32>
  vector.maskedstore %ys[%end], %mask, %s : memref<?xf32>, vector<16xi1>, vector<16xf32>
  return
}

// -----

// Kernels stay external; other definitions become internal; libm
// declarations stay declarations.

// A helper marked act.no_inline (the matmul kernels' looped epilogue)
// becomes LLVM's noinline and loses the marker.

// CHECK-DAG:   llvm.func @tanh(f64) -> f64
// CHECK-DAG:   llvm.func internal @helper(%{{.*}}: f64) -> f64 attributes {sym_visibility = "private"} {
// CHECK-DAG:   llvm.func internal @outlined(%{{.*}}: f64) -> f64 attributes {no_inline, sym_visibility = "private"} {
// CHECK-DAG:   llvm.func @kernel_f64(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64)
// CHECK-NOT:   act.no_inline
func.func private @tanh(f64) -> f64
func.func private @helper(%x: f64) -> f64 {
  %y = func.call @tanh(%x) : (f64) -> f64
  %z = func.call @outlined(%y) : (f64) -> f64
  return %z : f64
}
func.func private @outlined(%x: f64) -> f64 attributes {act.no_inline} {
  %y = arith.mulf %x, %x : f64
  return %y : f64
}
func.func @kernel_f64(%x: !llvm.ptr, %y: !llvm.ptr, %n: i64) {
  %c0 = arith.constant 0 : index
  %ni = arith.index_cast %n : i64 to index
  %xs = act.view %x[%ni] : !llvm.ptr -> memref<?xf64>
  %v = memref.load %xs[%c0] : memref<?xf64>
  %t = func.call @helper(%v) : (f64) -> f64
  %ys = act.view %y[%ni] : !llvm.ptr -> memref<?xf64>
  memref.store %t, %ys[%c0] : memref<?xf64>
  return
}

// -----

// bf16 conversions become integer code (round to nearest even, NaN to a
// quiet NaN) so that no CPU needs __truncsfbf2; f16 stays fptrunc/fpext.

// CHECK-LABEL: llvm.func @half_conversions(
// CHECK-NOT:     llvm.fptrunc {{.*}} to vector<8xbf16>
// CHECK:         llvm.fcmp "une"
// CHECK:         llvm.lshr
// CHECK:         llvm.trunc {{.*}} : vector<8xi32> to vector<8xi16>
// CHECK:         llvm.select
// CHECK:         llvm.fptrunc {{.*}} : vector<8xf32> to vector<8xf16>
func.func @half_conversions(%x: vector<8xf32>) -> (vector<8xi16>, vector<8xi16>) {
  %b = arith.truncf %x : vector<8xf32> to vector<8xbf16>
  %bi = arith.bitcast %b : vector<8xbf16> to vector<8xi16>
  %h = arith.truncf %x : vector<8xf32> to vector<8xf16>
  %hi = arith.bitcast %h : vector<8xf16> to vector<8xi16>
  return %bi, %hi : vector<8xi16>, vector<8xi16>
}
