// RUN: act-opt %s --split-input-file --act-expand=avx512=true | FileCheck %s
// RUN: act-opt %s --split-input-file --act-expand | FileCheck %s --check-prefix=V3

// precision=accurate with AVX-512: mish's f32 kernel, x * tanh(softplus(x))
// of a leaf followed by exact ops (act-autodiff's -inf guard), keeps f32
// and the three ops whole (AccurateF32Routing.h getAccurateMishForms) for
// act-math-approx's form (Approx/AccurateF32Mish.cpp). Found before
// tanh(softplus) is rewritten into exp and a division, which the other
// kernels still get. Without AVX-512 the kernel widens to f64 as before;
// a product by another value, or a rounding after the form, widens it too.

// CHECK-LABEL: func.func @mish(
// CHECK-NOT:     f64
// CHECK:         %[[S:.*]] = act.softplus %[[X:.*]] : vector<16xf32>
// CHECK-NEXT:    %[[T:.*]] = math.tanh %[[S]] : vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.mulf %[[X]], %[[T]] : vector<16xf32>
// CHECK:         arith.select %{{.*}}, %{{.*}}, %[[Y]]
// V3-LABEL:    func.func @mish(
// V3-NOT:        act.softplus
// V3:            math.exp %{{.*}} : vector<16xf64>
// V3:            return
func.func @mish(%x: vector<16xf32>) -> vector<16xf32> {
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %isninf = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %s = act.softplus %x : vector<16xf32>
  %t = math.tanh %s : vector<16xf32>
  %y = arith.mulf %x, %t : vector<16xf32>
  %r = arith.select %isninf, %zero, %y : vector<16xi1>, vector<16xf32>
  return %r : vector<16xf32>
}

// -----

// CHECK-LABEL: func.func @other_factor(
// CHECK-NOT:     act.softplus
// CHECK:         f64
// CHECK:         return
func.func @other_factor(%x: vector<16xf32>, %m: vector<16xf32>) -> vector<16xf32> {
  %s = act.softplus %x : vector<16xf32>
  %t = math.tanh %s : vector<16xf32>
  %y = arith.mulf %m, %t : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// CHECK-LABEL: func.func @rounding_after(
// CHECK-NOT:     act.softplus
// CHECK:         f64
// CHECK:         return
func.func @rounding_after(%x: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %s = act.softplus %x : vector<16xf32>
  %t = math.tanh %s : vector<16xf32>
  %y = arith.mulf %x, %t : vector<16xf32>
  %z = arith.addf %y, %one : vector<16xf32>
  return %z : vector<16xf32>
}
