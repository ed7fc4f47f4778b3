// RUN: act-opt %s --act-math-approx="precision=fast" | FileCheck %s

// precision=fast hard_swish: its guards reordered to x > 3 ? x : (x < -3 ?
// 0 : x (x + 3) (1/6)) (Approx/AccurateF32Rational.cpp,
// FastHardSwishGuards; the tests exclude each other, so the values are
// the same), so that AVX-512 folds the zero into the last product as a
// zero mask; the division by 6 is step 3b's product by RN(1/6), as before.
// CHECK-LABEL: func.func @hard_swish(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00>
// CHECK-DAG:     %[[R6:.*]] = arith.constant dense<0.166666672>
// CHECK:         %[[P:.*]] = arith.mulf %[[X]], %{{.*}}
// CHECK:         %[[Q:.*]] = arith.mulf %[[P]], %[[R6]]
// CHECK:         %[[BELOW:.*]] = arith.cmpf olt, %[[X]]
// CHECK:         %[[A:.*]] = arith.select %[[BELOW]], %[[ZERO]], %[[Q]]
// CHECK-NEXT:    %[[Y:.*]] = arith.select %{{.*}}, %[[X]], %[[A]]
// CHECK-NEXT:    return %[[Y]]
func.func @hard_swish(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %below = arith.cmpf olt, %x, %mthree : vector<16xf32>
  %above = arith.cmpf ogt, %x, %three : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %q = arith.divf %p, %six : vector<16xf32>
  %a = arith.select %above, %x, %q : vector<16xi1>, vector<16xf32>
  %y = arith.select %below, %zero, %a : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}
