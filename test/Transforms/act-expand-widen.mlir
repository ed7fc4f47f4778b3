// RUN: act-opt %s --act-expand --split-input-file | FileCheck %s
// RUN: act-opt %s --act-expand=precision=fast --split-input-file | FileCheck %s --check-prefix=FAST

// A composed f32 kernel is computed in f64 and rounded once: sigmoid(x)^2
// (not one of the f32 double-float forms of act-expand-accurate-f32.mlir)
// after sigmoid's expansion, its exp marked act.wide for the f64 core.

// CHECK-LABEL: func.func @sigmoid_squared(
// CHECK-SAME:      %[[X:.*]]: vector<8xf32>)
// CHECK:         %[[W:.*]] = arith.extf %[[X]] : vector<8xf32> to vector<8xf64>
// CHECK:         math.exp %{{.*}} {act.wide} : vector<8xf64>
// CHECK:         arith.divf %{{.*}} : vector<8xf64>
// CHECK:         arith.select
// CHECK:         %[[Y:.*]] = arith.mulf %{{.*}} : vector<8xf64>
// CHECK-NEXT:    %[[R:.*]] = arith.truncf %[[Y]] : vector<8xf64> to vector<8xf32>
// CHECK:         return %[[R]]
// FAST-LABEL:  func.func @sigmoid_squared(
// FAST-NOT:      f64
// FAST:          act.sigmoid %{{.*}} : vector<8xf32>
func.func @sigmoid_squared(%x: vector<8xf32>) -> vector<8xf32> {
  %s = act.sigmoid %x : vector<8xf32>
  %y = arith.mulf %s, %s : vector<8xf32>
  return %y : vector<8xf32>
}

// -----

// The exact constant (act.exact) is the one used in f64; a division by a
// constant becomes a product with its f64 reciprocal (1 / 1.4142135623730951).
// CHECK-LABEL: func.func @exact_constant(
// CHECK-NOT:     arith.divf
// CHECK:         %[[C:.*]] = arith.constant dense<0.70710678118654746> : vector<8xf64>
// CHECK:         arith.mulf %{{.*}}, %[[C]] : vector<8xf64>
// CHECK:         math.erfc %{{.*}} {act.wide} : vector<8xf64>
// CHECK-NOT:     act.exact
func.func @exact_constant(%x: vector<8xf32>) -> vector<8xf32> {
  %c = arith.constant dense<1.41421354> : vector<8xf32>
  %z = arith.divf %x, %c {act.exact = [unit, 1.4142135623730951 : f64]} : vector<8xf32>
  %y = math.erfc %z : vector<8xf32>
  return %y : vector<8xf32>
}

// -----

// A lone tanh stays f32 (act-math-approx's f32 tanh is under 1 ULP), and
// so do functions that round nowhere (relu).

// CHECK-LABEL: func.func @lone_tanh(
// CHECK-NOT:     f64
// CHECK:         math.tanh %{{.*}} : vector<8xf32>
func.func @lone_tanh(%x: vector<8xf32>) -> vector<8xf32> {
  %y = math.tanh %x : vector<8xf32>
  return %y : vector<8xf32>
}

// CHECK-LABEL: func.func @relu(
// CHECK-NOT:     f64
func.func @relu(%x: vector<8xf32>) -> vector<8xf32> {
  %z = arith.constant dense<0.0> : vector<8xf32>
  %y = arith.maximumf %x, %z : vector<8xf32>
  return %y : vector<8xf32>
}

// -----

// f64 kernels are left alone.

// CHECK-LABEL: func.func @f64_kernel(
// CHECK-NOT:     act.wide
// CHECK-NOT:     truncf
func.func @f64_kernel(%x: vector<4xf64>) -> vector<4xf64> {
  %s = act.sigmoid %x : vector<4xf64>
  %y = arith.mulf %x, %s : vector<4xf64>
  return %y : vector<4xf64>
}

// -----

// A lone sin or cos stays f32: act-math-approx computes it in f64 inside
// and rounds once. Composed with another rounding op, it is widened.
// CHECK-LABEL: func.func @lone_sin(
// CHECK-NOT:     f64
// CHECK:         math.sin %{{.*}} : vector<8xf32>
// CHECK-LABEL: func.func @composed_cos(
// CHECK:         math.cos %{{.*}} {act.wide} : vector<8xf64>
func.func @lone_sin(%x: vector<8xf32>) -> vector<8xf32> {
  %y = math.sin %x : vector<8xf32>
  return %y : vector<8xf32>
}
func.func @composed_cos(%x: vector<8xf32>) -> vector<8xf32> {
  %c = math.cos %x : vector<8xf32>
  %y = arith.mulf %x, %c : vector<8xf32>
  return %y : vector<8xf32>
}
