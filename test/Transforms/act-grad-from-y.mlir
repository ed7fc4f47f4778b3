// RUN: act-opt %s -act-autodiff -act-grad-from-y -split-input-file 2>/dev/null | FileCheck %s

// act-grad-from-y rewrites each @f_grad over y = f(x) and keeps the result
// (@f_grad_from_y, `act.from_y`) only where it agrees with @f_grad on
// sampled inputs and parameter values.

// The forward value is y: sigmoid' = y (1 - y).
// CHECK-LABEL: act.activation @sigmoid_grad_from_y params [] attributes {act.from_y, grad_of = @sigmoid} {
// CHECK-NEXT:  ^bb0(%y: f64):
// CHECK-NEXT:    %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT:    %[[D:.*]] = arith.subf %[[ONE]], %y : f64
// CHECK-NEXT:    %[[R:.*]] = arith.mulf %y, %[[D]] : f64
// CHECK-NEXT:    act.return %[[R]] : f64
act.activation @sigmoid params [] {
^bb0(%x: f64):
  %s = act.sigmoid %x : f64
  act.return %s : f64
}

// -----

// tanh' = 1 - y^2, as (1 - y)(1 + y): y is data, 1 -+ y is exact near |y| = 1.
// CHECK-LABEL: act.activation @tanh_grad_from_y
// CHECK-NEXT:  ^bb0(%y: f64):
// CHECK-NEXT:    %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT:    %[[A:.*]] = arith.subf %[[ONE]], %y : f64
// CHECK-NEXT:    %[[B:.*]] = arith.addf %y, %[[ONE]] : f64
// CHECK-NEXT:    %[[R:.*]] = arith.mulf %[[A]], %[[B]] : f64
// CHECK-NEXT:    act.return %[[R]] : f64
act.activation @tanh params [] {
^bb0(%x: f64):
  %t = math.tanh %x : f64
  act.return %t : f64
}

// -----

// A condition on x becomes the same condition on y against f(0) = 0:
// relu' = 0 >= y ? 0 : 1 (relu'(0) = 0 is kept). act-autodiff's NaN guard
// x != x ? x : ... becomes y != y ? y : ... (relu(NaN) is NaN).
// CHECK-LABEL: act.activation @relu_grad_from_y
// CHECK-NEXT:  ^bb0(%y: f64):
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT:    %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT:    %[[NAN:.*]] = arith.cmpf une, %y, %y : f64
// CHECK-NEXT:    %[[C:.*]] = arith.cmpf oge, %[[ZERO]], %y : f64
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[C]], %[[ZERO]], %[[ONE]] : f64
// CHECK-NEXT:    %[[G:.*]] = arith.select %[[NAN]], %y, %[[R]] : f64
// CHECK-NEXT:    act.return %[[G]] : f64
act.activation @relu params [] {
^bb0(%x: f64):
  %z = arith.constant 0.0 : f64
  %y = arith.maximumf %x, %z : f64
  act.return %y : f64
}

// -----

// elu' = x > 0 ? 1 : 0.5 exp(x). On the branch where y = 0.5 expm1(x),
// expm1(x) = y / 0.5 (= 2y), so exp(x) = 2y + 1:
// elu' = y > 0 ? 1 : (2y + 1) * 0.5.
// CHECK-LABEL: act.activation @elu_grad_from_y
// CHECK-NEXT:  ^bb0(%y: f64):
// CHECK-DAG:     %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-DAG:     %[[TWO:.*]] = arith.constant 2.000000e+00 : f64
// CHECK:         %[[E:.*]] = arith.mulf %y, %[[TWO]] : f64
// CHECK-NEXT:    %[[E1:.*]] = arith.addf %[[E]], %[[ONE]] : f64
// CHECK-NEXT:    %[[C:.*]] = arith.cmpf ogt, %y, %[[ZERO]] : f64
// CHECK-NEXT:    %[[N:.*]] = arith.mulf %[[E1]], %[[HALF]] : f64
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[C]], %[[ONE]], %[[N]] : f64
// CHECK-NEXT:    act.return %[[R]] : f64
act.activation @elu params [] {
^bb0(%x: f64):
  %z = arith.constant 0.0 : f64
  %a = arith.constant 0.5 : f64
  %pos = arith.cmpf ogt, %x, %z : f64
  %e = math.expm1 %x : f64
  %n = arith.mulf %e, %a : f64
  %y = arith.select %pos, %x, %n : f64
  act.return %y : f64
}

// -----

// alpha = 0: a finite factor times 0 is 0.
// CHECK-LABEL: act.activation @elu0_grad_from_y
// CHECK-NEXT:  ^bb0(%y: f64):
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT:    %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT:    %[[C:.*]] = arith.cmpf ogt, %y, %[[ZERO]] : f64
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[C]], %[[ONE]], %[[ZERO]] : f64
// CHECK-NEXT:    act.return %[[R]] : f64
act.activation @elu0 params [] {
^bb0(%x: f64):
  %z = arith.constant 0.0 : f64
  %pos = arith.cmpf ogt, %x, %z : f64
  %e = math.expm1 %x : f64
  %n = arith.mulf %e, %z : f64
  %y = arith.select %pos, %x, %n : f64
  act.return %y : f64
}

// -----

// alpha < 0: y > 0 no longer tells the branches apart; the verification
// rejects the candidate.
// CHECK-LABEL: act.activation @elu_negative_grad params
// CHECK-NOT:   @elu_negative_grad_from_y
act.activation @elu_negative params [] {
^bb0(%x: f64):
  %z = arith.constant 0.0 : f64
  %a = arith.constant -0.5 : f64
  %pos = arith.cmpf ogt, %x, %z : f64
  %e = math.expm1 %x : f64
  %n = arith.mulf %e, %a : f64
  %y = arith.select %pos, %x, %n : f64
  act.return %y : f64
}

// -----

// Runtime parameters: the partials df/dx = y and df/da = exp(x) = y / a.
// CHECK-LABEL: act.activation @scaled_exp_grad_from_y params [#act.param<runtime "a" = 2.000000e+00>] attributes {act.from_y, grad_of = @scaled_exp} {
// CHECK-NEXT:  ^bb0(%y: f64):
// CHECK-NEXT:    %[[A:.*]] = act.param "a" : f64
// CHECK-NEXT:    %[[DA:.*]] = arith.divf %y, %[[A]] : f64
// CHECK-NEXT:    act.return %y, %[[DA]] : f64, f64
act.activation @scaled_exp params [#act.param<runtime "a" = 2.0>] {
^bb0(%x: f64):
  %a = act.param "a" : f64
  %e = math.exp %x : f64
  %y = arith.mulf %a, %e : f64
  act.return %y : f64
}

// -----

// softplus(x) = y gives sigmoid(x) = 1 - exp(-y) = -expm1(-y).
// CHECK-LABEL: act.activation @softplus_grad_from_y
// CHECK-NEXT:  ^bb0(%y: f64):
// CHECK-NEXT:    %[[NY:.*]] = arith.negf %y : f64
// CHECK-NEXT:    %[[E:.*]] = math.expm1 %[[NY]] : f64
// CHECK-NEXT:    %[[R:.*]] = arith.negf %[[E]] : f64
// CHECK-NEXT:    act.return %[[R]] : f64
act.activation @softplus params [] {
^bb0(%x: f64):
  %s = act.softplus %x : f64
  act.return %s : f64
}

// -----

// silu' needs x and sigmoid(x) apart, which y = x sigmoid(x) does not give.
// CHECK-LABEL: act.activation @silu_grad params
// CHECK-NOT:   @silu_grad_from_y
act.activation @silu params [] {
^bb0(%x: f64):
  %s = act.sigmoid %x : f64
  %y = arith.mulf %x, %s : f64
  act.return %y : f64
}

// -----

// prelu from y would be right only for alpha > 0; alpha is a runtime
// parameter, sampled negative too, so there is none.
// CHECK-LABEL: act.activation @prelu_grad params
// CHECK-NOT:   @prelu_grad_from_y
act.activation @prelu params [#act.param<runtime "alpha" = 0.25>] {
^bb0(%x: f64):
  %z = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %z : f64
  %n = arith.mulf %alpha, %x : f64
  %y = arith.select %pos, %x, %n : f64
  act.return %y : f64
}

// -----

// A NaN guard on x needs f(NaN) = NaN to become y != y: this relu maps NaN
// to 0, so y does not tell a NaN x apart and there is no from-y kernel.
// CHECK-LABEL: act.activation @nan_to_zero_relu_grad params
// CHECK:         arith.cmpf une, %x, %x
// CHECK-NOT:   @nan_to_zero_relu_grad_from_y
act.activation @nan_to_zero_relu params [] {
^bb0(%x: f64):
  %z = arith.constant 0.0 : f64
  %nan = arith.cmpf une, %x, %x : f64
  %r = arith.maximumf %x, %z : f64
  %y = arith.select %nan, %z, %r : f64
  act.return %y : f64
}

// -----

// The threshold of torch's softplus makes f non-monotone between 20 and
// softplus(20): y no longer determines the branch.
// CHECK-LABEL: act.activation @thresholded_softplus_grad params
// CHECK-NOT:   @thresholded_softplus_grad_from_y
act.activation @thresholded_softplus params [] {
^bb0(%x: f64):
  %t = arith.constant 20.0 : f64
  %big = arith.cmpf ogt, %x, %t : f64
  %s = act.softplus %x : f64
  %y = arith.select %big, %x, %s : f64
  act.return %y : f64
}

// -----

// exp-like: exp' = exp = y.
// CHECK-LABEL: act.activation @exp_grad_from_y
// CHECK-NEXT:  ^bb0(%y: f64):
// CHECK-NEXT:    act.return %y : f64
act.activation @exp params [] {
^bb0(%x: f64):
  %y = math.exp %x : f64
  act.return %y : f64
}
