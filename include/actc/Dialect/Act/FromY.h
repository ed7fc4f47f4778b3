//===- FromY.h - a derivative rewritten over the forward output -*- C++ -*-===//
//
// The candidate of act-grad-from-y: f's derivative written in y = f(x)
// alone, found by inverting f's body (lib/Dialect/Act/Transforms/FromY.cpp),
// not from a list of activations.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_FROMY_H
#define ACTC_DIALECT_ACT_FROMY_H

#include "actc/Dialect/Act/ActOps.h"

namespace mlir::act {

/// Creates `@f_grad_from_y` after `grad` (f's act-autodiff derivative):
/// every partial of `grad` rebuilt over y = f(x), unsimplified and not yet
/// verified; null, with nothing created, when some partial still needs x.
ActivationOp buildGradientFromY(ActivationOp f, ActivationOp grad);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_FROMY_H
