// RUN: act-opt %s --split-input-file --act-math-approx="precision=fast" | FileCheck %s

// precision=fast hard_swish: min(x (x + 3) (1/6), max(x, 0))
// (Approx/AccurateF32Rational.cpp, buildFastHardSwish): no compare with
// +-3 is left; the product is >= x above 3 and >= 0 below -3, so the
// min and max give x and 0 there. max(x, 0) as x < 0 ? 0 : x and the min
// as p < q ? p : q are one vmaxps / vminps each with the NaN operand
// second; the division by 6 is step 3b's product by RN(1/6), as before.
// CHECK-LABEL: func.func @hard_swish(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00>
// CHECK-DAG:     %[[R6:.*]] = arith.constant dense<0.166666672>
// CHECK-DAG:     %[[THREE:.*]] = arith.constant dense<3.000000e+00>
// CHECK:         %[[S:.*]] = arith.addf %[[X]], %[[THREE]]
// CHECK-NEXT:    %[[P:.*]] = arith.mulf %[[X]], %[[S]]
// CHECK-NEXT:    %[[Q:.*]] = arith.mulf %[[P]], %[[R6]]
// CHECK-NEXT:    %[[NEG:.*]] = arith.cmpf olt, %[[X]], %[[ZERO]]
// CHECK-NEXT:    %[[POS:.*]] = arith.select %[[NEG]], %[[ZERO]], %[[X]]
// CHECK-NEXT:    %[[LESS:.*]] = arith.cmpf olt, %[[POS]], %[[Q]]
// CHECK-NEXT:    %[[Y:.*]] = arith.select %[[LESS]], %[[POS]], %[[Q]]
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

// -----

// Its gradient keeps the guards, reordered to x > 3 ? 1 : (x < -3 ? 0 :
// (x + x + 3) (1/6)) so that AVX-512 folds the zero into the last product
// as a zero mask (f' takes both signs on [-3, 3]: no min/max form).
// CHECK-LABEL: func.func @hard_swish_grad(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00>
// CHECK-DAG:     %[[R6:.*]] = arith.constant dense<0.166666672>
// CHECK:         %[[Q:.*]] = arith.mulf %{{.*}}, %[[R6]]
// CHECK:         %[[BELOW:.*]] = arith.cmpf olt, %[[X]]
// CHECK:         %[[A:.*]] = arith.select %[[BELOW]], %[[ZERO]], %[[Q]]
// CHECK-NEXT:    %[[Y:.*]] = arith.select %{{.*}}, %[[ONE]], %[[A]]
// CHECK-NEXT:    return %[[Y]]
func.func @hard_swish_grad(%x: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.000000e+00> : vector<16xf32>
  %three = arith.constant dense<3.000000e+00> : vector<16xf32>
  %mthree = arith.constant dense<-3.000000e+00> : vector<16xf32>
  %zero = arith.constant dense<0.000000e+00> : vector<16xf32>
  %six = arith.constant dense<6.000000e+00> : vector<16xf32>
  %below = arith.cmpf olt, %x, %mthree : vector<16xf32>
  %above = arith.cmpf ogt, %x, %three : vector<16xf32>
  %s = arith.addf %x, %three : vector<16xf32>
  %t = arith.addf %s, %x : vector<16xf32>
  %q = arith.divf %t, %six : vector<16xf32>
  %a = arith.select %above, %one, %q : vector<16xi1>, vector<16xf32>
  %y = arith.select %below, %zero, %a : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}
