//===- AccurateF32Forms.h - accurate f32 composed forms ---------*- C++ -*-===//
//
// precision=accurate: act-expand leaves f32 act.sigmoid and act.softplus
// ops whole in the kernels whose every rounding it can place in one of
// these forms (actc/Dialect/Act/AccurateF32Routing.h); act-math-approx
// evaluates them in f32 double-float (Approx/AccurateF32.h) instead of f64.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_ACCURATEF32FORMS_H
#define ACTC_CONVERSION_ACCURATEF32FORMS_H

#include "mlir/IR/BuiltinOps.h"

namespace mlir::act {

/// Rewrites sigmoid(t) * sigmoid(-t) and m * sigmoid(t), then the f32
/// act.sigmoid and act.softplus ops left alone. `avx512`: see Emitter::setAVX512.
LogicalResult applyAccurateF32Forms(ModuleOp module, bool avx512);

} // namespace mlir::act

#endif // ACTC_CONVERSION_ACCURATEF32FORMS_H
