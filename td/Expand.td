//===- Expand.td - act functions in arith and math ---------*- tablegen -*-===//

#ifndef ACT_EXPAND_TD
#define ACT_EXPAND_TD

include "mlir/IR/PatternBase.td"
include "mlir/Dialect/Arith/IR/ArithOps.td"
include "mlir/Dialect/Math/IR/MathOps.td"
include "ActOps.td"

#endif // ACT_EXPAND_TD
