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

// -----

// A comparison of x + c1 with c2 compares x with c2 - c1 when that is exact
// (in f64 and in f32): the rounded x + 3 is 6 at x = 3 - 2^-22 in f32. A
// clamp that cannot reach the bound is dropped first: max(y, 0) vs 6 is y vs
// 6, min(y, 6) == 0 is y == 0. x - c1 against c2 compares x with c2 + c1.
// CHECK-LABEL: act.activation @shifted_compares
// CHECK-DAG:   %[[THREE:.*]] = arith.constant 3.000000e+00 : f64
// CHECK-DAG:   %[[MTHREE:.*]] = arith.constant -3.000000e+00 : f64
// CHECK-DAG:   %[[FIVE:.*]] = arith.constant 5.000000e+00 : f64
// CHECK-NOT:   arith.addf
// CHECK-NOT:   arith.subf
// CHECK-NOT:   arith.maximumf
// CHECK-NOT:   arith.minimumf
// CHECK-DAG:   arith.cmpf ole, %[[THREE]], %x : f64
// CHECK-DAG:   arith.cmpf oge, %[[MTHREE]], %x : f64
// CHECK-DAG:   arith.cmpf ult, %x, %[[FIVE]] : f64
// CHECK-DAG:   arith.cmpf oeq, %x, %[[MTHREE]] : f64
act.activation @shifted_compares params [] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  %three = arith.constant 3.0 : f64
  %six = arith.constant 6.0 : f64
  %t = arith.addf %x, %three : f64
  %m = arith.maximumf %t, %zero : f64
  %above = arith.cmpf ole, %six, %m : f64
  %below = arith.cmpf oge, %zero, %t : f64
  %s = arith.subf %x, %two : f64
  %n = arith.minimumf %s, %six : f64
  %less = arith.cmpf ult, %n, %three : f64
  %top = arith.minimumf %t, %six : f64
  %atzero = arith.cmpf oeq, %top, %zero : f64
  %a = arith.select %above, %zero, %one : f64
  %b = arith.select %below, %zero, %a : f64
  %c = arith.select %less, %two, %b : f64
  %d = arith.select %atzero, %six, %c : f64
  act.return %d : f64
}

// -----

// Kept: 1 - 2^-30 is exact in f64 but not in f32; an infinite bound; a clamp
// at 7 that reaches past the bound 6 (max(y, 7) >= 6 for every y but NaN);
// a clamp at the bound (max(y, 0) == 0 for every y <= 0); maxnumf (NaN y
// gives the clamp, not NaN).
// CHECK-LABEL: act.activation @kept_compares
// CHECK:       %[[T:.*]] = arith.addf %x, %{{.*}} : f64
// CHECK:       arith.cmpf olt, %[[T]], %{{.*}} : f64
// CHECK:       %[[U:.*]] = arith.addf %x, %{{.*}} : f64
// CHECK:       arith.cmpf olt, %[[U]], %{{.*}} : f64
// CHECK:       %[[M:.*]] = arith.maximumf %x, %{{.*}} : f64
// CHECK:       arith.cmpf oge, %[[M]], %{{.*}} : f64
// CHECK:       %[[Z:.*]] = arith.maximumf %x, %{{.*}} : f64
// CHECK:       arith.cmpf oeq, %[[Z]], %{{.*}} : f64
// CHECK:       %[[N:.*]] = arith.maxnumf %x, %{{.*}} : f64
// CHECK:       arith.cmpf oge, %[[N]], %{{.*}} : f64
act.activation @kept_compares params [] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %three = arith.constant 3.0 : f64
  %six = arith.constant 6.0 : f64
  %seven = arith.constant 7.0 : f64
  %tiny = arith.constant 9.3132257461547852e-10 : f64
  %inf = arith.constant 0x7FF0000000000000 : f64
  %t = arith.addf %x, %tiny : f64
  %c0 = arith.cmpf olt, %t, %one : f64
  %u = arith.addf %x, %three : f64
  %c1 = arith.cmpf olt, %u, %inf : f64
  %m = arith.maximumf %x, %seven : f64
  %c2 = arith.cmpf oge, %m, %six : f64
  %z = arith.maximumf %x, %zero : f64
  %cz = arith.cmpf oeq, %z, %zero : f64
  %n = arith.maxnumf %x, %zero : f64
  %c3 = arith.cmpf oge, %n, %six : f64
  %a = arith.select %c0, %zero, %one : f64
  %b = arith.select %c1, %three, %a : f64
  %c = arith.select %c2, %six, %b : f64
  %d = arith.select %c3, %seven, %c : f64
  %e = arith.select %cz, %tiny, %d : f64
  act.return %e : f64
}
