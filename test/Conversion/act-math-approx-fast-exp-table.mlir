// RUN: act-opt %s --act-math-approx="precision=fast avx512=true" | FileCheck %s
// RUN: act-opt %s --act-math-approx=precision=fast | FileCheck %s --check-prefix=PORTABLE

// precision=fast sigmoid with AVX-512 (ExpF32.cpp, reduceExpTable):
// exp(-|x|) = 2^n T_j (1 + c1 r + c2 r^2), x = (n + j/32) ln 2 + r: the
// shifter 1.5 * 2^18 leaves n + j/32 in t, whose low five bits pick T_j =
// 2^(j/32) from two registers (one vpermt2ps), a degree-2 polynomial
// (T r (c1 + c2 r) + T, one rounding) and one vscalefps by n + j/32
// (it floors). Without AVX-512 the degree-5 polynomial stays.

// CHECK-LABEL: func.func @sigmoid_fast(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[SHIFT:.*]] = arith.constant dense<3.932160e+05> : vector<16xf32>
// CHECK-DAG:     %[[LO:.*]] = arith.constant dense<[1.000000e+00, 1.0218972,
// CHECK-DAG:     %[[HI:.*]] = arith.constant dense<[1.41421354, 1.44518077,
// CHECK-DAG:     %[[C1:.*]] = arith.constant dense<1.00001466> : vector<16xf32>
// CHECK-DAG:     %[[C2:.*]] = arith.constant dense<0.500000238> : vector<16xf32>
// CHECK:         %[[A:.*]] = arith.maximumf
// CHECK-NEXT:    %[[T:.*]] = math.fma %[[A]], %{{.*}}, %[[SHIFT]]
// CHECK-NEXT:    %[[BITS:.*]] = arith.bitcast %[[T]] : vector<16xf32> to vector<16xi32>
// CHECK-NEXT:    %[[TJ:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%[[LO]], %[[BITS]], %[[HI]])
// CHECK-NEXT:    %[[NF:.*]] = arith.subf %[[T]], %[[SHIFT]]
// CHECK-NEXT:    %[[R1:.*]] = math.fma %[[NF]], %{{.*}}, %[[A]]
// CHECK-NEXT:    %[[R:.*]] = math.fma %[[NF]], %{{.*}}, %[[R1]]
// CHECK-NEXT:    %[[P:.*]] = math.fma %[[R]], %[[C2]], %[[C1]]
// CHECK-NEXT:    %[[TR:.*]] = arith.mulf %[[TJ]], %[[R]]
// CHECK-NEXT:    %[[N:.*]] = math.fma %[[TR]], %[[P]], %[[TJ]]
// CHECK-NEXT:    %[[E:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[N]], %[[NF]], %[[N]]
// CHECK:         arith.divf
// CHECK-NEXT:    return
// PORTABLE-LABEL: func.func @sigmoid_fast(
// PORTABLE-NOT:   llvm.call_intrinsic
// PORTABLE-NOT:   dense<3.932160e+05>
// PORTABLE:       return
func.func @sigmoid_fast(%x: vector<16xf32>) -> vector<16xf32> {
  %y = act.sigmoid %x : vector<16xf32>
  return %y : vector<16xf32>
}

// m * sigmoid(t) (silu, swish, quick_gelu, the tanh GELUs) takes the same
// table with a cubic, 1 + r (1 + r (1/2 + r/6)), one FMA more than the
// plain sigmoid's fit (the product's own rounding leaves less room): the
// Horner chain of the degree-6 core was the loop's critical path.
// CHECK-LABEL: func.func @silu_fast(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[HALF:.*]] = arith.constant dense<5.000000e-01> : vector<16xf32>
// CHECK-DAG:     %[[SIXTH:.*]] = arith.constant dense<0.166666672> : vector<16xf32>
// CHECK:         %[[TJ:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// CHECK-NEXT:    %[[NF:.*]] = arith.subf
// CHECK-NEXT:    %[[R1:.*]] = math.fma %[[NF]], %{{.*}}, %{{.*}}
// CHECK-NEXT:    %[[R:.*]] = math.fma %[[NF]], %{{.*}}, %[[R1]]
// CHECK-NEXT:    %[[P2:.*]] = math.fma %[[R]], %[[SIXTH]], %[[HALF]]
// CHECK-NEXT:    %[[P:.*]] = math.fma %[[R]], %[[P2]], %[[ONE]]
// CHECK-NEXT:    %[[TR:.*]] = arith.mulf %[[TJ]], %[[R]]
// CHECK-NEXT:    %[[N:.*]] = math.fma %[[TR]], %[[P]], %[[TJ]]
// CHECK-NEXT:    llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[N]], %[[NF]], %[[N]]
// CHECK-NEXT:    arith.mulf %[[X]], %[[N]]
// CHECK:         arith.divf
// PORTABLE-LABEL: func.func @silu_fast(
// PORTABLE-NOT:   llvm.call_intrinsic
// PORTABLE:       return
func.func @silu_fast(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.sigmoid %x : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// The tanh GELUs, x sigmoid(k x (1 + a x^2)) (FastForms.cpp's
// matchCubicArgument, a > 0, m = x; GeluTanhF32.cpp): x clamped to +-11,
// |t| = |x| (k + k a x^2) in pairs from x^2 = twoProd(x, x), the same table
// core on -|t|, S = h / (1 + E) by one division, p = 2^n x S and x > 0 ?
// x - p : p: no selects for the tails, no copysign. silu (a = 0) keeps the
// form above. Without AVX-512 the generic pairs stay.
// CHECK-LABEL: func.func @gelu_tanh_fast(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[KA:.*]] = arith.constant dense<0.0713548139> : vector<16xf32>
// CHECK-DAG:     %[[K:.*]] = arith.constant dense<1.59576{{[0-9]+}}> : vector<16xf32>
// CHECK-DAG:     %[[LIM:.*]] = arith.constant dense<1.100000e+01> : vector<16xf32>
// CHECK:         %[[C1:.*]] = arith.maximumf %[[X]]
// CHECK-NEXT:    %[[XC:.*]] = arith.minimumf %[[C1]], %[[LIM]]
// CHECK-NEXT:    %[[A:.*]] = math.absf %[[XC]]
// CHECK-NEXT:    %[[S:.*]] = arith.mulf %[[A]], %[[A]]
// CHECK:         arith.mulf %[[S]], %[[KA]]
// CHECK:         arith.addf %{{.*}}, %[[K]]
// CHECK-COUNT-1: llvm.x86.avx512.vpermi2var.ps.512
// CHECK-NOT:     llvm.x86.avx512.vpermi2var.ps.512
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[B:.*]] = arith.mulf %[[XC]]
// CHECK-NEXT:    %[[P:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[B]]
// CHECK-NEXT:    %[[G:.*]] = arith.cmpf ogt, %[[X]]
// CHECK-NEXT:    %[[D:.*]] = arith.subf %[[X]], %[[P]]
// CHECK-NEXT:    %[[Y:.*]] = arith.select %[[G]], %[[D]], %[[P]]
// CHECK-NEXT:    return %[[Y]]
// PORTABLE-LABEL: func.func @gelu_tanh_fast(
// PORTABLE-NOT:   llvm.call_intrinsic
// PORTABLE-NOT:   dense<1.100000e+01>
// PORTABLE:       return
func.func @gelu_tanh_fast(%x: vector<16xf32>) -> vector<16xf32> {
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
