// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s
// RUN: act-opt %s --split-input-file --act-math-approx=precision=accurate | FileCheck %s --check-prefix=ACCURATE

// precision=fast: the derivative of m' sigmoid(t), sigmoid(t) + sigmoid(t)
// sigmoid(-t) m (act-autodiff's strong zeros included), is one form,
// sigmoid'(t) (1 + m + exp(t)) with one division, and next to the zero of
// f' the series of lib/Conversion/Approx/FastGradRoots.def, selected by
// |v - v0| < 1/16: silu's in t (v0 = -1.27846456) where m is t's own
// product, a series in x where the kernel's G evaluates to the table's
// (gelu_tanh: v0 = -0.752461433). precision=accurate keeps the sum but
// where m is t's product (its own form with silu's series:
// act-math-approx-accurate-silu-grad.mlir).

// silu': m = x = t.
// CHECK-LABEL: func.func @silu_grad_like(
// CHECK-NOT:     act.sigmoid
// CHECK-DAG:     arith.constant dense<-1.27846456> : vector<16xf32>
// CHECK-DAG:     arith.constant dense<6.250000e-02> : vector<16xf32>
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
// ACCURATE-LABEL: func.func @silu_grad_like(
// ACCURATE-NOT:   act.sigmoid
// ACCURATE:       arith.constant dense<-1.27846456> : vector<16xf32>
// ACCURATE:       return
func.func @silu_grad_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %nx = arith.negf %x : vector<16xf32>
  %sn = act.sigmoid %nx : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %z = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %sz = arith.select %z, %p, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %sz : vector<16xf32>
  return %g : vector<16xf32>
}

// -----

// swish' with a runtime beta: m = (s' beta) x, t = beta x, the same
// product: silu's series in t (t as a pair: twoProd's FMA).
// CHECK-LABEL: func.func @swish_grad_like(
// CHECK-NOT:     act.sigmoid
// CHECK-DAG:     arith.constant dense<-1.27846456> : vector<16xf32>
// CHECK-DAG:     math.fma %[[B:.*]], %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @swish_grad_like(%x: vector<16xf32>, %beta: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %t = arith.mulf %beta, %x : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %nt = arith.negf %t : vector<16xf32>
  %sn = act.sigmoid %nt : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  %pb = arith.mulf %p, %beta : vector<16xf32>
  %px = arith.mulf %pb, %x : vector<16xf32>
  %z = arith.cmpf oeq, %pb, %zero : vector<16xf32>
  %sz = arith.select %z, %pb, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %sz : vector<16xf32>
  return %g : vector<16xf32>
}

// -----

// gelu_tanh' (act-autodiff's form): t = 2 c (x + a x^3), m = x t'(x); the
// table's gelu_tanh series in x matches (evaluated at compile time).
// CHECK-LABEL: func.func @gelu_tanh_grad_like(
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     -1.27846456
// CHECK-DAG:     arith.constant dense<-0.752461433> : vector<16xf32>
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @gelu_tanh_grad_like(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<0.797884583> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %a = arith.constant dense<4.471500e-02> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %x2 = arith.mulf %x, %x : vector<16xf32>
  %x3 = arith.mulf %x, %x2 : vector<16xf32>
  %ax3 = arith.mulf %x3, %a {act.exact = [unit, 4.471500e-02 : f64]} : vector<16xf32>
  %in = arith.addf %x, %ax3 : vector<16xf32>
  %u = arith.mulf %in, %c {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %t = arith.mulf %u, %two : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %nt = arith.negf %t : vector<16xf32>
  %sn = act.sigmoid %nt : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  %xx = arith.addf %x, %x : vector<16xf32>
  %xxx = arith.mulf %xx, %x : vector<16xf32>
  %z0 = arith.cmpf oeq, %xx, %zero : vector<16xf32>
  %s0 = arith.select %z0, %xx, %xxx : vector<16xi1>, vector<16xf32>
  %w = arith.addf %x2, %s0 : vector<16xf32>
  %aw = arith.mulf %w, %a {act.exact = [unit, 4.471500e-02 : f64]} : vector<16xf32>
  %d1 = arith.addf %aw, %one : vector<16xf32>
  %d2 = arith.mulf %d1, %c {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %dt = arith.mulf %d2, %two : vector<16xf32>
  %pd = arith.mulf %p, %dt : vector<16xf32>
  %z1 = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %s1 = arith.select %z1, %p, %pd : vector<16xi1>, vector<16xf32>
  %px = arith.mulf %s1, %x : vector<16xf32>
  %z2 = arith.cmpf oeq, %s1, %zero : vector<16xf32>
  %s2 = arith.select %z2, %s1, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %s2 : vector<16xf32>
  return %g : vector<16xf32>
}

// -----

// The same with a = 0.05 (not in the table: its zero moved): the general
// form without a series (no table constant, one division).
// CHECK-LABEL: func.func @other_zero(
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     -0.752461433
// CHECK-NOT:     -1.27846456
// CHECK-NOT:     6.250000e-02
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @other_zero(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<0.797884583> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %a = arith.constant dense<5.0e-02> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %x2 = arith.mulf %x, %x : vector<16xf32>
  %x3 = arith.mulf %x, %x2 : vector<16xf32>
  %ax3 = arith.mulf %x3, %a : vector<16xf32>
  %in = arith.addf %x, %ax3 : vector<16xf32>
  %u = arith.mulf %in, %c {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %t = arith.mulf %u, %two : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %nt = arith.negf %t : vector<16xf32>
  %sn = act.sigmoid %nt : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  %w = arith.mulf %x2, %a : vector<16xf32>
  %w3 = arith.mulf %w, %two : vector<16xf32>
  %w4 = arith.addf %w3, %w : vector<16xf32>
  %d1 = arith.addf %w4, %one : vector<16xf32>
  %d2 = arith.mulf %d1, %c {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %dt = arith.mulf %d2, %two : vector<16xf32>
  %pd = arith.mulf %p, %dt : vector<16xf32>
  %px = arith.mulf %pd, %x : vector<16xf32>
  %g = arith.addf %s, %px : vector<16xf32>
  return %g : vector<16xf32>
}

// -----

// softsign': (1 - x / d * sign(x)) / d, d = |x| + 1, is 1 / d^2 from one
// division, d's rounding error (min - (d - max)) and the FMA residual of
// 1 / d, rounded once by the last FMA; no difference left.
// CHECK-LABEL: func.func @softsign_grad_like(
// CHECK:         %[[D:.*]] = arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-DAG:     arith.minimumf
// CHECK-DAG:     arith.maximumf
// CHECK:         %[[R:.*]] = arith.divf %{{.*}}, %[[D]] : vector<16xf32>
// CHECK:         math.fma %{{.*}}, %[[D]], %{{.*}} : vector<16xf32>
// CHECK:         %[[Y:.*]] = math.fma %[[R]], %[[R]], %{{.*}} : vector<16xf32>
// CHECK-NOT:     arith.divf
// CHECK:         return %[[Y]]
// ACCURATE-LABEL: func.func @softsign_grad_like(
// ACCURATE:       arith.subf
// ACCURATE:       arith.divf
// ACCURATE:       return
func.func @softsign_grad_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %m1 = arith.constant dense<-1.0> : vector<16xf32>
  %a = math.absf %x : vector<16xf32>
  %d = arith.addf %a, %one : vector<16xf32>
  %q = arith.divf %x, %d : vector<16xf32>
  %gt = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %lt = arith.cmpf olt, %x, %zero : vector<16xf32>
  %s0 = arith.select %lt, %m1, %zero : vector<16xi1>, vector<16xf32>
  %s = arith.select %gt, %one, %s0 : vector<16xi1>, vector<16xf32>
  %qs = arith.mulf %q, %s : vector<16xf32>
  %n = arith.subf %one, %qs : vector<16xf32>
  %y = arith.divf %n, %d : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// mish' after act-expand: tanh(softplus(x)) + x (4 s(2 sp) s(-2 sp)) s(x)
// is buildMishGradF32's E G / A^2 (x < 0) and 1 + C (x >= 0) from one exp
// and one division, with the table's mish series next to x0 = -1.19243126.
// CHECK-LABEL: func.func @mish_grad_like(
// CHECK-NOT:     math.tanh
// CHECK-NOT:     act.softplus
// CHECK-NOT:     act.sigmoid
// CHECK-DAG:     arith.constant dense<-1.19243121> : vector<16xf32>
// CHECK-DAG:     arith.constant dense<2.500000e-01> : vector<16xf32>
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
// ACCURATE-LABEL: func.func @mish_grad_like(
// ACCURATE-NOT:   -1.19243121
// ACCURATE:       return
func.func @mish_grad_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %four = arith.constant dense<4.0> : vector<16xf32>
  %sp = act.softplus %x : vector<16xf32>
  %t = math.tanh %sp : vector<16xf32>
  %sp2 = arith.mulf %sp, %two : vector<16xf32>
  %a = act.sigmoid %sp2 : vector<16xf32>
  %nsp2 = arith.negf %sp2 : vector<16xf32>
  %b = act.sigmoid %nsp2 : vector<16xf32>
  %ab = arith.mulf %a, %b : vector<16xf32>
  %ab4 = arith.mulf %ab, %four : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %ab4, %s : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %z = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %sz = arith.select %z, %p, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %t, %sz : vector<16xf32>
  return %g : vector<16xf32>
}
