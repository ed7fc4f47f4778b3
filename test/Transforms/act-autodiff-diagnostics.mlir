// RUN: act-opt %s -act-autodiff -split-input-file -verify-diagnostics -o /dev/null

// Where the spec is not differentiable, the derivative follows a rule
// (PyTorch's); each such op gets a warning that names the rule.

act.activation @kinks params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  // expected-warning @+1 {{'kinks' is not differentiable everywhere: 'abs' is not differentiable at 0: the gradient there is 0 (PyTorch: abs'(0) = 0)}}
  %a = math.absf %x : f64
  // expected-warning @+1 {{'max' is not differentiable where its operands are equal: at a tie the gradient goes to the second operand}}
  %b = arith.maximumf %x, %one : f64
  // expected-warning @+1 {{'min' is not differentiable where its operands are equal}}
  %c = arith.minimumf %x, %two : f64
  %pos = arith.cmpf ogt, %x, %two : f64
  %dbl = arith.mulf %x, %two : f64
  // expected-warning @+1 {{'select' (c ? a : b) is not differentiable where its condition switches: the derivative of the branch taken is used there}}
  %d = arith.select %pos, %x, %dbl : f64
  %ab = arith.addf %a, %b : f64
  %cd = arith.addf %c, %d : f64
  %y = arith.addf %ab, %cd : f64
  act.return %y : f64
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

// A kink in a runtime parameter is one too.
act.activation @shifted_relu params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  %b = act.param "beta" : f64
  // expected-warning @+1 {{'max' is not differentiable}}
  %y = arith.maximumf %b, %x : f64
  act.return %y : f64
}

