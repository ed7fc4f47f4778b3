// RUN: act-opt %s --act-threaded-kernels="dtypes=f32 kinds=bias_grad_mt" -verify-diagnostics

// bias_grad_mt runs the strided twin that act-bias-kernels builds when
// bias_grad_mt is selected; a module without it is an error, not a kernel
// that silently falls back to one thread.
act.activation @leaky params [#act.param<runtime "alpha" = 0.01>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %neg = arith.mulf %alpha, %x : f64
  %y = arith.select %pos, %x, %neg : f64
  act.return %y : f64
}
// expected-error @+1 {{act-threaded-kernels: bias_grad_mt needs leaky_bias_grad_strided_f32 (act-bias-kernels builds it when bias_grad_mt is selected)}}
func.func @leaky_bias_grad_f32(%x: !llvm.ptr, %bias: !llvm.ptr, %dy: !llvm.ptr, %dx: !llvm.ptr, %dbias: !llvm.ptr, %rows: i64, %cols: i64, %alpha: f32, %dalpha: !llvm.ptr) {
  return
}
