// RUN: act-opt %s --split-input-file --act-expand="avx512=true" | FileCheck %s
// RUN: act-opt %s --split-input-file --act-expand | FileCheck %s --check-prefix=WIDE

// precision=accurate with avx512: a kernel made of m * erfc(w) forms (w
// exact arithmetic of leaves, m a leaf or a leaf times a power of two, only
// exact ops after) keeps f32 for act-math-approx's erf GELU table form
// (AccurateF32Routing.h, getAccurateErfcProducts); without avx512, or with
// any other rounding after the product, it is widened to f64 as before.

// The erf GELU's kernel as act-kernels and act-vectorize leave it.
// CHECK-LABEL: func.func @gelu(
// CHECK-NOT:     f64
// CHECK:         arith.divf %{{.*}}, %{{.*}} {act.exact = [unit, 1.4142135623730951]} : vector<16xf32>
// CHECK:         %[[E:.*]] = math.erfc %{{.*}} : vector<16xf32>
// CHECK:         arith.mulf %{{.*}}, %[[E]] : vector<16xf32>
// WIDE-LABEL: func.func @gelu(
// WIDE:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @gelu(%x: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<5.000000e-01> : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951]} : vector<16xf32>
  %neg = arith.cmpf olt, %x, %zero : vector<16xf32>
  %isninf = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %p = arith.mulf %m, %e : vector<16xf32>
  %a = arith.select %isninf, %zero, %p : vector<16xi1>, vector<16xf32>
  %y = arith.select %neg, %a, %p : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// m = 0.3 x rounds: widened.
// CHECK-LABEL: func.func @scaled_by_inexact(
// CHECK:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @scaled_by_inexact(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<3.000000e-01> : vector<16xf32>
  %m = arith.mulf %x, %c : vector<16xf32>
  %e = math.erfc %x : vector<16xf32>
  %p = arith.mulf %m, %e : vector<16xf32>
  return %p : vector<16xf32>
}

// -----

// A rounding after the product (+ 1): widened.
// CHECK-LABEL: func.func @rounded_after(
// CHECK:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @rounded_after(%x: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %e = math.erfc %x : vector<16xf32>
  %p = arith.mulf %x, %e : vector<16xf32>
  %y = arith.addf %p, %one : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// erfc alone (not in a product): widened.
// CHECK-LABEL: func.func @lone(
// CHECK:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @lone(%x: vector<16xf32>) -> vector<16xf32> {
  %e = math.erfc %x : vector<16xf32>
  return %e : vector<16xf32>
}
