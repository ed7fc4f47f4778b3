// RUN: act-opt %s --act-math-approx | FileCheck %s
// RUN: act-opt %s --act-math-approx=avx512=true | FileCheck %s --check-prefix=AVX512

// precision=accurate 4 sigmoid(2x) sigmoid(-2x) (tanh' after act-expand's
// 1 - tanh^2; AccurateF32Forms.cpp's ScaledSigmoidPrime): one form, whose
// 2^n scale takes the 4 as n + 2 (one rounding at the end, subnormal
// results included), no product by 4 after it.

// CHECK-LABEL: func.func @tanh_prime(
// CHECK-DAG:     %[[TWO:.*]] = arith.constant dense<2> : vector<16xi32>
// CHECK-NOT:     act.sigmoid
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[N2:.*]] = arith.addi %{{.*}}, %[[TWO]] : vector<16xi32>
// CHECK-NEXT:    arith.shrsi %[[N2]]
// CHECK:         %[[S1:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         %[[Y:.*]] = arith.mulf %[[S1]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    return %[[Y]]

// AVX512-LABEL: func.func @tanh_prime(
// AVX512-DAG:     %[[TWOF:.*]] = arith.constant dense<2.000000e+00> : vector<16xf32>
// AVX512:         %[[NF2:.*]] = arith.addf %{{.*}}, %[[TWOF]] : vector<16xf32>
// AVX512-NEXT:    %[[Y:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[Q:.*]], %[[NF2]], %[[Q]], %{{.*}}, %{{.*}})
// AVX512-NEXT:    return %[[Y]]
func.func @tanh_prime(%x: vector<16xf32>) -> vector<16xf32> {
  %two = arith.constant dense<2.0> : vector<16xf32>
  %four = arith.constant dense<4.0> : vector<16xf32>
  %t = arith.mulf %x, %two : vector<16xf32>
  %n = arith.negf %t : vector<16xf32>
  %a = act.sigmoid %t : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %a, %b : vector<16xf32>
  %y = arith.mulf %four, %p : vector<16xf32>
  return %y : vector<16xf32>
}
