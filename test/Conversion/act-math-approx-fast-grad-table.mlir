// RUN: act-opt %s --split-input-file --act-math-approx="precision=fast avx512=true" | FileCheck %s
// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s --check-prefix=PORTABLE

// precision=fast, AVX-512: sigmoid(t) + m sigmoid'(t) (the sigmoid
// products' derivatives, gelu_tanh' below; silu' has its own table, the
// first test) takes the table exp core with T_j's low part
// (ExpF32.cpp buildExpTablePairF32: two vpermt2ps, head and tail tables),
// E = eh + el scaled by two vscalefps, the series of FastGradRoots.def next
// to the zero (q(dh) without dl: one subtraction), and the division by the
// pair (1 + E)^2 from vrcp14ps plus the residual step (no divf). Without
// AVX-512 the degree-4 pair core and one divf stay.

// silu' itself (m = t = x, no rounded argument) with AVX-512: f'(x) from
// FastGradTableF32.cpp's table, no exp, division or reciprocal there: x
// clamped to 20.5, k = round(x) by the 1.5 * 2^23 shifter, s = x -
// center_k (one pick), then seven FMAs on the degree-7 coefficients (eight
// picks); below -11.5 the tail E ((1 + x) - E (1 + 2x)) from the table exp
// core, 2^n last. Without AVX-512 the pair form stays.

// CHECK-LABEL: func.func @silu_grad_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[SHIFT:.*]] = arith.constant dense<0x4B400000> : vector<16xf32>
// CHECK-DAG:     %[[TOP:.*]] = arith.constant dense<20.4999981> : vector<16xf32>
// CHECK-DAG:     %[[TAIL:.*]] = arith.constant dense<-1.150000e+01> : vector<16xf32>
// CHECK-NOT:     arith.divf
// CHECK-NOT:     rcp14
// CHECK:         %[[XC:.*]] = arith.minimumf %[[X]], %[[TOP]]
// CHECK-NEXT:    %[[Y:.*]] = arith.addf %[[XC]], %[[SHIFT]]
// CHECK-NEXT:    %[[K:.*]] = arith.bitcast %[[Y]] : vector<16xf32> to vector<16xi32>
// CHECK-NEXT:    %[[C:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%{{.*}}, %[[K]], %{{.*}})
// CHECK-NEXT:    %[[S:.*]] = arith.subf %[[XC]], %[[C]]
// CHECK-COUNT-7: math.fma %{{.*}}, %[[S]], %{{.*}}
// CHECK:         llvm.x86.avx512.vpermi2var.ps.512
// CHECK:         llvm.x86.avx512.mask.scalef.ps.512
// CHECK:         %[[BELOW:.*]] = arith.cmpf ole, %[[X]], %[[TAIL]]
// CHECK-NEXT:    arith.select %[[BELOW]], %{{.*}}, %{{.*}}
// CHECK-NOT:     arith.divf
// CHECK:         return
// PORTABLE-LABEL: func.func @silu_grad_like(
// PORTABLE-NOT:   llvm.call_intrinsic
// PORTABLE:       arith.divf
// PORTABLE:       return
func.func @silu_grad_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %nx = arith.negf %x : vector<16xf32>
  %sn = act.sigmoid %nx : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %z = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %sz = arith.select %z, %p, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %sz : vector<16xf32>
  return %g : vector<16xf32>
}

// -----

// gelu_tanh' (act-autodiff's form): t = k x (1 + a x^2), k = 2 sqrt(2/pi),
// and m = x t'(x) = k x (1 + 3 a x^2), recognized by evaluating them at
// compile time (FastForms.cpp matchCubicArguments). With AVX-512 its own
// table (FastGradTableF32.cpp): f' = exp(T(min(x, 1/2))) H(x), x clamped
// to [-14.5, 6.5), the 16 segments' index clamped at -9, s = x - center_k,
// H of degree 8 by nine vpermps picks (one register each, no vpermt2ps)
// and eight FMAs; T = a (K' + (K a)' a^2) as a pair, the table exp core
// with T_j's low part, and 2^n last; no select, division or reciprocal.
// Without AVX-512 the generic pairs and one divf stay.

// CHECK-LABEL: func.func @gelu_tanh_grad_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[KA:.*]] = arith.constant dense<0.0713548139> : vector<16xf32>
// CHECK-DAG:     %[[K:.*]] = arith.constant dense<1.59576893> : vector<16xf32>
// CHECK-DAG:     %[[KINK:.*]] = arith.constant dense<5.000000e-01> : vector<16xf32>
// CHECK-DAG:     %[[SHIFT:.*]] = arith.constant dense<0x4B400000> : vector<16xf32>
// CHECK-DAG:     %[[FIRST:.*]] = arith.constant dense<-9.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[LOW:.*]] = arith.constant dense<-1.450000e+01> : vector<16xf32>
// CHECK-DAG:     %[[TOP:.*]] = arith.constant dense<6.49999952> : vector<16xf32>
// CHECK-NOT:     arith.select
// CHECK-NOT:     arith.divf
// CHECK-NOT:     rcp14
// CHECK:         %[[X1:.*]] = arith.minimumf %[[X]], %[[TOP]]
// CHECK-NEXT:    %[[XC:.*]] = arith.maximumf %[[X1]], %[[LOW]]
// CHECK-NEXT:    %[[XI:.*]] = arith.maximumf %[[XC]], %[[FIRST]]
// CHECK-NEXT:    %[[Y:.*]] = arith.addf %[[XI]], %[[SHIFT]]
// CHECK-NEXT:    %[[I:.*]] = arith.bitcast %[[Y]] : vector<16xf32> to vector<16xi32>
// CHECK-NEXT:    %[[C:.*]] = llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%{{.*}}, %[[I]])
// CHECK-NEXT:    %[[S:.*]] = arith.subf %[[XC]], %[[C]]
// CHECK-COUNT-7: math.fma %{{.*}}, %[[S]], %{{.*}}
// CHECK:         %[[H:.*]] = math.fma %{{.*}}, %[[S]], %{{.*}}
// CHECK-NEXT:    %[[A:.*]] = arith.minimumf %[[XC]], %[[KINK]]
// CHECK:         %[[Q:.*]] = math.fma %[[KA]], %{{.*}}, %[[K]]
// CHECK:         llvm.x86.avx512.vpermi2var.ps.512
// CHECK:         llvm.x86.avx512.vpermi2var.ps.512
// CHECK:         %[[LH:.*]] = arith.mulf %{{.*}}, %[[H]]
// CHECK-NEXT:    %[[E:.*]] = math.fma %{{.*}}, %[[H]], %[[LH]]
// CHECK-NEXT:    llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[E]],
// CHECK-NOT:     arith.select
// CHECK-NOT:     arith.divf
// CHECK:         return
// PORTABLE-LABEL: func.func @gelu_tanh_grad_like(
// PORTABLE-NOT:   1.341450e-01
// PORTABLE:       arith.divf
// PORTABLE:       return
func.func @gelu_tanh_grad_like(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<0.797884583> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %a = arith.constant dense<4.471500e-02> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %x2 = arith.mulf %x, %x : vector<16xf32>
  %x3 = arith.mulf %x, %x2 : vector<16xf32>
  %ax3 = arith.mulf %x3, %a {act.exact = [unit, 4.471500e-02 : f64]} : vector<16xf32>
  %in = arith.addf %x, %ax3 : vector<16xf32>
  %u = arith.mulf %in, %c {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %t = arith.mulf %u, %two : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %nt = arith.negf %t : vector<16xf32>
  %sn = act.sigmoid %nt : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  %xx = arith.addf %x, %x : vector<16xf32>
  %xxx = arith.mulf %xx, %x : vector<16xf32>
  %z0 = arith.cmpf oeq, %xx, %zero : vector<16xf32>
  %s0 = arith.select %z0, %xx, %xxx : vector<16xi1>, vector<16xf32>
  %w = arith.addf %x2, %s0 : vector<16xf32>
  %aw = arith.mulf %w, %a {act.exact = [unit, 4.471500e-02 : f64]} : vector<16xf32>
  %d1 = arith.addf %aw, %one : vector<16xf32>
  %d2 = arith.mulf %d1, %c {act.exact = [unit, 0.79788456080286541 : f64]} : vector<16xf32>
  %dt = arith.mulf %d2, %two : vector<16xf32>
  %pd = arith.mulf %p, %dt : vector<16xf32>
  %z1 = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %s1 = arith.select %z1, %p, %pd : vector<16xi1>, vector<16xf32>
  %px = arith.mulf %s1, %x : vector<16xf32>
  %z2 = arith.cmpf oeq, %s1, %zero : vector<16xf32>
  %s2 = arith.select %z2, %s1, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %s2 : vector<16xf32>
  return %g : vector<16xf32>
}

// -----

// mish' with AVX-512: its own table (FastGradTableF32.cpp), as silu's:
// x clamped to 11.5, nine picks and eight FMAs of degree 8, the tail E (1 +
// x) below -20.5. Without AVX-512 buildMishGradF32's form: E G / A^2 with
// A and B both, selected after, and one divf.

// CHECK-LABEL: func.func @mish_grad_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[TOP:.*]] = arith.constant dense<11.499999> : vector<16xf32>
// CHECK-DAG:     %[[TAIL:.*]] = arith.constant dense<-2.050000e+01> : vector<16xf32>
// CHECK-NOT:     arith.divf
// CHECK-NOT:     rcp14
// CHECK:         %[[XC:.*]] = arith.minimumf %[[X]], %[[TOP]]
// CHECK:         %[[S:.*]] = arith.subf %[[XC]], %{{.*}}
// CHECK-COUNT-8: math.fma %{{.*}}, %[[S]], %{{.*}}
// CHECK:         %[[BELOW:.*]] = arith.cmpf ole, %[[X]], %[[TAIL]]
// CHECK-NEXT:    arith.select %[[BELOW]], %{{.*}}, %{{.*}}
// CHECK-NOT:     arith.divf
// CHECK:         return
// PORTABLE-LABEL: func.func @mish_grad_like(
// PORTABLE-NOT:   llvm.call_intrinsic
// PORTABLE:       arith.divf
// PORTABLE:       return
func.func @mish_grad_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %four = arith.constant dense<4.0> : vector<16xf32>
  %sp = act.softplus %x : vector<16xf32>
  %t = math.tanh %sp : vector<16xf32>
  %sp2 = arith.mulf %sp, %two : vector<16xf32>
  %a = act.sigmoid %sp2 : vector<16xf32>
  %nsp2 = arith.negf %sp2 : vector<16xf32>
  %b = act.sigmoid %nsp2 : vector<16xf32>
  %ab = arith.mulf %a, %b : vector<16xf32>
  %ab4 = arith.mulf %ab, %four : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %ab4, %s : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %z = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %sz = arith.select %z, %p, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %t, %sz : vector<16xf32>
  return %g : vector<16xf32>
}
