//===- AccurateF32Routing.h - which f32 kernels skip widening ---*- C++ -*-===//
//
// precision=accurate computes a composed f32 kernel in f64 and rounds once
// (act-expand's widening), unless every rounding of the kernel lands in a
// form that act-math-approx evaluates in f32 double-float to the same bound
// (lib/Conversion/AccurateF32Forms.h):
//
//   sigmoid(t)                 alone,
//   m * sigmoid(t)             m a leaf (x, a load, a parameter) or constant,
//   sigmoid(t) * sigmoid(-t)   (sigmoid' after 1 - sigmoid(t) -> sigmoid(-t)),
//   softplus(t)                alone (softplus, logsigmoid = -softplus(-x)),
//   exp(x)                     alone, x a leaf (not a constant): the
//                              accurate f32 exp (elu' = x > 0 ? 1 : exp(x)),
//   s(t) + s(t) s(-t) m        s = sigmoid, m t's own product (silu',
//                              swish', quick_gelu') or the tanh GELUs'
//                              cubic t, m = x t'(x); AVX-512 only,
//
// where t is exact arithmetic (+, -, *, negation, division by a constant)
// of leaves and constants, at most 8 deep (evaluated as a double-float).
// After the forms, only exact ops (selects, comparisons, negation, abs,
// min/max, products by 2^k with k >= 0 such as tanh' = 4 sigmoid(2x)
// sigmoid(-2x), stores) and at most one product by a leaf that no form reads
// (dy in a gradient kernel: one more rounding, within the 2 ULP bound of
// gradients) may follow; any other rounding, transcendental or division in
// the kernel keeps the whole kernel on the f64 route.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_ACCURATEF32ROUTING_H
#define ACTC_DIALECT_ACT_ACCURATEF32ROUTING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::act {

/// True when `value` holds an input exactly: not computed by arith, math
/// or act ops (a load, a block argument, a broadcast parameter), or a
/// constant, or extended from a narrower float, or a fused kernel's
/// rounded argument (kLeafAttrName). The leaves of every routed form.
bool isExactInput(Value value);

/// The f32 act.sigmoid, act.softplus and math.exp ops of `func` and the products of
/// the forms above that use them, which act-expand leaves whole for
/// act-math-approx; empty when `func` is not made of those forms alone (or
/// has neither function).
SetVector<Operation *> getAccurateF32Forms(func::FuncOp func);

/// The derivatives of m' sigmoid(t) where m' sigmoid(t)'s m equals t
/// (silu, swish, quick_gelu): each f32 sum sigmoid(t) + sigmoid(t)
/// sigmoid(-t) m, m the product of the factors that make t (act-autodiff's
/// strong zeros `a == 0 ? a : a * m` included), t and m exact arithmetic
/// of leaves, followed by exact ops and at most one product by a leaf no
/// form reads (dy): the sums and their ops, which act-math-approx
/// evaluates as sigmoid'(t) (1 + t + exp(t)) in f32 pairs with silu's
/// series next to its zero, rounded about once
/// (Approx/AccurateF32SigmoidGrad.cpp). Also the tanh GELUs' sums: t = k x
/// (1 + a x^2) and m = x t'(x) of one leaf x (strong zeros inside m
/// included), found by evaluating them at compile time, with G = 1 + m +
/// exp(t)'s series in x in FastGradRoots.def. Empty when `func` has any
/// other f32 sigmoid, rounding, function or division.
SetVector<Operation *> getAccurateSigmoidGradSums(func::FuncOp func);

/// The erf GELU's route (only where act-math-approx has its table, 16 x f32
/// with AVX-512: lib/Conversion/Approx/GeluF32.cpp): the f32 math.erfc ops
/// of `func` and their products m * erfc(w), w exact arithmetic of leaves
/// as above and m a leaf or a leaf times a power of two (gelu's 0.5 x),
/// followed by exact ops only; empty when `func` has any other rounding
/// after them or any other function or division.
SetVector<Operation *> getAccurateErfcProducts(func::FuncOp func);

/// The erf GELU gradient's route (only with the table, as above): each f32
/// sum GeluGradient.h matches, of an input x, with only its result read
/// outside it, followed by exact ops and at most one product by a leaf no
/// sum reads (dy): act-math-approx evaluates each sum as one table form
/// rounded once (GeluGradForm.cpp); empty when `func` has any other rounding,
/// function or division.
SetVector<Operation *> getAccurateGeluGradForms(func::FuncOp func);

/// The ELU family's route: each f32 math.expm1 of a leaf x (not a
/// constant) in `x > 0 ? x : c1 * expm1(x)`, optionally times c2 (elu,
/// celu with alpha 1, selu's scale (x > 0 ? x : alpha expm1(x)); c1, c2
/// float constants, each product the only user of its operand), followed
/// by exact ops only: the expm1, the select and the products, which
/// act-math-approx evaluates as one f32 form rounded about once
/// (Approx/AccurateF32Exp.cpp); empty when `func` has any other rounding,
/// function or division.
SetVector<Operation *> getAccurateEluForms(func::FuncOp func);

/// Their gradients' route: each f32 math.exp of a leaf x in `x > 0 ? c :
/// c1 * exp(x)`, optionally times c2 (selu': scale (x > 0 ? 1 : alpha
/// exp(x)); at least one product, else the lone exp route above applies),
/// followed by exact ops and at most one product by a leaf no form reads
/// (dy): the exp, the select and the products, which act-math-approx
/// evaluates as k exp(x) rounded about once (Approx/AccurateF32Exp.cpp).
SetVector<Operation *> getAccurateEluGradForms(func::FuncOp func);

/// mish's route (AVX-512 only; act-expand looks for it before it rewrites
/// tanh(softplus)): each f32 x * tanh(softplus(x)) of a leaf x (not a
/// constant), each op the only user of the one before, followed by exact
/// ops only: the three ops, which act-math-approx evaluates as one f32
/// form rounded about once (Approx/AccurateF32Mish.cpp); empty when `func`
/// has any other rounding, function or division.
SetVector<Operation *> getAccurateMishForms(func::FuncOp func);

/// mish''s route (AVX-512 only, found at the same point): each f32 sum
/// tanh(softplus(x)) + 4 sigmoid(2 sp) sigmoid(-2 sp) sigmoid(x) x, sp =
/// softplus(x) (act-autodiff's form after act-expand's 1 - tanh^2, the
/// factors in any order, strong zeros included) of a leaf x (not a
/// constant), every op of it read only inside it, followed by exact ops and
/// at most one product by a leaf no sum reads (dy): the sums and their
/// ops, which act-math-approx evaluates as one f32 form with dy inside,
/// rounded about once (Approx/AccurateF32Mish.cpp); empty when `func` has
/// any other rounding, function or division.
SetVector<Operation *> getAccurateMishGradForms(func::FuncOp func);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_ACCURATEF32ROUTING_H
