// RUN: act-opt %s --split-input-file --act-math-approx=avx512=true | FileCheck %s
// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s --check-prefix=AVX2

// precision=accurate mish' (act-autodiff's tanh(sp) + 4 sigmoid(2 sp)
// sigmoid(-2 sp) sigmoid(x) x, sp = softplus(x), with its strong zero),
// the kernels act-expand routed (AccurateF32Routing.h
// getAccurateMishGradForms, AVX-512): one f32 form
// (Approx/AccurateF32Mish.cpp), x clamped to [-200, 16], E = exp(x) from
// the 32-entry table core (two vpermi2var), N renormalized, E = 2^n N by
// vscalefps, E + 2 (Fast2Sum on max and min), u = 1 + E, d = u^2 + 1 and
// w = (E + 2) d + 4 x u as pairs, next to x0 = -1.19 w's series, N w / d^2
// with one division and a residual step, the kernel's dy product inside
// (dy = +-inf and +-0 guarded), 2^max(n, -64) before it and the rest of
// 2^n after, dy itself above 16, and act-autodiff's -inf guard rebuilt
// around it (dy 0 there).

// CHECK-LABEL: func.func @mish_grad(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[HI:.*]] = arith.constant dense<1.600000e+01> : vector<16xf32>
// CHECK-DAG:     %[[LO:.*]] = arith.constant dense<-2.000000e+02> : vector<16xf32>
// CHECK-DAG:     %[[NZ:.*]] = arith.constant dense<-0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-NOT:     act.softplus
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     math.tanh
// CHECK-NOT:     f64
// CHECK:         %[[NINF:.*]] = arith.cmpf oeq, %[[X]]
// CHECK:         %[[HIGH:.*]] = arith.cmpf ogt, %[[X]], %[[HI]]
// CHECK:         %[[V0:.*]] = arith.select %[[HIGH]], %[[HI]], %[[X]]
// CHECK:         %[[LOW:.*]] = arith.cmpf olt, %[[V0]], %[[LO]]
// CHECK:         %[[V:.*]] = arith.select %[[LOW]], %[[LO]], %[[V0]]
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK:         arith.maximumf
// CHECK:         arith.minimumf
// CHECK:         %[[R:.*]] = arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[Q:.*]] = arith.mulf %{{.*}}, %[[R]]
// CHECK:         %[[FIRST:.*]] = arith.maximumf %[[NF:.*]], %{{.*}}
// CHECK:         %[[LAST:.*]] = arith.subf %[[NF]], %[[FIRST]]
// CHECK:         %[[RS:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[R]], %[[FIRST]]
// CHECK:         %[[QL:.*]] = arith.mulf %{{.*}}, %[[RS]]
// CHECK:         %[[A:.*]] = math.absf %[[DY]]
// CHECK:         %[[FINITE:.*]] = arith.cmpf olt, %[[A]]
// CHECK:         %[[NONZERO:.*]] = arith.cmpf ogt, %[[A]], %[[ZERO]]
// CHECK:         %[[ORD:.*]] = arith.andi %[[FINITE]], %[[NONZERO]]
// CHECK:         %[[DL:.*]] = arith.mulf %[[DY]], %[[QL]] : vector<16xf32>
// CHECK:         %[[L:.*]] = arith.select %[[ORD]], %[[DL]], %[[NZ]]
// CHECK:         %[[QS:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[Q]], %[[FIRST]]
// CHECK:         %[[P:.*]] = math.fma %[[DY]], %[[QS]], %[[L]]
// CHECK:         %[[S:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[P]], %[[LAST]]
// CHECK:         %[[Y:.*]] = arith.select %[[HIGH]], %[[DY]], %[[S]]
// CHECK:         %[[Z:.*]] = arith.mulf %[[DY]], %[[ZERO]]
// CHECK:         %[[DX:.*]] = arith.select %[[NINF]], %[[Z]], %[[Y]]
// CHECK-NEXT:    return %[[DX]]

// Without AVX-512 (never routed there) the sum is not rewritten.
// AVX2-LABEL: func.func @mish_grad(
// AVX2-NOT:     vpermi2var
// AVX2:         return
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

// Without a dy product: f' rounded once by the division's last FMA, 1
// above 16.
// CHECK-LABEL: func.func @mish_prime(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[HI:.*]] = arith.constant dense<1.600000e+01> : vector<16xf32>
// CHECK-NOT:     act.sigmoid
// CHECK:         %[[HIGH:.*]] = arith.cmpf ogt, %[[X]], %[[HI]]
// CHECK:         %[[R:.*]] = arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[Q:.*]] = math.fma %{{.*}}, %[[R]], %{{.*}}
// CHECK-NEXT:    %[[S:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[Q]]
// CHECK-NEXT:    %[[Y:.*]] = arith.select %[[HIGH]], %[[ONE]], %[[S]]
// CHECK-NEXT:    return %[[Y]]
func.func @mish_prime(%x: vector<16xf32>) -> vector<16xf32> {
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
  return %g : vector<16xf32>
}
