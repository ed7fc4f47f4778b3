// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s

// precision=accurate: the f64 gradient kernels' derivatives in
// double-double (lib/Conversion/AccurateF64GradForms.cpp), each one
// quotient of pairs (one division, Emitter::divPair's residual step) or
// one product rounded once; no math.exp left.

// sigmoid' = s(t) s(-t): E / (1 + E)^2, the pair (1 + E)^2 by twoProd.
// CHECK-LABEL: func.func @sigmoid_prime(
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     math.exp
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @sigmoid_prime(%x: vector<4xf64>) -> vector<4xf64> {
  %n = arith.negf %x : vector<4xf64>
  %a = act.sigmoid %x : vector<4xf64>
  %b = act.sigmoid %n : vector<4xf64>
  %y = arith.mulf %a, %b : vector<4xf64>
  return %y : vector<4xf64>
}

// -----

// silu' = s(x) + (p == 0 ? p : p x), p = s(x) s(-x): one form for the sum
// (s(x) (1 + x s(-x)), the numerator 1 + E + x as a pair), one division.
// CHECK-LABEL: func.func @silu_grad(
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     math.exp
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @silu_grad(%x: vector<4xf64>) -> vector<4xf64> {
  %zero = arith.constant dense<0.0> : vector<4xf64>
  %n = arith.negf %x : vector<4xf64>
  %s = act.sigmoid %x : vector<4xf64>
  %sn = act.sigmoid %n : vector<4xf64>
  %p = arith.mulf %s, %sn : vector<4xf64>
  %px = arith.mulf %p, %x : vector<4xf64>
  %z = arith.cmpf oeq, %p, %zero : vector<4xf64>
  %sz = arith.select %z, %p, %px : vector<4xi1>, vector<4xf64>
  %g = arith.addf %s, %sz : vector<4xf64>
  return %g : vector<4xf64>
}

// -----

// A sum s(x) + p w whose m = w is not arithmetic of t's leaf x: the sum
// stays, its product p takes the sigmoid' form alone (s(x) the lone one).
// CHECK-LABEL: func.func @two_leaves(
// CHECK-SAME:      %{{.*}}: vector<4xf64>, %[[W:.*]]: vector<4xf64>)
// CHECK-NOT:     act.sigmoid
// CHECK:         arith.divf
// CHECK:         arith.divf
// CHECK:         %[[PW:.*]] = arith.mulf %{{.*}}, %[[W]]
// CHECK-NEXT:    %[[Y:.*]] = arith.addf %{{.*}}, %[[PW]]
// CHECK-NEXT:    return %[[Y]]
func.func @two_leaves(%x: vector<4xf64>, %w: vector<4xf64>) -> vector<4xf64> {
  %n = arith.negf %x : vector<4xf64>
  %s = act.sigmoid %x : vector<4xf64>
  %sn = act.sigmoid %n : vector<4xf64>
  %p = arith.mulf %s, %sn : vector<4xf64>
  %pw = arith.mulf %p, %w : vector<4xf64>
  %g = arith.addf %s, %pw : vector<4xf64>
  return %g : vector<4xf64>
}

// -----

// selu' = (x > 0 ? 1 : exp(x) alpha) scale: exp's pair times the pair
// alpha scale (selu's decimals), rounded once; the other branch 1 * scale.
// CHECK-LABEL: func.func @selu_grad(
// CHECK-DAG:     arith.constant dense<1.7580993408473766> : vector<4xf64>
// CHECK-NOT:     math.exp
// CHECK:         %[[Y:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<4xi1>, vector<4xf64>
// CHECK-NEXT:    return %[[Y]]
func.func @selu_grad(%x: vector<4xf64>) -> vector<4xf64> {
  %zero = arith.constant dense<0.0> : vector<4xf64>
  %one = arith.constant dense<1.0> : vector<4xf64>
  %alpha = arith.constant dense<1.6732632423543772> : vector<4xf64>
  %scale = arith.constant dense<1.0507009873554805> : vector<4xf64>
  %c = arith.cmpf ogt, %x, %zero : vector<4xf64>
  %e = math.exp %x : vector<4xf64>
  %ea = arith.mulf %e, %alpha : vector<4xf64>
  %s = arith.select %c, %one, %ea : vector<4xi1>, vector<4xf64>
  %y = arith.mulf %s, %scale : vector<4xf64>
  return %y : vector<4xf64>
}

// -----

// softsign' by the quotient rule, (1 - x / d sign(x)) / d, d = |x| + 1,
// becomes 1 / (1 + |x|)^2: one division, of 1 by the pair d^2.
// CHECK-LABEL: func.func @softsign_grad(
// CHECK-SAME:      %[[X:.*]]: vector<4xf64>)
// CHECK:         %[[A:.*]] = math.absf %[[X]]
// CHECK:         arith.minimumf %[[A]]
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @softsign_grad(%x: vector<4xf64>) -> vector<4xf64> {
  %zero = arith.constant dense<0.0> : vector<4xf64>
  %one = arith.constant dense<1.0> : vector<4xf64>
  %mone = arith.constant dense<-1.0> : vector<4xf64>
  %a = math.absf %x : vector<4xf64>
  %d = arith.addf %a, %one : vector<4xf64>
  %q = arith.divf %x, %d : vector<4xf64>
  %gt = arith.cmpf ogt, %x, %zero : vector<4xf64>
  %lt = arith.cmpf olt, %x, %zero : vector<4xf64>
  %s0 = arith.select %lt, %mone, %zero : vector<4xi1>, vector<4xf64>
  %sign = arith.select %gt, %one, %s0 : vector<4xi1>, vector<4xf64>
  %m = arith.mulf %q, %sign : vector<4xf64>
  %n = arith.subf %one, %m : vector<4xf64>
  %y = arith.divf %n, %d : vector<4xf64>
  return %y : vector<4xf64>
}

// -----

// tanhshrink' = tanh(x)^2: M^2 / (2 + M)^2 with M = expm1(-2|x|) as a
// pair (no math.tanh, no math.expm1 left), one division.
// CHECK-LABEL: func.func @tanh_squared(
// CHECK-NOT:     math.tanh
// CHECK-NOT:     math.expm1
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @tanh_squared(%x: vector<4xf64>) -> vector<4xf64> {
  %t = math.tanh %x : vector<4xf64>
  %y = arith.mulf %t, %t : vector<4xf64>
  return %y : vector<4xf64>
}

// -----

// mish' = tanh(sp) + (q 4 s(x)) x, sp = softplus(x) as act-expand writes it,
// q = sech^2(sp) / 4 (a division): one rational function of exp(-|x|) in
// pairs, one division (no tanh, log1p or sigmoid left).
// CHECK-LABEL: func.func @mish_grad(
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     math.tanh
// CHECK-NOT:     math.log1p
// CHECK-NOT:     math.exp
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @mish_grad(%x: vector<4xf64>) -> vector<4xf64> {
  %zero = arith.constant dense<0.0> : vector<4xf64>
  %one = arith.constant dense<1.0> : vector<4xf64>
  %four = arith.constant dense<4.0> : vector<4xf64>
  %max = arith.maximumf %x, %zero : vector<4xf64>
  %a = math.absf %x : vector<4xf64>
  %na = arith.negf %a : vector<4xf64>
  %e = math.exp %na : vector<4xf64>
  %l = math.log1p %e : vector<4xf64>
  %sp = arith.addf %max, %l : vector<4xf64>
  %th = math.tanh %sp : vector<4xf64>
  %e1 = arith.addf %e, %one : vector<4xf64>
  %d = arith.mulf %e1, %e1 : vector<4xf64>
  %q = arith.divf %e, %d : vector<4xf64>
  %q4 = arith.mulf %q, %four : vector<4xf64>
  %s = act.sigmoid %x : vector<4xf64>
  %qs = arith.mulf %q4, %s : vector<4xf64>
  %qsx = arith.mulf %qs, %x : vector<4xf64>
  %z = arith.cmpf oeq, %qs, %zero : vector<4xf64>
  %r = arith.select %z, %qs, %qsx : vector<4xi1>, vector<4xf64>
  %g = arith.addf %th, %r : vector<4xf64>
  return %g : vector<4xf64>
}

// -----

// gelu' (erf) = erfc(-z) / 2 + x phi(x), z = x / sqrt 2, as act-expand
// leaves act-autodiff's sum: one form F(|x|) = gelu'(-|x|) in pairs (the
// f64 erf and erfcx cores, exp(-x^2 / 2) of the exact pair x^2 / 2, the
// series d q(d) next to the zero), 1 - F for x >= 0; no erfc or exp left,
// and no division (erfcx's segments are polynomials).
// CHECK-LABEL: func.func @gelu_grad(
// CHECK-NOT:     math.erfc
// CHECK-NOT:     math.exp
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @gelu_grad(%x: vector<4xf64>) -> vector<4xf64> {
  %zero = arith.constant dense<0.0> : vector<4xf64>
  %half = arith.constant dense<0.5> : vector<4xf64>
  %sqrt2 = arith.constant dense<1.4142135623730951> : vector<4xf64>
  %k1 = arith.constant dense<-1.1283791670955126> : vector<4xf64>
  %k2 = arith.constant dense<-0.70710678118654746> : vector<4xf64>
  %z = arith.divf %x, %sqrt2 : vector<4xf64>
  %hx = arith.mulf %x, %half : vector<4xf64>
  %w = arith.negf %z : vector<4xf64>
  %c = math.erfc %w : vector<4xf64>
  %ch = arith.mulf %c, %half : vector<4xf64>
  %zz = arith.mulf %z, %z : vector<4xf64>
  %nzz = arith.negf %zz : vector<4xf64>
  %e = math.exp %nzz : vector<4xf64>
  %t1 = arith.mulf %e, %k1 : vector<4xf64>
  %t2 = arith.mulf %t1, %k2 : vector<4xf64>
  %p = arith.mulf %t2, %hx : vector<4xf64>
  %isz = arith.cmpf oeq, %t2, %zero : vector<4xf64>
  %s = arith.select %isz, %t2, %p : vector<4xi1>, vector<4xf64>
  %g = arith.addf %ch, %s : vector<4xf64>
  return %g : vector<4xf64>
}
