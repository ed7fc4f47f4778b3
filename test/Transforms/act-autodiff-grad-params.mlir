// RUN: act-opt %s -act-autodiff="grad-params=swish.beta" -o /dev/null 2>&1 | count 0
// RUN: not act-opt %s -act-autodiff="grad-params=swish.beta,leaky.alpha" 2>&1 | FileCheck %s --check-prefix=CONSTANT
// RUN: not act-opt %s -act-autodiff="grad-params=leaky.beta" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not act-opt %s -act-autodiff="grad-params=nothing.alpha" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not act-opt %s -act-autodiff="grad-params=leaky" 2>&1 | FileCheck %s --check-prefix=FORM

// grad-params: asking for the gradient of a compile-time constant is an
// error at the activation; runtime parameters (swish.beta) are fine.
// CONSTANT: act-autodiff-grad-params.mlir:[[@LINE+4]]:1: error: cannot differentiate 'leaky' with respect to 'alpha': it is a compile-time constant, folded into the kernels; declare it 'param alpha = 0.2' to get its gradient from the grad kernels
// MISSING: act-autodiff-grad-params.mlir:[[@LINE+3]]:1: error: cannot differentiate 'leaky' with respect to 'beta': it has no such parameter
// UNKNOWN: error: grad-params: no activation named 'nothing'
// FORM: error: grad-params: 'leaky' is not 'activation.param'
act.activation @leaky params [#act.param<"alpha" = 0.2>] {
^bb0(%x: f64):
  %alpha = act.param "alpha" : f64
  %y = arith.mulf %alpha, %x : f64
  act.return %y : f64
}
act.activation @swish params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  %b = act.param "beta" : f64
  %bx = arith.mulf %b, %x : f64
  %s = act.sigmoid %bx : f64
  %y = arith.mulf %x, %s : f64
  act.return %y : f64
}
