// act-kernels `kinds`: forward, grad (elementwise and row VJPs) and
// grad_from_y are built only when selected; the fused kinds belong to the
// other kernel passes. Every activation is removed either way.
// RUN: act-opt %s --act-kernels="dtypes=f32 kinds=grad" | FileCheck %s --check-prefix=GRAD --implicit-check-not=func.func --implicit-check-not=act.activation
// RUN: act-opt %s --act-kernels="dtypes=f32 kinds=forward,grad_from_y" | FileCheck %s --check-prefix=FWD --implicit-check-not=func.func --implicit-check-not=act.activation
// RUN: act-opt %s --act-kernels="dtypes=f32 kinds=bias,matmul" | FileCheck %s --check-prefix=NONE --implicit-check-not=func.func --implicit-check-not=act.activation
// RUN: not act-opt %s --act-kernels="kinds=grad,backward" 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// GRAD: func.func @sigmoid_grad_f32(
// GRAD: func.func @softmax_grad_f32(

// FWD: func.func @sigmoid_f32(
// FWD: func.func @sigmoid_grad_from_y_f32(
// FWD: func.func @softmax_f32(

// NONE: module

// UNKNOWN: error: act-kernels: unknown kernel kind 'backward' (expected forward, grad, grad_from_y, bias, bias_grad, matmul, matmul_aux, bias_mt, bias_grad_mt, matmul_mt, matmul_aux_mt, or all)

act.activation @sigmoid params [] {
^bb0(%x: f64):
  %s = act.sigmoid %x : f64
  act.return %s : f64
}

act.activation @sigmoid_grad params [] attributes {grad_of = @sigmoid} {
^bb0(%x: f64):
  %s = act.sigmoid %x : f64
  %one = arith.constant 1.0 : f64
  %om = arith.subf %one, %s : f64
  %d = arith.mulf %s, %om : f64
  act.return %d : f64
}

act.activation @sigmoid_grad_from_y params [] attributes {act.from_y, grad_of = @sigmoid} {
^bb0(%y: f64):
  %one = arith.constant 1.0 : f64
  %om = arith.subf %one, %y : f64
  %d = arith.mulf %y, %om : f64
  act.return %d : f64
}

act.activation @softmax params [] attributes {act.row_grad = "softmax"} {
^bb0(%x: f64):
  %e = math.exp %x : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}
