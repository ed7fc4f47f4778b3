// RUN: act-opt %s --act-math-approx=precision=fast | FileCheck %s
// RUN: act-opt %s --act-math-approx=precision=accurate | FileCheck %s --check-prefix=ACCURATE

// precision=fast expm1 (ExpF32.cpp, buildExpm1FastF32): exp's reduction and
// polynomial h = r + r^2 q(r), then y = 2 (2^(n-1) h + (2^(n-1) - 1/2)) in
// one FMA and one exact doubling, 2^(n-1) from the shifter's bits (no
// vscalef, no pair sums), and x itself where |x| < 2^-25.

// CHECK-LABEL: func.func @expm1_fast(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[HALF:.*]] = arith.constant dense<5.000000e-01> : vector<16xf32>
// CHECK-DAG:     %[[BIAS:.*]] = arith.constant dense<1056964608> : vector<16xi32>
// CHECK-DAG:     %[[TINY:.*]] = arith.constant dense<2.98023224E-8> : vector<16xf32>
// CHECK:         %[[LO:.*]] = arith.maximumf %[[X]], %{{.*}} : vector<16xf32>
// CHECK:         %[[C:.*]] = arith.minimumf %[[LO]], %{{.*}} : vector<16xf32>
// CHECK:         %[[T:.*]] = math.fma %[[C]], %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         %[[RR:.*]] = arith.mulf %[[R:.*]], %[[R]] : vector<16xf32>
// CHECK:         %[[H:.*]] = math.fma %[[RR]], %{{.*}}, %[[R]] : vector<16xf32>
// CHECK:         %[[SHL:.*]] = arith.shli %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK-NEXT:    %[[BITS:.*]] = arith.addi %[[SHL]], %[[BIAS]] : vector<16xi32>
// CHECK-NEXT:    %[[P:.*]] = arith.bitcast %[[BITS]] : vector<16xi32> to vector<16xf32>
// CHECK-NEXT:    %[[PM:.*]] = arith.subf %[[P]], %[[HALF]] : vector<16xf32>
// CHECK-NEXT:    %[[B:.*]] = math.fma %[[P]], %[[H]], %[[PM]] : vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.addf %[[B]], %[[B]] : vector<16xf32>
// CHECK-NEXT:    %[[A:.*]] = math.absf %[[X]] : vector<16xf32>
// CHECK-NEXT:    %[[SMALL:.*]] = arith.cmpf olt, %[[A]], %[[TINY]] : vector<16xf32>
// CHECK-NEXT:    %[[R2:.*]] = arith.select %[[SMALL]], %[[X]], %[[Y]]
// CHECK-NEXT:    return %[[R2]]
// CHECK-NOT:     math.expm1
// ACCURATE-LABEL: func.func @expm1_fast(
// ACCURATE-NOT:   math.expm1
// ACCURATE-NOT:   dense<1056964608>
// ACCURATE:       return
func.func @expm1_fast(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.expm1 %x : vector<16xf32>
  return %y : vector<16xf32>
}
