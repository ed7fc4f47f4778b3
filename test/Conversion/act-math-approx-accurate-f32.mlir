// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s

// precision=accurate: the f32 sigmoid forms act-expand left whole are
// evaluated in f32 double-float (lib/Conversion/AccurateF32Forms.cpp): no
// f64, one division each (the reciprocal of the pair denominator's high
// part), the residual step's FMAs, 2^n applied last.

// CHECK-LABEL: func.func @silu(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK-NOT:     act.sigmoid
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         math.copysign %{{.*}}, %[[X]]
// CHECK-NEXT:    return
func.func @silu(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.sigmoid %x : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// sigmoid(x) sigmoid(-x): one exp, one division, even in x.
// CHECK-LABEL: func.func @sigmoid_prime(
// CHECK-NOT:     f64
// CHECK-NOT:     act.sigmoid
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @sigmoid_prime(%x: vector<16xf32>) -> vector<16xf32> {
  %n = arith.negf %x : vector<16xf32>
  %a = act.sigmoid %x : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %y = arith.mulf %a, %b : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// A lone sigmoid, its argument 1.702 x a pair (twoProd's FMA).
// CHECK-LABEL: func.func @lone(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK:         math.fma %[[X]], %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK-NOT:     act.sigmoid
// CHECK:         return
func.func @lone(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<1.702> : vector<16xf32>
  %t = arith.mulf %x, %c {act.exact = [unit, 1.702 : f64]} : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  return %s : vector<16xf32>
}

// -----

// softplus (Approx/AccurateF32Softplus.cpp): max(t, 0) + log1p(exp(-|t|))
// in f32 pairs, no f64 and no division (log1p's low part is a polynomial
// correction, not a quotient).
// CHECK-LABEL: func.func @softplus(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK-NOT:     act.softplus
// CHECK-NOT:     arith.divf
// CHECK-NOT:     math.log1p
// CHECK:         return
func.func @softplus(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.softplus %x : vector<16xf32>
  return %s : vector<16xf32>
}

// -----

// tanh (Approx/AccurateF32Tanh.cpp): (m - E) / (m + E) with E = exp(-2|x|)
// / 2^n never scaled: one power of two (m = 2^-n, one shift), one
// division, x itself below 2^-13, no f64.
// CHECK-LABEL: func.func @tanh(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK-NOT:     math.tanh
// CHECK:         arith.shli
// CHECK-NOT:     arith.shli
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[Y:.*]] = math.copysign %{{.*}}, %[[X]]
// CHECK:         %[[TINY:.*]] = arith.cmpf olt, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         arith.select %[[TINY]], %[[X]], %[[Y]]
// CHECK-NEXT:    return
func.func @tanh(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.tanh %x : vector<16xf32>
  return %y : vector<16xf32>
}
