// RUN: act-opt %s -act-inline -split-input-file | FileCheck %s

// A call becomes the callee's body with its parameters bound to the call's
// operands; the private callee disappears.

// CHECK-NOT: @leaky_relu
// CHECK-LABEL: act.activation @mix
// CHECK-SAME: params [#act.param<runtime "beta" = 2.000000e+00>]
// CHECK:      %[[BETA:.*]] = act.param "beta" : f64
// CHECK:      %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:      %[[POS:.*]] = arith.cmpf oge, %x, %[[ZERO]] : f64
// CHECK:      %[[NEG:.*]] = arith.mulf %[[BETA]], %x : f64
// CHECK:      %[[SEL:.*]] = arith.select %[[POS]], %x, %[[NEG]] : f64
// CHECK:      act.return %[[SEL]] : f64
act.activation @leaky_relu params [#act.param<"alpha" = 0.01>] attributes {sym_visibility = "private"} {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %neg = arith.mulf %alpha, %x : f64
  %y = arith.select %pos, %x, %neg : f64
  act.return %y : f64
}
act.activation @mix params [#act.param<runtime "beta" = 2.0>] {
^bb0(%x: f64):
  %beta = act.param "beta" : f64
  %y = act.call @leaky_relu(%x, %beta) : (f64, f64) -> f64
  act.return %y : f64
}

// -----

// Calls through a chain are inlined callee-first; a public callee stays.

// CHECK-LABEL: act.activation @double
// CHECK:        arith.addf %x, %x
// CHECK-LABEL: act.activation @quad
// CHECK-NOT:    act.call
// CHECK:        %[[D1:.*]] = arith.addf %x, %x : f64
// CHECK:        %[[D2:.*]] = arith.addf %[[D1]], %[[D1]] : f64
// CHECK:        act.return %[[D2]]
act.activation @double params [] {
^bb0(%x: f64):
  %y = arith.addf %x, %x : f64
  act.return %y : f64
}
act.activation @quad params [] {
^bb0(%x: f64):
  %d = act.call @double(%x) : (f64) -> f64
  %q = act.call @double(%d) : (f64) -> f64
  act.return %q : f64
}
