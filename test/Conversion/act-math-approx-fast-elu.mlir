// RUN: act-opt %s --split-input-file --act-math-approx=precision=fast | FileCheck %s

// precision=fast x > 0 ? x : expm1(x) (FastForms.cpp,
// NonPositiveExpm1Select): the expm1 is the one-sided form (ExpF32.cpp,
// buildExpm1NonPositiveF32: no upper clamp, 2^n from n's bits, y = 2^n h +
// (2^n - 1) in one FMA, no doubling, no tiny-x select) and the test is
// x >= 0, so both zeros return x.

// CHECK-LABEL: func.func @elu_like(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[BIAS:.*]] = arith.constant dense<1065353216> : vector<16xi32>
// CHECK:         %[[C:.*]] = arith.maximumf %[[X]], %{{.*}}
// CHECK-NOT:     arith.minimumf
// CHECK:         %[[RR:.*]] = arith.mulf %[[R:.*]], %[[R]]
// CHECK:         %[[H:.*]] = math.fma %[[RR]], %{{.*}}, %[[R]]
// CHECK-NEXT:    %[[SHL:.*]] = arith.shli
// CHECK-NEXT:    %[[BITS:.*]] = arith.addi %[[SHL]], %[[BIAS]]
// CHECK-NEXT:    %[[P:.*]] = arith.bitcast %[[BITS]]
// CHECK-NEXT:    %[[PM1:.*]] = arith.subf %[[P]], %[[ONE]]
// CHECK-NEXT:    %[[Y:.*]] = math.fma %[[P]], %[[H]], %[[PM1]]
// CHECK-NEXT:    %[[GE:.*]] = arith.cmpf oge, %[[X]], %[[ZERO]]
// CHECK-NEXT:    %[[R2:.*]] = arith.select %[[GE]], %[[X]], %[[Y]]
// CHECK-NEXT:    return %[[R2]]
func.func @elu_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %y = arith.select %c, %x, %e : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// selu's alpha * expm1(x) between: the product stays (then the exact
// product by a constant > 1 of act.exact), the expm1 is one-sided.

// CHECK-LABEL: func.func @selu_like(
// CHECK-NOT:     math.expm1
// CHECK:         %[[P:.*]] = arith.bitcast %{{.*}} : vector<16xi32> to vector<16xf32>
// CHECK-NEXT:    %[[PM1:.*]] = arith.subf %[[P]], %{{.*}}
// CHECK-NEXT:    %[[Y:.*]] = math.fma %[[P]], %{{.*}}, %[[PM1]]
// CHECK-NEXT:    arith.mulf %[[Y]], %{{.*}}
// CHECK:         %[[A:.*]] = math.fma %[[Y]], %{{.*}}, %{{.*}}
// CHECK-NEXT:    %[[GE:.*]] = arith.cmpf oge
// CHECK-NEXT:    arith.select %[[GE]], %{{.*}}, %[[A]]
func.func @selu_like(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %alpha = arith.constant dense<1.67326319> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %a = arith.mulf %e, %alpha {act.exact = [unit, 1.6732632423543772]} : vector<16xf32>
  %y = arith.select %c, %x, %a : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Not this form: a test other than x > 0 keeps the two-sided expm1.

// CHECK-LABEL: func.func @not_elu(
// CHECK:         arith.minimumf
// CHECK:         arith.cmpf olt
// CHECK-NOT:     arith.cmpf oge
func.func @not_elu(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %c = arith.cmpf olt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %y = arith.select %c, %x, %e : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}
