// RUN: act-opt %s --act-expand --split-input-file | FileCheck %s

// precision=accurate leaves f64 act.sigmoid and act.softplus whole for
// act-math-approx's double-double forms
// (include/actc/Dialect/Act/AccurateF64Routing.h), whatever else the
// kernel computes; softplus inside tanh keeps its expansion.

// CHECK-LABEL: func.func @silu(
// CHECK:         %[[S:.*]] = act.sigmoid %[[X:.*]] : vector<8xf64>
// CHECK:         arith.mulf %[[X]], %[[S]] : vector<8xf64>
func.func @silu(%x: vector<8xf64>) -> vector<8xf64> {
  %s = act.sigmoid %x : vector<8xf64>
  %y = arith.mulf %x, %s : vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// CHECK-LABEL: func.func @logsigmoid(
// CHECK:         act.softplus
// CHECK-NOT:     math.log1p
func.func @logsigmoid(%x: f64) -> f64 {
  %n = arith.negf %x : f64
  %s = act.softplus %n : f64
  %y = arith.negf %s : f64
  return %y : f64
}

// -----

// sigmoid': the product and both sigmoids stay whole for act-math-approx's
// quotient of pairs (AccurateF64GradRouting.h).
// CHECK-LABEL: func.func @sigmoid_prime(
// CHECK-NOT:     math.exp
// CHECK:         %[[A:.*]] = act.sigmoid
// CHECK:         %[[B:.*]] = act.sigmoid
// CHECK:         arith.mulf %[[A]], %[[B]]
func.func @sigmoid_prime(%x: f64) -> f64 {
  %n = arith.negf %x : f64
  %a = act.sigmoid %x : f64
  %b = act.sigmoid %n : f64
  %y = arith.mulf %a, %b : f64
  return %y : f64
}

// -----

// mish: a softplus that only tanhs read, whose only readers are products,
// stays whole (act-math-approx's m * tanh(softplus(t)) form).
// CHECK-LABEL: func.func @mish(
// CHECK:         act.softplus
// CHECK-NOT:     math.log1p
// CHECK:         math.tanh
func.func @mish(%x: f64) -> f64 {
  %s = act.softplus %x : f64
  %t = math.tanh %s : f64
  %y = arith.mulf %x, %t : f64
  return %y : f64
}

// -----

// tanh(softplus(x)) read by a sum (mish's gradient) keeps the formula.
// CHECK-LABEL: func.func @mish_sum(
// CHECK-NOT:     act.softplus
// CHECK:         math.log1p
// CHECK:         math.tanh
func.func @mish_sum(%x: f64) -> f64 {
  %s = act.softplus %x : f64
  %t = math.tanh %s : f64
  %y = arith.addf %x, %t : f64
  return %y : f64
}
