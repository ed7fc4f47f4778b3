// RUN: act-opt %s --split-input-file --act-math-approx | FileCheck %s

// precision=accurate, f64 (lib/Conversion/AccurateF64Forms.cpp): the
// rational activations' quotients of pairs, selu's products by pair
// constants, tanhshrink and mish as their double-double forms.

// x (x + 3) / 6: x + 3 by twoSum, the product by twoProd (an FMA), one
// division by 6 and the residual times 1/6; where the heads' quotient is
// 0 or not finite, that quotient.
// CHECK-LABEL: func.func @hard_swish(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK-DAG:     %[[SIXTH:.*]] = arith.constant dense<0.16666666666666666>
// CHECK-DAG:     %[[SIX:.*]] = arith.constant dense<6.000000e+00>
// CHECK:         %[[S:.*]] = arith.addf %[[X]], %{{.*}}
// CHECK:         %[[P:.*]] = arith.mulf %[[X]], %[[S]]
// CHECK:         math.fma %[[X]], %[[S]]
// CHECK:         %[[Q:.*]] = arith.divf %[[P]], %[[SIX]]
// CHECK-NOT:     arith.divf
// CHECK:         %[[R:.*]] = math.fma %{{.*}}, %[[SIX]], %[[P]]
// CHECK:         %[[Y:.*]] = math.fma %{{.*}}, %[[SIXTH]], %[[Q]]
// CHECK:         %[[Z:.*]] = arith.select %{{.*}}, %[[Y]], %[[Q]]
// CHECK-NEXT:    return %[[Z]]
func.func @hard_swish(%x: vector<8xf64>) -> vector<8xf64> {
  %three = arith.constant dense<3.0> : vector<8xf64>
  %six = arith.constant dense<6.0> : vector<8xf64>
  %s = arith.addf %x, %three : vector<8xf64>
  %p = arith.mulf %x, %s : vector<8xf64>
  %y = arith.divf %p, %six : vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// x / (1 + |x|): the denominator as a pair, one division (1 / d) and a
// residual step (Emitter::divPair).
// CHECK-LABEL: func.func @softsign(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK:         %[[D:.*]] = arith.addf
// CHECK:         %[[R:.*]] = arith.divf %{{.*}}, %[[D]]
// CHECK-NOT:     arith.divf
// CHECK:         %[[Q:.*]] = arith.mulf %[[X]], %[[R]]
// CHECK:         math.fma %{{.*}}, %[[D]], %[[X]]
// CHECK:         %[[Y:.*]] = math.fma %{{.*}}, %[[R]], %[[Q]]
// CHECK:         %[[Z:.*]] = arith.select %{{.*}}, %[[Y]], %{{.*}}
// CHECK-NEXT:    return %[[Z]]
func.func @softsign(%x: vector<8xf64>) -> vector<8xf64> {
  %one = arith.constant dense<1.0> : vector<8xf64>
  %a = math.absf %x : vector<8xf64>
  %d = arith.addf %a, %one : vector<8xf64>
  %y = arith.divf %x, %d : vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// scale * (x > 0 ? x : alpha * expm1(x)): expm1's core inline as a pair
// (no math.expm1), scale alpha one pair constant (its head 1.7580993...),
// each side rounded once, the select kept.
// CHECK-LABEL: func.func @selu(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK-DAG:     arith.constant dense<1.7580993408473766>
// CHECK-DAG:     %[[C:.*]] = arith.cmpf ogt, %[[X]]
// CHECK-NOT:     math.expm1
// CHECK:         %[[Y:.*]] = arith.select %[[C]], %{{.*}}, %{{.*}}
// CHECK-NEXT:    return %[[Y]]
func.func @selu(%x: vector<8xf64>) -> vector<8xf64> {
  %alpha = arith.constant dense<1.6732632423543772> : vector<8xf64>
  %scale = arith.constant dense<1.0507009873554805> : vector<8xf64>
  %zero = arith.constant dense<0.0> : vector<8xf64>
  %c = arith.cmpf ogt, %x, %zero : vector<8xf64>
  %e = math.expm1 %x : vector<8xf64>
  %n = arith.mulf %e, %alpha : vector<8xf64>
  %s = arith.select %c, %x, %n : vector<8xi1>, vector<8xf64>
  %y = arith.mulf %s, %scale : vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// act-stabilize's series select: replaced whole (its own series below 1/2,
// tanh as a pair above: no math.tanh, one division).
// CHECK-LABEL: func.func @tanhshrink(
// CHECK-NOT:     math.tanh
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK-NOT:     math.tanh
// CHECK:         return
func.func @tanhshrink(%x: vector<8xf64>) -> vector<8xf64> {
  %half = arith.constant dense<0.5> : vector<8xf64>
  %third = arith.constant dense<0.33333333333333331> : vector<8xf64>
  %t = math.tanh %x : vector<8xf64>
  %z = arith.mulf %x, %x : vector<8xf64>
  %x3 = arith.mulf %x, %z : vector<8xf64>
  %series = arith.mulf %x3, %third : vector<8xf64>
  %a = math.absf %x : vector<8xf64>
  %small = arith.cmpf olt, %a, %half : vector<8xf64>
  %d = arith.subf %x, %t : vector<8xf64>
  %y = arith.select %small, %series, %d {act.series} : vector<8xi1>, vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// x * tanh(softplus(x)): one quotient of exp's pair (no tanh, softplus,
// exp or log left), x's sign copied, x itself above the clamp.
// CHECK-LABEL: func.func @mish(
// CHECK-SAME:      %[[X:.*]]: vector<8xf64>)
// CHECK-NOT:     act.softplus
// CHECK-NOT:     math.tanh
// CHECK:         arith.divf
// CHECK-NOT:     arith.divf
// CHECK:         %[[S:.*]] = math.copysign %{{.*}}, %[[X]]
// CHECK:         arith.select %{{.*}}, %[[X]], %[[S]]
// CHECK:         return
func.func @mish(%x: vector<8xf64>) -> vector<8xf64> {
  %s = act.softplus %x : vector<8xf64>
  %t = math.tanh %s : vector<8xf64>
  %y = arith.mulf %x, %t : vector<8xf64>
  return %y : vector<8xf64>
}

// -----

// An f32 kernel's arithmetic widened to f64 keeps its division (its forms
// are the f32 ones).
// CHECK-LABEL: func.func @widened(
// CHECK:         %[[X:.*]] = arith.extf
// CHECK:         %[[D:.*]] = arith.addf
// CHECK-NEXT:    arith.divf %[[X]], %[[D]]
func.func @widened(%x32: vector<8xf32>) -> vector<8xf32> {
  %one = arith.constant dense<1.0> : vector<8xf64>
  %x = arith.extf %x32 : vector<8xf32> to vector<8xf64>
  %a = math.absf %x : vector<8xf64>
  %d = arith.addf %a, %one : vector<8xf64>
  %y = arith.divf %x, %d : vector<8xf64>
  %y32 = arith.truncf %y : vector<8xf64> to vector<8xf32>
  return %y32 : vector<8xf32>
}

// -----

// A quotient of a function's value (a gradient's) stays a division of
// its heads.
// CHECK-LABEL: func.func @function_quotient(
// CHECK:         %[[Y:.*]] = arith.divf
// CHECK-NEXT:    return %[[Y]]
func.func @function_quotient(%x: vector<8xf64>) -> vector<8xf64> {
  %one = arith.constant dense<1.0> : vector<8xf64>
  %e = math.exp %x : vector<8xf64>
  %d = arith.addf %e, %one : vector<8xf64>
  %y = arith.divf %one, %d : vector<8xf64>
  return %y : vector<8xf64>
}
