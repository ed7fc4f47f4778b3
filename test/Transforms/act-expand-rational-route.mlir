// RUN: act-opt %s --split-input-file --act-expand | FileCheck %s

// precision=accurate: the f32 kernels of hard_sigmoid, hard_swish and
// softsign (forward and gradient, as act-kernels and act-vectorize leave
// them) round only inside RationalForms.h's forms, or in one product by
// dy after them, and keep f32 (act-math-approx's
// Approx/AccurateF32Rational.cpp); any other rounding widens the kernel to
// f64 as before.

// CHECK-LABEL: func.func @hard_sigmoid(
// CHECK-NOT:     f64
// CHECK:         return
func.func @hard_sigmoid(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %lo = arith.maximumf %s, %zero : vector<16xf32>
  %hi = arith.minimumf %lo, %six : vector<16xf32>
  %y = arith.divf %hi, %six : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// CHECK-LABEL: func.func @hard_swish(
// CHECK-NOT:     f64
// CHECK:         return
func.func @hard_swish(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %below = arith.cmpf olt, %x, %mthree : vector<16xf32>
  %above = arith.cmpf ogt, %x, %three : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %q = arith.divf %p, %six : vector<16xf32>
  %a = arith.select %above, %x, %q : vector<16xi1>, vector<16xf32>
  %y = arith.select %below, %zero, %a : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// CHECK-LABEL: func.func @hard_swish_grad(
// CHECK-NOT:     f64
// CHECK:         return
func.func @hard_swish_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %below = arith.cmpf olt, %x, %mthree : vector<16xf32>
  %above = arith.cmpf ogt, %x, %three : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %t = arith.addf %s, %x : vector<16xf32>
  %q = arith.divf %t, %six : vector<16xf32>
  %a = arith.select %above, %one, %q : vector<16xi1>, vector<16xf32>
  %g = arith.select %below, %zero, %a : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// CHECK-LABEL: func.func @hard_sigmoid_grad(
// CHECK-NOT:     f64
// CHECK:         return
func.func @hard_sigmoid_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %hi = arith.cmpf ole, %three, %x : vector<16xf32>
  %lo = arith.cmpf oge, %mthree, %x : vector<16xf32>
  %a = arith.select %lo, %zero, %one : vector<16xi1>, vector<16xf32>
  %b = arith.select %hi, %zero, %a : vector<16xi1>, vector<16xf32>
  %q = arith.divf %b, %six : vector<16xf32>
  %nan = arith.cmpf une, %x, %x : vector<16xf32>
  %g = arith.select %nan, %x, %q : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// CHECK-LABEL: func.func @softsign(
// CHECK-NOT:     f64
// CHECK:         return
func.func @softsign(%x: vector<16xf32>) -> vector<16xf32> {
  %inf = arith.constant dense<0x7F800000> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %mone = arith.constant dense<-1.000000e+00> : vector<16xf32>
  %abs = math.absf %x : vector<16xf32>
  %isinf = arith.cmpf oeq, %abs, %inf : vector<16xf32>
  %neg = arith.cmpf olt, %x, %zero : vector<16xf32>
  %z = arith.mulf %x, %zero : vector<16xf32>
  %s0 = arith.select %neg, %mone, %z : vector<16xi1>, vector<16xf32>
  %pos = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %sign = arith.select %pos, %one, %s0 : vector<16xi1>, vector<16xf32>
  %t = arith.addf %abs, %one : vector<16xf32>
  %q = arith.divf %x, %t : vector<16xf32>
  %y = arith.select %isinf, %sign, %q : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// CHECK-LABEL: func.func @softsign_grad(
// CHECK-NOT:     f64
// CHECK:         return
func.func @softsign_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %inf = arith.constant dense<0x7F800000> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %mone = arith.constant dense<-1.000000e+00> : vector<16xf32>
  %abs = math.absf %x : vector<16xf32>
  %isinf = arith.cmpf oeq, %abs, %inf : vector<16xf32>
  %t = arith.addf %abs, %one : vector<16xf32>
  %q = arith.divf %x, %t : vector<16xf32>
  %pos = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %neg = arith.cmpf olt, %x, %zero : vector<16xf32>
  %s0 = arith.select %neg, %mone, %zero : vector<16xi1>, vector<16xf32>
  %sign = arith.select %pos, %one, %s0 : vector<16xi1>, vector<16xf32>
  %m = arith.mulf %q, %sign : vector<16xf32>
  %d = arith.subf %one, %m : vector<16xf32>
  %g0 = arith.divf %d, %t : vector<16xf32>
  %g = arith.select %isinf, %zero, %g0 : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// One more rounding after the form (+ 1): widened.
// CHECK-LABEL: func.func @rounded_after(
// CHECK:         arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
func.func @rounded_after(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %lo = arith.maximumf %s, %zero : vector<16xf32>
  %hi = arith.minimumf %lo, %six : vector<16xf32>
  %q = arith.divf %hi, %six : vector<16xf32>
  %y = arith.addf %q, %one : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// A product by the form's own input (x hard_sigmoid(x)) rounds a second
// time in a forward kernel: widened.
// CHECK-LABEL: func.func @product_by_input(
// CHECK:         arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
func.func @product_by_input(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %lo = arith.maximumf %s, %zero : vector<16xf32>
  %hi = arith.minimumf %lo, %six : vector<16xf32>
  %q = arith.divf %hi, %six : vector<16xf32>
  %y = arith.mulf %x, %q : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// x * (x + 3) / 6 without hard_swish's guards on x: not a form, widened.
// CHECK-LABEL: func.func @unguarded(
// CHECK:         arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
func.func @unguarded(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %q = arith.divf %p, %six : vector<16xf32>
  return %q : vector<16xf32>
}
