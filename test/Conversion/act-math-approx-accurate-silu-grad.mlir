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

// The tanh GELUs' sum (gelu_tanh', new_gelu'; act-autodiff's form with its
// strong zeros): t = k x (1 + a x^2) and m = x t'(x) recognized at compile
// time (FastForms.cpp matchCubicArguments, with FastGradRoots.def's
// series in x), rebuilt as pairs at v = -|x| clamped at -12
// (buildCubicArgumentsF32), G = 1 + m + E, the series next to x0 =
// -0.752461433 (|v - x0| < 1/16), one division, 1 - f'(v) where x >= 0
// (AccurateF32SigmoidGrad.cpp buildAccurateCubicGeluGradF32).

// CHECK-LABEL: func.func @gelu_tanh_grad_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[X0:.*]] = arith.constant dense<-0.752461433> : vector<16xf32>
// CHECK-DAG:     %[[DELTA:.*]] = arith.constant dense<6.250000e-02> : vector<16xf32>
// CHECK-DAG:     %[[KH:.*]] = arith.constant dense<1.59576917> : vector<16xf32>
// CHECK-DAG:     %[[CLAMP:.*]] = arith.constant dense<-1.200000e+01> : vector<16xf32>
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     arith.cmpf oeq
// CHECK:         %[[NEG:.*]] = arith.cmpf olt, %[[X]], %{{.*}} : vector<16xf32>
// CHECK:         %[[AX:.*]] = math.absf %[[X]]
// CHECK:         %[[A:.*]] = arith.negf %[[AX]]
// CHECK:         %[[LOW:.*]] = arith.cmpf olt, %[[A]], %[[CLAMP]]
// CHECK:         %[[V:.*]] = arith.select %[[LOW]], %[[CLAMP]], %[[A]]
// CHECK:         arith.mulf %[[V]], %[[V]]
// CHECK:         arith.mulf %[[V]], %[[KH]]
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK:         %[[D:.*]] = arith.subf %[[V]], %[[X0]]
// CHECK:         %[[AD:.*]] = math.absf %[[D]]
// CHECK:         %[[NEAR:.*]] = arith.cmpf olt, %[[AD]], %[[DELTA]]
// CHECK:         arith.select %[[NEAR]]
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[Y:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK-NEXT:    %[[P:.*]] = arith.subf %{{.*}}, %[[Y]] : vector<16xf32>
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[NEG]], %[[Y]], %[[P]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    return %[[R]]

// AVX2-LABEL: func.func @gelu_tanh_grad_like(
// AVX2-NOT:     act.sigmoid
// AVX2:         arith.constant dense<-0.752461433> : vector<16xf32>
// AVX2:         arith.divf
// AVX2-NOT:     arith.divf
// AVX2:         return
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
