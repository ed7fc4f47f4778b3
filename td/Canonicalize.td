//===- Canonicalize.td - algebraic rules of act-canonicalize -*- tablegen -*-===//

#ifndef ACT_CANONICALIZE_TD
#define ACT_CANONICALIZE_TD

include "mlir/IR/PatternBase.td"
include "mlir/Dialect/Arith/IR/ArithOps.td"
include "mlir/Dialect/Math/IR/MathOps.td"
include "ActOps.td"

#endif // ACT_CANONICALIZE_TD
