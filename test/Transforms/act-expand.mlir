// RUN: act-opt %s --act-expand=precision=fast | FileCheck %s

// The rules of td/Expand.td (precision=fast: no widening of f32 kernels;
// act-expand-widen.mlir has that).

// sigmoid(x) with e = exp(-|x|) in (0, 1]: 1/(1+e) for x >= 0, e/(1+e)
// below. exp cannot overflow and a NaN reaches the result through e.

// CHECK-LABEL: func.func @sigmoid(
// CHECK-SAME:      %[[X:.*]]: f32)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[ABS:.*]] = math.absf %[[X]] : f32
// CHECK:         %[[NEG:.*]] = arith.negf %[[ABS]] : f32
// CHECK:         %[[E:.*]] = math.exp %[[NEG]] : f32
// CHECK:         %[[DEN:.*]] = arith.addf %[[E]], %[[ONE]] : f32
// CHECK:         %[[R:.*]] = arith.divf %[[ONE]], %[[DEN]] : f32
// CHECK:         %[[GE:.*]] = arith.cmpf oge, %[[X]], %[[ZERO]] : f32
// CHECK:         %[[ER:.*]] = arith.mulf %[[E]], %[[R]] : f32
// CHECK:         %[[Y:.*]] = arith.select %[[GE]], %[[R]], %[[ER]] : f32
// CHECK:         return %[[Y]]
func.func @sigmoid(%x: f32) -> f32 {
  %y = act.sigmoid %x : f32
  return %y : f32
}

// The same rule on the vectors of act-vectorize: splat constants.

// CHECK-LABEL: func.func @sigmoid_vector(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK-DAG:     arith.constant dense<0.000000e+00> : vector<8xf64>
// CHECK-DAG:     arith.constant dense<1.000000e+00> : vector<8xf64>
// CHECK:         math.exp %{{.*}} : vector<8xf64>
// CHECK:         arith.cmpf oge, %[[X]], %{{.*}} : vector<8xf64>
// CHECK:         arith.select %{{.*}} : vector<8xi1>, vector<8xf64>
// CHECK-NOT:     act.sigmoid
func.func @sigmoid_vector(%x: vector<8xf64>) -> vector<8xf64> {
  %y = act.sigmoid %x : vector<8xf64>
  return %y : vector<8xf64>
}

// softplus(x) = max(x, 0) + log1p(exp(-|x|)): right at both infinities,
// NaN-propagating through maximumf.

// CHECK-LABEL: func.func @softplus(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK:         %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK:         %[[MAX:.*]] = arith.maximumf %[[X]], %[[ZERO]] : vector<16xf32>
// CHECK:         %[[ABS:.*]] = math.absf %[[X]] : vector<16xf32>
// CHECK:         %[[NEG:.*]] = arith.negf %[[ABS]] : vector<16xf32>
// CHECK:         %[[E:.*]] = math.exp %[[NEG]] : vector<16xf32>
// CHECK:         %[[L:.*]] = math.log1p %[[E]] : vector<16xf32>
// CHECK:         %[[Y:.*]] = arith.addf %[[MAX]], %[[L]] : vector<16xf32>
// CHECK:         return %[[Y]]
func.func @softplus(%x: vector<16xf32>) -> vector<16xf32> {
  %y = act.softplus %x : vector<16xf32>
  return %y : vector<16xf32>
}
