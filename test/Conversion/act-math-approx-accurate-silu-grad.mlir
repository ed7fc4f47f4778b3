// RUN: act-opt %s --act-math-approx=avx512=true | FileCheck %s
// RUN: act-opt %s --act-math-approx | FileCheck %s --check-prefix=AVX2

// precision=accurate sigmoid(t) + sigmoid'(t) m with m = t (silu',
// swish', quick_gelu'; act-autodiff's strong zero included), the kernels
// act-expand routed (AccurateF32Routing.h getAccurateSigmoidGradSums):
// one f32 form (Approx/AccurateF32SigmoidGrad.cpp), f'(u) for u = -|t|
// clamped at -150, from E = exp(u) (AVX-512: the table core, T_j as a
// pair read by two vpermi2var), silu's series next to u0 = -1.27846456
// (|u - u0| < 1/16), one division for the pair quotient, 2^n by vscalefps
// (E's pair and the quotient), 1 - f'(u) where t >= 0. Without AVX-512
// the same form on AccurateF32Sigmoid.cpp's exp core (act-expand does not
// route it there; act-math-approx alone still rewrites it correctly).

// CHECK-LABEL: func.func @silu_grad_like(
// CHECK-DAG:     %[[U0:.*]] = arith.constant dense<-1.27846456> : vector<16xf32>
// CHECK-DAG:     %[[DELTA:.*]] = arith.constant dense<6.250000e-02> : vector<16xf32>
// CHECK-DAG:     %[[CLAMP:.*]] = arith.constant dense<-1.500000e+02> : vector<16xf32>
// CHECK-NOT:     act.sigmoid
// CHECK:         %[[NEG:.*]] = arith.cmpf olt, %[[X:.*]], %{{.*}} : vector<16xf32>
// CHECK:         %[[A:.*]] = arith.negf
// CHECK:         %[[LOW:.*]] = arith.cmpf olt, %[[A]], %[[CLAMP]]
// CHECK:         %[[U:.*]] = arith.select %[[LOW]], %[[CLAMP]], %[[A]]
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK:         %[[D:.*]] = arith.subf %[[U]], %[[U0]]
// CHECK:         %[[AD:.*]] = math.absf %[[D]]
// CHECK:         %[[NEAR:.*]] = arith.cmpf olt, %[[AD]], %[[DELTA]]
// CHECK:         arith.select %[[NEAR]]
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[Y:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK-NEXT:    %[[P:.*]] = arith.subf %{{.*}}, %[[Y]] : vector<16xf32>
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[NEG]], %[[Y]], %[[P]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    return %[[R]]

// AVX2-LABEL: func.func @silu_grad_like(
// AVX2-NOT:     act.sigmoid
// AVX2-NOT:     vpermi2var
// AVX2:         arith.constant dense<-1.27846456> : vector<16xf32>
// AVX2:         arith.divf
// AVX2-NOT:     arith.divf
// AVX2:         return
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
