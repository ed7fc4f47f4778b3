// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s

// precision=fast: the f32 forms of lib/Conversion/FastForms.cpp, all in f32.

// x * sigmoid(1.702 x) is one product: the argument as a pair (1.702 from
// act.exact, its product by twoProd: the FMA of the error term), exp(-|t|)
// unscaled, one division, 2^n applied last (the integer shifts of pow2),
// 0 where |t| > 150 on the negative side; no f64. The pair's low part is
// not zeroed where the product overflows (no compare with infinity): the
// core's clamp select zeroes it wherever |t| > 150.

// CHECK-LABEL: func.func @quick_gelu_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     0x7F800000
// CHECK-NOT:     f64
// CHECK-NOT:     act.sigmoid
// CHECK:         %[[T:.*]] = arith.mulf %[[X]], %{{.*}} : vector<16xf32>
// CHECK:         math.fma %[[X]], %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         arith.divf
// CHECK:         arith.shli
// CHECK:         math.copysign
// CHECK-NEXT:    arith.andi
// CHECK-NEXT:    arith.select
// CHECK-NEXT:    return
func.func @quick_gelu_like(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<1.702> : vector<16xf32>
  %t = arith.mulf %x, %c {act.exact = [unit, 1.702 : f64]} : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// mish: x * tanh(softplus(x)) with no tanh, log or log1p left.

// CHECK-LABEL: func.func @mish_like(
// CHECK-NOT:     math.tanh
// CHECK-NOT:     math.log
// CHECK-NOT:     act.softplus
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @mish_like(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.softplus %x : vector<16xf32>
  %t = math.tanh %s : vector<16xf32>
  %y = arith.mulf %x, %t : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// erfc in f32 (no f64 core) with the argument x / sqrt(2) as a pair: 1/sqrt(2)
// split in two f32 constants.

// CHECK-LABEL: func.func @gelu_like(
// CHECK-NOT:     f64
// CHECK-NOT:     math.erfc
// CHECK-DAG:     arith.constant dense<0.707106769> : vector<16xf32>
// CHECK-DAG:     arith.constant dense<1.21016175E-8> : vector<16xf32>
// CHECK:         return
func.func @gelu_like(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<1.41421354> : vector<16xf32>
  %half = arith.constant dense<0.5> : vector<16xf32>
  %z = arith.divf %x, %c {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %y = arith.mulf %m, %e : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// x - tanh(x): x minus the tanh pair, (x - hi) - lo.

// CHECK-LABEL: func.func @tanhshrink_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     math.tanh
// CHECK:         %[[D:.*]] = arith.subf %[[X]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.subf %[[D]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @tanhshrink_like(%x: vector<16xf32>) -> vector<16xf32> {
  %t = math.tanh %x : vector<16xf32>
  %y = arith.subf %x, %t : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// A lone sigmoid and softplus (what act-expand leaves in fast f32 kernels),
// and no act.exact left behind.

// CHECK-LABEL: func.func @lone(
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     act.softplus
// CHECK-NOT:     act.exact
// CHECK:         return
func.func @lone(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %c = arith.constant dense<3.0> : vector<16xf32>
  %t = arith.mulf %x, %c {act.exact = [unit, unit]} : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %p = act.softplus %x : vector<16xf32>
  return %s, %p : vector<16xf32>, vector<16xf32>
}

// -----

// exp(a - b) (softmax's exp(x - rowmax)): the difference's rounding error
// (TwoSum on the subtraction's own result) goes into the exp core's reduced
// argument, zeroed where |a - b| >= 104 (the core's clamp; inf and NaN too).
// CHECK-LABEL: func.func @exp_of_difference(
// CHECK-SAME:      %[[A:.*]]: vector<16xf32>, %[[B:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[LIMIT:.*]] = arith.constant dense<1.040000e+02> : vector<16xf32>
// CHECK:         %[[HI:.*]] = arith.subf %[[A]], %[[B]] : vector<16xf32>
// CHECK:         %[[BB:.*]] = arith.subf %[[HI]], %[[A]]
// CHECK:         %[[AP:.*]] = arith.subf %[[HI]], %[[BB]]
// CHECK:         %[[DA:.*]] = arith.subf %[[A]], %[[AP]]
// CHECK:         %[[DB:.*]] = arith.addf %[[B]], %[[BB]]
// CHECK:         %[[LO:.*]] = arith.subf %[[DA]], %[[DB]]
// CHECK:         %[[ABS:.*]] = math.absf %[[HI]]
// CHECK:         %[[IN:.*]] = arith.cmpf olt, %[[ABS]], %[[LIMIT]]
// CHECK:         %[[KEPT:.*]] = arith.select %[[IN]], %[[LO]], %[[ZERO]]
// CHECK:         %[[R:.*]] = arith.addf %{{.*}}, %[[KEPT]]
// CHECK:         math.fma %{{.*}}, %{{.*}}, %[[R]]
// CHECK-NOT:     math.exp
// CHECK:         return
func.func @exp_of_difference(%a: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %d = arith.subf %a, %b : vector<16xf32>
  %e = math.exp %d : vector<16xf32>
  return %e : vector<16xf32>
}
