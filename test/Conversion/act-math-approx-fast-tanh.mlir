// RUN: act-opt %s --act-math-approx=precision=fast | FileCheck %s
// RUN: act-opt %s --act-math-approx="precision=fast avx512=true" | FileCheck %s --check-prefix=AVX512

// precision=fast tanh (TanhF32.cpp): -M / (2 + M), M = expm1(-2a), with
// the core scaled by -1/2 (ExpF32.cpp, buildHalfExpm1OfMinusTwiceF32): the
// argument a = min(|x|, 10) enters the shifter's FMA by -2 log2(e) and the
// reduction by ln(2)/2's halves, no product by -2; both powers of two,
// 2^n and 2^(n+1), from n's bits (no vscalef, even with AVX-512); one
// division, x's sign by copysign.
//
// With AVX-512 (16 x f32): the piecewise table instead (TanhF32.cpp,
// FastTanhTable.def): the segment index from a's bits >> 22 less 247, at
// least 0; s = a less the segment's center (the first 0, the last 10), a
// degree-6 Horner chain on coefficients picked by vpermps (permvar, one
// register each), no exp, no division, x's sign by copysign.

// CHECK-LABEL: func.func @tanh_fast(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[B128:.*]] = arith.constant dense<1073741824> : vector<16xi32>
// CHECK-DAG:     %[[B127:.*]] = arith.constant dense<1065353216> : vector<16xi32>
// CHECK-DAG:     %[[M2LOG2E:.*]] = arith.constant dense<-2.885390e+00> : vector<16xf32>
// CHECK-DAG:     %[[HALFLN2:.*]] = arith.constant dense<0.346572876> : vector<16xf32>
// CHECK:         %[[ABS:.*]] = math.absf %[[X]]
// CHECK-NEXT:    %[[A:.*]] = arith.minimumf %[[ABS]], %{{.*}}
// CHECK-NEXT:    %[[T:.*]] = math.fma %[[A]], %[[M2LOG2E]], %{{.*}}
// CHECK-NEXT:    %[[NF:.*]] = arith.subf %[[T]], %{{.*}}
// CHECK:         %[[U1:.*]] = math.fma %[[NF]], %[[HALFLN2]], %[[A]]
// CHECK-NEXT:    %[[U:.*]] = math.fma %[[NF]], %{{.*}}, %[[U1]]
// CHECK-NOT:     arith.mulf %[[A]]
// CHECK:         %[[G:.*]] = math.fma %{{.*}}, %{{.*}}, %[[U]] : vector<16xf32>
// CHECK-NEXT:    %[[BITS:.*]] = arith.shli
// CHECK-NEXT:    %[[P:.*]] = arith.addi %[[BITS]], %[[B127]]
// CHECK-NEXT:    %[[POW:.*]] = arith.bitcast %[[P]]
// CHECK-NEXT:    %[[Q:.*]] = arith.addi %[[BITS]], %[[B128]]
// CHECK-NEXT:    %[[TWICE:.*]] = arith.bitcast %[[Q]]
// CHECK-NEXT:    %[[OMP:.*]] = arith.subf %[[ONE]], %[[POW]]
// CHECK-NEXT:    %[[NUM:.*]] = math.fma %[[TWICE]], %[[G]], %[[OMP]]
// CHECK-NEXT:    %[[NT:.*]] = arith.negf %[[TWICE]]
// CHECK-NEXT:    %[[OPP:.*]] = arith.addf %[[POW]], %[[ONE]]
// CHECK-NEXT:    %[[DEN:.*]] = math.fma %[[NT]], %[[G]], %[[OPP]]
// CHECK-NEXT:    %[[Y:.*]] = arith.divf %[[NUM]], %[[DEN]]
// CHECK-NEXT:    %[[R:.*]] = math.copysign %[[Y]], %[[X]]
// CHECK-NEXT:    return %[[R]]
// CHECK-NOT:     llvm.call_intrinsic
// AVX512-LABEL: func.func @tanh_fast(
// AVX512-SAME:       %[[X:.*]]: vector<16xf32>)
// AVX512-DAG:      %[[ZERO:.*]] = arith.constant dense<0> : vector<16xi32>
// AVX512-DAG:      %[[BASE:.*]] = arith.constant dense<247> : vector<16xi32>
// AVX512-DAG:      %[[SHIFT:.*]] = arith.constant dense<22> : vector<16xi32>
// AVX512-DAG:      %[[TEN:.*]] = arith.constant dense<1.000000e+01> : vector<16xf32>
// AVX512-DAG:      %[[CENTERS:.*]] = arith.constant dense<[0.000000e+00, 1.562500e-01, 2.187500e-01, {{.*}}, 7.000000e+00, 1.000000e+01, 0.000000e+00, 0.000000e+00]>
// AVX512-DAG:      %[[C0:.*]] = arith.constant dense<[0.000000e+00, 0.154990733, {{.*}}, 0.999998331, 1.000000e+00, 0.000000e+00, 0.000000e+00]>
// AVX512:          %[[ABS:.*]] = math.absf %[[X]]
// AVX512-NEXT:     %[[A:.*]] = arith.minimumf %[[ABS]], %[[TEN]]
// AVX512-NEXT:     %[[BITS:.*]] = arith.bitcast %[[A]] : vector<16xf32> to vector<16xi32>
// AVX512-NEXT:     %[[HIGH:.*]] = arith.shrsi %[[BITS]], %[[SHIFT]]
// AVX512-NEXT:     %[[K:.*]] = arith.subi %[[HIGH]], %[[BASE]]
// AVX512-NEXT:     %[[INDEX:.*]] = arith.maxsi %[[K]], %[[ZERO]]
// AVX512-NEXT:     %[[CENTER:.*]] = llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%[[CENTERS]], %[[INDEX]])
// AVX512-NEXT:     %[[S:.*]] = arith.subf %[[A]], %[[CENTER]]
// AVX512-COUNT-5:  math.fma %{{.*}}, %[[S]], %{{.*}}
// AVX512-NOT:      arith.divf
// AVX512:          %[[P0:.*]] = llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%[[C0]], %[[INDEX]])
// AVX512-NEXT:     %[[Y:.*]] = math.fma %{{.*}}, %[[S]], %[[P0]]
// AVX512-NEXT:     %[[R:.*]] = math.copysign %[[Y]], %[[X]]
// AVX512-NEXT:     return %[[R]]
func.func @tanh_fast(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.tanh %x : vector<16xf32>
  return %y : vector<16xf32>
}
