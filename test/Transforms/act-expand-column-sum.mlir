// RUN: act-opt %s --split-input-file --act-expand="avx512=true" | FileCheck %s

// bias_grad's column sum dbias[c] + dx carries act.column_sum
// (act-bias-kernels): it adds dx as the kernel stores it, so act-expand's
// f32 routing reads it like a store and routes the kernel as the plain
// gradient (AccurateF32Routing.cpp, onlyExactOpsAfter). The same sum
// without the mark is a rounding after the forms: widened.

// sigmoid'(z) = sigmoid(z) sigmoid(-z), z the marked x + b.
// CHECK-LABEL: func.func @sigmoid_bias_grad(
// CHECK-NOT:     f64
// CHECK:         %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         %[[DX:.*]] = arith.mulf %{{.*}}, %[[P]] : vector<16xf32>
// CHECK:         arith.addf %{{.*}}, %[[DX]] {act.column_sum} : vector<16xf32>
func.func @sigmoid_bias_grad(%x: vector<16xf32>, %b: vector<16xf32>, %dy: vector<16xf32>, %column: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %z = arith.addf %x, %b {act.leaf} : vector<16xf32>
  %nz = arith.negf %z : vector<16xf32>
  %s = act.sigmoid %z : vector<16xf32>
  %t = act.sigmoid %nz : vector<16xf32>
  %d = arith.mulf %s, %t : vector<16xf32>
  %dx = arith.mulf %dy, %d : vector<16xf32>
  %sum = arith.addf %column, %dx {act.column_sum} : vector<16xf32>
  return %dx, %sum : vector<16xf32>, vector<16xf32>
}

// -----

// Unmarked: widened.
// CHECK-LABEL: func.func @sigmoid_unmarked(
// CHECK:         vector<16xf64>
func.func @sigmoid_unmarked(%x: vector<16xf32>, %b: vector<16xf32>, %dy: vector<16xf32>, %column: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %z = arith.addf %x, %b {act.leaf} : vector<16xf32>
  %nz = arith.negf %z : vector<16xf32>
  %s = act.sigmoid %z : vector<16xf32>
  %t = act.sigmoid %nz : vector<16xf32>
  %d = arith.mulf %s, %t : vector<16xf32>
  %dx = arith.mulf %dy, %d : vector<16xf32>
  %sum = arith.addf %column, %dx : vector<16xf32>
  return %dx, %sum : vector<16xf32>, vector<16xf32>
}

// -----

// The erf GELU's gradient sum at z (the table form's route).
// CHECK-LABEL: func.func @gelu_bias_grad(
// CHECK-NOT:     f64
// CHECK:         math.erfc %{{.*}} : vector<16xf32>
// CHECK:         arith.addf %{{.*}}, %{{.*}} {act.column_sum} : vector<16xf32>
func.func @gelu_bias_grad(%x: vector<16xf32>, %b: vector<16xf32>, %dy: vector<16xf32>, %column: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %k1 = arith.constant dense<-1.12837923> : vector<16xf32>
  %k2 = arith.constant dense<-0.707106769> : vector<16xf32>
  %v = arith.addf %x, %b {act.leaf} : vector<16xf32>
  %z = arith.divf %v, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %m = arith.mulf %v, %half : vector<16xf32>
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
  %f = arith.addf %phi, %sel : vector<16xf32>
  %dx = arith.mulf %dy, %f : vector<16xf32>
  %sum = arith.addf %column, %dx {act.column_sum} : vector<16xf32>
  return %dx, %sum : vector<16xf32>, vector<16xf32>
}

// -----

// hard_swish'(z): the rational routing (RationalForms.cpp) reads the mark
// the same way.
// CHECK-LABEL: func.func @hard_swish_bias_grad(
// CHECK-NOT:     f64
// CHECK:         arith.addf %{{.*}}, %{{.*}} {act.column_sum} : vector<16xf32>
func.func @hard_swish_bias_grad(%x: vector<16xf32>, %b: vector<16xf32>, %dy: vector<16xf32>, %column: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %z = arith.addf %x, %b {act.leaf} : vector<16xf32>
  %below = arith.cmpf olt, %z, %mthree : vector<16xf32>
  %above = arith.cmpf ogt, %z, %three : vector<16xf32>
  %s = arith.addf %z, %three : vector<16xf32>
  %t = arith.addf %s, %z : vector<16xf32>
  %q = arith.divf %t, %six : vector<16xf32>
  %a = arith.select %above, %one, %q : vector<16xi1>, vector<16xf32>
  %g = arith.select %below, %zero, %a : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  %sum = arith.addf %column, %dx {act.column_sum} : vector<16xf32>
  return %dx, %sum : vector<16xf32>, vector<16xf32>
}

// -----

// Unmarked: widened.
// CHECK-LABEL: func.func @hard_swish_unmarked(
// CHECK:         vector<16xf64>
func.func @hard_swish_unmarked(%x: vector<16xf32>, %b: vector<16xf32>, %dy: vector<16xf32>, %column: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %z = arith.addf %x, %b {act.leaf} : vector<16xf32>
  %below = arith.cmpf olt, %z, %mthree : vector<16xf32>
  %above = arith.cmpf ogt, %z, %three : vector<16xf32>
  %s = arith.addf %z, %three : vector<16xf32>
  %t = arith.addf %s, %z : vector<16xf32>
  %q = arith.divf %t, %six : vector<16xf32>
  %a = arith.select %above, %one, %q : vector<16xi1>, vector<16xf32>
  %g = arith.select %below, %zero, %a : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  %sum = arith.addf %column, %dx : vector<16xf32>
  return %dx, %sum : vector<16xf32>, vector<16xf32>
}
