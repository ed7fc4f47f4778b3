// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s
// RUN: act-opt %s --split-input-file --act-math-approx=precision=accurate | FileCheck %s --check-prefix=ACCURATE

// precision=fast: a product by a constant |c| > 1 that f32 rounds
// (act-stabilize's act.exact holds c) is fma(v, c_hi, v * c_lo), so that it
// overflows where c v does: selu's scale * x. c_hi is c rounded toward zero
// and c_lo = c - c_hi has c's sign, so that v = -0 gives -0 (here
// 1.0507009873554805 - 1.0507009 = 8.4416638e-08; with f32's 1.05070102,
// c_lo < 0 and -0 + +0 gave selu(-0) = +0).
// v * c_lo is clamped to the finite range, so that v = +-inf gives +-inf
// (fma(inf, c_hi, -inf) would be NaN).
// CHECK-LABEL: func.func @selu_scale(
// CHECK-DAG:     %[[MAX:.*]] = arith.constant dense<3.40282347E+38> : vector<16xf32>
// CHECK-DAG:     %[[MIN:.*]] = arith.constant dense<-3.40282347E+38> : vector<16xf32>
// CHECK-DAG:     %[[HI:.*]] = arith.constant dense<1.0507009{{0*}}> : vector<16xf32>
// CHECK-DAG:     %[[LO:.*]] = arith.constant dense<8.44{{[0-9]*}}E-8> : vector<16xf32>
// CHECK:         %[[P:.*]] = arith.mulf %[[X:.*]], %[[LO]] : vector<16xf32>
// CHECK:         %[[Q:.*]] = arith.maximumf %[[P]], %[[MIN]] : vector<16xf32>
// CHECK:         %[[LOW:.*]] = arith.minimumf %[[Q]], %[[MAX]] : vector<16xf32>
// CHECK:         %[[Y:.*]] = math.fma %[[X]], %[[HI]], %[[LOW]] : vector<16xf32>
// CHECK:         return %[[Y]]
// ACCURATE-LABEL: func.func @selu_scale(
// ACCURATE:       %[[Y:.*]] = arith.mulf
// ACCURATE-NOT:   math.fma
// ACCURATE:       return %[[Y]]
func.func @selu_scale(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<1.05070102> : vector<16xf32>
  %y = arith.mulf %x, %c {act.exact = [unit, 1.0507009873554805 : f64]} : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// |c| <= 1 cannot overflow: the product stays one multiplication.
// CHECK-LABEL: func.func @small_constant(
// CHECK:         %[[Y:.*]] = arith.mulf
// CHECK-NOT:     math.fma
// CHECK:         return %[[Y]]
func.func @small_constant(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<0.00999999977> : vector<16xf32>
  %y = arith.mulf %x, %c {act.exact = [unit, 0.01 : f64]} : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// A constant f32 holds exactly (no act.exact) is left alone.
// CHECK-LABEL: func.func @exact_constant(
// CHECK:         %[[Y:.*]] = arith.mulf
// CHECK-NOT:     math.fma
// CHECK:         return %[[Y]]
func.func @exact_constant(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<1.5> : vector<16xf32>
  %y = arith.mulf %x, %c : vector<16xf32>
  return %y : vector<16xf32>
}
