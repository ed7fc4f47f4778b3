// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s
// RUN: act-opt %s --split-input-file --act-math-approx=precision=accurate | FileCheck %s --check-prefix=ACCURATE

// precision=fast: x / c with a constant c is x * (1/c), 1/c rounded once
// (hard_swish's x (x + 3) / 6). 1/6 = 0x3e2aaaab in f32.
// CHECK-LABEL: func.func @by_six(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>
// CHECK:         %[[R:.*]] = arith.constant dense<0.166666672> : vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.mulf %[[X]], %[[R]] : vector<16xf32>
// CHECK-NEXT:    return %[[Y]]
// ACCURATE-LABEL: func.func @by_six(
// ACCURATE:       arith.divf
func.func @by_six(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<6.0> : vector<16xf32>
  %y = arith.divf %x, %c : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// The reciprocal of the exact value act-stabilize recorded, not of the f32
// constant: x / sqrt(2) is x * 0.70710677 (f32's 1.41421354 gives the same
// here; the scalar form works too).
// CHECK-LABEL: func.func @by_exact(
// CHECK-SAME:      %[[X:.*]]: f32
// CHECK:         %[[R:.*]] = arith.constant 0.707106769 : f32
// CHECK-NEXT:    %[[Y:.*]] = arith.mulf %[[X]], %[[R]] : f32
// CHECK-NEXT:    return %[[Y]]
func.func @by_exact(%x: f32) -> f32 {
  %c = arith.constant 1.41421354 : f32
  %y = arith.divf %x, %c {act.exact = [unit, 1.4142135623730951 : f64]} : f32
  return %y : f32
}

// -----

// f64: 1/7 rounded in f64.
// CHECK-LABEL: func.func @f64_by_seven(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>
// CHECK:         %[[R:.*]] = arith.constant dense<0.14285714285714285> : vector<8xf64>
// CHECK-NEXT:    %[[Y:.*]] = arith.mulf %[[X]], %[[R]] : vector<8xf64>
// CHECK-NEXT:    return %[[Y]]
func.func @f64_by_seven(%x: vector<8xf64>) -> vector<8xf64> {
  %c = arith.constant dense<7.0> : vector<8xf64>
  %y = arith.divf %x, %c : vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// |1/c| > 1 and inexact in f32 (c = 0.3): x * (1/c) rounded could overflow
// where x / c does not, so the product is ExactConstantProduct's
// fma(x, r_hi, clamp(x * r_lo)), r_hi = 1/c rounded toward zero,
// 3.33333302, r_lo = 1/c - r_hi > 0 (0.3 is 0.300000012 in f32: 1/c =
// 3.3333332008785671).
// CHECK-LABEL: func.func @by_small(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>
// CHECK-DAG:     %[[HI:.*]] = arith.constant dense<3.33333302> : vector<16xf32>
// CHECK-DAG:     %[[LO:.*]] = arith.constant dense<1.854{{[0-9]*}}E-7> : vector<16xf32>
// CHECK:         %[[P:.*]] = arith.mulf %[[X]], %[[LO]] : vector<16xf32>
// CHECK:         %[[Q:.*]] = arith.maximumf %[[P]],
// CHECK:         %[[LOW:.*]] = arith.minimumf %[[Q]],
// CHECK:         %[[Y:.*]] = math.fma %[[X]], %[[HI]], %[[LOW]] : vector<16xf32>
// CHECK:         return %[[Y]]
func.func @by_small(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<0.300000012> : vector<16xf32>
  %y = arith.divf %x, %c : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Kept: f64 with |1/c| > 1 inexact (no f64 exact-product form), a divisor
// whose reciprocal is subnormal in f32 (c = 2^127), division by 0 and by a
// non-constant.
// CHECK-LABEL: func.func @kept(
// CHECK:         arith.divf
// CHECK:         arith.divf
// CHECK:         arith.divf
// CHECK:         arith.divf
// CHECK-NOT:     arith.mulf
// CHECK:         return
func.func @kept(%d: vector<8xf64>, %x: f32, %y: f32) -> (vector<8xf64>, f32, f32, f32) {
  %c3 = arith.constant dense<0.3> : vector<8xf64>
  %a = arith.divf %d, %c3 : vector<8xf64>
  %big = arith.constant 1.70141183E+38 : f32
  %b = arith.divf %x, %big : f32
  %zero = arith.constant 0.0 : f32
  %c = arith.divf %x, %zero : f32
  %e = arith.divf %x, %y : f32
  return %a, %b, %c, %e : vector<8xf64>, f32, f32, f32
}
