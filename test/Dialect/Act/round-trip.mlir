// RUN: act-opt %s | act-opt | FileCheck %s

// CHECK-LABEL: act.activation @leaky_relu params [#act.param<"alpha" = 1.000000e-02>]
// CHECK: ^bb0(%x: f64):
// CHECK: act.param "alpha" : f64
// CHECK: act.return %{{.*}} : f64
act.activation @leaky_relu params [#act.param<"alpha" = 0.01>] {
^bb0(%x: f64):
  %zero = arith.constant 0.0 : f64
  %alpha = act.param "alpha" : f64
  %pos = arith.cmpf oge, %x, %zero : f64
  %neg = arith.mulf %alpha, %x : f64
  %y = arith.select %pos, %x, %neg : f64
  act.return %y : f64
}

// CHECK-LABEL: act.activation @swish params [#act.param<runtime "beta" = 1.000000e+00>]
// CHECK-SAME: formula = "x * sigmoid(beta * x)"
// CHECK: %[[B:.*]] = act.param "beta" : f64
// CHECK: act.sigmoid %{{.*}} : f64
// CHECK: act.softplus %{{.*}} : f64
// CHECK: act.call @leaky_relu(%x, %[[B]]) : (f64, f64) -> f64
act.activation @swish params [#act.param<runtime "beta" = 1.0>] attributes {formula = "x * sigmoid(beta * x)"} {
^bb0(%x: f64):
  %b = act.param "beta" : f64
  %bx = arith.mulf %b, %x : f64
  %s = act.sigmoid %bx : f64
  %sp = act.softplus %s : f64
  %c = act.call @leaky_relu(%x, %b) : (f64, f64) -> f64
  %y = arith.mulf %sp, %c : f64
  act.return %y : f64
}

// CHECK-LABEL: act.activation @softmax params []
// CHECK: %[[M:.*]] = act.rowmax %x : f64
// CHECK: act.rowsum %{{.*}} : f64
act.activation @softmax params [] {
^bb0(%x: f64):
  %m = act.rowmax %x : f64
  %d = arith.subf %x, %m : f64
  %e = math.exp %d : f64
  %s = act.rowsum %e : f64
  %y = arith.divf %e, %s : f64
  act.return %y : f64
}

// CHECK-LABEL: func.func @view
// CHECK: act.view %{{.*}}[%{{.*}}, %{{.*}}] : !llvm.ptr -> memref<?x?xf32>
func.func @view(%p: !llvm.ptr, %r: index, %c: index) -> memref<?x?xf32> {
  %m = act.view %p[%r, %c] : !llvm.ptr -> memref<?x?xf32>
  return %m : memref<?x?xf32>
}

// CHECK-LABEL: act.activation @swish_grad
// CHECK-SAME:  grad_of = @swish
// CHECK:       act.diff %{{.*}} wrt %x : f64
// CHECK:       act.return %{{.*}}, %{{.*}} : f64, f64
act.activation @swish_grad params [#act.param<runtime "beta" = 1.0>] attributes {grad_of = @swish} {
^bb0(%x: f64):
  %b = act.param "beta" : f64
  %y = arith.mulf %b, %x : f64
  %dx = act.diff %y wrt %x : f64
  %db = act.diff %y wrt %b : f64
  act.return %dx, %db : f64, f64
}
