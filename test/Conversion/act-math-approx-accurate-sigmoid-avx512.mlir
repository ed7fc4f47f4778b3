// RUN: act-opt %s --split-input-file --act-math-approx=avx512=true | FileCheck %s
// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s --check-prefix=PORTABLE

// precision=accurate with AVX-512 (Approx/AccurateF32Sigmoid.cpp): the
// sigmoid forms take E = exp(-|t|) from the 32-entry table core, 2^(j/32)
// as an f32 pair read by two vpermt2ps, -|t| clamped at -200, 2^n =
// vscalefps(1, nf); one division; 2^n for t < 0 last.
// Without AVX-512 (8 lanes, x86-64-v3) the degree-5 core stays: no table.
//
// sigmoid alone (session 14): -|t| clamped by one vrangeps (its NaN given
// back by a vfixupimmps on the numerator: tokens 0xA0A0AA22, as i32
// -1600083422); E re-split as eh = th (1 + r1) rounded and el = th w + tail
// - (eh - th), so that dh = 2^n eh + 1 and its reciprocal, vrcp14ps (no
// division), take r1, not the polynomial; one residual step, nh - q exact,
// q 2^n eh and (q 2^n - 1 where t < 0) el (a select of the factor, not of
// the step), negated; 2^n as a select of the scaled quotient (a masked
// vscalefps).

// CHECK-LABEL: func.func @sigmoid(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[TOKENS:.*]] = arith.constant dense<-1600083422> : vector<16xi32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[CLAMP:.*]] = arith.constant dense<2.000000e+02> : vector<16xf32>
// CHECK-NOT:     f64
// CHECK:         %[[NEG:.*]] = arith.cmpf olt, %[[X]], %[[ZERO]]
// CHECK-NEXT:    %[[U:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.range.ps.512"(%[[X]], %[[CLAMP]],
// CHECK:         %[[NF:.*]] = arith.subf
// CHECK-NEXT:    %[[R1:.*]] = math.fma %[[NF]], %{{.*}}, %[[U]]
// CHECK-NEXT:    %[[RR:.*]] = math.fma %[[NF]], %{{.*}}, %[[R1]]
// CHECK-NEXT:    %[[R2:.*]] = arith.mulf %[[RR]], %[[RR]]
// CHECK-NEXT:    %[[PQ:.*]] = math.fma %[[RR]], %{{.*}}, %{{.*}}
// CHECK-NEXT:    %[[W:.*]] = math.fma %[[R2]], %[[PQ]], %[[RR]]
// CHECK-NEXT:    %[[TH:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK-NEXT:    %[[TAIL:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK-NEXT:    %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[ONE]], %[[NF]], %[[ONE]],
// CHECK-NEXT:    %[[EH:.*]] = math.fma %[[TH]], %[[R1]], %[[TH]]
// CHECK-NEXT:    %[[D:.*]] = arith.subf %[[EH]], %[[TH]]
// CHECK-NEXT:    %[[T:.*]] = arith.subf %[[TAIL]], %[[D]]
// CHECK-NEXT:    %[[EL:.*]] = math.fma %[[TH]], %[[W]], %[[T]]
// CHECK-NEXT:    %[[NH:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.fixupimm.ps.512"(%[[EH]], %[[X]], %[[TOKENS]],
// CHECK-NEXT:    %[[DH:.*]] = math.fma %[[P]], %[[EH]], %[[ONE]]
// CHECK-NEXT:    %[[C:.*]] = llvm.call_intrinsic "llvm.x86.avx512.rcp14.ps.512"(%[[DH]], %[[DH]],
// CHECK-NOT:     arith.divf
// CHECK-NEXT:    %[[Q:.*]] = arith.mulf %[[NH]], %[[C]]
// CHECK-NEXT:    %[[QS:.*]] = arith.mulf %[[Q]], %[[P]]
// CHECK-NEXT:    %[[QN:.*]] = arith.subf %[[Q]], %[[NH]]
// CHECK-NEXT:    %[[X1:.*]] = math.fma %[[QS]], %[[EH]], %[[QN]]
// CHECK-NEXT:    %[[QS1:.*]] = arith.subf %[[QS]], %[[ONE]]
// CHECK-NEXT:    %[[F:.*]] = arith.select %[[NEG]], %[[QS1]], %[[QS]]
// CHECK-NEXT:    %[[X2:.*]] = math.fma %[[F]], %[[EL]], %[[X1]]
// CHECK-NEXT:    %[[NX:.*]] = arith.negf %[[X2]]
// CHECK-NEXT:    %[[S:.*]] = math.fma %[[NX]], %[[C]], %[[Q]]
// CHECK-NEXT:    %[[SC:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[S]], %[[NF]], %[[S]],
// CHECK-NEXT:    %[[Y:.*]] = arith.select %[[NEG]], %[[SC]], %[[S]]
// CHECK-NEXT:    return %[[Y]]

// PORTABLE-LABEL: func.func @sigmoid(
// PORTABLE-NOT:     llvm.call_intrinsic
// PORTABLE:         arith.divf
// PORTABLE-NOT:     arith.divf
// PORTABLE:         return
func.func @sigmoid(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.sigmoid %x : vector<16xf32>
  return %s : vector<16xf32>
}

// -----

// m sigmoid(t): m = +-inf takes m (vfixupimmps, its table 0x110000: token
// 1 for the classes -inf and +inf), 0 where t < -200 (silu(-inf)), m's
// sign last.
// CHECK-LABEL: func.func @silu(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[TABLE:.*]] = arith.constant dense<1114112> : vector<16xi32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[CLAMP:.*]] = arith.constant dense<-2.000000e+02> : vector<16xf32>
// CHECK-NOT:     f64
// CHECK:         %[[FAR:.*]] = arith.cmpf olt, %[[X]], %[[CLAMP]]
// CHECK-COUNT-2: llvm.x86.avx512.vpermi2var.ps.512
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[F:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.fixupimm.ps.512"(%{{.*}}, %[[X]], %[[TABLE]],
// CHECK-NEXT:    %[[Z:.*]] = arith.select %[[FAR]], %[[ZERO]], %[[F]]
// CHECK-NEXT:    %[[Y:.*]] = math.copysign %[[Z]], %[[X]]
// CHECK-NEXT:    return %[[Y]]
func.func @silu(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.sigmoid %x : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// sigmoid(t) sigmoid(-t) = E / (1 + E)^2: the same core, one division, 2^n
// on both sides.
// CHECK-LABEL: func.func @sigmoid_prime(
// CHECK-NOT:     f64
// CHECK-NOT:     act.sigmoid
// CHECK-COUNT-2: llvm.x86.avx512.vpermi2var.ps.512
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[Y:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK-NEXT:    return %[[Y]]

// PORTABLE-LABEL: func.func @sigmoid_prime(
// PORTABLE-NOT:     llvm.call_intrinsic
// PORTABLE:         return
func.func @sigmoid_prime(%x: vector<16xf32>) -> vector<16xf32> {
  %n = arith.negf %x : vector<16xf32>
  %a = act.sigmoid %x : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %y = arith.mulf %a, %b : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// The tanh GELUs' t = k x (1 + a x^2) (FastForms.cpp's matchCubicArgument:
// k and a fitted, checked at 8 points) as x (k + k a x^2) by Horner's rule
// in pairs (buildAccurateCubicArgumentF32): x^2 by twoProd, then k a x^2,
// not the generic pairs of x^3, a x^3, x + a x^3 and k (...). x is
// clamped to +-11 first and the pair is -|t| = t(-|xc|), the table core's
// argument as it is (buildAccurateCubicSigmoidProductF32). Without AVX-512
// the generic pairs stay.
// CHECK-LABEL: func.func @gelu_tanh(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[KA:.*]] = arith.constant dense<0.0713548139> : vector<16xf32>
// CHECK-DAG:     %[[HI:.*]] = arith.constant dense<1.100000e+01> : vector<16xf32>
// CHECK-DAG:     %[[LO:.*]] = arith.constant dense<-1.100000e+01> : vector<16xf32>
// CHECK:         %[[ABOVE:.*]] = arith.maximumf %[[X]], %[[LO]]
// CHECK-NEXT:    %[[XC:.*]] = arith.minimumf %[[ABOVE]], %[[HI]]
// CHECK-NEXT:    %[[AX:.*]] = math.absf %[[XC]]
// CHECK-NEXT:    %[[V:.*]] = arith.negf %[[AX]]
// CHECK-NEXT:    %[[S:.*]] = arith.mulf %[[V]], %[[V]]
// CHECK-NEXT:    %[[NS:.*]] = arith.negf %[[S]]
// CHECK-NEXT:    math.fma %[[V]], %[[V]], %[[NS]]
// CHECK-NEXT:    arith.mulf %[[S]], %[[KA]]
// CHECK-COUNT-2: llvm.x86.avx512.vpermi2var.ps.512
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         math.copysign %{{.*}}, %[[X]]

// PORTABLE-LABEL: func.func @gelu_tanh(
// PORTABLE-NOT:     0.0713548139
// PORTABLE:         return
func.func @gelu_tanh(%x: vector<16xf32>) -> vector<16xf32> {
  %a = arith.constant dense<0.044715> : vector<16xf32>
  %k = arith.constant dense<1.5957691> : vector<16xf32>
  %x2 = arith.mulf %x, %x : vector<16xf32>
  %x3 = arith.mulf %x2, %x : vector<16xf32>
  %ax3 = arith.mulf %a, %x3 : vector<16xf32>
  %u = arith.addf %x, %ax3 : vector<16xf32>
  %t = arith.mulf %k, %u : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// dy sigmoid(t) sigmoid(-t) (sigmoid's gradient): dy joins the sigmoid'
// form's numerator (dy th by twoProd, dy tl by FMA; DyProduct.h), so dy
// f' rounds once; dy = +-inf takes dy (vfixupimmps) marked with nf (dy +
// nf 0: NaN for a NaN x, session 11), dy's sign last.
// Without AVX-512 the product by dy stays after the form.
// CHECK-LABEL: func.func @sigmoid_grad_dy(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// CHECK:         %[[TH:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK:         %[[NH:.*]] = arith.mulf %[[DY]], %[[TH]]
// CHECK:         math.fma %[[DY]], %[[TH]], %{{.*}}
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[S:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK-NEXT:    %[[M:.*]] = math.fma %{{.*}}, %{{.*}}, %[[DY]]
// CHECK-NEXT:    %[[F:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.fixupimm.ps.512"(%[[S]], %[[M]],
// CHECK-NEXT:    %[[DX:.*]] = math.copysign %[[F]], %[[DY]]
// CHECK-NEXT:    return %[[DX]]

// PORTABLE-LABEL: func.func @sigmoid_grad_dy(
// PORTABLE-SAME:      %[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// PORTABLE:         %[[DX:.*]] = arith.mulf %[[DY]], %{{.*}}
// PORTABLE-NEXT:    return %[[DX]]
func.func @sigmoid_grad_dy(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %n = arith.negf %x : vector<16xf32>
  %a = act.sigmoid %x : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %a, %b : vector<16xf32>
  %dx = arith.mulf %dy, %p : vector<16xf32>
  return %dx : vector<16xf32>
}
