// RUN: act-opt %s --split-input-file --act-math-approx="precision=fast avx512=true" | FileCheck %s --check-prefix=FAST
// RUN: act-opt %s --split-input-file --act-math-approx="precision=accurate avx512=true" | FileCheck %s --check-prefix=ACCURATE
// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s --check-prefix=PORTABLE
// RUN: act-opt %s --split-input-file --act-math-approx=precision=accurate | FileCheck %s --check-prefix=WIDE

// m * erfc(w) on 16 x f32 with AVX-512 (the erf GELU's 0.5 x erfc(-x /
// sqrt 2), Approx/GeluF32.cpp): G(t) = Phi(-t) exp(t^2 / 2) from a table
// of 32 segments, each coefficient picked by one vpermt2ps (8 in fast
// mode: GeluFastF32.cpp's degree-5 table, c0 pair and c1..c5, and the
// 32-entry exp table's head; 10 accurate: its own table's c0 pair and
// c1..c6, and the exp table pair core's 2), one exp core, no division,
// 2^n by vscalefps. Fast gelu itself (m = x * 0.5) clamps x and ends in
// one select by x > 0 of x - p and p = 2^n x G h: no selects for the
// tails, no copysign. Without AVX-512 the fast form stays the
// portable one (exp(-a^2) t h(t), one division); accurate m * erfc (a
// kernel act-expand did not route) is left for the f64 route.

// FAST-LABEL: func.func @gelu(
// FAST-SAME:    %[[X:[^:]*]]: vector<16xf32>
// FAST-NOT:     math.erfc
// FAST-NOT:     arith.divf
// FAST:         arith.maximumf %[[X]]
// FAST-NEXT:    arith.minimumf
// FAST-COUNT-8: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// FAST-NOT:     llvm.x86.avx512.vpermi2var
// FAST-NOT:     arith.divf
// FAST-NOT:     arith.select
// FAST:         %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// FAST-NEXT:    %[[C:.*]] = arith.cmpf ogt, %[[X]]
// FAST-NEXT:    %[[D:.*]] = arith.subf %[[X]], %[[P]]
// FAST-NEXT:    %[[Y:.*]] = arith.select %[[C]], %[[D]], %[[P]]
// FAST-NEXT:    return %[[Y]]
// Accurate gelu itself (m = x * 0.5, GeluAccurateF32.cpp): G from a
// 16-row table, 8 columns of one register each picked in place by vpermps
// (the index is u = t + 1's bits >> 21), then the exp table pair core's
// two vpermt2ps picks.
// ACCURATE-LABEL: func.func @gelu(
// ACCURATE-SAME:    %[[X:[^:]*]]: vector<16xf32>
// ACCURATE-NOT:     math.erfc
// ACCURATE-NOT:     f64
// ACCURATE-NOT:     arith.cmpf
// ACCURATE:         %[[I:.*]] = arith.shrsi %{{.*}}, %{{.*}} : vector<16xi32>
// ACCURATE-COUNT-8: llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%{{.*}}, %[[I]])
// ACCURATE-NOT:     llvm.x86.avx512.permvar
// ACCURATE-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// ACCURATE-NOT:     llvm.x86.avx512.vpermi2var
// ACCURATE-NOT:     arith.divf
// ACCURATE-NOT:     arith.cmpf
// ACCURATE:         %[[Y:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.fixupimm.ps.512"(%{{.*}}, %[[X]],
// ACCURATE-NEXT:    return %[[Y]]
// PORTABLE-LABEL: func.func @gelu(
// PORTABLE-NOT:   llvm.x86.avx512.vpermi2var
// PORTABLE:       arith.divf
// PORTABLE-NOT:   llvm.x86.avx512.vpermi2var
// PORTABLE:       return
func.func @gelu(%x: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %y = arith.mulf %m, %e : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Accurate gelu itself (m = x * 0.5) branches on x's sign bit (an integer
// compare), clamps x for the table and ends in vfixupimmps, which gives
// +-0 for +-0 and the prelude's +0 for -inf: the prelude's guard `x ==
// -inf ? 0 : ...` goes with the product it guards.

// ACCURATE-LABEL: func.func @gelu_guarded(
// ACCURATE-SAME:    %[[X:[^:]*]]: vector<16xf32>
// ACCURATE-NOT:     arith.cmpf
// ACCURATE:         arith.cmpi slt
// ACCURATE-NOT:     arith.cmpf
// ACCURATE:         %[[Y:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.fixupimm.ps.512"(%{{.*}}, %[[X]],
// ACCURATE-NOT:     arith.select
// ACCURATE-NEXT:    return %[[Y]]
func.func @gelu_guarded(%x: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %y = arith.mulf %m, %e : vector<16xf32>
  %c = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %r = arith.select %c, %zero, %y : vector<16xi1>, vector<16xf32>
  return %r : vector<16xf32>
}

// -----

// 8 x f32 (AVX2 vectors) has no table form even with avx512: the portable
// fast form.

// FAST-LABEL: func.func @gelu_8(
// FAST-NOT:     llvm.x86.avx512.vpermi2var
// FAST:         arith.divf
// FAST:         return
func.func @gelu_8(%x: vector<8xf32>) -> vector<8xf32> {
  %half = arith.constant dense<0.5> : vector<8xf32>
  %s = arith.constant dense<-0.707106769> : vector<8xf32>
  %m = arith.mulf %x, %half : vector<8xf32>
  %w = arith.mulf %x, %s : vector<8xf32>
  %e = math.erfc %w : vector<8xf32>
  %y = arith.mulf %m, %e : vector<8xf32>
  return %y : vector<8xf32>
}

// -----

// gelu' as act-autodiff and act-expand leave it, erfc(-z) * 0.5 +
// (t2 == 0 ? t2 : t2 * (x * 0.5)), t2 = exp(-(z z)) k1 k2: one form from
// the table's D = G - t / sqrt(2 pi) (GeluGradForm.cpp), no erfc, one exp
// core (AVX-512: the table core's pair, two vpermt2ps of 2^(j/32)'s head
// and tail after the ten of D's coefficients), no sum left to cancel.
// Fast with AVX-512; without it (PORTABLE)
// the same sum in f64 from the widening's f64 cores, rounded once (the f32
// sum cancelled: 427925 ULP next to the zero at x = -0.75). Accurate with
// AVX-512 (where act-expand routed the f32 sum, getAccurateGeluGradForms):
// the same form with d0 and d1 as pairs (12 picks), the 32-entry exp table
// pair core (2 picks) and pair products, no erfc; without AVX-512 (WIDE) act-expand never
// leaves an f32 sum, and act-math-approx leaves it alone (erfc and exp
// through f64 cores, one at a time).

// FAST-LABEL: func.func @gelu_grad(
// FAST-NOT:     math.erfc
// FAST-NOT:     math.exp
// FAST-COUNT-10: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// FAST:         %[[B:.*]] = arith.bitcast %{{.*}} : vector<16xf32> to vector<16xi32>
// FAST-NEXT:    llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%{{.*}}, %[[B]], %{{.*}})
// FAST-NEXT:    llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%{{.*}}, %[[B]], %{{.*}})
// FAST-NOT:     llvm.x86.avx512.vpermi2var
// FAST:         llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// FAST:         return
// ACCURATE-LABEL: func.func @gelu_grad(
// ACCURATE-NOT:     math.erfc
// ACCURATE-NOT:     math.exp
// ACCURATE-NOT:     f64
// ACCURATE-COUNT-14: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// ACCURATE-NOT:     llvm.x86.avx512.vpermi2var
// ACCURATE-NOT:     f64
// ACCURATE:         return
// WIDE-LABEL: func.func @gelu_grad(
// WIDE-NOT:       llvm.x86.avx512.vpermi2var
// WIDE:           arith.extf %{{.*}} : vector<16xf32> to vector<16xf64>
// WIDE:           arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// WIDE:           return
// PORTABLE-LABEL: func.func @gelu_grad(
// PORTABLE-NOT:   llvm.x86.avx512.vpermi2var
// PORTABLE-NOT:   math.erfc
// PORTABLE:       %[[W:.*]] = arith.extf %{{.*}} : vector<16xf32> to vector<16xf64>
// PORTABLE-NOT:   llvm.x86.avx512.vpermi2var
// PORTABLE:       arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
// PORTABLE-NOT:   arith.extf
// PORTABLE:       return
func.func @gelu_grad(%x: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %k1 = arith.constant dense<-1.12837923> : vector<16xf32>
  %k2 = arith.constant dense<-0.707106769> : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %phi = arith.mulf %e, %half : vector<16xf32>
  %zz = arith.mulf %z, %z : vector<16xf32>
  %nzz = arith.negf %zz : vector<16xf32>
  %g = math.exp %nzz : vector<16xf32>
  %a = arith.mulf %g, %k1 {act.exact = [unit, -1.1283791670955126 : f64]} : vector<16xf32>
  %t2 = arith.mulf %a, %k2 {act.exact = [unit, -0.70710678118654746 : f64]} : vector<16xf32>
  %xt = arith.mulf %t2, %m : vector<16xf32>
  %c = arith.cmpf oeq, %t2, %zero : vector<16xf32>
  %sel = arith.select %c, %t2, %xt : vector<16xi1>, vector<16xf32>
  %y = arith.addf %phi, %sel : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// dy * f' through the kernels' guards (selects of f' against constants):
// accurate, the product is taken into the form's last rounding (dy * (c ?
// f' : k) = c ? dy f' : dy k; dy * 1 folds to dy), so the kernel returns
// the outer select; fast keeps f' rounded, then the product.

// FAST-LABEL: func.func @gelu_grad_dy(
// FAST-SAME:    %[[X:[^:]*]]: vector<16xf32>, %[[DY:[^:]*]]: vector<16xf32>, %[[C1:[^:]*]]: vector<16xi1>, %[[C2:[^:]*]]: vector<16xi1>
// FAST:         %[[G2:.*]] = arith.select %[[C1]], %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// FAST-NEXT:    %[[P:.*]] = arith.mulf %[[G2]], %[[DY]] : vector<16xf32>
// FAST-NEXT:    return %[[P]]
// ACCURATE-LABEL: func.func @gelu_grad_dy(
// ACCURATE-SAME:    %[[X:[^:]*]]: vector<16xf32>, %[[DY:[^:]*]]: vector<16xf32>, %[[C1:[^:]*]]: vector<16xi1>, %[[C2:[^:]*]]: vector<16xi1>
// ACCURATE-NOT:     math.erfc
// ACCURATE-NOT:     arith.mulf %{{.*}}, %[[DY]]
// ACCURATE:         %[[G1:.*]] = arith.select %[[C2]], %[[DY]], %[[F:.*]] : vector<16xi1>, vector<16xf32>
// ACCURATE-NEXT:    %[[G2:.*]] = arith.select %[[C1]], %[[G1]], %[[F]] : vector<16xi1>, vector<16xf32>
// ACCURATE-NEXT:    return %[[G2]]
func.func @gelu_grad_dy(%x: vector<16xf32>, %dy: vector<16xf32>, %c1: vector<16xi1>, %c2: vector<16xi1>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %s = arith.constant dense<1.41421354> : vector<16xf32>
  %k1 = arith.constant dense<-1.12837923> : vector<16xf32>
  %k2 = arith.constant dense<-0.707106769> : vector<16xf32>
  %z = arith.divf %x, %s {act.exact = [unit, 1.4142135623730951 : f64]} : vector<16xf32>
  %m = arith.mulf %x, %half : vector<16xf32>
  %w = arith.negf %z : vector<16xf32>
  %e = math.erfc %w : vector<16xf32>
  %phi = arith.mulf %e, %half : vector<16xf32>
  %zz = arith.mulf %z, %z : vector<16xf32>
  %nzz = arith.negf %zz : vector<16xf32>
  %g = math.exp %nzz : vector<16xf32>
  %a = arith.mulf %g, %k1 {act.exact = [unit, -1.1283791670955126 : f64]} : vector<16xf32>
  %t2 = arith.mulf %a, %k2 {act.exact = [unit, -0.70710678118654746 : f64]} : vector<16xf32>
  %xt = arith.mulf %t2, %m : vector<16xf32>
  %c = arith.cmpf oeq, %t2, %zero : vector<16xf32>
  %sel = arith.select %c, %t2, %xt : vector<16xi1>, vector<16xf32>
  %y = arith.addf %phi, %sel : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %g1 = arith.select %c2, %one, %y : vector<16xi1>, vector<16xf32>
  %g2 = arith.select %c1, %g1, %y : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %g2, %dy : vector<16xf32>
  return %dx : vector<16xf32>
}
