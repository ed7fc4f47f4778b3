// RUN: act-opt %s --act-math-approx="precision=fast avx512=true" | FileCheck %s
// RUN: act-opt %s --act-math-approx=precision=fast | FileCheck %s --check-prefix=PORTABLE

// precision=fast, AVX-512: sigmoid(t) + m sigmoid'(t) (silu', the sigmoid
// products' derivatives) takes the table exp core with T_j's low part
// (ExpF32.cpp buildExpTablePairF32: two vpermt2ps, head and tail tables),
// E = eh + el scaled by two vscalefps, the series of FastGradRoots.def next
// to the zero (q(dh) without dl: one subtraction), and the division by the
// pair (1 + E)^2 from vrcp14ps plus the residual step (no divf). Without
// AVX-512 the degree-4 pair core and one divf stay.

// CHECK-LABEL: func.func @silu_grad_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[TAILHI:.*]] = arith.constant dense<[2.4203235E-8,
// CHECK-DAG:     %[[TAILLO:.*]] = arith.constant dense<[0.000000e+00, -4.811560e-08,
// CHECK-DAG:     %[[HEADHI:.*]] = arith.constant dense<[1.41421354, 1.44518077,
// CHECK-DAG:     %[[HEADLO:.*]] = arith.constant dense<[1.000000e+00, 1.0218972,
// CHECK-DAG:     %[[ROOT:.*]] = arith.constant dense<-1.27846456> : vector<16xf32>
// CHECK-NOT:     arith.divf
// CHECK:         %[[T:.*]] = math.fma %{{.*}}, %{{.*}}, %{{.*}}
// CHECK-NEXT:    %[[BITS:.*]] = arith.bitcast %[[T]] : vector<16xf32> to vector<16xi32>
// CHECK-NEXT:    %[[TH:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%[[HEADLO]], %[[BITS]], %[[HEADHI]])
// CHECK-NEXT:    %[[TL:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%[[TAILLO]], %[[BITS]], %[[TAILHI]])
// CHECK:         %[[L:.*]] = math.fma %{{.*}}, %{{.*}}, %[[TL]]
// CHECK-NEXT:    %[[NH:.*]] = arith.addf %[[TH]], %[[L]]
// CHECK:         llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[NH]],
// CHECK:         %[[D:.*]] = arith.subf %[[X]], %[[ROOT]]
// CHECK:         %[[RCP:.*]] = llvm.call_intrinsic "llvm.x86.avx512.rcp14.ps.512"
// CHECK:         math.fma %{{.*}}, %[[RCP]], %{{.*}}
// CHECK:         llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
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
