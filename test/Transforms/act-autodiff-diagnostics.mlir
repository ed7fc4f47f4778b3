// RUN: act-opt %s -act-autodiff -split-input-file -verify-diagnostics -o /dev/null

// Where the spec is not differentiable, the derivative follows a rule
// (PyTorch's); each such op gets a warning that names the point, the op,
// the rule and the gradient the kernels return there. Whether there is a
// kink at all is decided by evaluating f on both sides of the point where
// the op switches.

act.activation @abs_kink params [] {
^bb0(%x: f64):
  %two = arith.constant 2.0 : f64
  // expected-warning @+1 {{'abs_kink' is not differentiable at x = 0: the operand of 'abs' is 0 there (slope -1 below, 1 above); abs'(0) = 0 is used (as PyTorch): the gradient at 0 is 0}}
  %a = math.absf %x : f64
  act.return %a : f64
}

// -----

// relu(x - 1) with the constant second: at the tie the gradient goes to it.
act.activation @max_kink params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  // expected-warning @+1 {{'max_kink' is not differentiable at x = 1: the operands of 'max' are equal there (slope 0 below, 1 above); at the tie the gradient goes to the second operand of 'max': the gradient at 1 is 0}}
  %b = arith.maximumf %x, %one : f64
  act.return %b : f64
}

// -----

// The variable second: the tie's gradient is its slope, 1.
act.activation @min_kink params [] {
^bb0(%x: f64):
  %two = arith.constant 2.0 : f64
  // expected-warning @+1 {{'min_kink' is not differentiable at x = 2: the operands of 'min' are equal there (slope 1 below, 0 above); at the tie the gradient goes to the second operand of 'min': the gradient at 2 is 1}}
  %c = arith.minimumf %two, %x : f64
  act.return %c : f64
}

// -----

// leaky_relu with slope 0.1: x > 0 is false at 0, so the gradient is 0.1.
act.activation @select_kink params [] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %k = arith.constant 0.1 : f64
  %pos = arith.cmpf ogt, %x, %zero : f64
  %ax = arith.mulf %k, %x : f64
  // expected-warning @+1 {{'select_kink' is not differentiable at x = 0: 'select' (c ? a : b) switches branches there (slope 0.1 below, 1 above); the derivative of the branch the condition takes there is used: the gradient at 0 is 0.1}}
  %d = arith.select %pos, %x, %ax : f64
  act.return %d : f64
}

// -----

// A step is not even continuous.
act.activation @step params [] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  // expected-warning @+1 {{'step' is not continuous at x = 0: 'select' (c ? a : b) switches branches there (the value jumps from 0 to 1); the derivative of the branch the condition takes there is used: the gradient at 0 is 0}}
  %d = arith.select %pos, %one, %zero : f64
  act.return %d : f64
}

// -----

// No warning: a guard that gives the limit at -inf is no kink, and a kink
// of constants alone does not involve the variable.
act.activation @smooth params [] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  %k = arith.maximumf %one, %two : f64
  %isninf = arith.cmpf oeq, %x, %ninf : f64
  %s = act.sigmoid %x : f64
  %xs = arith.mulf %x, %s : f64
  %g = arith.select %isninf, %zero, %xs : f64
  %y = arith.mulf %g, %k : f64
  act.return %y : f64
}

// -----

// No warning: piecewise definitions that are smooth where they switch. The
// gelu form (x < 0 ? erfc form : erf form, the same function), x * |x|
// (f' = 2|x|) and relu(x)^2 (f'(0) = 0 from both sides).
act.activation @smooth_pieces params [] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %half = arith.constant 0.5 : f64
  %one = arith.constant 1.0 : f64
  %r2 = arith.constant 0.70710678118654757 : f64
  %z = arith.mulf %x, %r2 : f64
  %nz = arith.negf %z : f64
  %c = math.erfc %nz : f64
  %e = math.erf %z : f64
  %e1 = arith.addf %e, %one : f64
  %neg = arith.cmpf olt, %x, %zero : f64
  %phi = arith.select %neg, %c, %e1 : f64
  %hx = arith.mulf %half, %x : f64
  %gelu = arith.mulf %hx, %phi : f64
  %a = math.absf %x : f64
  %xa = arith.mulf %x, %a : f64
  %r = arith.maximumf %x, %zero : f64
  %rr = arith.mulf %r, %r : f64
  %s1 = arith.addf %gelu, %xa : f64
  %y = arith.addf %s1, %rr : f64
  act.return %y : f64
}

// -----

// A kink in a runtime parameter is one too (at its default, beta = 1).
act.activation @shifted_relu params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  %b = act.param "beta" : f64
  // expected-warning @+1 {{'shifted_relu' is not differentiable at x = 1: the operands of 'max' are equal there (slope 0 below, 1 above); at the tie the gradient goes to the second operand of 'max': the gradient at 1 is 1}}
  %y = arith.maximumf %b, %x : f64
  act.return %y : f64
}

// -----

// A switch that only a runtime parameter crosses: x * max(a, 0) has a kink
// at a = 0 for every x, which no x reaches at a's default. It is searched
// along a (at x = 1.5), and the gradient named is df/da's.
act.activation @param_kink params [#act.param<runtime "a" = 1.0>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %a = act.param "a" : f64
  // expected-warning @+1 {{'param_kink' is not differentiable in its parameter 'a' at a = 0 (x = 1.5): the operands of 'max' are equal there (slope 0 below, 1.5 above); at the tie the gradient goes to the second operand of 'max': the gradient with respect to 'a' at 0 is 0}}
  %m = arith.maximumf %a, %zero : f64
  %y = arith.mulf %x, %m : f64
  act.return %y : f64
}

// -----

// A parameter's jump.
act.activation @param_step params [#act.param<runtime "t" = 2.0>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %t = act.param "t" : f64
  %pos = arith.cmpf ogt, %t, %zero : f64
  // expected-warning @+1 {{'param_step' is not continuous in its parameter 't' at t = 0 (x = 1.5): 'select' (c ? a : b) switches branches there (the value jumps from 0 to 1.5); the derivative of the branch the condition takes there is used: the gradient with respect to 't' at 0 is 0}}
  %y = arith.select %pos, %x, %zero : f64
  act.return %y : f64
}

// -----

// No warning where a parameter's switch is smooth: x * relu(t)^2 has
// df/dt = 0 from both sides of t = 0.
act.activation @param_smooth params [#act.param<runtime "t" = 2.0>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %t = act.param "t" : f64
  %r = arith.maximumf %t, %zero : f64
  %rr = arith.mulf %r, %r : f64
  %y = arith.mulf %x, %rr : f64
  act.return %y : f64
}
