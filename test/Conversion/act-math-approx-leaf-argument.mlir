// RUN: act-opt %s --split-input-file --act-math-approx="precision=fast avx512=true" | FileCheck %s --check-prefixes=CHECK,FAST
// RUN: act-opt %s --split-input-file --act-math-approx="precision=accurate avx512=true" | FileCheck %s --check-prefixes=CHECK,ACC

// A fused kernel's argument z = x + bias (`act.leaf`, act-bias-kernels and
// act-matmul-kernels) is an input of the erf GELU's table form (GeluF32.cpp,
// getGeluArgument): t = |z| directly (fast: the 15.74 clamp of the table on
// round(2t) segments, on z itself, GeluFastF32.cpp; accurate: the 14.5
// clamp of GeluAccurateF32.cpp's table), not v rebuilt from w = -z /
// sqrt(2) as a pair (the 11.12 clamp on w); the mark is gone after the
// pass. Both modes (act-expand routed the accurate kernel); fast gelu's
// tails need no selects or copysign.

// CHECK-LABEL: func.func @gelu_leaf(
// CHECK-NOT:     act.leaf
// CHECK-NOT:     1.112000e+01
// FAST:          arith.constant dense<1.574000e+01> : vector<16xf32>
// ACC:           arith.constant dense<1.450000e+01> : vector<16xf32>
// CHECK-NOT:     1.112000e+01
// CHECK-NOT:     act.leaf
// FAST-NOT:      math.copysign
// ACC:           math.copysign
// CHECK:         return
func.func @gelu_leaf(%a: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %x = arith.addf %a, %b {act.leaf} : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %y = arith.mulf %m, %e : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Unmarked, x + b is computed: v is rebuilt from w's pair (clamped at
// 11.12), the tails by selects.
// CHECK-LABEL: func.func @gelu_sum(
// CHECK:         arith.constant dense<1.112000e+01> : vector<16xf32>
// FAST:          math.copysign
// CHECK:         return
func.func @gelu_sum(%a: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %x = arith.addf %a, %b : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %y = arith.mulf %m, %e : vector<16xf32>
  return %y : vector<16xf32>
}
