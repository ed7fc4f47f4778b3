//===- Kinks.h - where an activation is not differentiable -------*- C++ -*-===//
//
// act-autodiff warns where a user's spec is not differentiable and says
// which rule the gradient kernels apply there. The ops that can make a kink
// (abs, max, min, select) are found by matching, but whether one really
// does is decided by evaluating: each switch point of the op is located on
// sampled inputs and refined by bisection, and the activation's one-sided
// slopes (and values) there are compared. A smooth piecewise definition
// (the prelude's gelu switches formulas at 0) gets no warning. A switch
// that x never crosses at the parameters' defaults is searched again along
// each runtime parameter it depends on.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_KINKS_H
#define ACTC_DIALECT_ACT_KINKS_H

#include "actc/Dialect/Act/ActOps.h"

namespace mlir::act {

/// Emits a warning at each op of `f` (in the user's spec, or the prelude
/// called from it) where f is not differentiable or not continuous, naming
/// the point, the op, the rule td/Derivatives.td applies there and the
/// gradient `grad` (f's act-autodiff derivative) returns at that point.
void warnNonDifferentiable(ActivationOp f, ActivationOp grad);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_KINKS_H
