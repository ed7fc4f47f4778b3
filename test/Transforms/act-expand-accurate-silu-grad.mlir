// RUN: act-opt %s --split-input-file --act-expand="avx512=true" | FileCheck %s
// RUN: act-opt %s --split-input-file --act-expand | FileCheck %s --check-prefix=WIDE

// precision=accurate with AVX-512: the derivative of m sigmoid(t) where m
// is t's own product (silu, swish, quick_gelu), sigmoid(t) + sigmoid(t)
// sigmoid(-t) m with act-autodiff's strong zero, stays in f32 for
// act-math-approx's form (AccurateF32Routing.h getAccurateSigmoidGradSums;
// Approx/AccurateF32SigmoidGrad.cpp), then a select and dy's product.
// Without AVX-512 the kernel is widened to f64 as before (the 8-lane form
// measured slower than the f64 route).

// CHECK-LABEL: func.func @silu_grad(
// CHECK-NOT:     f64
// CHECK:         %[[S:.*]] = act.sigmoid %[[X:.*]] : vector<16xf32>
// CHECK:         %[[N:.*]] = arith.negf %[[X]]
// CHECK:         %[[R:.*]] = act.sigmoid %[[N]]
// CHECK:         %[[P:.*]] = arith.mulf %[[S]], %[[R]]
// CHECK:         %[[G:.*]] = arith.addf %[[S]], %{{.*}} : vector<16xf32>
// CHECK:         %[[Y:.*]] = arith.select %{{.*}}, %{{.*}}, %[[G]]
// CHECK:         arith.mulf %{{.*}}, %[[Y]] : vector<16xf32>
// WIDE-LABEL: func.func @silu_grad(
// WIDE-NOT:     act.sigmoid
// WIDE:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @silu_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %d = arith.subf %one, %s : vector<16xf32>
  %p = arith.mulf %s, %d : vector<16xf32>
  %z = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %sz = arith.select %z, %p, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %sz : vector<16xf32>
  %c = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %y = arith.select %c, %zero, %g : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %y : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// swish' with a runtime beta: t = beta x, m = (s' beta) x, the same
// product in another order.
// CHECK-LABEL: func.func @swish_grad(
// CHECK-NOT:     f64
// CHECK:         act.sigmoid
// CHECK:         arith.addf
func.func @swish_grad(%x: vector<16xf32>, %beta: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.0> : vector<16xf32>
  %t = arith.mulf %beta, %x : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %d = arith.subf %one, %s : vector<16xf32>
  %p = arith.mulf %s, %d : vector<16xf32>
  %pb = arith.mulf %p, %beta : vector<16xf32>
  %px = arith.mulf %pb, %x : vector<16xf32>
  %g = arith.addf %s, %px : vector<16xf32>
  return %g : vector<16xf32>
}

// -----

// Widened: m is not t's product (sigmoid(x) + sigmoid'(x) 2x: a zero the
// form has no series for), a rounding after the sum, a second use of
// sigmoid' outside the sum (swish's dbeta = sigmoid'(t) x x).
// CHECK-LABEL: func.func @other_factor(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @other_factor(%x: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.0> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %d = arith.subf %one, %s : vector<16xf32>
  %p = arith.mulf %s, %d : vector<16xf32>
  %p2 = arith.mulf %p, %two : vector<16xf32>
  %px = arith.mulf %p2, %x : vector<16xf32>
  %g = arith.addf %s, %px : vector<16xf32>
  return %g : vector<16xf32>
}
// CHECK-LABEL: func.func @rounding_after(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @rounding_after(%x: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %d = arith.subf %one, %s : vector<16xf32>
  %p = arith.mulf %s, %d : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %g = arith.addf %s, %px : vector<16xf32>
  %y = arith.addf %g, %one : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @prime_used_twice(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @prime_used_twice(%x: vector<16xf32>, %out: memref<16xf32>) -> vector<16xf32> {
  %c0 = arith.constant 0 : index
  %one = arith.constant dense<1.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %d = arith.subf %one, %s : vector<16xf32>
  %p = arith.mulf %s, %d : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %g = arith.addf %s, %px : vector<16xf32>
  %pxx = arith.mulf %px, %x : vector<16xf32>
  vector.store %pxx, %out[%c0] : memref<16xf32>, vector<16xf32>
  return %g : vector<16xf32>
}

// -----

// gelu_tanh' (act-autodiff's form, two strong zeros and 2x * x's inside
// m): t = k x (1 + a x^2) and m = x t'(x) of one leaf x, evaluated at
// compile time (fitted at x = 1, 2, checked at 8 points) with G = 1 + m +
// exp(t)'s zero and series in FastGradRoots.def (gelu_tanh, new_gelu):
// kept in f32 for act-math-approx's form (buildAccurateCubicGeluGradF32).
// CHECK-LABEL: func.func @gelu_tanh_grad(
// CHECK-NOT:     f64
// CHECK:         %[[S:.*]] = act.sigmoid %[[T:.*]] : vector<16xf32>
// CHECK:         %[[N:.*]] = arith.negf %[[T]]
// CHECK:         act.sigmoid %[[N]]
// CHECK:         %[[G:.*]] = arith.addf %[[S]], %{{.*}} : vector<16xf32>
// CHECK:         %[[Y:.*]] = arith.select %{{.*}}, %{{.*}}, %[[G]]
// CHECK:         arith.mulf %{{.*}}, %[[Y]] : vector<16xf32>
// WIDE-LABEL: func.func @gelu_tanh_grad(
// WIDE-NOT:     act.sigmoid
// WIDE:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @gelu_tanh_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %k = arith.constant dense<0.797884583> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %a = arith.constant dense<4.471500e-02> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %am = arith.constant dense<4.471500e-02> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %x2 = arith.mulf %x, %x : vector<16xf32>
  %x3 = arith.mulf %x, %x2 : vector<16xf32>
  %ax3 = arith.mulf %x3, %a {act.exact = [unit, 4.471500e-02 : f64]} : vector<16xf32>
  %in = arith.addf %x, %ax3 : vector<16xf32>
  %u = arith.mulf %in, %k {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
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
  %aw = arith.mulf %w, %am {act.exact = [unit, 4.471500e-02 : f64]} : vector<16xf32>
  %d1 = arith.addf %aw, %one : vector<16xf32>
  %d2 = arith.mulf %d1, %k {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %dt = arith.mulf %d2, %two : vector<16xf32>
  %pd = arith.mulf %p, %dt : vector<16xf32>
  %z1 = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %s1 = arith.select %z1, %p, %pd : vector<16xi1>, vector<16xf32>
  %px = arith.mulf %s1, %x : vector<16xf32>
  %z2 = arith.cmpf oeq, %s1, %zero : vector<16xf32>
  %s2 = arith.select %z2, %s1, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %s2 : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %c = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %y = arith.select %c, %zero, %g : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %y : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// Widened: the same shape with a = 0.05 in t and m (a cubic whose G has no
// series in FastGradRoots.def), and with m's a not t's (m is not x t'(x)).
// CHECK-LABEL: func.func @other_cubic(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @other_cubic(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %k = arith.constant dense<0.797884583> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %a = arith.constant dense<5.000000e-02> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %am = arith.constant dense<5.000000e-02> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %x2 = arith.mulf %x, %x : vector<16xf32>
  %x3 = arith.mulf %x, %x2 : vector<16xf32>
  %ax3 = arith.mulf %x3, %a {act.exact = [unit, 5.000000e-02 : f64]} : vector<16xf32>
  %in = arith.addf %x, %ax3 : vector<16xf32>
  %u = arith.mulf %in, %k {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
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
  %aw = arith.mulf %w, %am {act.exact = [unit, 5.000000e-02 : f64]} : vector<16xf32>
  %d1 = arith.addf %aw, %one : vector<16xf32>
  %d2 = arith.mulf %d1, %k {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %dt = arith.mulf %d2, %two : vector<16xf32>
  %pd = arith.mulf %p, %dt : vector<16xf32>
  %z1 = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %s1 = arith.select %z1, %p, %pd : vector<16xi1>, vector<16xf32>
  %px = arith.mulf %s1, %x : vector<16xf32>
  %z2 = arith.cmpf oeq, %s1, %zero : vector<16xf32>
  %s2 = arith.select %z2, %s1, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %s2 : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %c = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %y = arith.select %c, %zero, %g : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %y : vector<16xf32>
  return %dx : vector<16xf32>
}
// CHECK-LABEL: func.func @other_m(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @other_m(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %k = arith.constant dense<0.797884583> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %a = arith.constant dense<4.471500e-02> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %am = arith.constant dense<4.472000e-02> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %x2 = arith.mulf %x, %x : vector<16xf32>
  %x3 = arith.mulf %x, %x2 : vector<16xf32>
  %ax3 = arith.mulf %x3, %a {act.exact = [unit, 4.471500e-02 : f64]} : vector<16xf32>
  %in = arith.addf %x, %ax3 : vector<16xf32>
  %u = arith.mulf %in, %k {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
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
  %aw = arith.mulf %w, %am {act.exact = [unit, 4.472000e-02 : f64]} : vector<16xf32>
  %d1 = arith.addf %aw, %one : vector<16xf32>
  %d2 = arith.mulf %d1, %k {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %dt = arith.mulf %d2, %two : vector<16xf32>
  %pd = arith.mulf %p, %dt : vector<16xf32>
  %z1 = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %s1 = arith.select %z1, %p, %pd : vector<16xi1>, vector<16xf32>
  %px = arith.mulf %s1, %x : vector<16xf32>
  %z2 = arith.cmpf oeq, %s1, %zero : vector<16xf32>
  %s2 = arith.select %z2, %s1, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %s2 : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %c = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %y = arith.select %c, %zero, %g : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %y : vector<16xf32>
  return %dx : vector<16xf32>
}
