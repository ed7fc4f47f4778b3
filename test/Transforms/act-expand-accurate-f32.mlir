// RUN: act-opt %s --act-expand --split-input-file | FileCheck %s

// precision=accurate routes an f32 kernel to act-math-approx's f32
// double-float sigmoid forms (act.sigmoid left whole, nothing widened to
// f64) only when every rounding of the kernel lands in one of them
// (include/actc/Dialect/Act/AccurateF32Routing.h); any other kernel is
// widened to f64 as before.

// silu: m * sigmoid(t) with m = x, a leaf (a constant m is one too).
// CHECK-LABEL: func.func @silu(
// CHECK-NOT:     f64
// CHECK:         %[[S:.*]] = act.sigmoid %[[X:.*]] : vector<16xf32>
// CHECK:         arith.mulf %[[X]], %[[S]] : vector<16xf32>
func.func @silu(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.sigmoid %x : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// The argument 1.702 x is exact arithmetic of a leaf and a constant: its
// act.exact stays for act-math-approx's pair argument.
// CHECK-LABEL: func.func @quick_gelu(
// CHECK-NOT:     f64
// CHECK:         arith.mulf %{{.*}}, %{{.*}} {act.exact = [unit, 1.702000e+00]} : vector<16xf32>
// CHECK:         act.sigmoid
func.func @quick_gelu(%x: vector<16xf32>) -> vector<16xf32> {
  %c = arith.constant dense<1.702> : vector<16xf32>
  %t = arith.mulf %x, %c {act.exact = [unit, 1.702 : f64]} : vector<16xf32>
  %s = act.sigmoid %t : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// sigmoid's gradient: 1 - sigmoid(x) becomes sigmoid(-x), the product
// sigmoid(x) sigmoid(-x) is one form, and one product by dy (a leaf no form
// reads) may follow it.
// CHECK-LABEL: func.func @sigmoid_grad(
// CHECK-NOT:     f64
// CHECK:         %[[A:.*]] = act.sigmoid %[[X:.*]] : vector<16xf32>
// CHECK:         %[[N:.*]] = arith.negf %[[X]]
// CHECK:         %[[B:.*]] = act.sigmoid %[[N]]
// CHECK:         %[[P:.*]] = arith.mulf %[[A]], %[[B]]
// CHECK:         arith.mulf %{{.*}}, %[[P]]
func.func @sigmoid_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %d = arith.subf %one, %s : vector<16xf32>
  %p = arith.mulf %s, %d : vector<16xf32>
  %y = arith.mulf %dy, %p : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// softplus' gradient: a lone sigmoid, then only a select and dy's product.
// CHECK-LABEL: func.func @softplus_grad(
// CHECK-NOT:     f64
// CHECK:         act.sigmoid
func.func @softplus_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.0> : vector<16xf32>
  %big = arith.constant dense<20.0> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %big : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %g = arith.select %c, %one, %s : vector<16xi1>, vector<16xf32>
  %y = arith.mulf %dy, %g : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Widened: silu's gradient (a sum after the forms: it cancels near
// x = -1.28; with avx512=true its own form, act-expand-accurate-silu-grad.mlir), a factor that is itself rounded ((x + 1) sigmoid(x)), a
// constant product after a form (3 (x sigmoid(x)): two roundings, where
// 3 sigmoid(x) is one form), a second product by x (x (x sigmoid(x))), an
// argument that is not exact arithmetic (sigmoid(exp(x))).
// CHECK-LABEL: func.func @silu_grad(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @silu_grad(%x: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %d = arith.subf %one, %s : vector<16xf32>
  %p = arith.mulf %s, %d : vector<16xf32>
  %q = arith.mulf %p, %x : vector<16xf32>
  %y = arith.addf %s, %q : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @rounded_factor(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @rounded_factor(%x: vector<16xf32>) -> vector<16xf32> {
  %one = arith.constant dense<1.0> : vector<16xf32>
  %m = arith.addf %x, %one : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %y = arith.mulf %m, %s : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @constant_after_form(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @constant_after_form(%x: vector<16xf32>) -> vector<16xf32> {
  %three = arith.constant dense<3.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %y = arith.mulf %three, %p : vector<16xf32>
  return %y : vector<16xf32>
}
// -----

// tanh's gradient, 4 sigmoid(2x) sigmoid(-2x) (act-expand's 1 - tanh^2):
// the product by 2^k (k >= 1) joins sigmoid's form, which applies 2^k
// with its own 2^n (one rounding; as an exact op after the form it was 2.5
// ULP at x = -44.2, where the form rounds on the subnormal grid); then
// dy's product.
// CHECK-LABEL: func.func @tanh_grad(
// CHECK-NOT:     f64
// CHECK:         %[[A:.*]] = act.sigmoid
// CHECK:         %[[B:.*]] = act.sigmoid
// CHECK:         %[[P:.*]] = arith.mulf %[[A]], %[[B]] : vector<16xf32>
// CHECK:         %[[Q:.*]] = arith.mulf %[[P]], %{{.*}} : vector<16xf32>
// CHECK:         arith.mulf %{{.*}}, %[[Q]] : vector<16xf32>
func.func @tanh_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %two = arith.constant dense<2.0> : vector<16xf32>
  %four = arith.constant dense<4.0> : vector<16xf32>
  %t = arith.mulf %x, %two : vector<16xf32>
  %n = arith.negf %t : vector<16xf32>
  %a = act.sigmoid %t : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %a, %b : vector<16xf32>
  %q = arith.mulf %four, %p : vector<16xf32>
  %y = arith.mulf %dy, %q : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Widened: 2^k after another form (x sigmoid(x)) is no part of it, nor a
// second product by 2^k after sigmoid'.
// CHECK-LABEL: func.func @scaled_product_form(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @scaled_product_form(%x: vector<16xf32>) -> vector<16xf32> {
  %four = arith.constant dense<4.0> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %y = arith.mulf %four, %p : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @twice_scaled(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @twice_scaled(%x: vector<16xf32>) -> vector<16xf32> {
  %four = arith.constant dense<4.0> : vector<16xf32>
  %n = arith.negf %x : vector<16xf32>
  %a = act.sigmoid %x : vector<16xf32>
  %b = act.sigmoid %n : vector<16xf32>
  %p = arith.mulf %a, %b : vector<16xf32>
  %q = arith.mulf %four, %p : vector<16xf32>
  %y = arith.mulf %four, %q : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// 2^-1 is no such factor: its product can round (a subnormal result).
// CHECK-LABEL: func.func @half_after_form(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @half_after_form(%x: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %y = arith.mulf %half, %p : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @second_product(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @second_product(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.sigmoid %x : vector<16xf32>
  %p = arith.mulf %x, %s : vector<16xf32>
  %y = arith.mulf %x, %p : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @inexact_argument(
// CHECK-NOT:     act.sigmoid
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @inexact_argument(%x: vector<16xf32>) -> vector<16xf32> {
  %e = math.exp %x : vector<16xf32>
  %s = act.sigmoid %e : vector<16xf32>
  return %s : vector<16xf32>
}

// -----

// softplus forward (the prelude's x > 20 ? x : softplus(x)): a lone f32
// softplus, kept whole for act-math-approx's double-float form
// (Approx/AccurateF32Softplus.cpp); only a select follows it.
// CHECK-LABEL: func.func @softplus(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK:         %[[C:.*]] = arith.cmpf ogt, %[[X]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    %[[S:.*]] = act.softplus %[[X]] : vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.select %[[C]], %[[X]], %[[S]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @softplus(%x: vector<16xf32>) -> vector<16xf32> {
  %big = arith.constant dense<20.0> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %big : vector<16xf32>
  %s = act.softplus %x : vector<16xf32>
  %y = arith.select %c, %x, %s : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// logsigmoid = -softplus(-x): negations (exact) around the lone softplus.
// CHECK-LABEL: func.func @logsigmoid(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NEXT:    %[[N:.*]] = arith.negf %[[X]] : vector<16xf32>
// CHECK-NEXT:    %[[S:.*]] = act.softplus %[[N]] : vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.negf %[[S]] : vector<16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @logsigmoid(%x: vector<16xf32>) -> vector<16xf32> {
  %n = arith.negf %x : vector<16xf32>
  %s = act.softplus %n : vector<16xf32>
  %y = arith.negf %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// The bias kernel's softplus(x + b): the argument is exact arithmetic of
// leaves (a pair for the form).
// CHECK-LABEL: func.func @softplus_bias(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>, %[[B:.*]]: vector<16xf32>)
// CHECK-NEXT:    %[[T:.*]] = arith.addf %[[X]], %[[B]] : vector<16xf32>
// CHECK-NEXT:    %[[S:.*]] = act.softplus %[[T]] : vector<16xf32>
// CHECK-NEXT:    return %[[S]]
func.func @softplus_bias(%x: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  %t = arith.addf %x, %b : vector<16xf32>
  %s = act.softplus %t : vector<16xf32>
  return %s : vector<16xf32>
}

// -----

// Widened: softplus(2 x) / 2 (softplus with beta = 2: a rounding after the
// form) and x * softplus(x) (softplus is only a form alone).
// CHECK-LABEL: func.func @softplus_beta(
// CHECK-NOT:     act.softplus
// CHECK:         math.log1p %{{.*}} {act.wide} : vector<16xf64>
func.func @softplus_beta(%x: vector<16xf32>) -> vector<16xf32> {
  %two = arith.constant dense<2.0> : vector<16xf32>
  %t = arith.mulf %x, %two : vector<16xf32>
  %s = act.softplus %t : vector<16xf32>
  %y = arith.divf %s, %two : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @softplus_product(
// CHECK-NOT:     act.softplus
// CHECK:         math.log1p %{{.*}} {act.wide} : vector<16xf64>
func.func @softplus_product(%x: vector<16xf32>) -> vector<16xf32> {
  %s = act.softplus %x : vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// elu's gradient (celu's with alpha 1): a lone f32 exp of a leaf, a select
// and dy's product: nothing widened (act-math-approx's accurate f32 exp,
// then one rounding of dy's product).
// CHECK-LABEL: func.func @elu_grad(
// CHECK-SAME:      %[[X:[^:]*]]: vector<16xf32>, %[[DY:[^:]*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK:         %[[C:.*]] = arith.cmpf ogt, %[[X]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    %[[E:.*]] = math.exp %[[X]] : vector<16xf32>
// CHECK-NEXT:    %[[G:.*]] = arith.select %[[C]], %{{.*}}, %[[E]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.mulf %[[DY]], %[[G]] : vector<16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @elu_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.exp %x : vector<16xf32>
  %g = arith.select %c, %one, %e : vector<16xi1>, vector<16xf32>
  %y = arith.mulf %dy, %g : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Widened: exp of arithmetic (exp(2 x): the f32 exp takes no pair), a
// constant product after the exp (elu' with alpha 2: two roundings), and
// x exp(x) (a second reader of the exp's argument).
// CHECK-LABEL: func.func @exp_of_product(
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @exp_of_product(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %two = arith.constant dense<2.0> : vector<16xf32>
  %t = arith.mulf %x, %two : vector<16xf32>
  %e = math.exp %t : vector<16xf32>
  %y = arith.mulf %dy, %e : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @constant_times_exp(
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @constant_times_exp(%x: vector<16xf32>) -> vector<16xf32> {
  %two = arith.constant dense<2.0> : vector<16xf32>
  %e = math.exp %x : vector<16xf32>
  %y = arith.mulf %two, %e : vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @x_times_exp(
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @x_times_exp(%x: vector<16xf32>) -> vector<16xf32> {
  %e = math.exp %x : vector<16xf32>
  %y = arith.mulf %x, %e : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// selu: scale * (x > 0 ? x : alpha * expm1(x)), the ELU family's route
// (getAccurateEluForms): nothing widened, the products keep act.exact for
// act-math-approx's pairs.
// CHECK-LABEL: func.func @selu(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK:         %[[C:.*]] = arith.cmpf ogt, %[[X]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    %[[E:.*]] = math.expm1 %[[X]] : vector<16xf32>
// CHECK-NEXT:    %[[A:.*]] = arith.mulf %[[E]], %{{.*}} {act.exact = [unit, 1.6732632423543772]} : vector<16xf32>
// CHECK-NEXT:    %[[S:.*]] = arith.select %[[C]], %[[X]], %[[A]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.mulf %[[S]], %{{.*}} {act.exact = [unit, 1.0507009873554805]} : vector<16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @selu(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %alpha = arith.constant dense<1.67326319> : vector<16xf32>
  %scale = arith.constant dense<1.05070102> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %a = arith.mulf %e, %alpha {act.exact = [unit, 1.6732632423543772]} : vector<16xf32>
  %y = arith.select %c, %x, %a : vector<16xi1>, vector<16xf32>
  %s = arith.mulf %y, %scale {act.exact = [unit, 1.0507009873554805]} : vector<16xf32>
  return %s : vector<16xf32>
}

// -----

// Widened: an ELU whose result is multiplied by a non-constant (dy), an
// expm1 of arithmetic (celu's expm1(x / alpha), alpha != 1), and a test
// other than x > 0.
// CHECK-LABEL: func.func @elu_times_dy(
// CHECK:         math.expm1 %{{.*}} {act.wide} : vector<16xf64>
func.func @elu_times_dy(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %y = arith.select %c, %x, %e : vector<16xi1>, vector<16xf32>
  %p = arith.mulf %dy, %y : vector<16xf32>
  return %p : vector<16xf32>
}
// CHECK-LABEL: func.func @celu_alpha(
// CHECK:         math.expm1 %{{.*}} {act.wide} : vector<16xf64>
func.func @celu_alpha(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %two = arith.constant dense<2.0> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %t = arith.divf %x, %two : vector<16xf32>
  %e = math.expm1 %t : vector<16xf32>
  %a = arith.mulf %e, %two : vector<16xf32>
  %y = arith.select %c, %x, %a : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}
// CHECK-LABEL: func.func @other_test(
// CHECK:         math.expm1 %{{.*}} {act.wide} : vector<16xf64>
func.func @other_test(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %three = arith.constant dense<3.0> : vector<16xf32>
  %c = arith.cmpf olt, %x, %zero : vector<16xf32>
  %e = math.expm1 %x : vector<16xf32>
  %a = arith.mulf %e, %three : vector<16xf32>
  %y = arith.select %c, %a, %x : vector<16xi1>, vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// selu's gradient: dy * (scale * (x > 0 ? 1 : alpha * exp(x))), the ELU
// gradients' route (getAccurateEluGradForms): nothing widened, act.exact
// kept for act-math-approx's k exp(x).
// CHECK-LABEL: func.func @selu_grad(
// CHECK-SAME:      %[[X:[^:]*]]: vector<16xf32>, %[[DY:[^:]*]]: vector<16xf32>)
// CHECK-NOT:     f64
// CHECK:         %[[C:.*]] = arith.cmpf ogt, %[[X]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:    %[[E:.*]] = math.exp %[[X]] : vector<16xf32>
// CHECK-NEXT:    %[[A:.*]] = arith.mulf %[[E]], %{{.*}} {act.exact = [unit, 1.6732632423543772]} : vector<16xf32>
// CHECK-NEXT:    %[[S:.*]] = arith.select %[[C]], %{{.*}}, %[[A]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    %[[G:.*]] = arith.mulf %[[S]], %{{.*}} {act.exact = [unit, 1.0507009873554805]} : vector<16xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.mulf %[[DY]], %[[G]] : vector<16xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @selu_grad(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %alpha = arith.constant dense<1.67326319> : vector<16xf32>
  %scale = arith.constant dense<1.05070102> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.exp %x : vector<16xf32>
  %a = arith.mulf %e, %alpha {act.exact = [unit, 1.6732632423543772]} : vector<16xf32>
  %s = arith.select %c, %one, %a : vector<16xi1>, vector<16xf32>
  %g = arith.mulf %s, %scale {act.exact = [unit, 1.0507009873554805]} : vector<16xf32>
  %y = arith.mulf %dy, %g : vector<16xf32>
  return %y : vector<16xf32>
}

// -----

// Widened: the same with x as the second factor (x is the form's input).
// CHECK-LABEL: func.func @selu_grad_times_x(
// CHECK:         math.exp %{{.*}} {act.wide} : vector<16xf64>
func.func @selu_grad_times_x(%x: vector<16xf32>) -> vector<16xf32> {
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %alpha = arith.constant dense<1.67326319> : vector<16xf32>
  %c = arith.cmpf ogt, %x, %zero : vector<16xf32>
  %e = math.exp %x : vector<16xf32>
  %a = arith.mulf %e, %alpha : vector<16xf32>
  %s = arith.select %c, %one, %a : vector<16xi1>, vector<16xf32>
  %y = arith.mulf %x, %s : vector<16xf32>
  return %y : vector<16xf32>
}
