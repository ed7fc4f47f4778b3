//===- AccurateF64Forms.h - accurate f64 sigmoid and softplus ---*- C++ -*-===//
//
// precision=accurate: act-expand leaves the f64 act.sigmoid and
// act.softplus ops of actc/Dialect/Act/AccurateF64Routing.h whole;
// act-math-approx evaluates them here in double-double
// (Approx/AccurateF64.h), with their arguments as pairs
// (PairArgumentF64.h) and a product by m joined to the sigmoid's form;
// m * erfc(w) (the erf GELU) likewise, its erfc ops being math's.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_ACCURATEF64FORMS_H
#define ACTC_CONVERSION_ACCURATEF64FORMS_H

#include "mlir/IR/BuiltinOps.h"

namespace mlir::act {

/// Rewrites m * sigmoid(t) and m * erfc(w), then the f64 act.sigmoid and
/// act.softplus ops left alone. `avx512`: see Emitter::setAVX512.
LogicalResult applyAccurateF64Forms(ModuleOp module, bool avx512);

} // namespace mlir::act

#endif // ACTC_CONVERSION_ACCURATEF64FORMS_H
