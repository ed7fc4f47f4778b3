// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s

// precision=accurate: the f64 sigmoid and softplus forms act-expand left
// whole are evaluated in double-double (lib/Conversion/AccurateF64Forms.cpp):
// exp's core inline (no math.exp), the product by m joined to one division
// with a residual step, 2^n applied last, -|t| below the clamp giving m 0.

// CHECK-LABEL: func.func @silu(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK-NOT:     act.sigmoid
// CHECK-NOT:     math.exp
// CHECK:         math.fma %[[X]]
// CHECK:         %[[R:.*]] = arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[Q:.*]] = arith.mulf %{{.*}}, %[[R]]
// CHECK:         math.fma %{{.*}}, %[[R]], %[[Q]]
// CHECK:         %[[ZERO:.*]] = arith.mulf %[[X]], %{{.*}}
// CHECK:         %[[Y:.*]] = arith.select %{{.*}}, %[[ZERO]], %{{.*}}
// CHECK-NEXT:    return %[[Y]]
func.func @silu(%x: vector<8xf64>) -> vector<8xf64> {
  %s = act.sigmoid %x : vector<8xf64>
  %y = arith.mulf %x, %s : vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// 1.702 x as a pair: the product's error (twoProd's FMA) and 1.702's own
// decimal tail (1.702 - fl(1.702) = 4.26e-17) join the argument.
// CHECK-LABEL: func.func @quick_gelu(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK-DAG:     arith.constant dense<4.263{{[0-9]*}}E-17> : vector<8xf64>
// CHECK-DAG:     %[[T:.*]] = arith.mulf %[[X]], %[[C:.*]] :
// CHECK-DAG:     math.fma %[[X]], %[[C]], %{{.*}}
// CHECK-NOT:     act.sigmoid
// CHECK:         return
func.func @quick_gelu(%x: vector<8xf64>) -> vector<8xf64> {
  %c = arith.constant dense<1.702> : vector<8xf64>
  %t = arith.mulf %x, %c : vector<8xf64>
  %s = act.sigmoid %t : vector<8xf64>
  %y = arith.mulf %x, %s : vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// softplus: log of the pair 1 + E (the log core's division and the low
// part's), the sum with max(t, 0) rounded once; no math.log1p or math.exp.
// CHECK-LABEL: func.func @softplus(
// CHECK-NOT:     act.softplus
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.log1p
// CHECK-COUNT-2: arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         return
func.func @softplus(%x: vector<8xf64>) -> vector<8xf64> {
  %y = act.softplus %x : vector<8xf64>
  return %y : vector<8xf64>
}
