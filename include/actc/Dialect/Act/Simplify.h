//===- Simplify.h - helpers shared by the rewriting passes ------*- C++ -*-===//
//
// What act-canonicalize, act-autodiff and act-grad-from-y all do to a
// formula after changing it: run the algebraic rules together with every
// dialect's and op's canonicalizations to a fixed point, merge common
// subexpressions, and know which values depend on a variable. act-stabilize
// and the gradient passes also record the exact f64 value of the constants
// that f32 rounds (`act.exact`), for the f32 kernels.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_SIMPLIFY_H
#define ACTC_DIALECT_ACT_SIMPLIFY_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"

namespace mlir::act {

/// True when `value` is `variable` or computed from it.
bool dependsOn(Value value, Value variable);

/// act-canonicalize's rules plus the canonicalization patterns of every
/// loaded dialect and registered op.
void populateActSimplifyPatterns(RewritePatternSet &patterns);

/// Applies `patterns` to `root` greedily, then merges common subexpressions
/// (forward values the derivative reuses become one).
LogicalResult simplifyAndDeduplicate(Operation *root,
                                     const FrozenRewritePatternSet &patterns);

/// Records on each op below `root` the exact f64 value of every constant
/// operand that f32 cannot hold (kExactAttrName), replacing an older
/// record: act-expand and act-math-approx build the f32 kernels' constants
/// from it.
void recordExactConstants(Operation *root);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_SIMPLIFY_H
