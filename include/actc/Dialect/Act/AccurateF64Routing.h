//===- AccurateF64Routing.h - f64 sigmoid forms kept whole ------*- C++ -*-===//
//
// precision=accurate: act-expand's formulas compute an f64 sigmoid or
// softplus with a rounding at each step (exp's argument, 1 + E, the
// division, the product after it), 2 to 3 ULPs and up to hundreds in the
// tails, where exp amplifies the rounding of its argument. The ops below
// stay whole for act-math-approx, which evaluates them in double-double
// and rounds once (lib/Conversion/AccurateF64Forms.h). Unlike f32's
// routing (AccurateF32Routing.h) nothing else in the kernel has to fit:
// f64 has no wider route to fall back on, so each op kept is a gain alone.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_ACCURATEF64ROUTING_H
#define ACTC_DIALECT_ACT_ACCURATEF64ROUTING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::act {

/// The f64 act.sigmoid ops of `func` that no product with another sigmoid
/// reads (sigmoid(t) sigmoid(-t) is act-expand's SigmoidPrime), and its
/// f64 act.softplus ops that no tanh or product reads (mish's gradient and
/// its 2 softplus(s) keep their own expansions), or that only tanhs read
/// whose only readers are products (mish: m * tanh(softplus(t))).
SetVector<Operation *> getAccurateF64Forms(func::FuncOp func);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_ACCURATEF64ROUTING_H
