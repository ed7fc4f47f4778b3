// RUN: act-opt %s --act-expand=f64-forms=false | FileCheck %s
// RUN: act-opt %s --act-expand=precision=fast | FileCheck %s --check-prefix=FAST

// The rules of td/Expand.td, on f64 (f64-forms=false: by default
// precision=accurate leaves f64 sigmoid and softplus to act-math-approx's
// double-double forms, act-expand-accurate-f64.mlir; f32 kernels are widened by default,
// act-expand-widen.mlir has that; precision=fast leaves f32 sigmoid and
// softplus to act-math-approx, see the end).

// sigmoid(x) with e = exp(-|x|) in (0, 1]: 1/(1+e) for x >= 0, e/(1+e)
// below. exp cannot overflow and a NaN reaches the result through e.

// CHECK-LABEL: func.func @sigmoid(
// CHECK-SAME:      %[[X:.*]]: f64)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK:         %[[ABS:.*]] = math.absf %[[X]] : f64
// CHECK:         %[[NEG:.*]] = arith.negf %[[ABS]] : f64
// CHECK:         %[[E:.*]] = math.exp %[[NEG]] : f64
// CHECK:         %[[DEN:.*]] = arith.addf %[[E]], %[[ONE]] : f64
// CHECK:         %[[R:.*]] = arith.divf %[[ONE]], %[[DEN]] : f64
// CHECK:         %[[GE:.*]] = arith.cmpf oge, %[[X]], %[[ZERO]] : f64
// CHECK:         %[[ER:.*]] = arith.mulf %[[E]], %[[R]] : f64
// CHECK:         %[[Y:.*]] = arith.select %[[GE]], %[[R]], %[[ER]] : f64
// CHECK:         return %[[Y]]
// FAST-LABEL:  func.func @sigmoid(
// FAST:          math.exp
// FAST-NOT:      act.sigmoid
func.func @sigmoid(%x: f64) -> f64 {
  %y = act.sigmoid %x : f64
  return %y : f64
}

// The same rule on the vectors of act-vectorize: splat constants.

// CHECK-LABEL: func.func @sigmoid_vector(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK-DAG:     arith.constant dense<0.000000e+00> : vector<8xf64>
// CHECK-DAG:     arith.constant dense<1.000000e+00> : vector<8xf64>
// CHECK:         math.exp %{{.*}} : vector<8xf64>
// CHECK:         arith.cmpf oge, %[[X]], %{{.*}} : vector<8xf64>
// CHECK:         arith.select %{{.*}} : vector<8xi1>, vector<8xf64>
// CHECK-NOT:     act.sigmoid
func.func @sigmoid_vector(%x: vector<8xf64>) -> vector<8xf64> {
  %y = act.sigmoid %x : vector<8xf64>
  return %y : vector<8xf64>
}

// softplus(x) = max(x, 0) + log1p(exp(-|x|)): right at both infinities,
// NaN-propagating through maximumf.

// CHECK-LABEL: func.func @softplus(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK:         %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8xf64>
// CHECK:         %[[MAX:.*]] = arith.maximumf %[[X]], %[[ZERO]] : vector<8xf64>
// CHECK:         %[[ABS:.*]] = math.absf %[[X]] : vector<8xf64>
// CHECK:         %[[NEG:.*]] = arith.negf %[[ABS]] : vector<8xf64>
// CHECK:         %[[E:.*]] = math.exp %[[NEG]] : vector<8xf64>
// CHECK:         %[[L:.*]] = math.log1p %[[E]] : vector<8xf64>
// CHECK:         %[[Y:.*]] = arith.addf %[[MAX]], %[[L]] : vector<8xf64>
// CHECK:         return %[[Y]]
func.func @softplus(%x: vector<8xf64>) -> vector<8xf64> {
  %y = act.softplus %x : vector<8xf64>
  return %y : vector<8xf64>
}

// 1 - sigmoid(z) -> sigmoid(-z) (derivatives write sigma (1 - sigma)).

// CHECK-LABEL: func.func @one_minus_sigmoid(
// CHECK-SAME:      %[[Z:.*]]: f64)
// CHECK:         %[[ABS:.*]] = math.absf %{{.*}} : f64
// CHECK-NOT:     arith.subf
// CHECK:         return
func.func @one_minus_sigmoid(%z: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  %s = act.sigmoid %z : f64
  %y = arith.subf %one, %s : f64
  return %y : f64
}

// precision=fast leaves f32 sigmoid and softplus whole (act-math-approx
// computes x * sigmoid(t) as one product), and act.exact for it; the
// 1 - sigmoid rule applies to them too.

// FAST-LABEL:  func.func @fast_f32(
// FAST-SAME:       %[[X:.*]]: vector<16xf32>)
// FAST:          %[[N:.*]] = arith.negf %[[X]] : vector<16xf32>
// FAST:          %[[S:.*]] = act.sigmoid %[[N]] : vector<16xf32>
// FAST:          %[[P:.*]] = act.softplus %[[X]] : vector<16xf32>
// FAST:          arith.mulf %[[S]], %[[P]] {act.exact = [unit, unit]}
func.func @fast_f32(%x: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %d = arith.subf %one, %s : vector<16xf32>
  %p = act.softplus %x : vector<16xf32>
  %y = arith.mulf %d, %p {act.exact = [unit, unit]} : vector<16xf32>
  return %y : vector<16xf32>
}

// Derivatives' cancellations: expm1(z) + 1 -> exp(z) (elu' from its output),
// 1 - tanh(z)^2 -> 4 sigmoid(2z) sigmoid(-2z) = 4E / (1 + E)^2 with
// E = exp(-|2z|) (tanh', mish'), by the sigmoid' rule below.

// CHECK-LABEL: func.func @derivative_forms(
// CHECK-SAME:      %[[Z:.*]]: f64)
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-DAG:     %[[FOUR:.*]] = arith.constant 4.000000e+00 : f64
// CHECK-DAG:     %[[TWO:.*]] = arith.constant 2.000000e+00 : f64
// CHECK:         %[[E1:.*]] = math.exp %[[Z]] : f64
// CHECK-NOT:     math.expm1
// CHECK:         %[[T:.*]] = arith.mulf %[[Z]], %[[TWO]] : f64
// CHECK:         %[[A:.*]] = math.absf %[[T]] : f64
// CHECK:         %[[N:.*]] = arith.negf %[[A]] : f64
// CHECK:         %[[E:.*]] = math.exp %[[N]] : f64
// CHECK:         %[[D:.*]] = arith.addf %[[E]], %[[ONE]] : f64
// CHECK:         %[[R:.*]] = arith.divf %[[ONE]], %[[D]] : f64
// CHECK:         %[[ER:.*]] = arith.mulf %[[E]], %[[R]] : f64
// CHECK:         %[[ERR:.*]] = arith.mulf %[[ER]], %[[R]] : f64
// CHECK:         %[[S:.*]] = arith.mulf %[[ERR]], %[[FOUR]] : f64
// CHECK-NOT:     math.tanh
// CHECK-NOT:     act.sigmoid
// CHECK:         return %[[E1]], %[[S]]
func.func @derivative_forms(%z: f64) -> (f64, f64) {
  %one = arith.constant 1.0 : f64
  %m = math.expm1 %z : f64
  %a = arith.addf %m, %one : f64
  %t = math.tanh %z : f64
  %t2 = arith.mulf %t, %t : f64
  %b = arith.subf %one, %t2 : f64
  return %a, %b : f64, f64
}

// sigmoid(t) sigmoid(-t) (sigmoid', either order) -> E / (1 + E)^2 with
// E = exp(-|t|): one exp and one division. Fast f32 products stay whole for
// act-math-approx.

// CHECK-LABEL: func.func @sigmoid_prime(
// CHECK-SAME:      %[[T:.*]]: f64)
// CHECK:         %[[A:.*]] = math.absf %[[T]] : f64
// CHECK:         %[[N:.*]] = arith.negf %[[A]] : f64
// CHECK:         %[[E:.*]] = math.exp %[[N]] : f64
// CHECK:         %[[D:.*]] = arith.addf %[[E]], %{{.*}} : f64
// CHECK:         %[[R:.*]] = arith.divf %{{.*}}, %[[D]] : f64
// CHECK:         %[[ER:.*]] = arith.mulf %[[E]], %[[R]] : f64
// CHECK:         %[[Y:.*]] = arith.mulf %[[ER]], %[[R]] : f64
// CHECK-NOT:     act.sigmoid
// CHECK:         return %[[Y]], %{{.*}} : f64, f64
// FAST-LABEL:  func.func @sigmoid_prime_f32(
// FAST-SAME:       %[[T:.*]]: vector<16xf32>)
// FAST:          %[[NT:.*]] = arith.negf %[[T]]
// FAST:          %[[S1:.*]] = act.sigmoid %[[T]]
// FAST:          %[[S2:.*]] = act.sigmoid %[[NT]]
// FAST:          %[[P:.*]] = arith.mulf %[[S1]], %[[S2]]
// FAST:          return %[[P]]
func.func @sigmoid_prime(%t: f64) -> (f64, f64) {
  %n = arith.negf %t : f64
  %s = act.sigmoid %t : f64
  %sn = act.sigmoid %n : f64
  %a = arith.mulf %s, %sn : f64
  %b = arith.mulf %sn, %s : f64
  return %a, %b : f64, f64
}
// Of 2 softplus(s) (mish'): sech^2(softplus(s)) / 4 from E = exp(-|s|)
// alone, no log1p: A = (1 + E)^2, A / (A + 1)^2 for s < 0, E^2 A /
// (A + E^2)^2 above.

// CHECK-LABEL: func.func @sech_squared_of_softplus(
// CHECK-SAME:      %[[S:.*]]: f64)
// CHECK-NOT:     math.log1p
// CHECK:         %[[A:.*]] = math.absf %[[S]] : f64
// CHECK:         %[[N:.*]] = arith.negf %[[A]] : f64
// CHECK:         %[[E:.*]] = math.exp %[[N]] : f64
// CHECK:         %[[P:.*]] = arith.addf %[[E]], %{{.*}} : f64
// CHECK:         %[[SQ:.*]] = arith.mulf %[[P]], %[[P]] : f64
// CHECK:         %[[E2:.*]] = arith.mulf %[[E]], %[[E]] : f64
// CHECK:         %[[NEG:.*]] = arith.cmpf olt, %[[S]], %{{.*}} : f64
// CHECK:         %[[NUM:.*]] = arith.select %[[NEG]], %[[SQ]], %{{.*}} : f64
// CHECK:         %[[Y:.*]] = arith.divf %[[NUM]], %{{.*}} : f64
// CHECK-NOT:     math.log1p
// CHECK-NOT:     math.exp
// CHECK:         return %[[Y]] : f64
func.func @sech_squared_of_softplus(%s: f64) -> f64 {
  %two = arith.constant 2.0 : f64
  %sp = act.softplus %s : f64
  %t = arith.mulf %sp, %two : f64
  %n = arith.negf %t : f64
  %a = act.sigmoid %t : f64
  %b = act.sigmoid %n : f64
  %p = arith.mulf %a, %b : f64
  return %p : f64
}
func.func @sigmoid_prime_f32(%t: vector<16xf32>) -> vector<16xf32> {
  %n = arith.negf %t : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %sn = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  return %p : vector<16xf32>
}

// tanh(softplus(s)) -> one exp, one division, in widened f32 kernels (f64
// kernels keep libm's tanh; fast f32 kernels keep it for act-math-approx's
// mish product).

// CHECK-LABEL: func.func @tanh_of_softplus_f64(
// CHECK:         math.tanh
// CHECK-LABEL: func.func @tanh_of_softplus_f32(
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.log1p
// CHECK-NOT:     math.tanh
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
// FAST-LABEL:  func.func @tanh_of_softplus_f32(
// FAST:          %[[S:.*]] = act.softplus
// FAST:          math.tanh %[[S]]
func.func @tanh_of_softplus_f64(%s: f64) -> f64 {
  %p = act.softplus %s : f64
  %t = math.tanh %p : f64
  return %t : f64
}
func.func @tanh_of_softplus_f32(%s: vector<16xf32>) -> vector<16xf32> {
  %p = act.softplus %s : vector<16xf32>
  %t = math.tanh %p : vector<16xf32>
  return %t : vector<16xf32>
}
