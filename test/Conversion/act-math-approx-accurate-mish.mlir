// RUN: act-opt %s --act-math-approx=avx512=true | FileCheck %s
// RUN: act-opt %s --act-math-approx | FileCheck %s --check-prefix=AVX2

// precision=accurate x * tanh(softplus(x)), the kernels act-expand routed
// (AccurateF32Routing.h getAccurateMishForms, AVX-512): one f32 form
// (Approx/AccurateF32Mish.cpp), x clamped to [-150, 16], E = exp(x) from
// the 32-entry table core (two vpermi2var: T_j's head and tail), N
// renormalized, E = 2^n N by vscalefps, E + 2 and E (E + 2) + 2 as pairs
// (Fast2Sum on max and min), x N (E + 2) as a pair, one division with a
// residual step, 2^n last, x's sign, and x itself above 16.

// CHECK-LABEL: func.func @mish_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[HI:.*]] = arith.constant dense<1.600000e+01> : vector<16xf32>
// CHECK-DAG:     %[[LO:.*]] = arith.constant dense<-1.500000e+02> : vector<16xf32>
// CHECK-NOT:     act.softplus
// CHECK-NOT:     math.tanh
// CHECK:         %[[HIGH:.*]] = arith.cmpf ogt, %[[X]], %[[HI]]
// CHECK:         %[[V0:.*]] = arith.select %[[HIGH]], %[[HI]], %[[X]]
// CHECK:         %[[LOW:.*]] = arith.cmpf olt, %[[V0]], %[[LO]]
// CHECK:         %[[V:.*]] = arith.select %[[LOW]], %[[LO]], %[[V0]]
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK:         arith.maximumf
// CHECK:         arith.minimumf
// CHECK:         %[[NUM:.*]] = arith.mulf %[[V]], %{{.*}} : vector<16xf32>
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[S:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK-NEXT:    %[[C:.*]] = math.copysign %[[S]], %[[X]]
// CHECK-NEXT:    %[[Y:.*]] = arith.select %[[HIGH]], %[[X]], %[[C]]
// CHECK-NEXT:    return %[[Y]]

// Without AVX-512 (never routed there) the ops stay apart.
// AVX2-LABEL: func.func @mish_like(
// AVX2-NOT:     vpermi2var
// AVX2:         return
func.func @mish_like(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.softplus %x : vector<16xf32>
  %t = math.tanh %s : vector<16xf32>
  %y = arith.mulf %t, %x : vector<16xf32>
  return %y : vector<16xf32>
}

// Another factor is not mish: the product stays.
// CHECK-LABEL: func.func @other_factor(
// CHECK-SAME:      %{{.*}}: vector<16xf32>, %[[M:.*]]: vector<16xf32>)
// CHECK:         %[[P:.*]] = arith.mulf %[[M]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    return %[[P]]
func.func @other_factor(%x: vector<16xf32>, %m: vector<16xf32>) -> vector<16xf32> {
  %s = act.softplus %x : vector<16xf32>
  %t = math.tanh %s : vector<16xf32>
  %y = arith.mulf %m, %t : vector<16xf32>
  return %y : vector<16xf32>
}
