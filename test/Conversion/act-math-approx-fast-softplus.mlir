// RUN: act-opt %s --act-math-approx="precision=fast avx512=true" | FileCheck %s
// RUN: act-opt %s --act-math-approx=precision=fast | FileCheck %s --check-prefix=PORTABLE
// RUN: act-opt %s --act-math-approx=precision=accurate | FileCheck %s --check-prefix=ACCURATE

// precision=fast softplus (ComposedF32.cpp, buildSoftplusFastF32):
// max(x, 0) + log1p(E), E = exp(-|x|) from the coarse exp core (AVX-512:
// the table core, rounded once by vscalefps), log1p(E) = k ln 2 + f + f^2
// Q(f) with f = E (k = 0) or (E - 1) / 2 (E >= 1/2, k = 1), exact: no
// 1 + E, no correction division, no log's exponent extraction or special
// cases. max(x, 0) is a select on x > 0 (a NaN x reaches y through E).

// CHECK-LABEL: func.func @softplus_fast(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[LN2:.*]] = arith.constant dense<0.693147182> : vector<16xf32>
// CHECK-DAG:     %[[Q0:.*]] = arith.constant dense<-0.500000477> : vector<16xf32>
// CHECK-DAG:     %[[Q7:.*]] = arith.constant dense<0.0510771833> : vector<16xf32>
// CHECK-DAG:     %[[MHALF:.*]] = arith.constant dense<-5.000000e-01> : vector<16xf32>
// CHECK-DAG:     %[[HALF:.*]] = arith.constant dense<5.000000e-01> : vector<16xf32>
// CHECK-DAG:     %[[MIN:.*]] = arith.constant dense<-1.040000e+02> : vector<16xf32>
// CHECK:         %[[ABS:.*]] = math.absf %[[X]]
// CHECK-NEXT:    %[[NEG:.*]] = arith.negf %[[ABS]]
// CHECK-NEXT:    %[[A:.*]] = arith.maximumf %[[NEG]], %[[MIN]]
// CHECK:         llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK:         %[[E:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"
// CHECK-NEXT:    %[[BIG:.*]] = arith.cmpf oge, %[[E]], %[[HALF]]
// CHECK-NEXT:    %[[G:.*]] = math.fma %[[E]], %[[HALF]], %[[MHALF]]
// CHECK-NEXT:    %[[F:.*]] = arith.select %[[BIG]], %[[G]], %[[E]]
// CHECK-NEXT:    %[[F2:.*]] = arith.mulf %[[F]], %[[F]]
// CHECK-NEXT:    %[[P1:.*]] = math.fma %[[Q7]], %[[F]], %{{.*}}
// CHECK-COUNT-5: math.fma %{{.*}}, %[[F]], %{{.*}}
// CHECK-NEXT:    %[[Q:.*]] = math.fma %{{.*}}, %[[F]], %[[Q0]]
// CHECK-NEXT:    %[[L:.*]] = math.fma %[[F2]], %[[Q]], %[[F]]
// CHECK-NEXT:    %[[K:.*]] = arith.select %[[BIG]], %[[LN2]], %[[ZERO]]
// CHECK-NEXT:    %[[Y:.*]] = arith.addf %[[K]], %[[L]]
// CHECK-NEXT:    %[[POS:.*]] = arith.cmpf ogt, %[[X]], %[[ZERO]]
// CHECK-NEXT:    %[[M:.*]] = arith.select %[[POS]], %[[X]], %[[ZERO]]
// CHECK-NEXT:    %[[R:.*]] = arith.addf %[[M]], %[[Y]]
// CHECK-NEXT:    return %[[R]]

// Without AVX-512: the degree-5 core and two exact powers of two; the same
// log1p.
// PORTABLE-LABEL: func.func @softplus_fast(
// PORTABLE-NOT:   llvm.call_intrinsic
// PORTABLE-NOT:   arith.divf
// PORTABLE:       arith.cmpf oge, %{{.*}}, %{{.*}}
// PORTABLE:       return

// precision=accurate is not this form.
// ACCURATE-LABEL: func.func @softplus_fast(
// ACCURATE-NOT:   dense<0.0510771833>
// ACCURATE:       return
func.func @softplus_fast(%x: vector<16xf32>) -> vector<16xf32> {
  %y = act.softplus %x : vector<16xf32>
  return %y : vector<16xf32>
}
