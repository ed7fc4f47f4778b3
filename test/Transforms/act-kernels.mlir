// RUN: act-opt %s --split-input-file --verify-diagnostics --act-kernels | FileCheck %s
// RUN: act-opt %s --split-input-file --verify-diagnostics --act-kernels="dtypes=f32" | FileCheck %s --check-prefix=F32
// RUN: not act-opt %s --split-input-file --act-kernels="dtypes=bf17" 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: act-opt %s --split-input-file --verify-diagnostics --act-kernels="dtypes=bf16,f16" | FileCheck %s --check-prefix=HALF
// RUN: act-opt %s --split-input-file --verify-diagnostics --act-kernels="dtypes=f32 precision=fast" | FileCheck %s --check-prefix=FAST
// RUN: not act-opt %s --split-input-file --act-kernels="precision=exact" 2>&1 | FileCheck %s --check-prefix=PRECISION

// An elementwise activation: one kernel per dtype; runtime parameters are
// f32 arguments in declaration order (extended in f64 kernels), compile-time
// ones become constants; the body is retyped to the kernel's type.

// CHECK-LABEL: func.func @leaky_f32(
// CHECK-SAME:      %[[X:.*]]: !llvm.ptr, %[[Y:.*]]: !llvm.ptr, %[[N:.*]]: i64, %[[ALPHA:.*]]: f32, %[[GAMMA:.*]]: f32)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[NI:.*]] = arith.index_cast %[[N]] : i64 to index
// CHECK-DAG:     %[[XS:.*]] = act.view %[[X]][%[[NI]]] : !llvm.ptr -> memref<?xf32>
// CHECK-DAG:     %[[YS:.*]] = act.view %[[Y]][%[[NI]]] : !llvm.ptr -> memref<?xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[BETA:.*]] = arith.constant 2.500000e-01 : f32
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[NI]] step %[[C1]] {
// CHECK:           %[[V:.*]] = memref.load %[[XS]][%[[I]]] : memref<?xf32>
// CHECK:           %[[POS:.*]] = arith.cmpf oge, %[[V]], %[[ZERO]] : f32
// CHECK:           %[[NEG:.*]] = arith.mulf %[[ALPHA]], %[[V]] : f32
// CHECK:           %[[S:.*]] = act.sigmoid %[[NEG]] : f32
// CHECK:           %[[B:.*]] = arith.mulf %[[S]], %[[BETA]] : f32
// CHECK:           %[[G:.*]] = arith.mulf %[[B]], %[[GAMMA]] : f32
// CHECK:           %[[R:.*]] = arith.select %[[POS]], %[[V]], %[[G]] : f32
// CHECK:           memref.store %[[R]], %[[YS]][%[[I]]] : memref<?xf32>
// CHECK:         } {act.stream_stores, act.vectorize}
// CHECK:         return

// CHECK-LABEL: func.func @leaky_f64(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %[[ALPHA:.*]]: f32, %[[GAMMA:.*]]: f32)
// CHECK-DAG:     act.view %{{.*}} : !llvm.ptr -> memref<?xf64>
// CHECK-DAG:     %[[A64:.*]] = arith.extf %[[ALPHA]] : f32 to f64
// CHECK-DAG:     %[[G64:.*]] = arith.extf %[[GAMMA]] : f32 to f64
// CHECK:         scf.for
// CHECK:           %[[V:.*]] = memref.load %{{.*}} : memref<?xf64>
// CHECK:           arith.mulf %[[A64]], %[[V]] : f64
// CHECK:           act.sigmoid %{{.*}} : f64
// CHECK:           arith.mulf %{{.*}}, %[[G64]] : f64
// CHECK:         } {act.stream_stores, act.vectorize}

// Private activations are inlined callees: no kernel; no activation remains.
// CHECK-NOT: @helper
// CHECK-NOT: act.activation

// F32-LABEL: func.func @leaky_f32(
// F32-NOT:   func.func @leaky_f64

// bf16 and f16: i16 arrays, each element widened to f32 and the result
// rounded back; the kernel computes in f32.
// HALF-LABEL: func.func @leaky_bf16(
// HALF:         act.view {{.*}} : !llvm.ptr -> memref<?xi16>
// HALF:         %[[H:.*]] = memref.load {{.*}} : memref<?xi16>
// HALF:         %[[B:.*]] = arith.bitcast %[[H]] : i16 to bf16
// HALF:         arith.extf %[[B]] : bf16 to f32
// HALF:         %[[T:.*]] = arith.truncf {{.*}} : f32 to bf16
// HALF:         %[[S:.*]] = arith.bitcast %[[T]] : bf16 to i16
// HALF:         memref.store %[[S]]
// HALF-LABEL: func.func @leaky_f16(
// HALF:         arith.bitcast {{.*}} : i16 to f16
// HALF:         arith.extf {{.*}} : f16 to f32
// HALF:         arith.truncf {{.*}} : f32 to f16

act.activation @leaky params [#act.param<runtime "alpha" = 0.01>, #act.param<"beta" = 0.25>, #act.param<runtime "gamma" = 1.0>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %beta = act.param "beta" : f64
  %gamma = act.param "gamma" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %neg = arith.mulf %alpha, %x : f64
  %s = act.sigmoid %neg : f64
  %b = arith.mulf %s, %beta : f64
  %g = arith.mulf %b, %gamma : f64
  %y = arith.select %pos, %x, %g : f64
  act.return %y : f64
}

act.activation @helper params [] attributes {sym_visibility = "private"} {
^bb0(%x: f64):
  act.return %x : f64
}

// DTYPE: error: act-kernels: unsupported dtype 'bf17'
// PRECISION: error: act-kernels: unknown precision 'exact' (expected accurate or fast)

// -----

// A row activation with a reduction nested in another: log_softmax. Each
// reduction gets a loop over the columns, in dependency order; what depends
// only on reductions (log s) is computed once per row.

// CHECK-LABEL: func.func @log_softmax_f32(
// CHECK-SAME:      %[[X:.*]]: !llvm.ptr, %[[Y:.*]]: !llvm.ptr, %[[ROWS:.*]]: i64, %[[COLS:.*]]: i64)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[R:.*]] = arith.index_cast %[[ROWS]] : i64 to index
// CHECK-DAG:     %[[C:.*]] = arith.index_cast %[[COLS]] : i64 to index
// CHECK-DAG:     %[[XS:.*]] = act.view %[[X]][%[[R]], %[[C]]] : !llvm.ptr -> memref<?x?xf32>
// CHECK-DAG:     %[[YS:.*]] = act.view %[[Y]][%[[R]], %[[C]]] : !llvm.ptr -> memref<?x?xf32>
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[R]] step %[[C1]] {
// CHECK:           %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:           %[[M:.*]] = scf.for %[[J:.*]] = %[[C0]] to %[[C]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[NINF]]) -> (f32) {
// CHECK:             %[[V:.*]] = memref.load %[[XS]][%[[I]], %[[J]]]
// CHECK:             %[[MAX:.*]] = arith.maximumf %[[ACC]], %[[V]] : f32
// CHECK:             scf.yield %[[MAX]] : f32
// CHECK:           } {act.vectorize}
// The f32 row sum accumulates in f64 and is rounded once. Its terms, which
// nothing stores, are computed in f64 too (x - m exact there), so that
// none is rounded to f32 (subnormal ones would keep a few bits), exp marked
// act.wide (act-math-approx's f64 core for results rounded to f32);
// precision=fast keeps f32 terms, and sums a row again with f64 terms
// where its sum is below 2^-100 (f32 terms may be subnormal there).
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:           %[[S64:.*]] = scf.for %[[J:.*]] = %[[C0]] to %[[C]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f64) {
// CHECK:             %[[V:.*]] = memref.load %[[XS]][%[[I]], %[[J]]]
// CHECK:             %[[VW:.*]] = arith.extf %[[V]] : f32 to f64
// CHECK:             %[[MW:.*]] = arith.extf %[[M]] : f32 to f64
// CHECK:             %[[D:.*]] = arith.subf %[[VW]], %[[MW]] : f64
// CHECK:             %[[E:.*]] = math.exp %[[D]] {act.wide} : f64
// CHECK:             %[[SUM:.*]] = arith.addf %[[ACC]], %[[E]] : f64
// CHECK:             scf.yield %[[SUM]] : f64
// CHECK:           } {act.vectorize}
// FAST-LABEL: func.func @log_softmax_f32(
// FAST:           scf.for {{.*}} -> (f64) {
// FAST:             %[[V:.*]] = memref.load
// FAST:             %[[D:.*]] = arith.subf %[[V]], %{{.*}} : f32
// FAST:             %[[E:.*]] = math.exp %[[D]] : f32
// FAST:             %[[E64:.*]] = arith.extf %[[E]] : f32 to f64
// FAST:             %[[SUM:.*]] = arith.addf %{{.*}}, %[[E64]] : f64
// FAST:           } {act.vectorize}
// FAST:           %[[ABS:.*]] = math.absf %{{.*}} : f64
// FAST:           %[[TINY:.*]] = arith.constant 7.8886090522101181E-31 : f64
// FAST:           %[[REDO:.*]] = arith.cmpf olt, %[[ABS]], %[[TINY]] : f64
// FAST:           scf.if %[[REDO]] -> (f64) {
// FAST:             scf.for {{.*}} -> (f64) {
// FAST:               math.exp %{{.*}} {act.wide} : f64
// FAST:             } {act.vectorize}
// FAST:           } else {
// The output (x - m) - log(s) is computed in f64 from the unrounded sum,
// x - m exact there, and rounded once.
// CHECK:           %[[L:.*]] = math.log %[[S64]] : f64
// CHECK:           %[[M64:.*]] = arith.extf %[[M]] : f32 to f64
// CHECK:           scf.for %[[J:.*]] = %[[C0]] to %[[C]] step %[[C1]] {
// CHECK:             %[[V:.*]] = memref.load %[[XS]][%[[I]], %[[J]]]
// CHECK:             %[[V64:.*]] = arith.extf %[[V]] : f32 to f64
// CHECK:             %[[D:.*]] = arith.subf %[[V64]], %[[M64]] : f64
// CHECK:             %[[W:.*]] = arith.subf %[[D]], %[[L]] : f64
// CHECK:             %[[OUT:.*]] = arith.truncf %[[W]] : f64 to f32
// CHECK:             memref.store %[[OUT]], %[[YS]][%[[I]], %[[J]]]
// CHECK:           } {act.vectorize}
// CHECK:         }
// CHECK:         return
// CHECK-LABEL: func.func @log_softmax_f64(
// CHECK-SAME:      i64, %{{.*}}: i64)
// CHECK:         memref<?x?xf64>

act.activation @log_softmax params [] {
^bb0(%x: f64):
  %m = act.rowmax %x : f64
  %d = arith.subf %x, %m : f64
  %e = math.exp %d : f64
  %s = act.rowsum %e : f64
  %l = math.log %s : f64
  %y = arith.subf %d, %l : f64
  act.return %y : f64
}

// -----

// softmax: y = e / rowsum(e) with e = exp(x - m). precision=fast: the sum
// loop also stores e in y, and the output loop only scales y in place: e
// is computed once. The scale is 1 / s from the unrounded f64 sum, split
// into an f32 pair (1 <= s <= cols for this max-shifted form), y = fma(e,
// r_hi, e * r_lo): e is rounded to f32, then scaled (1.5 ULP).
// precision=accurate (the default): nothing stored; the sum's terms and
// then each output's e are computed in f64 (x - m exact there, exp marked
// act.wide), y = e * (1 / s) in f64, rounded once. f64 kernels have no
// wider type: they compute in double-double
// (RowPairForms.cpp). x - m is a TwoSum pair, e = act.exp_pair of it, the
// sum a compensated pair (CompensatedSums.h: the TwoSum error of each
// addition and e's low part accumulated next to it, the loop marked
// act.compensated_sums for act-vectorize) finished as (hi, lo) by Fast2Sum
// (a sum that is not finite is kept); y = exp((x - m) - log(s)) with
// log(s) = act.log1p_pair of s - 1 once per row, one exp per element in
// the output loop, none stored (y would round it). 16-bit kernels would
// round e in y: they recompute it.

// CHECK-LABEL: func.func @softmax_f32(
// CHECK-SAME:      %[[X:.*]]: !llvm.ptr, %[[Y:.*]]: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CHECK-DAG:     %[[XS:.*]] = act.view %[[X]]{{.*}} -> memref<?x?xf32>
// CHECK-DAG:     %[[YS:.*]] = act.view %[[Y]]{{.*}} -> memref<?x?xf32>
// CHECK:         scf.for %[[I:.*]] =
// CHECK:           %[[M:.*]] = scf.for
// CHECK:             arith.maximumf
// CHECK:           } {act.vectorize}
// CHECK:           %[[S64:.*]] = scf.for %[[J:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f64) {
// CHECK:             %[[V:.*]] = memref.load %[[XS]][%[[I]], %[[J]]]
// CHECK:             %[[VW:.*]] = arith.extf %[[V]] : f32 to f64
// CHECK:             %[[MW:.*]] = arith.extf %[[M]] : f32 to f64
// CHECK:             %[[D:.*]] = arith.subf %[[VW]], %[[MW]] : f64
// CHECK:             %[[E:.*]] = math.exp %[[D]] {act.wide} : f64
// CHECK-NOT:         memref.store
// CHECK:             %[[SUM:.*]] = arith.addf %[[ACC]], %[[E]] : f64
// CHECK:             scf.yield %[[SUM]] : f64
// CHECK:           } {act.vectorize}
// CHECK:           %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK:           %[[INV:.*]] = arith.divf %[[ONE]], %[[S64]] : f64
// CHECK:           scf.for %[[K:.*]] =
// CHECK:             %[[V:.*]] = memref.load %[[XS]][%[[I]], %[[K]]]
// CHECK:             %[[VW:.*]] = arith.extf %[[V]] : f32 to f64
// CHECK:             %[[MW:.*]] = arith.extf %[[M]] : f32 to f64
// CHECK:             %[[D:.*]] = arith.subf %[[VW]], %[[MW]] : f64
// CHECK:             %[[E:.*]] = math.exp %[[D]] {act.wide} : f64
// CHECK:             %[[P:.*]] = arith.mulf %[[E]], %[[INV]] : f64
// CHECK:             %[[OUT:.*]] = arith.truncf %[[P]] : f64 to f32
// CHECK:             memref.store %[[OUT]], %[[YS]][%[[I]], %[[K]]]
// CHECK:           } {act.vectorize}
// FAST-LABEL: func.func @softmax_f32(
// FAST-SAME:      %[[X:.*]]: !llvm.ptr, %[[Y:.*]]: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// FAST-DAG:     %[[XS:.*]] = act.view %[[X]]{{.*}} -> memref<?x?xf32>
// FAST-DAG:     %[[YS:.*]] = act.view %[[Y]]{{.*}} -> memref<?x?xf32>
// FAST:         scf.for %[[I:.*]] =
// FAST:           %[[M:.*]] = scf.for
// FAST:             arith.maximumf
// FAST:           } {act.vectorize}
// FAST:           %[[S64:.*]] = scf.for %[[J:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f64) {
// FAST:             %[[V:.*]] = memref.load %[[XS]][%[[I]], %[[J]]]
// FAST:             %[[D:.*]] = arith.subf %[[V]], %[[M]] : f32
// FAST:             %[[E:.*]] = math.exp %[[D]] : f32
// FAST:             memref.store %[[E]], %[[YS]][%[[I]], %[[J]]]
// FAST:             %[[E64:.*]] = arith.extf %[[E]] : f32 to f64
// FAST:             %[[SUM:.*]] = arith.addf %[[ACC]], %[[E64]] : f64
// FAST:             scf.yield %[[SUM]] : f64
// FAST:           } {act.vectorize}
// FAST-NOT:       scf.if
// FAST:           %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// FAST:           %[[INV:.*]] = arith.divf %[[ONE]], %[[S64]] : f64
// FAST:           %[[HI:.*]] = arith.truncf %[[INV]] : f64 to f32
// FAST:           %[[HI64:.*]] = arith.extf %[[HI]] : f32 to f64
// FAST:           %[[REST:.*]] = arith.subf %[[INV]], %[[HI64]] : f64
// FAST:           %[[LO:.*]] = arith.truncf %[[REST]] : f64 to f32
// FAST:           scf.for %[[K:.*]] =
// FAST-NOT:         math.exp
// FAST:             %[[W:.*]] = memref.load %[[YS]][%[[I]], %[[K]]]
// FAST:             %[[P:.*]] = arith.mulf %[[W]], %[[LO]] : f32
// FAST:             %[[OUT:.*]] = math.fma %[[W]], %[[HI]], %[[P]] : f32
// FAST:             memref.store %[[OUT]], %[[YS]][%[[I]], %[[K]]]
// FAST:           } {act.vectorize}
// CHECK-LABEL: func.func @softmax_f64(
// CHECK:             arith.maximumf
// CHECK:           %[[S:.*]]:2 = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[Z:.*]], %[[ERR:.*]] = %[[Z]]) -> (f64, f64) {
// CHECK:             %[[V:.*]] = memref.load
// CHECK:             %[[D:.*]] = arith.subf %[[V]], %[[MAX:.*]] : f64
// CHECK:             %[[DL:.*]] = arith.addf
// CHECK:             %[[E:.*]], %[[EL:.*]] = act.exp_pair %[[D]], %[[DL]] : f64
// CHECK-NOT:         memref.store
// CHECK:             %[[NEXT:.*]] = arith.addf %[[ACC]], %[[E]] : f64
// CHECK:             %[[BB:.*]] = arith.subf %[[NEXT]], %[[ACC]] : f64
// CHECK:             %[[AA:.*]] = arith.subf %[[NEXT]], %[[BB]] : f64
// CHECK:             %[[AE:.*]] = arith.subf %[[ACC]], %[[AA]] : f64
// CHECK:             %[[BE:.*]] = arith.subf %[[E]], %[[BB]] : f64
// CHECK:             %[[TE:.*]] = arith.addf %[[AE]], %[[BE]] : f64
// CHECK:             %[[TEL:.*]] = arith.addf %[[TE]], %[[EL]] : f64
// CHECK:             %[[ERR2:.*]] = arith.addf %[[ERR]], %[[TEL]] : f64
// CHECK:             scf.yield %[[NEXT]], %[[ERR2]] : f64, f64
// CHECK:           } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
// CHECK:           %[[H:.*]] = arith.addf %[[S]]#0, %[[S]]#1 : f64
// CHECK:           %[[HS:.*]] = arith.subf %[[H]], %[[S]]#0 : f64
// CHECK:           %[[L:.*]] = arith.subf %[[S]]#1, %[[HS]] : f64
// CHECK:           %[[FINITE:.*]] = arith.cmpf olt
// CHECK:           %[[HI:.*]] = arith.select %[[FINITE]], %[[H]], %[[S]]#0 : f64
// CHECK:           %[[LO:.*]] = arith.select %[[FINITE]], %[[L]], %{{.*}} : f64
// CHECK:           %[[T:.*]] = arith.subf %[[HI]], %{{.*}} : f64
// CHECK:           %[[TL:.*]] = arith.addf %{{.*}}, %[[LO]] : f64
// CHECK:           %[[LOG:.*]], %[[LOGL:.*]] = act.log1p_pair %[[T]], %[[TL]] : f64
// CHECK:           scf.for %[[K:.*]] =
// CHECK-NOT:         math.exp
// CHECK:             %[[V:.*]] = memref.load
// CHECK:             %[[D:.*]] = arith.subf %[[V]], %[[MAX]] : f64
// CHECK:             %[[Z:.*]] = arith.subf %[[D]], %[[LOG]] : f64
// CHECK:             %[[ZL:.*]] = arith.subf %{{.*}}, %[[LOGL]] : f64
// CHECK:             %[[OUT:.*]], %{{.*}} = act.exp_pair %[[Z]], %[[ZL]] : f64
// CHECK:             memref.store %[[OUT]]

// HALF-LABEL: func.func @softmax_bf16(
// HALF:           scf.for
// HALF:             math.exp
// HALF-NOT:         memref.store
// HALF:           } {act.vectorize}
// HALF:           scf.for
// HALF:             math.exp
// HALF:             arith.divf
// HALF:             memref.store
act.activation @softmax params [] {
^bb0(%x: f64):
  %m = act.rowmax %x : f64
  %d = arith.subf %x, %m : f64
  %e = math.exp %d : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

// -----

// Not max-shifted, so 1 / s may leave f32's range: the f32 kernel scales e
// by 1 / s in f64, rounded once; precision=fast scales the stored e,
// accurate computes e again in f64.
// F32-LABEL: func.func @unshifted_f32(
// F32:           %[[S64:.*]] = scf.for
// F32:             math.exp %{{.*}} {act.wide} : f64
// F32-NOT:         memref.store
// F32:           } {act.vectorize}
// F32:           %[[INV:.*]] = arith.divf %{{.*}}, %[[S64]] : f64
// F32:           scf.for
// F32:             %[[W:.*]] = memref.load
// F32:             %[[W64:.*]] = arith.extf %[[W]] : f32 to f64
// F32:             %[[E:.*]] = math.exp %[[W64]] {act.wide} : f64
// F32:             %[[P:.*]] = arith.mulf %[[E]], %[[INV]] : f64
// F32:             %[[OUT:.*]] = arith.truncf %[[P]] : f64 to f32
// F32:             memref.store %[[OUT]]
// FAST-LABEL: func.func @unshifted_f32(
// FAST:           %[[S64:.*]] = scf.for
// FAST:             math.exp
// FAST:             memref.store
// FAST:           } {act.vectorize}
// FAST:           %[[INV:.*]] = arith.divf %{{.*}}, %[[S64]] : f64
// FAST:           scf.for
// FAST:             %[[W:.*]] = memref.load
// FAST:             %[[W64:.*]] = arith.extf %[[W]] : f32 to f64
// FAST:             %[[P:.*]] = arith.mulf %[[W64]], %[[INV]] : f64
// FAST:             %[[OUT:.*]] = arith.truncf %[[P]] : f64 to f32
// FAST:             memref.store %[[OUT]]
act.activation @unshifted params [] {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

// -----

// Reductions that do not read each other share a loop (one iteration
// argument each; log_softmax's sum of the rest and count of maxima); one
// that reads another's result gets the next loop. A sum of a choice between
// constants is chosen in the sum's type. The output x * s2 / s3 keeps x, so
// nothing is stored before the output loop.

// precision=accurate: the terms of each sum in f64, from the unrounded
// sums (t = a + b) and x - m exact in f64.
// F32-LABEL: func.func @reductions_f32(
// F32:           %[[M:.*]] = scf.for {{.*}} -> (f32) {
// F32:           %[[AB:.*]]:2 = scf.for %{{.*}} iter_args(%[[A:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}}) -> (f64, f64) {
// F32:             %[[V:.*]] = memref.load
// F32:             %[[C:.*]] = arith.cmpf oeq, %[[V]], %[[M]] : f32
// F32:             %[[VW:.*]] = arith.extf %[[V]] : f32 to f64
// F32:             %[[MW:.*]] = arith.extf %[[M]] : f32 to f64
// F32:             %[[D:.*]] = arith.subf %[[VW]], %[[MW]] : f64
// F32:             %[[EXP:.*]] = math.exp %[[D]] {act.wide} : f64
// F32:             %[[A2:.*]] = arith.addf %[[A]], %[[EXP]] : f64
// F32:             %[[ONE:.*]] = arith.select %[[C]], %{{.*}}, %{{.*}} : f64
// F32:             %[[B2:.*]] = arith.addf %[[B]], %[[ONE]] : f64
// F32:           } {act.vectorize}
// F32:           scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f64) {
// F32:             %[[V:.*]] = memref.load
// F32:             %[[VW:.*]] = arith.extf %[[V]] : f32 to f64
// F32:             %[[T:.*]] = arith.addf %[[AB]]#0, %[[AB]]#1 : f64
// F32:             arith.mulf %[[VW]], %[[T]] : f64
// F32:           } {act.vectorize}
// precision=fast: f32 terms; a row whose sum is below 2^-100 summed again
// with f64 terms.
// FAST-LABEL: func.func @reductions_f32(
// FAST:           %[[M:.*]] = scf.for {{.*}} -> (f32) {
// FAST:             arith.maximumf
// FAST:           } {act.vectorize}
// FAST:           %[[AB:.*]]:2 = scf.for %{{.*}} iter_args(%[[A:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}}) -> (f64, f64) {
// FAST:             %[[V:.*]] = memref.load
// FAST:             %[[D:.*]] = arith.subf %[[V]], %[[M]] : f32
// FAST:             %[[EXP:.*]] = math.exp %[[D]] : f32
// FAST:             %[[C:.*]] = arith.cmpf oeq, %[[V]], %[[M]] : f32
// FAST:             %[[E64:.*]] = arith.extf %[[EXP]] : f32 to f64
// FAST:             %[[A2:.*]] = arith.addf %[[A]], %[[E64]] : f64
// FAST:             %[[ONE:.*]] = arith.select %[[C]], %{{.*}}, %{{.*}} : f64
// FAST:             %[[B2:.*]] = arith.addf %[[B]], %[[ONE]] : f64
// FAST:             scf.yield %[[A2]], %[[B2]] : f64, f64
// FAST:           } {act.vectorize}
// FAST:           %[[S:.*]]:2 = scf.if %{{.*}} -> (f64, f64) {
// FAST:             scf.yield %[[AB]]#0, %[[AB]]#1 : f64, f64
// FAST:           }
// FAST:           %[[SA:.*]] = arith.truncf %[[S]]#0 : f64 to f32
// FAST:           %[[SB:.*]] = arith.truncf %[[S]]#1 : f64 to f32
// FAST:           %[[T:.*]] = arith.addf %[[SA]], %[[SB]] : f32
// FAST:           scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f64) {
// FAST:             memref.load
// FAST:             arith.mulf %{{.*}}, %[[T]] : f32
// FAST-NOT:         memref.store
// FAST:           } {act.vectorize}
// FAST:           scf.if
// FAST:           scf.for
// FAST:             memref.load
// FAST:             memref.store
// FAST:           } {act.vectorize}
// f64: each sum is a compensated pair except the count, a choice between
// integers, whose sum is exact.
// CHECK-LABEL: func.func @reductions_f64(
// CHECK:           scf.for {{.*}} -> (f64) {
// CHECK:             arith.maximumf
// CHECK:           %{{.*}}:3 = scf.for %{{.*}} iter_args(%[[A:.*]] = %{{.*}}, %[[AE:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}}) -> (f64, f64, f64) {
// CHECK:             %[[A2:.*]] = arith.addf %[[A]], %{{.*}} : f64
// CHECK:             %[[AE2:.*]] = arith.addf %[[AE]], %{{.*}} : f64
// CHECK:             %[[B2:.*]] = arith.addf %[[B]], %{{.*}} : f64
// CHECK:             scf.yield %[[A2]], %[[AE2]], %[[B2]] : f64, f64, f64
// CHECK:           } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
// CHECK:           scf.for {{.*}} -> (f64, f64) {
// CHECK:           } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
act.activation @reductions params [] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %m = act.rowmax %x : f64
  %d = arith.subf %x, %m : f64
  %e = math.exp %d : f64
  %a = act.rowsum %e : f64
  %c = arith.cmpf oeq, %x, %m : f64
  %k = arith.select %c, %one, %zero : f64
  %b = act.rowsum %k : f64
  %t = arith.addf %a, %b : f64
  %xt = arith.mulf %x, %t : f64
  %s = act.rowsum %xt : f64
  %y = arith.mulf %x, %s : f64
  act.return %y : f64
}

// -----

// Calls must be inlined first.
act.activation @id params [] attributes {sym_visibility = "private"} {
^bb0(%x: f64):
  act.return %x : f64
}
act.activation @calls params [] {
^bb0(%x: f64):
  // expected-error @+1 {{'act.call' op must be inlined or simplified before act-kernels}}
  %y = act.call @id(%x) : (f64) -> f64
  act.return %y : f64
}

// -----

// A gradient (grad_of, from act-autodiff) returns df/dx and df/dp per
// runtime parameter: its kernel is NAME_grad_T(x, dy, dx, n, p..., dp...);
// the element loop stores dx = dy * df/dx and accumulates dy * df/dp, and
// each *dp (a float) is set to its sum.

// CHECK-LABEL: func.func @swish_grad_f64(
// CHECK-SAME:      %[[X:.*]]: !llvm.ptr, %[[DY:.*]]: !llvm.ptr, %[[DX:.*]]: !llvm.ptr, %[[N:.*]]: i64, %[[BETA:.*]]: f32, %[[DBETA:.*]]: !llvm.ptr)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[XS:.*]] = act.view %[[X]][%{{.*}}] : !llvm.ptr -> memref<?xf64>
// CHECK-DAG:     %[[DYS:.*]] = act.view %[[DY]][%{{.*}}] : !llvm.ptr -> memref<?xf64>
// CHECK-DAG:     %[[DXS:.*]] = act.view %[[DX]][%{{.*}}] : !llvm.ptr -> memref<?xf64>
// CHECK-DAG:     %[[B:.*]] = arith.extf %[[BETA]] : f32 to f64
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:         %[[SUM:.*]] = scf.for %[[I:.*]] = %[[C0]] to %{{.*}} step %[[C1]] iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f64) {
// CHECK:           %[[V:.*]] = memref.load %[[XS]][%[[I]]]
// CHECK:           %[[G:.*]] = memref.load %[[DYS]][%[[I]]]
// CHECK:           %[[BX:.*]] = arith.mulf %[[B]], %[[V]] : f64
// CHECK:           %[[S:.*]] = act.sigmoid %[[BX]] : f64
// CHECK:           %[[DFDB:.*]] = arith.mulf %[[V]], %[[S]] : f64
// CHECK:           %[[D:.*]] = arith.mulf %[[G]], %[[S]] : f64
// CHECK:           memref.store %[[D]], %[[DXS]][%[[I]]]
// CHECK:           %[[T:.*]] = arith.mulf %[[G]], %[[DFDB]] : f64
// CHECK:           %[[NEXT:.*]] = arith.addf %[[ACC]], %[[T]] : f64
// CHECK:           scf.yield %[[NEXT]] : f64
// CHECK:         } {act.stream_stores, act.vectorize}
// CHECK:         %[[DBS:.*]] = act.view %[[DBETA]][%[[C1]]] : !llvm.ptr -> memref<?xf32>
// CHECK:         %[[F:.*]] = arith.truncf %[[SUM]] : f64 to f32
// CHECK:         memref.store %[[F]], %[[DBS]][%[[C0]]] : memref<?xf32>

act.activation @swish_grad params [#act.param<runtime "beta" = 1.0>] attributes {grad_of = @swish} {
^bb0(%x: f64):
  %b = act.param "beta" : f64
  %bx = arith.mulf %b, %x : f64
  %s = act.sigmoid %bx : f64
  %dfdb = arith.mulf %x, %s : f64
  act.return %s, %dfdb : f64, f64
}

// -----

// A gradient from the output (act.from_y, act-grad-from-y) is the same
// kernel over y: NAME_grad_from_y_T(y, dy, dx, n, p..., dp...).

// CHECK-LABEL: func.func @sigmoid_grad_from_y_f64(
// CHECK-SAME:      %[[Y:.*]]: !llvm.ptr, %[[DY:.*]]: !llvm.ptr, %[[DX:.*]]: !llvm.ptr, %[[N:.*]]: i64)
// CHECK-DAG:     %[[YS:.*]] = act.view %[[Y]][%{{.*}}] : !llvm.ptr -> memref<?xf64>
// CHECK-DAG:     %[[DYS:.*]] = act.view %[[DY]][%{{.*}}] : !llvm.ptr -> memref<?xf64>
// CHECK-DAG:     %[[DXS:.*]] = act.view %[[DX]][%{{.*}}] : !llvm.ptr -> memref<?xf64>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK:         scf.for %[[I:.*]] =
// CHECK:           %[[V:.*]] = memref.load %[[YS]][%[[I]]]
// CHECK:           %[[G:.*]] = memref.load %[[DYS]][%[[I]]]
// CHECK:           %[[OM:.*]] = arith.subf %[[ONE]], %[[V]] : f64
// CHECK:           %[[D:.*]] = arith.mulf %[[V]], %[[OM]] : f64
// CHECK:           %[[R:.*]] = arith.mulf %[[G]], %[[D]] : f64
// CHECK:           memref.store %[[R]], %[[DXS]][%[[I]]]
// CHECK:         } {act.stream_stores, act.vectorize}
act.activation @sigmoid_grad_from_y params [] attributes {act.from_y, grad_of = @sigmoid} {
^bb0(%y: f64):
  %one = arith.constant 1.0 : f64
  %om = arith.subf %one, %y : f64
  %d = arith.mulf %y, %om : f64
  act.return %d : f64
}

// -----

// A row activation that act-autodiff recognized (act.row_grad) also gets
// its closed-form VJP NAME_grad_T(y, dy, dx, rows, cols): per row, one
// reduction loop, then one element loop.
// softmax: s = sum(dy * y), dx = y * (dy - s). f64: s is a compensated
// pair (each product's FMA error joins the addition's TwoSum error), and
// dy - (hi + lo) a TwoSum pair rounded once: y * c_hi + y * c_lo (c_lo 0
// where dy - hi is infinite: TwoSum would make it NaN).

// CHECK-LABEL: func.func @softmax_f64(
// CHECK-LABEL: func.func @softmax_grad_f64(
// CHECK-SAME:      %[[Y:.*]]: !llvm.ptr, %[[DY:.*]]: !llvm.ptr, %[[DX:.*]]: !llvm.ptr, %[[R:.*]]: i64, %[[C:.*]]: i64)
// CHECK-DAG:     %[[YS:.*]] = act.view %[[Y]][%{{.*}}, %{{.*}}] : !llvm.ptr -> memref<?x?xf64>
// CHECK-DAG:     %[[DYS:.*]] = act.view %[[DY]][%{{.*}}, %{{.*}}] : !llvm.ptr -> memref<?x?xf64>
// CHECK-DAG:     %[[DXS:.*]] = act.view %[[DX]][%{{.*}}, %{{.*}}] : !llvm.ptr -> memref<?x?xf64>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:         scf.for %[[ROW:.*]] =
// CHECK:           %[[S:.*]]:2 = scf.for %[[J:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]], %[[ERR:.*]] = %[[ZERO]]) -> (f64, f64) {
// CHECK:             %[[G:.*]] = memref.load %[[DYS]][%[[ROW]], %[[J]]]
// CHECK:             %[[V:.*]] = memref.load %[[YS]][%[[ROW]], %[[J]]]
// CHECK:             %[[P:.*]] = arith.mulf %[[G]], %[[V]] : f64
// CHECK:             %[[NP:.*]] = arith.negf %[[P]] : f64
// CHECK:             %[[PE:.*]] = math.fma %[[G]], %[[V]], %[[NP]] : f64
// CHECK:             %[[NEXT:.*]] = arith.addf %[[ACC]], %[[P]] : f64
// CHECK:             %[[TE:.*]] = arith.addf %{{.*}}, %{{.*}} : f64
// CHECK:             %[[E:.*]] = arith.addf %[[TE]], %[[PE]] : f64
// CHECK:             %[[ERR2:.*]] = arith.addf %[[ERR]], %[[E]] : f64
// CHECK:             scf.yield %[[NEXT]], %[[ERR2]] : f64, f64
// CHECK:           } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
// CHECK:           %[[HI:.*]] = arith.select %{{.*}}, %{{.*}}, %[[S]]#0 : f64
// CHECK:           %[[LO:.*]] = arith.select
// CHECK:           scf.for %[[K:.*]] =
// CHECK:             %[[V2:.*]] = memref.load %[[YS]][%[[ROW]], %[[K]]]
// CHECK:             %[[G2:.*]] = memref.load %[[DYS]][%[[ROW]], %[[K]]]
// CHECK:             %[[CENTERED:.*]] = arith.subf %[[G2]], %[[HI]] : f64
// CHECK:             %[[CE:.*]] = arith.addf %{{.*}}, %{{.*}} : f64
// CHECK:             %[[CLO:.*]] = arith.subf %[[CE]], %[[LO]] : f64
// CHECK:             %[[CABS:.*]] = math.absf %[[CENTERED]] : f64
// CHECK:             %[[CFIN:.*]] = arith.cmpf olt, %[[CABS]], %{{.*}} : f64
// CHECK:             %[[CLO2:.*]] = arith.select %[[CFIN]], %[[CLO]], %{{.*}} : f64
// CHECK:             %[[YLO:.*]] = arith.mulf %[[V2]], %[[CLO2]] : f64
// CHECK:             %[[D:.*]] = math.fma %[[V2]], %[[CENTERED]], %[[YLO]] : f64
// CHECK:             memref.store %[[D]], %[[DXS]][%[[ROW]], %[[K]]]
// CHECK:           } {act.vectorize}
// F32-LABEL: func.func @softmax_grad_f32(
// F32:           %[[S:.*]] = scf.for {{.*}} -> (f64) {
// F32:             arith.mulf %{{.*}}, %{{.*}} : f64
// F32:             arith.addf %{{.*}}, %{{.*}} : f64
// F32:           } {act.vectorize}
// F32:           scf.for
// F32:             %[[CENTERED:.*]] = arith.subf %{{.*}}, %[[S]] : f64
// F32:             %[[D:.*]] = arith.mulf %{{.*}}, %[[CENTERED]] : f64
// F32:             arith.truncf %[[D]] : f64 to f32
act.activation @softmax params [] attributes {act.row_grad = "softmax"} {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

// -----

// log_softmax: s = sum(dy), dx = dy - exp(y) * s; f64: s a compensated
// pair, exp(y) a pair, p.hi * s.hi exact by FMA, dy minus it a TwoSum,
// rounded once (dy - p.hi s.hi where that is not finite).

// CHECK-LABEL: func.func @log_softmax_grad_f64(
// CHECK:           %[[S:.*]]:2 = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %{{.*}} = %{{.*}}) -> (f64, f64) {
// CHECK:             %[[G:.*]] = memref.load
// CHECK:             %[[NEXT:.*]] = arith.addf %[[ACC]], %[[G]] : f64
// CHECK:           } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
// CHECK:           %[[HI:.*]] = arith.select %{{.*}}, %{{.*}}, %[[S]]#0 : f64
// CHECK:           %[[LO:.*]] = arith.select
// CHECK:           scf.for
// CHECK:             %[[V:.*]] = memref.load
// CHECK:             %[[G2:.*]] = memref.load
// CHECK:             %[[PHI:.*]], %[[PLO:.*]] = act.exp_pair %[[V]], %{{.*}} : f64
// CHECK:             %[[PROD:.*]] = arith.mulf %[[PHI]], %[[HI]] : f64
// CHECK:             %[[NPROD:.*]] = arith.negf %[[PROD]] : f64
// CHECK:             %[[PERR:.*]] = math.fma %[[PHI]], %[[HI]], %[[NPROD]] : f64
// CHECK:             %[[T:.*]] = arith.addf %[[G2]], %[[NPROD]] : f64
// CHECK:             %[[TERR:.*]] = arith.addf
// CHECK:             %[[CROSS:.*]] = arith.mulf %[[PLO]], %[[HI]] : f64
// CHECK:             %[[REST:.*]] = math.fma %[[PHI]], %[[LO]], %[[CROSS]] : f64
// CHECK:             %[[ERR:.*]] = arith.addf %[[PERR]], %[[REST]] : f64
// CHECK:             %[[CORR:.*]] = arith.subf %[[TERR]], %[[ERR]] : f64
// CHECK:             %[[D:.*]] = arith.addf %[[T]], %[[CORR]] : f64
// CHECK:             %[[NPHI:.*]] = arith.negf %[[PHI]] : f64
// CHECK:             %[[PLAIN:.*]] = math.fma %[[NPHI]], %[[HI]], %[[G2]] : f64
// CHECK:             %[[FINITE:.*]] = arith.cmpf olt
// CHECK:             %[[R:.*]] = arith.select %[[FINITE]], %[[D]], %[[PLAIN]] : f64
// CHECK:             memref.store %[[R]]
// F32-LABEL: func.func @log_softmax_grad_f32(
// F32:           %[[S:.*]] = scf.for {{.*}} -> (f64) {
// F32-NOT:       act.compensated_sums
// F32:           } {act.vectorize}
// F32:           scf.for
// F32:             %[[Y:.*]] = arith.extf %{{.*}} : f32 to f64
// F32:             %[[P:.*]] = math.exp %[[Y]] {act.wide_precise} : f64
// F32:             %[[PS:.*]] = arith.mulf %[[P]], %[[S]] : f64
// F32:             %[[DX:.*]] = arith.subf %{{.*}}, %[[PS]] : f64
// F32:             arith.truncf %[[DX]] : f64 to f32
// exp(y) in f64 with an f64 core for results rounded to f32: 2^-52
// (act.wide_precise) where dx cancels; precision=fast act.wide's 2^-43.6.
// FAST-LABEL: func.func @log_softmax_grad_f32(
// FAST:           %[[S:.*]] = scf.for {{.*}} -> (f64) {
// FAST:           scf.for
// FAST:             %[[Y:.*]] = arith.extf %{{.*}} : f32 to f64
// FAST:             %[[P:.*]] = math.exp %[[Y]] {act.wide} : f64
// FAST:             %[[PS:.*]] = arith.mulf %[[P]], %[[S]] : f64
act.activation @log_softmax params [] attributes {act.row_grad = "log_softmax"} {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %l = math.log %s : f64
  %y = arith.subf %x, %l : f64
  act.return %y : f64
}

// -----

// Row gradients come from act.row_grad on the forward activation, not from
// a grad_of activation with a row reduction.
// expected-error @+1 {{a row activation's gradient comes from act.row_grad on the activation (act-autodiff), not from a grad_of activation}}
act.activation @softmax_grad params [] attributes {grad_of = @softmax} {
^bb0(%x: f64):
  %s = act.rowsum %x : f64
  act.return %s : f64
}

// -----

// act-stabilize's log_softmax, (x - m) - log1p(t) with t the sum of the
// rest plus the count of maxima less one: f32 kernels compute log1p(t) in
// f64 from the unrounded sums (the f32 row values stay for nothing else
// and fold away) and the output (x - m) - l in f64, x - m exact there,
// rounded once. f64 kernels (no wider type) evaluate it in double-double
// (RowPairForms.cpp): the rest's terms act.exp_pair of x - m as a TwoSum
// pair, log1p(t) an act.log1p_pair of the pair t, (x - m) - l by TwoSum,
// rounded once.

// F32-LABEL: func.func @stable_log_softmax_f32(
// F32:           %[[M:.*]] = scf.for {{.*}} -> (f32) {
// F32:           %[[S:.*]]:2 = scf.for {{.*}} -> (f64, f64) {
// F32:           } {act.vectorize}
// F32:           %[[C1:.*]] = arith.subf %[[S]]#1, %{{.*}} : f64
// F32:           %[[T:.*]] = arith.addf %[[S]]#0, %[[C1]] : f64
// F32:           %[[L:.*]] = math.log1p %[[T]] : f64
// F32:           %[[M64:.*]] = arith.extf %[[M]] : f32 to f64
// F32:           scf.for
// F32:             %[[V:.*]] = memref.load
// F32:             %[[V64:.*]] = arith.extf %[[V]] : f32 to f64
// F32:             %[[Z:.*]] = arith.subf %[[V64]], %[[M64]] : f64
// F32:             %[[Y:.*]] = arith.subf %[[Z]], %[[L]] : f64
// F32:             %[[OUT:.*]] = arith.truncf %[[Y]] : f64 to f32
// F32:             memref.store %[[OUT]]
// F32:           } {act.vectorize}
// precision=fast: l = log1p(t) in f64, rounded to f32 once per row, and
// (x - m) - l in f32 (x - m <= 0 and -l <= 0: no cancellation).
// FAST-LABEL: func.func @stable_log_softmax_f32(
// FAST:           %[[M:.*]] = scf.for {{.*}} -> (f32) {
// FAST:           %[[L64:.*]] = math.log1p %{{.*}} : f64
// FAST:           %[[L:.*]] = arith.truncf %[[L64]] : f64 to f32
// FAST:           scf.for
// FAST:             %[[V:.*]] = memref.load
// FAST:             %[[Z:.*]] = arith.subf %[[V]], %[[M]] : f32
// FAST:             %[[Y:.*]] = arith.subf %[[Z]], %[[L]] : f32
// FAST:             memref.store %[[Y]]
// FAST:           } {act.vectorize}
// The rest's sum can fall below the normal range: it is summed times 2^512
// (exp(z + 512 ln 2), 512 ln 2 a pair) and scaled back once per row; its
// low part is dropped where it would reach the subnormal grid (scaled hi
// below 2^-457: hi alone is the sum rounded once).
// CHECK-LABEL: func.func @stable_log_softmax_f64(
// CHECK:             %[[SHIFT:.*]] = arith.constant 354.89135644669199 : f64
// CHECK:             %[[SHIFTED:.*]] = arith.addf %{{.*}}, %[[SHIFT]] : f64
// CHECK:             act.exp_pair %[[SHIFTED]]
// CHECK:           } {act.compensated_sums = array<i64: 0, 1>, act.vectorize}
// CHECK:           %[[BACK:.*]] = arith.constant 7.4583407312002067E-155 : f64
// CHECK:           %[[ABS:.*]] = math.absf %[[HI:.*]] : f64
// CHECK:           %[[LIMIT:.*]] = arith.constant 2.6871504430268355E-138 : f64
// CHECK:           %[[TINY:.*]] = arith.cmpf olt, %[[ABS]], %[[LIMIT]] : f64
// CHECK:           %[[NOLO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:           %[[LO:.*]] = arith.mulf %[[LOS:.*]], %[[BACK]] : f64
// CHECK:           %[[LOSEL:.*]] = arith.select %[[TINY]], %[[NOLO]], %[[LO]] : f64
// CHECK:           %[[T:.*]] = arith.mulf %[[HI]], %[[BACK]] : f64
// CHECK:           %[[L:.*]], %[[LL:.*]] = act.log1p_pair
// CHECK:           scf.for
// CHECK:             %[[V:.*]] = memref.load
// CHECK:             %[[Z:.*]] = arith.subf %[[V]], %{{.*}} : f64
// CHECK:             %[[Y:.*]] = arith.subf %[[Z]], %[[L]] : f64
// CHECK:             %[[YL:.*]] = arith.subf %{{.*}}, %[[LL]] : f64
// CHECK:             %[[SUM:.*]] = arith.addf %[[Y]], %[[YL]] : f64
// CHECK:             %[[OUT:.*]] = arith.select %{{.*}}, %[[SUM]], %[[Y]] : f64
// CHECK-NEXT:        memref.store %[[OUT]]
// CHECK:           } {act.vectorize}
act.activation @stable_log_softmax params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %zero = arith.constant 0.0 : f64
  %m = act.rowmax %x : f64
  %z = arith.subf %x, %m : f64
  %e = math.exp %z : f64
  %top = arith.cmpf oeq, %z, %zero : f64
  %rest = arith.select %top, %zero, %e : f64
  %sr = act.rowsum %rest : f64
  %k = arith.select %top, %one, %zero : f64
  %sk = act.rowsum %k : f64
  %k1 = arith.subf %sk, %one : f64
  %t = arith.addf %sr, %k1 : f64
  %l = math.log1p %t : f64
  %y = arith.subf %z, %l : f64
  act.return %y : f64
}
