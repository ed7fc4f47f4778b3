// RUN: act-opt %s --split-input-file --act-math-approx="precision=fast avx512=true" | FileCheck %s
// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s --check-prefix=PORTABLE

// sigmoid(t) * sigmoid(-t) (sigmoid') is one form: one exp, one division,
// E / (1 + E)^2 as 2^n N / (1 + E)^2 with the square from the exact pair
// 1 + E (one FMA). With avx512 on 16 x f32, 2^n by one vscalefps;
// portable, by integer shifts (pow2). With avx512 and an exact t, N from
// the table exp core with its quadratic (one vpermi2var: 2^(j/32), T r (c1
// + c2 r) + T), the square as fma(E, E + 2, 1) and E itself over it: no
// second vscalefps (ComposedF32.cpp, buildSigmoidPrimeF32).

// CHECK-LABEL: func.func @sigmoid_prime(
// CHECK-NOT:     act.sigmoid
// CHECK-DAG:     %[[C1:.*]] = arith.constant dense<1.00001466> : vector<16xf32>
// CHECK-DAG:     %[[C2:.*]] = arith.constant dense<0.500000238> : vector<16xf32>
// CHECK:         %[[T:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK:         %[[P:.*]] = math.fma %{{.*}}, %[[C2]], %[[C1]]
// CHECK-NEXT:    %[[TR:.*]] = arith.mulf %[[T]], %{{.*}}
// CHECK-NEXT:    %[[N:.*]] = math.fma %[[TR]], %[[P]], %[[T]]
// CHECK-NEXT:    %[[E:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[N]],
// CHECK-NEXT:    %[[E2:.*]] = arith.addf %[[E]], %{{.*}}
// CHECK-NEXT:    %[[SQ:.*]] = math.fma %[[E]], %[[E2]], %{{.*}}
// CHECK-NEXT:    %[[Y:.*]] = arith.divf %[[E]], %[[SQ]]
// CHECK-NOT:     llvm.call_intrinsic
// CHECK-NOT:     arith.divf
// CHECK:         return %[[Y]]
// PORTABLE-LABEL: func.func @sigmoid_prime(
// PORTABLE-NOT:  llvm.call_intrinsic
// PORTABLE:      arith.divf
// PORTABLE-NOT:  arith.divf
// PORTABLE:      arith.shli
// PORTABLE:      return
func.func @sigmoid_prime(%t: vector<16xf32>) -> vector<16xf32> {
  %n = arith.negf %t : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %sn = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %sn, %s : vector<16xf32>
  return %p : vector<16xf32>
}

// -----

// A lone sigmoid: E = exp(-|t|) by one vscalefps (a subnormal E rounded
// once), then E / (1 + E) or 1 / (1 + E): nothing scales the quotient.

// CHECK-LABEL: func.func @sigmoid(
// CHECK:         llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK:         arith.divf
// CHECK-NOT:     llvm.call_intrinsic
// CHECK:         return
func.func @sigmoid(%t: vector<16xf32>) -> vector<16xf32> {
  %s = act.sigmoid %t : vector<16xf32>
  return %s : vector<16xf32>
}

// -----

// sigmoid(t) used besides sigmoid(t) * sigmoid(-t) (silu' and the other
// products' derivatives): both from one exp, so two vscalefps (E, and the
// prime's 2^n) and two divisions, not three and two.

// CHECK-LABEL: func.func @sigmoid_and_prime(
// CHECK-NOT:     act.sigmoid
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK-NOT:     llvm.call_intrinsic
// CHECK:         return
// PORTABLE-LABEL: func.func @sigmoid_and_prime(
// PORTABLE-COUNT-2: arith.divf
// PORTABLE-NOT:  arith.divf
// PORTABLE:      return
func.func @sigmoid_and_prime(%t: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %n = arith.negf %t : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %sn = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  return %s, %p : vector<16xf32>, vector<16xf32>
}

// -----

// Other shapes keep the portable code (scalef of 512 bits only).

// CHECK-LABEL: func.func @sigmoid_scalar(
// CHECK-NOT:     llvm.call_intrinsic
// CHECK:         arith.divf
// CHECK:         return
func.func @sigmoid_scalar(%t: f32) -> f32 {
  %s = act.sigmoid %t : f32
  return %s : f32
}

// -----

// mish' after act-expand: tanh(softplus(x)) alone (no product uses it) and
// sech^2(softplus(x)) / 4 as the sigmoid' of 2 softplus(x): both from
// exp(-|x|) with one division each, no tanh, log1p or softplus left (the
// exp cores are the same ops, for CSE). A tanh(softplus) that a product
// uses is MishProduct's (act-math-approx-fast.mlir).

// CHECK-LABEL: func.func @mish_grad_parts(
// CHECK-NOT:     math.tanh
// CHECK-NOT:     act.softplus
// CHECK-NOT:     math.log1p
// CHECK-COUNT-2: arith.divf
// CHECK-NOT:     arith.divf
// CHECK-NOT:     math.tanh
// CHECK:         return
func.func @mish_grad_parts(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %two = arith.constant dense<2.0> : vector<16xf32>
  %sp = act.softplus %x : vector<16xf32>
  %t = math.tanh %sp : vector<16xf32>
  %y = arith.addf %t, %x : vector<16xf32>
  %t2 = arith.mulf %sp, %two : vector<16xf32>
  %n = arith.negf %t2 : vector<16xf32>
  %s = act.sigmoid %t2 : vector<16xf32>
  %sn = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  return %y, %p : vector<16xf32>, vector<16xf32>
}
