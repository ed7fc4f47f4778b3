// RUN: act-opt %s -act-autodiff -split-input-file -verify-diagnostics | FileCheck %s

// A row activation has no chain-rule derivative (its VJP must come from y
// and dy). act-autodiff evaluates it on sampled rows: softmax and
// log_softmax, however written, are marked with their closed form, which
// act-kernels builds; no @f_grad is added.

// The prelude's max-shifted softmax.
// CHECK-LABEL: act.activation @shifted
// CHECK-SAME:    act.row_grad = "softmax"
// CHECK-NOT:   @shifted_grad
act.activation @shifted params [] {
^bb0(%x: f64):
  %m = act.rowmax %x : f64
  %d = arith.subf %x, %m : f64
  %e = math.exp %d : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

// -----

// The textbook exp(x) / rowsum(exp(x)) is the same function.
// CHECK-LABEL: act.activation @textbook
// CHECK-SAME:    act.row_grad = "softmax"
act.activation @textbook params [] {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

// -----

// 1 / rowsum(exp(x - x_i)), a third way to write softmax.
// CHECK-LABEL: act.activation @reciprocal
// CHECK-SAME:    act.row_grad = "softmax"
act.activation @reciprocal params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %l = math.log %s : f64
  %d = arith.subf %l, %x : f64
  %r = math.exp %d : f64
  %y = arith.divf %one, %r : f64
  act.return %y : f64
}

// -----

// log(exp(x) / rowsum(exp(x))) is log_softmax.
// CHECK-LABEL: act.activation @log_textbook
// CHECK-SAME:    act.row_grad = "log_softmax"
act.activation @log_textbook params [] {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %q = arith.divf %e, %s : f64
  %y = math.log %q : f64
  act.return %y : f64
}

// -----

// Anything else has no gradient kernel: a warning, the activation stays
// (its forward kernels are built) without act.row_grad and without @f_grad.
// CHECK-LABEL: act.activation @normalize
// CHECK-NOT:     act.row_grad
// CHECK-NOT:   @normalize_grad
// expected-warning @+1 {{no gradient kernel for row activation 'normalize': only softmax and log_softmax (written any way) have one, the closed-form VJP from y = f(x); its forward kernels are still built}}
act.activation @normalize params [] {
^bb0(%x: f64):
  %s = act.rowsum %x : f64
  %y = arith.divf %x, %s : f64
  act.return %y : f64
}

// -----

// A softmax with temperature 2 is not softmax.
// CHECK-LABEL: act.activation @tempered
// CHECK-NOT:     act.row_grad
// CHECK-NOT:   @tempered_grad
// expected-warning @+1 {{no gradient kernel for row activation 'tempered'}}
act.activation @tempered params [] {
^bb0(%x: f64):
  %half = arith.constant 0.5 : f64
  %t = arith.mulf %x, %half : f64
  %e = math.exp %t : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}
