//===- AccurateF64GradRouting.h - f64 sigmoid' kept whole -------*- C++ -*-===//
//
// precision=accurate: act-expand's SigmoidPrime computes an f64
// sigmoid(t) sigmoid(-t) (sigmoid', and tanh' = 4 sigmoid(2x)
// sigmoid(-2x)) as E r r with E = exp(-|t|) and r = 1 / (1 + E): exp, the
// sum, the division and two products each round (3.8 ULP). The products
// below and their two sigmoids stay whole for act-math-approx, which
// evaluates sigmoid'(t) as one double-double quotient
// (lib/Conversion/AccurateF64GradForms.h); a sigmoid that other ops read
// as well is left to AccurateF64Routing.h's lone form there.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_ACCURATEF64GRADROUTING_H
#define ACTC_DIALECT_ACT_ACCURATEF64GRADROUTING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::act {

/// The f64 products sigmoid(t) * sigmoid(-t) of `func` (either factor
/// first, -t a negation of t or t of -t) and their sigmoids, except where t
/// is 2 softplus(s) (mish''s sech^2 of softplus keeps act-expand's form).
SetVector<Operation *> getAccurateF64SigmoidPrimes(func::FuncOp func);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_ACCURATEF64GRADROUTING_H
