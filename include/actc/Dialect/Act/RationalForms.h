//===- RationalForms.h - f32 kernels of rational activations ----*- C++ -*-===//
//
// precision=accurate: hard_sigmoid, hard_swish and softsign (forward and
// gradient) round only in + - * / of the input and constants. Their f32
// kernels need no f64: act-expand leaves them in f32 where each rounding
// lies in one of these forms (x an input leaf, not a constant), and
// act-math-approx evaluates each form with exact error terms (Fast2Sum,
// FMA residuals), rounded about once (lib/Conversion/Approx/
// AccurateF32Rational.cpp):
//
//   HardSigmoid      min(max(x + 3, 0), 6) / 6                (relu6(x + 3) / 6)
//   HardSwish        x < -3 ? 0 : (x > 3 ? x : x * (x + 3) / 6)
//   HardSwishGrad    x < -3 ? 0 : (x > 3 ? 1 : (x + 3 + x) / 6)
//   Softsign         |x| == inf ? sign(x) : x / (|x| + 1)
//   SoftsignGrad     |x| == inf ? 0 : (1 - x / t * sign(x)) / t, t = |x| + 1
//   ConstantQuotient s / c, s a tree of selects of constants, c a constant
//                    (hard_sigmoid' = (3 <= x ? 0 : -3 >= x ? 0 : 1) / 6):
//                    the select of the rounded quotients, the same values
//
// each in the structure the prelude's formulas (and their derivatives) have
// in the kernels; after the forms only exact ops and at most one product by
// another leaf (dy: one more rounding, as for AccurateF32Routing.h's forms).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_RATIONALFORMS_H
#define ACTC_DIALECT_ACT_RATIONALFORMS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SetVector.h"

#include <optional>

namespace mlir::act {

enum class RationalKind {
  HardSigmoid,
  HardSwish,
  HardSwishGrad,
  Softsign,
  SoftsignGrad,
  ConstantQuotient,
};

/// A form rooted at `root` (the op whose result the form replaces): its
/// input leaf `x` (null for ConstantQuotient) and every op of it.
struct RationalForm {
  RationalKind kind;
  Value x;
  SmallVector<Operation *> ops;
};

/// The form `root` is the root of, if any (f32 scalars or vectors).
std::optional<RationalForm> matchRationalForm(Operation *root);

/// The ops of the forms of `func` when every rounding of `func` lies in
/// one of them (or is one product by a leaf after them); empty otherwise.
SetVector<Operation *> getAccurateRationalForms(func::FuncOp func);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_RATIONALFORMS_H
