// RUN: act-opt %s --act-math-approx=avx512=true | FileCheck %s
// RUN: act-opt %s --act-math-approx | FileCheck %s --check-prefix=AVX2

// precision=accurate gradient kernels: dx = dy * f'(x) after an f32 form
// rounded f' once and the product by dy rounded it again (up to 1.9 ULP
// of dx with a random dy). With AVX-512 the forms whose f' is a pair take
// the kernel's dy product in (lib/Conversion/DyProduct.h): the product is
// found through act-autodiff's selects with a constant side, its dy must
// be a leaf (a load, an argument), and the selects are rebuilt around the
// form with dy times their constant. Measured with act-accuracy
// --dy-seed (docs/accuracy.md, session 9). Without AVX-512 (the
// x86-64-v3 kernels, kept as measured) the product stays.

// silu' (AccurateF32SigmoidGrad.cpp): the quotient as a pair q + ql,
// 1 - 2^n (q + ql) as an exact pair where x >= 0, then fma(dy, hi, dy lo)
// (dy = +-inf or +-0: fma(dy, hi, -0), the sign of dy hi kept), 2^n last
// where x < 0; the -inf guard's 0 times dy.
// CHECK-LABEL: func.func @silu_grad_dy(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// CHECK-NOT:     act.sigmoid
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[LO:.*]] = arith.mulf %[[DY]], %{{.*}} : vector<16xf32>
// CHECK:         %[[A:.*]] = math.absf %[[DY]]
// CHECK:         %[[INF:.*]] = arith.cmpf oeq, %[[A]]
// CHECK:         %[[L0:.*]] = arith.select %[[INF]], %{{.*}}, %[[LO]]
// CHECK:         %[[DY0:.*]] = arith.cmpf oeq, %[[DY]], %{{.*}}
// CHECK:         %[[L:.*]] = arith.select %[[DY0]], %{{.*}}, %[[L0]]
// CHECK:         %[[P:.*]] = math.fma %[[DY]], %{{.*}}, %[[L]]
// CHECK:         %[[S:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[P]]
// CHECK:         %[[R:.*]] = arith.select %{{.*}}, %[[S]], %[[P]]
// CHECK:         %[[Z:.*]] = arith.mulf %[[DY]], %{{.*}} : vector<16xf32>
// CHECK:         %[[DX:.*]] = arith.select %{{.*}}, %[[Z]], %[[R]]
// CHECK-NOT:     arith.mulf
// CHECK:         return %[[DX]]

// AVX2-LABEL: func.func @silu_grad_dy(
// AVX2-SAME:      %{{.*}}: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// AVX2:         arith.divf
// AVX2:         %[[DX:.*]] = arith.mulf %[[DY]], %{{.*}} : vector<16xf32>
// AVX2-NEXT:    return %[[DX]]
func.func @silu_grad_dy(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %ninf = arith.constant dense<0xFF800000> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %nx = arith.negf %x : vector<16xf32>
  %sn = act.sigmoid %nx : vector<16xf32>
  %p = arith.mulf %s, %sn : vector<16xf32>
  %px = arith.mulf %p, %x : vector<16xf32>
  %z = arith.cmpf oeq, %p, %zero : vector<16xf32>
  %sz = arith.select %z, %p, %px : vector<16xi1>, vector<16xf32>
  %g = arith.addf %s, %sz : vector<16xf32>
  %isninf = arith.cmpf oeq, %x, %ninf : vector<16xf32>
  %gg = arith.select %isninf, %zero, %g : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %gg : vector<16xf32>
  return %dx : vector<16xf32>
}

// elu' (AccurateF32Exp.cpp): dy exp(x) = 2^n (dy (h + l)), dy h an exact
// pair, rounded once before vscalefps; dy itself where x > 0.
// CHECK-LABEL: func.func @elu_grad_dy(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// CHECK-NOT:     math.exp
// CHECK:         %[[H:.*]] = arith.mulf %[[DY]], %{{.*}}
// CHECK:         %[[N:.*]] = arith.negf %[[H]]
// CHECK:         %[[E:.*]] = math.fma %[[DY]], %{{.*}}, %[[N]]
// CHECK:         math.fma %[[DY]], %{{.*}}, %[[E]]
// CHECK:         %[[SUM:.*]] = arith.addf %[[H]], %{{.*}}
// CHECK:         %[[S:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[SUM]]
// CHECK:         %[[POS:.*]] = arith.cmpf ogt, %[[X]]
// CHECK:         %[[DX:.*]] = arith.select %[[POS]], %[[DY]], %[[S]]
// CHECK-NEXT:    return %[[DX]]
func.func @elu_grad_dy(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %pos = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.exp %x : vector<16xf32>
  %g = arith.select %pos, %one, %e : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  return %dx : vector<16xf32>
}

// softplus' = x > 20 ? 1 : sigmoid(x): the lone sigmoid becomes the
// product form dy sigmoid(x) (AccurateF32Sigmoid.cpp's m = dy), rounded
// once; dy where x > 20.
// CHECK-LABEL: func.func @softplus_grad_dy(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
// CHECK-NOT:     act.sigmoid
// CHECK:         %[[BIG:.*]] = arith.cmpf ogt, %[[X]]
// CHECK:         arith.divf
// CHECK:         %[[C:.*]] = math.copysign %{{.*}}, %[[DY]]
// CHECK-NEXT:    %[[DX:.*]] = arith.select %[[BIG]], %[[DY]], %[[C]]
// CHECK-NEXT:    return %[[DX]]
func.func @softplus_grad_dy(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %twenty = arith.constant dense<20.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %big = arith.cmpf ogt, %x, %twenty : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %g = arith.select %big, %one, %s : vector<16xi1>, vector<16xf32>
  %dx = arith.mulf %dy, %g : vector<16xf32>
  return %dx : vector<16xf32>
}

// A product by a computed value is not dy: it stays after the form (the
// lone sigmoid's 2^n for t < 0: a select of the scaled quotient; its
// reciprocal is vrcp14ps).
// CHECK-LABEL: func.func @not_a_leaf(
// CHECK:         llvm.x86.avx512.rcp14.ps.512
// CHECK:         %[[SC:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK-NEXT:    %[[S:.*]] = arith.select %{{.*}}, %[[SC]], %{{.*}}
// CHECK-NEXT:    %[[G:.*]] = arith.select %{{.*}}, %{{.*}}, %[[S]]
// CHECK-NEXT:    %[[W:.*]] = arith.addf
// CHECK-NEXT:    %[[DX:.*]] = arith.mulf %[[W]], %[[G]]
// CHECK-NEXT:    return %[[DX]]
func.func @not_a_leaf(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %twenty = arith.constant dense<20.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %big = arith.cmpf ogt, %x, %twenty : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %g = arith.select %big, %one, %s : vector<16xi1>, vector<16xf32>
  %w = arith.addf %dy, %one : vector<16xf32>
  %dx = arith.mulf %w, %g : vector<16xf32>
  return %dx : vector<16xf32>
}
