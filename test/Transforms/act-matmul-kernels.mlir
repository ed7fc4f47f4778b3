// RUN: act-opt %s --act-matmul-kernels="dtypes=f32 vector-bits=256 rows=2 depth=256 block-rows=264" --canonicalize --cse | FileCheck %s
// RUN: act-opt %s --act-matmul-kernels="dtypes=f32 vector-bits=256 rows=2 depth=256 block-rows=264 epilogue-ops=0" --canonicalize --cse | FileCheck %s --check-prefix=LOOP
// RUN: act-opt %s --act-matmul-kernels="dtypes=f64 vector-bits=512" --canonicalize --cse | FileCheck %s --check-prefix=F64
// RUN: not act-opt %s --act-matmul-kernels="dtypes=bf17" 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not act-opt %s --act-matmul-kernels="depth=0" 2>&1 | FileCheck %s --check-prefix=DEPTH
// RUN: act-opt %s --act-matmul-kernels="dtypes=f32 kinds=matmul_aux" | FileCheck %s --check-prefix=KINDS
// RUN: not act-opt %s --act-matmul-kernels="kinds=all,mm" 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// Before: a scalar activation with a runtime parameter.
act.activation @leaky params [#act.param<runtime "alpha" = 0.01>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %neg = arith.mulf %alpha, %x : f64
  %y = arith.select %pos, %x, %neg : f64
  act.return %y : f64
}

// After: c = f(a.b + bias). With 256-bit vectors of f32 (8 lanes) and the
// default 2 vectors per tile row, the panel is 16 columns; the K block is
// 256, so B is packed into a 256 x 16 stack buffer. The runtime parameter is
// the last argument.

// CHECK-LABEL: func.func @leaky_matmul_f32(
// CHECK-SAME:      %[[A:[^:]*]]: !llvm.ptr, %[[B:[^:]*]]: !llvm.ptr, %[[BIAS:[^:]*]]: !llvm.ptr, %[[C:[^:]*]]: !llvm.ptr, %[[M:[^:]*]]: i64, %[[N:[^:]*]]: i64, %[[K:[^:]*]]: i64, %[[ALPHA:[^:]*]]: f32)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK-DAG:     %[[NEGZERO:.*]] = arith.constant dense<-0.000000e+00> : vector<8xf32>
// CHECK-DAG:     %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG:     %[[AS:.*]] = act.view %[[A]][%{{.*}}, %{{.*}}] : !llvm.ptr -> memref<?x?xf32>
// CHECK-DAG:     %[[BS:.*]] = act.view %[[B]][%{{.*}}, %{{.*}}] : !llvm.ptr -> memref<?x?xf32>
// CHECK-DAG:     %[[CS:.*]] = act.view %[[C]][%{{.*}}, %{{.*}}] : !llvm.ptr -> memref<?x?xf32>
// CHECK-DAG:     %[[BIASES:.*]] = act.view %[[BIAS]][%{{.*}}] : !llvm.ptr -> memref<?xf32>
// CHECK-DAG:     %[[HASBIAS:.*]] = llvm.icmp "ne" %[[BIAS]], %[[NULL]] : !llvm.ptr
// CHECK-DAG:     %[[BUF:.*]] = memref.alloca() {alignment = 64 : i64} : memref<256x16xf32>
// Row blocks of 264 rows (block-rows, a multiple of rows), then K blocks of
// 256, then panels of 16 columns: the A block stays in cache while the
// panels of B stream past it.
// CHECK:         scf.for %[[IC:.*]] = %{{.*}} to %{{.*}} step %c264 {
// CHECK:           %[[ICEND:.*]] = arith.minsi
// CHECK:           scf.for %[[PC:.*]] = %{{.*}} step %c256 {
// CHECK:             %[[FIRST:.*]] = arith.cmpi eq, %[[PC]], %c0 : index
// CHECK:             %[[LAST:.*]] = arith.cmpi sge
// CHECK:             scf.for %[[JP:.*]] = %{{.*}} to %{{.*}} step %c16 {
// Whether the whole panel lies inside n; then no mask is used.
// CHECK:               %[[WHOLE:.*]] = arith.cmpi sge, %{{.*}}, %c16 : index
// One mask per vector of the panel.
// CHECK:               %[[MASK0:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK:               %[[MASK1:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// The bias, -0.0 where absent.
// CHECK:               %[[BV:.*]]:2 = scf.if %[[HASBIAS]] -> (vector<8xf32>, vector<8xf32>) {
// CHECK:                 vector.maskedload %[[BIASES]][%[[JP]]], %[[MASK0]], %[[NEGZERO]]
// CHECK:               } else {
// CHECK:                 scf.yield %[[NEGZERO]], %[[NEGZERO]]
// Pack B: plain loads in a panel inside n, else masked ones (zeros past n).
// CHECK:               scf.if %[[WHOLE]] {
// CHECK-NEXT:            scf.for %[[WP:.*]] =
// CHECK:                   %[[WPACKED:.*]] = vector.load %[[BS]][%{{.*}}, %[[JP]]]
// CHECK:                   vector.store %[[WPACKED]], %[[BUF]][%[[WP]], %c0]
// CHECK:               } else {
// CHECK-NEXT:            scf.for %[[P:.*]] =
// CHECK:                   %[[PACKED:.*]] = vector.maskedload %[[BS]][%{{.*}}, %[[JP]]], %[[MASK0]], %[[ZERO]]
// CHECK:                   vector.store %[[PACKED]], %[[BUF]][%[[P]], %c0]
// Row blocks of 2 rows, rows past m clamped to m - 1.
// CHECK:               scf.for %[[IR:.*]] = %[[IC]] to %[[ICEND]] step %c2 {
// CHECK:               %[[ROW0:.*]] = arith.minsi %[[IR]], %{{.*}} : index
// CHECK:               %[[ROW1:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// The accumulators start at zero or at the partial sums of C.
// CHECK:               %[[INIT:.*]]:4 = scf.if %[[FIRST]] -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK:                 scf.yield %[[ZERO]], %[[ZERO]], %[[ZERO]], %[[ZERO]]
// CHECK:               } else {
// CHECK-NEXT:            scf.if %[[WHOLE]] -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK-NEXT:              vector.load %[[CS]][%[[ROW0]], %[[JP]]]
// CHECK:                 } else {
// CHECK-NEXT:              vector.maskedload %[[CS]][%[[ROW0]], %[[JP]]], %[[MASK0]], %[[ZERO]]
// The micro-kernel: broadcast A, FMA with the packed panel, not unrolled.
// CHECK:               %[[ACC:.*]]:4 = scf.for %{{.*}} iter_args(%[[A0:.*]] = %[[INIT]]#0, %[[A1:.*]] = %[[INIT]]#1, %[[A2:.*]] = %[[INIT]]#2, %[[A3:.*]] = %[[INIT]]#3)
// CHECK:                 %[[B0:.*]] = vector.load %[[BUF]]
// CHECK:                 %[[B1:.*]] = vector.load %[[BUF]]
// CHECK:                 %[[AV:.*]] = memref.load %[[AS]][%[[ROW0]], %{{.*}}]
// CHECK:                 %[[AB:.*]] = vector.broadcast %[[AV]] : f32 to vector<8xf32>
// CHECK:                 vector.fma %[[AB]], %[[B0]], %[[A0]] : vector<8xf32>
// CHECK:                 vector.fma %[[AB]], %[[B1]], %[[A1]] : vector<8xf32>
// CHECK:                 memref.load %[[AS]][%[[ROW1]], %{{.*}}]
// CHECK-COUNT-2:         vector.fma
// CHECK:               } {loop_annotation = #loop_annotation}
// Last K block: bias and activation on the accumulators (z = acc + bias
// marked act.leaf: f at the rounded z), one store per vector, masked only
// in a panel that crosses n.
// CHECK:               scf.if %[[LAST]] {
// CHECK:                 %[[Z:.*]] = arith.addf %[[ACC]]#0, %[[BV]]#0 {act.leaf} : vector<8xf32>
// CHECK:                 vector.broadcast %[[ALPHA]] : f32 to vector<8xf32>
// CHECK:                 arith.cmpf oge, %[[Z]], %[[ZERO]] : vector<8xf32>
// CHECK:                 %[[Y:.*]] = arith.select
// CHECK:                 scf.if %[[WHOLE]] {
// CHECK-NEXT:              vector.store %[[Y]], %[[CS]][%[[ROW0]], %[[JP]]]
// CHECK:                 } else {
// CHECK-NEXT:              vector.maskedstore %[[CS]][%[[ROW0]], %[[JP]]], %[[MASK0]], %[[Y]]
// Row 1 is stored only where it exists.
// CHECK:                 scf.if %{{.*}} {
// CHECK:                   arith.addf %[[ACC]]#2, %[[BV]]#0
// CHECK:                   vector.maskedstore %[[CS]][%[[ROW1]], %[[JP]]]
// Other K blocks store the accumulators.
// CHECK:               } else {
// CHECK-NEXT:            scf.if %[[WHOLE]] {
// CHECK-NEXT:              vector.store %[[ACC]]#0, %[[CS]][%[[ROW0]], %[[JP]]]
// CHECK:                 } else {
// CHECK-NEXT:              vector.maskedstore %[[CS]][%[[ROW0]], %[[JP]]], %[[MASK0]], %[[ACC]]#0
// CHECK:         return

// The aux kernel also stores z, before f(z).
// CHECK-LABEL: func.func @leaky_matmul_aux_f32(
// CHECK-SAME:      %[[C:[^:]*]]: !llvm.ptr, %[[Z:[^:]*]]: !llvm.ptr, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %{{[^:]*}}: f32)
// CHECK-DAG:     %[[ZS:.*]] = act.view %[[Z]]
// CHECK-DAG:     %[[CS:.*]] = act.view %[[C]]
// CHECK:         } {loop_annotation = #loop_annotation}
// CHECK-NEXT:    scf.if
// CHECK-NEXT:      %[[ZV:.*]] = arith.addf
// CHECK:           %[[YV:.*]] = arith.select
// CHECK:           scf.if
// CHECK-NEXT:        vector.store %[[ZV]], %[[ZS]]
// CHECK-NEXT:        vector.store %[[YV]], %[[CS]]
// CHECK:           } else {
// CHECK-NEXT:        vector.maskedstore %[[ZS]][{{.*}}], %{{.*}}, %[[ZV]]
// CHECK-NEXT:        vector.maskedstore %[[CS]][{{.*}}], %{{.*}}, %[[YV]]

// The looped epilogue: the tile goes to a 2 x 16 stack buffer, then one
// clone of the body runs in a loop over its rows and vectors, in a function
// of its own (act.no_inline: LLVM keeps it out of the micro-kernel's
// register allocation), defined before the kernel.
// LOOP-LABEL: func.func private @leaky_matmul_f32_epilogue(
// LOOP-SAME:      %[[TILE:[^:]*]]: memref<2x16xf32>, %[[BIASTILE:[^:]*]]: memref<16xf32>, %[[C:[^:]*]]: !llvm.ptr, %[[IR:[^:]*]]: index, %[[JP:[^:]*]]: index, %[[M:[^:]*]]: index, %[[N:[^:]*]]: index, %[[ALPHA:[^:]*]]: f32) attributes {act.no_inline}
// LOOP:         %[[CS:.*]] = act.view %[[C]][%[[M]], %[[N]]]
// LOOP:         scf.for %[[I:.*]] =
// LOOP:           scf.for %[[OFF:.*]] = %c0 to %c16 step %c8 {
// LOOP:             %[[MASK:.*]] = vector.create_mask
// LOOP:             %[[V:.*]] = vector.load %[[TILE]][%[[I]], %[[OFF]]]
// LOOP:             %[[BV:.*]] = vector.load %[[BIASTILE]][%[[OFF]]]
// LOOP:             arith.addf %[[V]], %[[BV]]
// LOOP:             vector.broadcast %[[ALPHA]]
// LOOP:             %[[Y:.*]] = arith.select
// LOOP:             %[[WHOLEV:.*]] = arith.cmpi eq, %{{.*}}, %c8 : index
// LOOP:             scf.if %[[WHOLEV]] {
// LOOP-NEXT:          vector.store %[[Y]], %[[CS]]
// LOOP-NEXT:        } else {
// LOOP-NEXT:          vector.maskedstore %[[CS]][{{.*}}], %[[MASK]], %[[Y]]
// LOOP:         return
// The kernel stores the tile and calls it; no clone of the body is left.
// LOOP-LABEL: func.func @leaky_matmul_f32(
// LOOP-SAME:      %[[KC:[^:]*]]: !llvm.ptr, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %[[KALPHA:[^:]*]]: f32)
// LOOP-DAG:     %[[KTILE:.*]] = memref.alloca() {alignment = 64 : i64} : memref<2x16xf32>
// LOOP-DAG:     %[[KBIASTILE:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// LOOP:         scf.for %[[KIR:.*]] = %{{.*}} to %{{.*}} step %c2 {
// LOOP:         scf.if
// LOOP-COUNT-4:   vector.store %{{.*}}, %[[KTILE]]
// LOOP-NEXT:      func.call @leaky_matmul_f32_epilogue(%[[KTILE]], %[[KBIASTILE]], %[[KC]], %[[KIR]], %{{.*}}, %{{.*}}, %{{.*}}, %[[KALPHA]])
// LOOP-NOT:       arith.select
// LOOP:         } else {

// f64 with 512-bit vectors and the default blocking: 8 lanes, 4 vectors per
// row, a 512 x 32 panel (K blocks of 512), row blocks of 528; the runtime
// parameter stays a float argument, extended in the looped epilogue (24
// clones of the body would exceed epilogue-ops).
// F64-LABEL: func.func private @leaky_matmul_f64_epilogue(
// F64-SAME:      memref<6x32xf64>, %{{[^:]*}}: memref<32xf64>, {{.*}}, %[[EALPHA:[^:]*]]: f32) attributes {act.no_inline}
// F64:         arith.extf %[[EALPHA]] : f32 to f64
// F64-LABEL: func.func @leaky_matmul_f64(
// F64-SAME:      i64, %[[ALPHA:[^:]*]]: f32)
// F64:         memref.alloca() {alignment = 64 : i64} : memref<512x32xf64>
// F64:         scf.for %{{.*}} step %c528
// F64:         scf.for %{{.*}} step %c512
// F64-COUNT-24: vector.fma {{.*}} : vector<8xf64>
// F64:         func.call @leaky_matmul_f64_epilogue({{.*}}, %[[ALPHA]])
// F64-LABEL: func.func @leaky_matmul_aux_f64(

// DTYPE: error: unsupported dtype 'bf17'
// DEPTH: error: act-matmul-kernels: vector-bits must be at least 64, rows and depth positive

// kinds: only the aux kernel.
// KINDS-NOT: @leaky_matmul_f32
// KINDS: func.func @leaky_matmul_aux_f32(
// KINDS-NOT: @leaky_matmul_f32
// UNKNOWN: error: act-matmul-kernels: unknown kernel kind 'mm' (expected forward, grad, grad_from_y, bias, bias_grad, matmul, matmul_aux, bias_mt, bias_grad_mt, matmul_mt, matmul_aux_mt, or all)
