// RUN: act-opt %s --split-input-file --act-math-approx=avx512=true | FileCheck %s --check-prefix=AVX512
// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s

// precision=accurate tanh on 16 x f32 with AVX-512 (AccurateF32Tanh.cpp's
// table form): E = exp(-2|x|) from the 32-entry table (two vpermi2var),
// 2^n by vscalefps, tanh = 2 / (1 + E) - 1 with one division, and the
// series x + x^3 s(x^2) selected below |x| = 1/16, x's sign last (-0). Without AVX-512 the
// former form (no table lookups).

// AVX512-LABEL: func.func @tanh(
// AVX512-SAME:    %[[X:[^:]*]]: vector<16xf32>)
// AVX512-DAG:     %[[SIXTEENTH:.*]] = arith.constant dense<6.250000e-02> : vector<16xf32>
// AVX512:         %[[A:.*]] = math.absf %[[X]] : vector<16xf32>
// AVX512-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// AVX512-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// AVX512:         arith.divf
// AVX512-NOT:     arith.divf
// AVX512:         %[[X2:.*]] = arith.mulf %[[X]], %[[X]]
// AVX512:         %[[S:.*]] = math.fma %[[X]], %{{.*}}, %[[X]]
// AVX512-NEXT:    %[[SMALL:.*]] = arith.cmpf olt, %[[A]], %[[SIXTEENTH]]
// AVX512-NEXT:    %[[R:.*]] = arith.select %[[SMALL]], %[[S]], %{{.*}}
// AVX512-NEXT:    %[[SIGNED:.*]] = math.copysign %[[R]], %[[X]]
// AVX512-NEXT:    return %[[SIGNED]]

// CHECK-LABEL: func.func @tanh(
// CHECK-NOT:     vpermi2var
// CHECK:         arith.divf
// CHECK-NOT:     vpermi2var
// CHECK:         return
func.func @tanh(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.tanh %x : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// tanh's gradient dy * (4 * (sigmoid(2x) * sigmoid(-2x))) as one form
// (AccurateF32TanhGrad.cpp): the table exp core (its tables halved, so
// that dy h does not overflow), dy multiplied into the numerator pair
// before the one division, 2^(n + 3) by one vscalefps last, dy = +-0 and
// +-inf passed through (dy + dy == dy); no sigmoid and no product after the
// form. t = 2x is read as x: |x| clamped to 75 by one minimum, no product
// by 2. The special dy passes as dy + clamped (-0): NaN for a NaN x.
// Without AVX-512 the sigmoid' form and dy's product after it.

// AVX512-LABEL: func.func @tanh_grad(
// AVX512-SAME:    %[[X:[^:]*]]: vector<16xf32>, %[[DY:[^:]*]]: vector<16xf32>)
// AVX512-DAG:     %[[THREE:.*]] = arith.constant dense<3.000000e+00> : vector<16xf32>
// AVX512-DAG:     %[[CLAMP:.*]] = arith.constant dense<7.500000e+01> : vector<16xf32>
// AVX512-NOT:     act.sigmoid
// AVX512:         %[[AX:.*]] = math.absf %[[X]] : vector<16xf32>
// AVX512-NEXT:    %[[C:.*]] = arith.minimumf %[[AX]], %[[CLAMP]]
// AVX512-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// AVX512:         %[[M:.*]] = math.fma %[[C]], %{{.*}}, %[[DY]] : vector<16xf32>
// AVX512:         arith.mulf %[[DY]], %{{.*}} : vector<16xf32>
// AVX512:         arith.divf
// AVX512-NOT:     arith.divf
// AVX512:         %[[NF3:.*]] = arith.addf %{{.*}}, %[[THREE]] : vector<16xf32>
// AVX512-NEXT:    %[[Y:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[Q:.*]], %[[NF3]], %[[Q]], %{{.*}}, %{{.*}})
// AVX512-NEXT:    %[[DY2:.*]] = arith.addf %[[DY]], %[[DY]]
// AVX512-NEXT:    %[[ZI:.*]] = arith.cmpf oeq, %[[DY2]], %[[DY]]
// AVX512-NEXT:    %[[R:.*]] = arith.select %[[ZI]], %[[M]], %[[Y]]
// AVX512-NEXT:    return %[[R]]

// CHECK-LABEL: func.func @tanh_grad(
// CHECK-SAME:    %[[X:[^:]*]]: vector<16xf32>, %[[DY:[^:]*]]: vector<16xf32>)
// CHECK-NOT:     vpermi2var
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[Y:.*]] = arith.mulf %[[DY]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @tanh_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %two = arith.constant dense<2.0> : vector<16xf32>
  %four = arith.constant dense<4.0> : vector<16xf32>
  %t = arith.mulf %x, %two : vector<16xf32>
  %n = arith.negf %t : vector<16xf32>
  %a = act.sigmoid %t : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %a, %b : vector<16xf32>
  %s = arith.mulf %four, %p : vector<16xf32>
  %y = arith.mulf %dy, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// The same product with t = 3x (not 2x): E = exp(-|t|) from t's pair
// (3x and its rounding error), -|t| clamped at -150, the same quotient
// with dy inside.

// AVX512-LABEL: func.func @scaled_sigmoid_prime_product(
// AVX512-SAME:    %[[X:[^:]*]]: vector<16xf32>, %[[DY:[^:]*]]: vector<16xf32>)
// AVX512-DAG:     %[[CLAMP:.*]] = arith.constant dense<-1.500000e+02> : vector<16xf32>
// AVX512-NOT:     act.sigmoid
// AVX512:         %[[T:.*]] = arith.mulf %[[X]], %{{.*}} : vector<16xf32>
// AVX512:         %[[U:.*]] = arith.maximumf %{{.*}}, %[[CLAMP]]
// AVX512-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// AVX512:         %[[M2:.*]] = math.fma %[[U]], %{{.*}}, %[[DY]] : vector<16xf32>
// AVX512:         arith.mulf %[[DY]], %{{.*}} : vector<16xf32>
// AVX512:         arith.divf
// AVX512-NOT:     arith.divf
// AVX512:         llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// AVX512:         %[[R:.*]] = arith.select %{{.*}}, %[[M2]], %{{.*}}
// AVX512-NEXT:    return %[[R]]

// CHECK-LABEL: func.func @scaled_sigmoid_prime_product(
// CHECK-NOT:     vpermi2var
// CHECK:         return
func.func @scaled_sigmoid_prime_product(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.0> : vector<16xf32>
  %eight = arith.constant dense<8.0> : vector<16xf32>
  %t = arith.mulf %x, %three : vector<16xf32>
  %n = arith.negf %t : vector<16xf32>
  %a = act.sigmoid %t : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %a, %b : vector<16xf32>
  %s = arith.mulf %p, %eight : vector<16xf32>
  %y = arith.mulf %s, %dy : vector<16xf32>
  return %y : vector<16xf32>
}
