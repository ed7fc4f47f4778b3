// RUN: act-opt %s --split-input-file --act-expand="avx512=true" | FileCheck %s
// RUN: act-opt %s --split-input-file --act-expand | FileCheck %s --check-prefix=WIDE

// precision=accurate with avx512: a kernel made of the erf GELU gradient's
// sum erfc(-z) * 0.5 + (t2 == 0 ? t2 : t2 * (x * 0.5)), x an input, with
// only exact ops and one product by dy after it, keeps f32 for
// act-math-approx's table form (AccurateF32Routing.h,
// getAccurateGeluGradForms; the sum matched by GeluGradient.h). Without
// avx512, with another rounding after it, with a part of the sum read
// elsewhere or with a computed x, it is widened to f64 as before.

// The gradient kernel's body as act-kernels and act-vectorize leave it.
// CHECK-LABEL: func.func @gelu_grad(
// CHECK-NOT:     f64
// CHECK:         %[[E:.*]] = math.erfc %{{.*}} : vector<16xf32>
// CHECK:         math.exp %{{.*}} : vector<16xf32>
// CHECK:         %[[S:.*]] = arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         arith.select %{{.*}}, %{{.*}}, %[[S]]
// CHECK:         %[[Y:.*]] = arith.select %{{.*}}, %{{.*}}, %[[S]]
// CHECK:         arith.mulf %{{.*}}, %[[Y]] : vector<16xf32>
// CHECK-NOT:     f64
// WIDE-LABEL: func.func @gelu_grad(
// WIDE:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @gelu_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %k1 = arith.constant dense<-1.12837923> : vector<16xf32>
  %k2 = arith.constant dense<-0.707106769> : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %neg = arith.cmpf olt, %x, %zero : vector<16xf32>
  %isninf = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %phi = arith.mulf %e, %half : vector<16xf32>
  %zz = arith.mulf %z, %z : vector<16xf32>
  %nzz = arith.negf %zz : vector<16xf32>
  %g = math.exp %nzz : vector<16xf32>
  %a = arith.mulf %g, %k1 {act.exact = [unit, -1.1283791670955126 : f64]} : vector<16xf32>
  %t2 = arith.mulf %a, %k2 {act.exact = [unit, -0.70710678118654746 : f64]} : vector<16xf32>
  %xt = arith.mulf %t2, %m : vector<16xf32>
  %c = arith.cmpf oeq, %t2, %zero : vector<16xf32>
  %sel = arith.select %c, %t2, %xt : vector<16xi1>, vector<16xf32>
  %sum = arith.addf %phi, %sel : vector<16xf32>
  %a1 = arith.select %isninf, %zero, %sum : vector<16xi1>, vector<16xf32>
  %f = arith.select %neg, %a1, %sum : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %f : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// A rounding after the sum (an unmarked acc + dx): widened.
// CHECK-LABEL: func.func @rounded_after(
// CHECK:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @rounded_after(%x: vector<16xf32>, %dy: vector<16xf32>, %acc: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %k1 = arith.constant dense<-1.12837923> : vector<16xf32>
  %k2 = arith.constant dense<-0.707106769> : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %phi = arith.mulf %e, %half : vector<16xf32>
  %zz = arith.mulf %z, %z : vector<16xf32>
  %nzz = arith.negf %zz : vector<16xf32>
  %g = math.exp %nzz : vector<16xf32>
  %a = arith.mulf %g, %k1 {act.exact = [unit, -1.1283791670955126 : f64]} : vector<16xf32>
  %t2 = arith.mulf %a, %k2 {act.exact = [unit, -0.70710678118654746 : f64]} : vector<16xf32>
  %xt = arith.mulf %t2, %m : vector<16xf32>
  %c = arith.cmpf oeq, %t2, %zero : vector<16xf32>
  %sel = arith.select %c, %t2, %xt : vector<16xi1>, vector<16xf32>
  %sum = arith.addf %phi, %sel : vector<16xf32>
  %dx = arith.mulf %dy, %sum : vector<16xf32>
  %r = arith.addf %acc, %dx : vector<16xf32>
  return %r : vector<16xf32>
}

// -----

// A part of the sum (t2) read outside it: widened.
// CHECK-LABEL: func.func @part_read_elsewhere(
// CHECK:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @part_read_elsewhere(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %k1 = arith.constant dense<-1.12837923> : vector<16xf32>
  %k2 = arith.constant dense<-0.707106769> : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %phi = arith.mulf %e, %half : vector<16xf32>
  %zz = arith.mulf %z, %z : vector<16xf32>
  %nzz = arith.negf %zz : vector<16xf32>
  %g = math.exp %nzz : vector<16xf32>
  %a = arith.mulf %g, %k1 {act.exact = [unit, -1.1283791670955126 : f64]} : vector<16xf32>
  %t2 = arith.mulf %a, %k2 {act.exact = [unit, -0.70710678118654746 : f64]} : vector<16xf32>
  %xt = arith.mulf %t2, %m : vector<16xf32>
  %c = arith.cmpf oeq, %t2, %zero : vector<16xf32>
  %sel = arith.select %c, %t2, %xt : vector<16xi1>, vector<16xf32>
  %sum = arith.addf %phi, %sel : vector<16xf32>
  return %sum, %t2 : vector<16xf32>, vector<16xf32>
}

// -----

// x computed (3 y rounds; erfc's exp would amplify it): widened.
// CHECK-LABEL: func.func @computed_argument(
// CHECK:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @computed_argument(%y: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.0> : vector<16xf32>
  %half = arith.constant dense<0.5> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %k1 = arith.constant dense<-1.12837923> : vector<16xf32>
  %k2 = arith.constant dense<-0.707106769> : vector<16xf32>
  %x = arith.mulf %y, %three : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %phi = arith.mulf %e, %half : vector<16xf32>
  %zz = arith.mulf %z, %z : vector<16xf32>
  %nzz = arith.negf %zz : vector<16xf32>
  %g = math.exp %nzz : vector<16xf32>
  %a = arith.mulf %g, %k1 {act.exact = [unit, -1.1283791670955126 : f64]} : vector<16xf32>
  %t2 = arith.mulf %a, %k2 {act.exact = [unit, -0.70710678118654746 : f64]} : vector<16xf32>
  %xt = arith.mulf %t2, %m : vector<16xf32>
  %c = arith.cmpf oeq, %t2, %zero : vector<16xf32>
  %sel = arith.select %c, %t2, %xt : vector<16xi1>, vector<16xf32>
  %sum = arith.addf %phi, %sel : vector<16xf32>
  return %sum : vector<16xf32>
}
