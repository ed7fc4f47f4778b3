// RUN: act-opt %s -act-canonicalize -split-input-file | FileCheck %s

// Compile-time parameters fold to their value; runtime ones stay.
// CHECK-LABEL: act.activation @params
// CHECK-DAG:   %[[ALPHA:.*]] = arith.constant 2.000000e-01 : f64
// CHECK-DAG:   %[[BETA:.*]] = act.param "beta" : f64
// CHECK:       %[[A:.*]] = arith.mulf %x, %[[ALPHA]] : f64
// CHECK:       arith.mulf %[[A]], %[[BETA]] : f64
act.activation @params params [#act.param<"alpha" = 0.2>, #act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  %a = act.param "alpha" : f64
  %b = act.param "beta" : f64
  %ax = arith.mulf %a, %x : f64
  %y = arith.mulf %ax, %b : f64
  act.return %y : f64
}

// -----

// x^3 is a product chain; x^2 a square; x^0 is 1; x^-2 is 1 / (x*x).
// CHECK-LABEL: act.activation @powers
// CHECK-NOT:   math.powf
// CHECK:       %[[SQ:.*]] = arith.mulf %x, %x : f64
// CHECK:       %[[CUBE:.*]] = arith.mulf %x, %[[SQ]] : f64
// CHECK:       %[[INV:.*]] = arith.divf %{{.*}}, %[[SQ]] : f64
// CHECK:       arith.addf %[[CUBE]], %[[INV]] : f64
act.activation @powers params [] {
^bb0(%x: f64):
  %three = arith.constant 3.0 : f64
  %mtwo = arith.constant -2.0 : f64
  %p3 = math.powf %x, %three : f64
  %pm2 = math.powf %x, %mtwo : f64
  %y = arith.addf %p3, %pm2 : f64
  act.return %y : f64
}

// -----

// A non-integer exponent stays a pow; x^13 uses repeated squaring (5 muls).
// CHECK-LABEL: act.activation @pow_kept
// CHECK:       math.powf %x, %{{.*}} : f64
// CHECK-COUNT-5: arith.mulf
// CHECK-NOT:   arith.mulf
act.activation @pow_kept params [] {
^bb0(%x: f64):
  %half = arith.constant 1.5 : f64
  %thirteen = arith.constant 13.0 : f64
  %p = math.powf %x, %half : f64
  %q = math.powf %x, %thirteen : f64
  %y = arith.addf %p, %q : f64
  act.return %y : f64
}

// -----

// Exact identities: x * -1 -> -x, then s + (-x) -> s - x; x / 4 -> x * 0.25;
// x / 3 stays a division (1/3 is inexact).
// CHECK-LABEL: act.activation @identities
// CHECK-DAG:   %[[QUARTER:.*]] = arith.constant 2.500000e-01 : f64
// CHECK-DAG:   %[[THREE:.*]] = arith.constant 3.000000e+00 : f64
// CHECK-NOT:   arith.negf
// CHECK:       %[[Q:.*]] = arith.mulf %x, %[[QUARTER]] : f64
// CHECK:       %[[T:.*]] = arith.divf %x, %[[THREE]] : f64
// CHECK:       %[[S:.*]] = arith.addf %[[Q]], %[[T]] : f64
// CHECK:       %[[R:.*]] = arith.subf %[[S]], %x : f64
// CHECK:       act.return %[[R]]
act.activation @identities params [] {
^bb0(%x: f64):
  %m1 = arith.constant -1.0 : f64
  %four = arith.constant 4.0 : f64
  %three = arith.constant 3.0 : f64
  %n = arith.mulf %x, %m1 : f64
  %q = arith.divf %x, %four : f64
  %t = arith.divf %x, %three : f64
  %s = arith.addf %q, %t : f64
  %y = arith.addf %s, %n : f64
  act.return %y : f64
}

// -----

// Constants fold and duplicates merge.
// CHECK-LABEL: act.activation @cse
// CHECK:       %[[C:.*]] = arith.constant 1.500000e+00 : f64
// CHECK:       %[[E:.*]] = math.exp %x : f64
// CHECK-NOT:   math.exp
// CHECK:       %[[M:.*]] = arith.mulf %[[E]], %[[E]] : f64
// CHECK:       arith.mulf %[[M]], %[[C]] : f64
act.activation @cse params [] {
^bb0(%x: f64):
  %a = arith.constant 0.5 : f64
  %b = arith.constant 1.0 : f64
  %c = arith.addf %a, %b : f64
  %e1 = math.exp %x : f64
  %e2 = math.exp %x : f64
  %m = arith.mulf %e1, %e2 : f64
  %y = arith.mulf %m, %c : f64
  act.return %y : f64
}
