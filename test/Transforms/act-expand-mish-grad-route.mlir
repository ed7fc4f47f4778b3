// RUN: act-opt %s --split-input-file --act-expand=avx512=true | FileCheck %s
// RUN: act-opt %s --split-input-file --act-expand | FileCheck %s --check-prefix=V3

// precision=accurate with AVX-512: mish's gradient kernel, act-autodiff's
// tanh(softplus(x)) + 4 sigmoid(2 sp) sigmoid(-2 sp) sigmoid(x) x (after
// 1 - tanh^2, with its strong zero) of a leaf, then the -inf guard and
// dy's product, keeps f32 and the sum's ops whole
// (AccurateF32Routing.h getAccurateMishGradForms) for act-math-approx's
// form (Approx/AccurateF32Mish.cpp). Found before tanh(softplus) is
// rewritten into exp and a division. Without AVX-512 the kernel widens to
// f64 as before; a rounding after the sum, another user of one of its
// values or a product by a computed value widens it too.

// CHECK-LABEL: func.func @mish_grad(
// CHECK-NOT:     f64
// CHECK:         %[[S:.*]] = act.softplus %[[X:.*]] : vector<16xf32>
// CHECK-NEXT:    %[[T:.*]] = math.tanh %[[S]] : vector<16xf32>
// CHECK-NEXT:    %[[S2:.*]] = arith.mulf %[[S]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    %[[A:.*]] = act.sigmoid %[[S2]] : vector<16xf32>
// CHECK-NEXT:    %[[N:.*]] = arith.negf %[[S2]] : vector<16xf32>
// CHECK-NEXT:    %[[B:.*]] = act.sigmoid %[[N]] : vector<16xf32>
// CHECK:         act.sigmoid %[[X]] : vector<16xf32>
// CHECK:         %[[G:.*]] = arith.addf %[[T]], %{{.*}} : vector<16xf32>
// CHECK:         %[[Y:.*]] = arith.select %{{.*}}, %{{.*}}, %[[G]]
// CHECK:         arith.mulf %{{.*}}, %[[Y]] : vector<16xf32>
// V3-LABEL:    func.func @mish_grad(
// V3-NOT:        act.softplus
// V3:            math.exp %{{.*}} : vector<16xf64>
// V3:            return
func.func @mish_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %four = arith.constant dense<4.000000e+00> : vector<16xf32>
  %two = arith.constant dense<2.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %isninf = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %sp = act.softplus %x : vector<16xf32>
  %t = math.tanh %sp : vector<16xf32>
  %sp2 = arith.mulf %sp, %two : vector<16xf32>
  %a = act.sigmoid %sp2 : vector<16xf32>
  %n = arith.negf %sp2 : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %ab = arith.mulf %a, %b : vector<16xf32>
  %sech = arith.mulf %ab, %four : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %sech, %s : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %z = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %sz = arith.select %z, %p, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %t, %sz : vector<16xf32>
  %y = arith.select %isninf, %zero, %g : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %y : vector<16xf32>
  return %dx : vector<16xf32>
}

// -----

// A rounding after the sum.
// CHECK-LABEL: func.func @rounding_after(
// CHECK-NOT:     act.softplus
// CHECK:         f64
// CHECK:         return
func.func @rounding_after(%x: vector<16xf32>) -> vector<16xf32> {
  %four = arith.constant dense<4.000000e+00> : vector<16xf32>
  %two = arith.constant dense<2.000000e+00> : vector<16xf32>
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %sp = act.softplus %x : vector<16xf32>
  %t = math.tanh %sp : vector<16xf32>
  %sp2 = arith.mulf %sp, %two : vector<16xf32>
  %a = act.sigmoid %sp2 : vector<16xf32>
  %n = arith.negf %sp2 : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %ab = arith.mulf %a, %b : vector<16xf32>
  %sech = arith.mulf %ab, %four : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %sech, %s : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %g = arith.addf %t, %px : vector<16xf32>
  %r = arith.addf %g, %one : vector<16xf32>
  return %r : vector<16xf32>
}

// -----

// sigmoid(x) read outside the sum (a second output).
// CHECK-LABEL: func.func @other_user(
// CHECK-NOT:     act.softplus
// CHECK:         f64
// CHECK:         return
func.func @other_user(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %four = arith.constant dense<4.000000e+00> : vector<16xf32>
  %two = arith.constant dense<2.000000e+00> : vector<16xf32>
  %sp = act.softplus %x : vector<16xf32>
  %t = math.tanh %sp : vector<16xf32>
  %sp2 = arith.mulf %sp, %two : vector<16xf32>
  %a = act.sigmoid %sp2 : vector<16xf32>
  %n = arith.negf %sp2 : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %ab = arith.mulf %a, %b : vector<16xf32>
  %sech = arith.mulf %ab, %four : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %sech, %s : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %g = arith.addf %t, %px : vector<16xf32>
  return %g, %s : vector<16xf32>, vector<16xf32>
}

// -----

// dy times a computed value (not a leaf).
// CHECK-LABEL: func.func @computed_factor(
// CHECK-NOT:     act.softplus
// CHECK:         f64
// CHECK:         return
func.func @computed_factor(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %four = arith.constant dense<4.000000e+00> : vector<16xf32>
  %two = arith.constant dense<2.000000e+00> : vector<16xf32>
  %sp = act.softplus %x : vector<16xf32>
  %t = math.tanh %sp : vector<16xf32>
  %sp2 = arith.mulf %sp, %two : vector<16xf32>
  %a = act.sigmoid %sp2 : vector<16xf32>
  %n = arith.negf %sp2 : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %ab = arith.mulf %a, %b : vector<16xf32>
  %sech = arith.mulf %ab, %four : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %sech, %s : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %g = arith.addf %t, %px : vector<16xf32>
  %m = arith.mulf %dy, %dy : vector<16xf32>
  %dx = arith.mulf %m, %g : vector<16xf32>
  return %dx : vector<16xf32>
}
