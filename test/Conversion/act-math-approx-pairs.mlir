// RUN: act-opt %s --act-math-approx | FileCheck %s
// RUN: act-opt %s --act-math-approx=precision=fast | FileCheck %s
// RUN: act-opt %s --act-math-approx="avx512=true" | FileCheck %s --check-prefix=AVX512

// The f64 row kernels' pair ops (act-kernels, RowPairForms.cpp) become the
// f64 cores' arithmetic in both precisions (PairExpLogF64.h): exp of a pair
// with its 2^n applied once, a result below 2^-1022 moved by one step where
// the rest of that rounding passes half the subnormal spacing; log1p of a
// pair from log's core on 1 + t (the series below |t| = 2^-20), normalized
// by Fast2Sum. With avx512 on 8 x f64, 2^n by vscalefpd.

// CHECK-LABEL: func.func @pairs(
// CHECK-NOT:     act.exp_pair
// CHECK-NOT:     act.log1p_pair
// CHECK:         arith.cmpf olt, %{{.*}}, %{{.*}} : vector<8xf64>
// CHECK:         arith.bitcast %{{.*}} : vector<8xf64> to vector<8xi64>
// CHECK:         return
// AVX512-LABEL: func.func @pairs(
// AVX512:        llvm.x86.avx512.mask.scalef.pd.512
// AVX512-NOT:    act.exp_pair
// AVX512:        return
func.func @pairs(%d: vector<8xf64>, %dl: vector<8xf64>, %t: f64, %tl: f64)
    -> (vector<8xf64>, vector<8xf64>, f64, f64) {
  %e, %el = act.exp_pair %d, %dl : vector<8xf64>
  %l, %ll = act.log1p_pair %t, %tl : f64
  return %e, %el, %l, %ll : vector<8xf64>, vector<8xf64>, f64, f64
}
