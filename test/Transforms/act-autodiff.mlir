// RUN: act-opt %s -act-autodiff -split-input-file | FileCheck %s

// silu' = s + x * s * (1 - s): the forward sigmoid is reused, not recomputed.
// The product x * s' has a strong zero (s' == 0 ? s' : s' * x), so that
// silu'(+inf) is 1, not inf * 0.
// CHECK-LABEL: act.activation @silu_grad params [] attributes {grad_of = @silu}
// CHECK-DAG:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-DAG:   %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-DAG:   %[[S:.*]] = act.sigmoid %x : f64
// CHECK-NOT:   act.sigmoid
// CHECK:       %[[OMS:.*]] = arith.subf %[[ONE]], %[[S]] : f64
// CHECK:       %[[DS:.*]] = arith.mulf %[[S]], %[[OMS]] : f64
// CHECK:       %[[XDS:.*]] = arith.mulf %[[DS]], %x : f64
// CHECK:       %[[VANISHES:.*]] = arith.cmpf oeq, %[[DS]], %[[ZERO]] : f64
// CHECK:       %[[STRONG:.*]] = arith.select %[[VANISHES]], %[[DS]], %[[XDS]] : f64
// CHECK:       %[[D:.*]] = arith.addf %[[S]], %[[STRONG]] : f64
// CHECK:       act.return %[[D]] : f64
act.activation @silu params [] {
^bb0(%x: f64):
  %s = act.sigmoid %x : f64
  %y = arith.mulf %x, %s : f64
  act.return %y : f64
}

// -----

// A runtime parameter gets its partial: d/dbeta x*s(beta x) = x * x * s(1-s).
// A strong zero against beta (a parameter, finite) is a plain product.
// CHECK-LABEL: act.activation @swish_grad
// CHECK-SAME:  grad_of = @swish
// CHECK:       %[[B:.*]] = act.param "beta" : f64
// CHECK:       %[[BX:.*]] = arith.mulf %[[B]], %x : f64
// CHECK:       %[[S:.*]] = act.sigmoid %[[BX]] : f64
// CHECK:       %[[DS:.*]] = arith.mulf %[[S]], %{{.*}} : f64
// CHECK:       %[[DSB:.*]] = arith.mulf %[[DS]], %[[B]] : f64
// CHECK-NOT:   arith.select {{.*}}%[[DSB]] :
// CHECK:       %[[DX:.*]] = arith.addf %[[S]], %{{.*}} : f64
// CHECK:       %[[T:.*]] = arith.mulf %[[DS]], %x : f64
// CHECK:       %[[ST:.*]] = arith.select %{{.*}}, %[[DS]], %[[T]] : f64
// CHECK:       %[[DB:.*]] = arith.mulf %[[ST]], %x : f64
// CHECK:       %[[SDB:.*]] = arith.select %{{.*}}, %[[ST]], %[[DB]] : f64
// CHECK:       act.return %[[DX]], %[[SDB]] : f64, f64
act.activation @swish params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  %b = act.param "beta" : f64
  %bx = arith.mulf %b, %x : f64
  %s = act.sigmoid %bx : f64
  %y = arith.mulf %x, %s : f64
  act.return %y : f64
}

// -----

// relu'(0) = 0 (the second operand of max takes ties). The derivative is
// piecewise constant, so a NaN x would give 0: guarded, x != x ? x : ...
// (a NaN x gives a NaN dx; derivatives that carry a NaN anyway, like
// sigmoid's above, get no guard).
// CHECK-LABEL: act.activation @relu_grad
// CHECK-DAG:   %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-DAG:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:       %[[TIE:.*]] = arith.cmpf oge, %[[ZERO]], %x : f64
// CHECK:       %[[D:.*]] = arith.select %[[TIE]], %[[ZERO]], %[[ONE]] : f64
// CHECK:       %[[NAN:.*]] = arith.cmpf une, %x, %x : f64
// CHECK:       %[[G:.*]] = arith.select %[[NAN]], %x, %[[D]] : f64
// CHECK:       act.return %[[G]] : f64
act.activation @relu params [] {
^bb0(%x: f64):
  %z = arith.constant 0.0 : f64
  %y = arith.maximumf %x, %z : f64
  act.return %y : f64
}

// -----

// mish' = tanh(sp) + x * (1 - tanh(sp)^2) * sigmoid(x): softplus' = sigmoid,
// tanh' = 1 - tanh^2 of the forward value.
// CHECK-LABEL: act.activation @mish_grad
// CHECK:       %[[SP:.*]] = act.softplus %x : f64
// CHECK:       %[[T:.*]] = math.tanh %[[SP]] : f64
// CHECK:       %[[T2:.*]] = arith.mulf %[[T]], %[[T]] : f64
// CHECK:       %[[DT:.*]] = arith.subf %{{.*}}, %[[T2]] : f64
// CHECK:       %[[SIG:.*]] = act.sigmoid %x : f64
// CHECK:       %[[C:.*]] = arith.mulf %[[DT]], %[[SIG]] : f64
// CHECK:       %[[XC:.*]] = arith.mulf %[[C]], %x : f64
// CHECK:       %[[Z:.*]] = arith.cmpf oeq, %[[C]], %{{.*}} : f64
// CHECK:       %[[SXC:.*]] = arith.select %[[Z]], %[[C]], %[[XC]] : f64
// CHECK:       arith.addf %[[T]], %[[SXC]] : f64
act.activation @mish params [] {
^bb0(%x: f64):
  %sp = act.softplus %x : f64
  %t = math.tanh %sp : f64
  %y = arith.mulf %x, %t : f64
  act.return %y : f64
}

// -----

// select differentiates the branch it takes; a constant branch gives 0.
// The op that reads 0.2, which f32 does not hold, records its exact value
// for the f32 kernels (act.exact, as act-stabilize does for f).
// CHECK-LABEL: act.activation @leaky_grad
// CHECK-DAG:   %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-DAG:   %[[ALPHA:.*]] = arith.constant 2.000000e-01 : f64
// CHECK:       %[[POS:.*]] = arith.cmpf ogt, %x, %{{.*}} : f64
// CHECK:       arith.select %[[POS]], %[[ONE]], %[[ALPHA]] {act.exact = [unit, unit, 2.000000e-01]} : f64
act.activation @leaky params [] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = arith.constant 0.2 : f64
  %pos = arith.cmpf ogt, %x, %zero : f64
  %neg = arith.mulf %x, %alpha : f64
  %y = arith.select %pos, %x, %neg : f64
  act.return %y : f64
}

// -----

// Private (inline-only) activations get no derivative here; row
// activations get none either (see act-autodiff-rows.mlir).
// CHECK-NOT: @callee_grad
// CHECK-NOT: @rows_grad
act.activation @callee params [] attributes {sym_visibility = "private"} {
^bb0(%x: f64):
  act.return %x : f64
}
act.activation @rows params [] {
^bb0(%x: f64):
  %m = act.rowmax %x : f64
  %d = arith.subf %x, %m : f64
  %e = math.exp %d : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

// -----

// A select marked act.series (act-stabilize's series of x - tanh(x) near 0)
// is one function: its derivative is the false branch's, the definition's,
// tanhshrink' = 1 - (1 - t^2) = t^2, not the truncated series' derivative.
// CHECK-LABEL: act.activation @tanhshrink_grad
// CHECK:       %[[T:.*]] = math.tanh %x : f64
// CHECK-NEXT:  %[[T2:.*]] = arith.mulf %[[T]], %[[T]] : f64
// CHECK-NEXT:  act.return %[[T2]] : f64
act.activation @tanhshrink params [] {
^bb0(%x: f64):
  %half = arith.constant 0.5 : f64
  %third = arith.constant 0.33333333333333331 : f64
  %t = math.tanh %x : f64
  %a = math.absf %x : f64
  %small = arith.cmpf olt, %a, %half : f64
  %z = arith.mulf %x, %x : f64
  %xz = arith.mulf %x, %z : f64
  %series = arith.mulf %xz, %third : f64
  %d = arith.subf %x, %t : f64
  %y = arith.select %small, %series, %d {act.series} : f64
  act.return %y : f64
}
