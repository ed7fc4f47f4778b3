// RUN: act-opt %s --split-input-file --act-expand="avx512=true" | FileCheck %s
// RUN: act-opt %s --split-input-file --act-expand | FileCheck %s --check-prefix=WIDE

// A fused kernel's argument z = x + bias carries `act.leaf`
// (act-bias-kernels, act-matmul-kernels: createArgumentSum): the kernel
// computes f at z rounded, so act-expand reads it as an input. The f32
// routing takes it as a leaf (the erf GELU's table form, m * sigmoid(t)
// with m = z), and a kernel on the f64 route widens what follows z but not
// z itself. Without the mark, x + b is arithmetic: not a leaf, widened.

// gelu(x + b) with the mark: the erfc product keeps f32 (table form).
// CHECK-LABEL: func.func @gelu_leaf(
// CHECK-NOT:     f64
// CHECK:         %[[Z:.*]] = arith.addf %{{.*}}, %{{.*}} {act.leaf} : vector<16xf32>
// CHECK:         arith.divf %[[Z]], %{{.*}} {act.exact = [unit, 1.4142135623730951]} : vector<16xf32>
// CHECK:         %[[E:.*]] = math.erfc %{{.*}} : vector<16xf32>
// CHECK:         arith.mulf %{{.*}}, %[[E]] : vector<16xf32>
// Without avx512 (f64 route): z stays the f32 sum, extended once.
// WIDE-LABEL: func.func @gelu_leaf(
// WIDE:         %[[Z:.*]] = arith.addf %{{.*}}, %{{.*}} {act.leaf} : vector<16xf32>
// WIDE:         arith.extf %[[Z]] : vector<16xf32> to vector<16xf64>
// WIDE-NOT:     arith.addf {{.*}} : vector<16xf64>
// WIDE:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
func.func @gelu_leaf(%a: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<5.000000e-01> : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %x = arith.addf %a, %b {act.leaf} : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951]} : vector<16xf32>
  %neg = arith.cmpf olt, %x, %zero : vector<16xf32>
  %isninf = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %p = arith.mulf %m, %e : vector<16xf32>
  %c = arith.select %isninf, %zero, %p : vector<16xi1>, vector<16xf32>
  %y = arith.select %neg, %c, %p : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// The same sum without the mark: m = 0.5 (x + b) is no leaf, the kernel is
// widened, the sum too (f of the exact sum).
// CHECK-LABEL: func.func @gelu_sum(
// CHECK:         arith.addf %{{.*}}, %{{.*}} : vector<16xf64>
// CHECK:         math.erfc %{{.*}} {act.wide} : vector<16xf64>
// WIDE-LABEL: func.func @gelu_sum(
// WIDE:         arith.addf %{{.*}}, %{{.*}} : vector<16xf64>
func.func @gelu_sum(%a: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<5.000000e-01> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %x = arith.addf %a, %b : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951]} : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %p = arith.mulf %m, %e : vector<16xf32>
  return %p : vector<16xf32>
}

// -----

// silu(x + b): m * sigmoid(t) with m = z marked is the f32 sigmoid form
// (without avx512 too: that routing does not need it).
// CHECK-LABEL: func.func @silu_leaf(
// CHECK-NOT:     f64
// CHECK:         %[[Z:.*]] = arith.addf %{{.*}}, %{{.*}} {act.leaf} : vector<16xf32>
// CHECK:         %[[S:.*]] = act.sigmoid %[[Z]] : vector<16xf32>
// CHECK:         arith.mulf %[[Z]], %[[S]] : vector<16xf32>
// WIDE-LABEL: func.func @silu_leaf(
// WIDE-NOT:     f64
// WIDE:         act.sigmoid %{{.*}} : vector<16xf32>
func.func @silu_leaf(%a: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %x = arith.addf %a, %b {act.leaf} : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Unmarked, x + b as m is no leaf: widened.
// CHECK-LABEL: func.func @silu_sum(
// CHECK:         arith.addf %{{.*}}, %{{.*}} : vector<16xf64>
// WIDE-LABEL: func.func @silu_sum(
// WIDE:         arith.addf %{{.*}}, %{{.*}} : vector<16xf64>
func.func @silu_sum(%a: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %x = arith.addf %a, %b : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}
