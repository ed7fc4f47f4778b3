// RUN: act-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{body must take exactly one scalar float argument}}
act.activation @two_args params [] {
^bb0(%x: f64, %y: f64):
  act.return %x : f64
}

// -----

// expected-error @+1 {{parameter 'alpha' is declared twice}}
act.activation @dup params [#act.param<"alpha" = 1.0>, #act.param<"alpha" = 2.0>] {
^bb0(%x: f64):
  act.return %x : f64
}

// -----

act.activation @no_param params [] {
^bb0(%x: f64):
  // expected-error @+1 {{activation @no_param has no parameter 'beta'}}
  %b = act.param "beta" : f64
  act.return %b : f64
}

// -----

act.activation @wrong_type params [] {
^bb0(%x: f64):
  %c = arith.constant 1.0 : f32
  // expected-error @+1 {{returns 'f32' but the activation's element type is 'f64'}}
  act.return %c : f32
}

// -----

act.activation @callee params [#act.param<"alpha" = 1.0>] {
^bb0(%x: f64):
  act.return %x : f64
}
act.activation @caller params [] {
^bb0(%x: f64):
  // expected-error @+1 {{@callee takes the input and 1 parameter(s), but the call passes 1 operand(s)}}
  %y = act.call @callee(%x) : (f64) -> f64
  act.return %y : f64
}

// -----

act.activation @caller params [] {
^bb0(%x: f64):
  // expected-error @+1 {{'missing' is not an act.activation}}
  %y = act.call @missing(%x) : (f64) -> f64
  act.return %y : f64
}

// -----

func.func @bad_view(%p: !llvm.ptr, %n: index) -> memref<?x?xf32> {
  // expected-error @+1 {{needs one size per dimension: 2 expected, 1 given}}
  %m = act.view %p[%n] : !llvm.ptr -> memref<?x?xf32>
  return %m : memref<?x?xf32>
}

// -----

func.func @outside(%x: f64) -> f64 {
  // expected-error @+1 {{must be inside an act.activation}}
  %b = act.param "beta" : f64
  return %b : f64
}

// -----

act.activation @swish params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  act.return %x : f64
}
act.activation @swish_grad params [#act.param<runtime "beta" = 1.0>] attributes {grad_of = @swish} {
^bb0(%x: f64):
  // expected-error @+1 {{returns 1 value(s) but the activation has 2}}
  act.return %x : f64
}
