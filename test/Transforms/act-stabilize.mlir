// RUN: act-opt %s -act-stabilize -split-input-file | FileCheck %s

// log(1 + exp(x)) -> softplus(x).
// CHECK-LABEL: act.activation @log_one_plus_exp
// CHECK:       %[[Y:.*]] = act.softplus %x : f64
// CHECK-NOT:   math.log
// CHECK:       act.return %[[Y]]
act.activation @log_one_plus_exp params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %e = math.exp %x : f64
  %s = arith.addf %e, %one : f64
  %y = math.log %s : f64
  act.return %y : f64
}

// -----

// log1p(exp(x)) -> softplus(x).
// CHECK-LABEL: act.activation @log1p_exp
// CHECK:       act.softplus %x : f64
// CHECK-NOT:   math.log1p
act.activation @log1p_exp params [] {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %y = math.log1p %e : f64
  act.return %y : f64
}

// -----

// 1 / (1 + exp(-x)) -> sigmoid(x).
// CHECK-LABEL: act.activation @logistic
// CHECK:       %[[Y:.*]] = act.sigmoid %x : f64
// CHECK:       act.return %[[Y]]
act.activation @logistic params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %n = arith.negf %x : f64
  %e = math.exp %n : f64
  %d = arith.addf %e, %one : f64
  %y = arith.divf %one, %d : f64
  act.return %y : f64
}

// -----

// exp(x) - 1 and exp(x) + -1 -> expm1(x).
// CHECK-LABEL: act.activation @exp_minus_one
// CHECK:       %[[A:.*]] = math.expm1 %x : f64
// CHECK:       %[[B:.*]] = math.expm1 %x : f64
// CHECK:       arith.mulf %[[A]], %[[B]]
act.activation @exp_minus_one params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %mone = arith.constant -1.0 : f64
  %e = math.exp %x : f64
  %a = arith.subf %e, %one : f64
  %b = arith.addf %e, %mone : f64
  %y = arith.mulf %a, %b : f64
  act.return %y : f64
}

// -----

// log(1 + y) -> log1p(y) when y is not exp(x).
// CHECK-LABEL: act.activation @log_one_plus
// CHECK:       %[[S:.*]] = arith.mulf %x, %x : f64
// CHECK:       math.log1p %[[S]] : f64
// CHECK-NOT:   math.log %
act.activation @log_one_plus params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %s = arith.mulf %x, %x : f64
  %t = arith.addf %s, %one : f64
  %y = math.log %t : f64
  act.return %y : f64
}

// -----

// 1 + erf(z) -> erfc(-z): the textbook GELU, with x * 0.70710678 as well as
// x / sqrt(2) (the argument is not looked at).
// CHECK-LABEL: act.activation @gelu_textbook
// CHECK:       %[[Z:.*]] = arith.mulf %x, %{{.*}} : f64
// CHECK:       %[[N:.*]] = arith.negf %[[Z]] : f64
// CHECK:       %[[C:.*]] = math.erfc %[[N]] : f64
// CHECK-NOT:   math.erf %
// CHECK:       arith.mulf %{{.*}}, %[[C]] : f64
act.activation @gelu_textbook params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %half = arith.constant 0.5 : f64
  %c = arith.constant 0.70710678118654757 : f64
  %z = arith.mulf %x, %c : f64
  %e = math.erf %z : f64
  %s = arith.addf %e, %one : f64
  %hx = arith.mulf %x, %half : f64
  %y = arith.mulf %hx, %s : f64
  act.return %y : f64
}

// -----

// 1 + tanh(z) -> 2 * sigmoid(2 * z).
// CHECK-LABEL: act.activation @one_plus_tanh
// CHECK-DAG:   %[[TWO:.*]] = arith.constant 2.000000e+00 : f64
// CHECK:       %[[Z2:.*]] = arith.mulf %x, %[[TWO]] : f64
// CHECK:       %[[S:.*]] = act.sigmoid %[[Z2]] : f64
// CHECK:       arith.mulf %[[S]], %[[TWO]] : f64
// CHECK-NOT:   math.tanh
act.activation @one_plus_tanh params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %t = math.tanh %x : f64
  %y = arith.addf %t, %one : f64
  act.return %y : f64
}

// -----

// log(sigmoid(x)) -> -softplus(-x).
// CHECK-LABEL: act.activation @log_sigmoid
// CHECK:       %[[N:.*]] = arith.negf %x : f64
// CHECK:       %[[S:.*]] = act.softplus %[[N]] : f64
// CHECK:       %[[Y:.*]] = arith.negf %[[S]] : f64
// CHECK:       act.return %[[Y]]
act.activation @log_sigmoid params [] {
^bb0(%x: f64):
  %s = act.sigmoid %x : f64
  %y = math.log %s : f64
  act.return %y : f64
}

// -----

// exp(x) / rowsum(exp(x)) -> shifted by rowmax(x).
// CHECK-LABEL: act.activation @softmax
// CHECK:       %[[M:.*]] = act.rowmax %x : f64
// CHECK:       %[[Z:.*]] = arith.subf %x, %[[M]] : f64
// CHECK:       %[[T:.*]] = math.exp %[[Z]] : f64
// CHECK:       %[[S:.*]] = act.rowsum %[[T]] : f64
// CHECK:       %[[Y:.*]] = arith.divf %[[T]], %[[S]] : f64
// CHECK:       act.return %[[Y]]
act.activation @softmax params [] {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

// -----

// log(exp(x) / rowsum(exp(x))) -> z - log(rowsum(exp(z))), z = x -
// rowmax(x) (the prelude's log_softmax), whose log-sum-exp of a shifted z is
// then log1p of the sum without the row's ones (t = rest + (count - 1)).
// CHECK-LABEL: act.activation @log_softmax
// CHECK-DAG:   %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-DAG:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:       %[[M:.*]] = act.rowmax %x : f64
// CHECK:       %[[Z:.*]] = arith.subf %x, %[[M]] : f64
// CHECK:       %[[T:.*]] = math.exp %[[Z]] : f64
// CHECK:       %[[ISMAX:.*]] = arith.cmpf oeq, %[[Z]], %[[ZERO]] : f64
// CHECK:       %[[OTHER:.*]] = arith.select %[[ISMAX]], %[[ZERO]], %[[T]] : f64
// CHECK:       %[[REST:.*]] = act.rowsum %[[OTHER]] : f64
// CHECK:       %[[ONES:.*]] = arith.select %[[ISMAX]], %[[ONE]], %[[ZERO]] : f64
// CHECK:       %[[COUNT:.*]] = act.rowsum %[[ONES]] : f64
// CHECK:       %[[EXTRA:.*]] = arith.subf %[[COUNT]], %[[ONE]] : f64
// CHECK:       %[[SUM1:.*]] = arith.addf %[[REST]], %[[EXTRA]] : f64
// CHECK:       %[[L:.*]] = math.log1p %[[SUM1]] : f64
// CHECK:       %[[Y:.*]] = arith.subf %[[Z]], %[[L]] : f64
// CHECK:       act.return %[[Y]]
act.activation @log_softmax params [] {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %d = arith.divf %e, %s : f64
  %y = math.log %d : f64
  act.return %y : f64
}

// -----

// log(rowsum(exp(x))) -> rowmax(x) + log(rowsum(exp(x - rowmax(x)))), and
// that log of a shifted sum becomes log1p as above.
// CHECK-LABEL: act.activation @logsumexp
// CHECK:       %[[M:.*]] = act.rowmax %x : f64
// CHECK:       %[[Z:.*]] = arith.subf %x, %[[M]] : f64
// CHECK:       %[[T:.*]] = math.exp %[[Z]] : f64
// CHECK:       %[[REST:.*]] = act.rowsum
// CHECK:       %[[COUNT:.*]] = act.rowsum
// CHECK:       %[[L:.*]] = math.log1p
// CHECK:       %[[Y:.*]] = arith.addf %[[M]], %[[L]] : f64
// CHECK:       act.return %[[Y]]
act.activation @logsumexp params [] {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %y = math.log %s : f64
  act.return %y : f64
}

// -----

// Shifted by the maximum of another row value: the row's largest exp is not
// 1, so the log stays.
// CHECK-LABEL: act.activation @shifted_by_another
// CHECK:       %[[S:.*]] = act.rowsum
// CHECK:       math.log %[[S]] : f64
// CHECK-NOT:   math.log1p
act.activation @shifted_by_another params [] {
^bb0(%x: f64):
  %a = math.sin %x : f64
  %m = act.rowmax %a : f64
  %z = arith.subf %x, %m : f64
  %e = math.exp %z : f64
  %s = act.rowsum %e : f64
  %y = math.log %s : f64
  act.return %y : f64
}

// -----

// sqrt(x^2 + c) -> |x| beyond 2^27 sqrt(c); x / sqrt(c + x^2) gets +-1
// there through it.
// CHECK-LABEL: act.activation @sqrt_square_plus
// CHECK-DAG:   %[[T:.*]] = arith.constant 0x41A0000000000000 : f64
// CHECK:       %[[ABS:.*]] = math.absf %x : f64
// CHECK:       %[[BIG:.*]] = arith.cmpf ogt, %[[ABS]], %[[T]] : f64
// CHECK:       %[[R:.*]] = math.sqrt %{{.*}} : f64
// CHECK:       %[[S:.*]] = arith.select %[[BIG]], %[[ABS]], %[[R]] : f64
// CHECK:       arith.divf %x, %[[S]] : f64
act.activation @sqrt_square_plus params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %sq = arith.mulf %x, %x : f64
  %t = arith.addf %sq, %one : f64
  %r = math.sqrt %t : f64
  %y = arith.divf %x, %r : f64
  act.return %y : f64
}

// -----

// x - tanh(x) -> its series x^3 (1/3 - 2/15 x^2 + ...) below the measured
// branch point (0.5), the subtraction above. The select is marked as a
// series of its false branch (act.series), which act-autodiff
// differentiates instead (test/Transforms/act-autodiff.mlir).
// CHECK-LABEL: act.activation @tanhshrink
// CHECK-DAG:   %[[B:.*]] = arith.constant 5.000000e-01 : f64
// CHECK-DAG:   %[[THIRD:.*]] = arith.constant 0.33333333333333331 : f64
// CHECK:       %[[T:.*]] = math.tanh %x : f64
// CHECK:       %[[ABS:.*]] = math.absf %x : f64
// CHECK:       %[[SMALL:.*]] = arith.cmpf olt, %[[ABS]], %[[B]] : f64
// CHECK:       %[[D:.*]] = arith.subf %x, %[[T]] : f64
// CHECK:       %[[Y:.*]] = arith.select %[[SMALL]], %{{.*}}, %[[D]] {act.series} : f64
// CHECK:       act.return %[[Y]]
act.activation @tanhshrink params [] {
^bb0(%x: f64):
  %t = math.tanh %x : f64
  %y = arith.subf %x, %t : f64
  act.return %y : f64
}

// -----

// Constants f32 cannot hold are recorded on their users (act.exact), one
// entry per operand; exact ones (0.5) are not.
// CHECK-LABEL: act.activation @exact_constants
// CHECK:       arith.divf %x, %{{.*}} {act.exact = [unit, 1.4142135623730951]} : f64
// CHECK:       arith.mulf %x, %{{.*}} : f64
// CHECK-NOT:   act.exact
act.activation @exact_constants params [] {
^bb0(%x: f64):
  %c = arith.constant 1.4142135623730951 : f64
  %half = arith.constant 0.5 : f64
  %z = arith.divf %x, %c : f64
  %h = arith.mulf %x, %half : f64
  %y = arith.addf %z, %h : f64
  act.return %y : f64
}
