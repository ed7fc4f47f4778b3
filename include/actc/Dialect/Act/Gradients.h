//===- Gradients.h - how derivatives are marked in the act dialect -*- C++ -*-===//
//
// act-autodiff and act-grad-from-y record the derivatives they build with
// these marks; act-kernels, the header writer and `actc --emit=act-grad`
// read them.
//
//   @f_grad         grad_of = @f: returns df/dx, then df/dp per runtime
//                   parameter, as functions of x (NAME_grad_T).
//   @f_grad_from_y  grad_of = @f and `act.from_y`: the same partials as
//                   functions of the output y = f(x) (NAME_grad_from_y_T).
//   @f (row)        `act.row_grad = "softmax"` or "log_softmax": f is that
//                   function, so its VJP is the closed form from y
//                   (NAME_grad_T(y, dy, dx, rows, cols)).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_GRADIENTS_H
#define ACTC_DIALECT_ACT_GRADIENTS_H

#include "actc/Dialect/Act/ActOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::act {

/// Marks a gradient activation whose input is the forward output y.
inline constexpr llvm::StringLiteral kFromYAttrName = "act.from_y";

/// Names the closed-form VJP of a row activation.
inline constexpr llvm::StringLiteral kRowGradAttrName = "act.row_grad";

/// The row VJPs act-autodiff recognizes, as act.row_grad values.
inline constexpr llvm::StringLiteral kSoftmaxRowGrad = "softmax";
inline constexpr llvm::StringLiteral kLogSoftmaxRowGrad = "log_softmax";

/// True for `@f_grad_from_y`.
inline bool isGradientFromY(ActivationOp activation) {
  return activation.getGradOf() && activation->hasAttr(kFromYAttrName);
}

/// The closed form recorded on a row activation ("" when none).
inline llvm::StringRef getRowGradKind(ActivationOp activation) {
  if (auto kind = activation->getAttrOfType<StringAttr>(kRowGradAttrName))
    return kind.getValue();
  return "";
}

/// dx of a row VJP, as .act reads it, with y the forward output and dy the
/// incoming gradient of the row.
inline llvm::StringRef getRowGradFormula(llvm::StringRef kind) {
  if (kind == kSoftmaxRowGrad)
    return "y * (dy - rowsum(dy * y))";
  if (kind == kLogSoftmaxRowGrad)
    return "dy - exp(y) * rowsum(dy)";
  return "";
}

/// The derivative of `f` in `module` built by act-autodiff (`fromY` false)
/// or act-grad-from-y (`fromY` true), or null.
inline ActivationOp lookupGradient(ModuleOp module, ActivationOp f,
                                   bool fromY) {
  for (auto candidate : module.getOps<ActivationOp>()) {
    std::optional<llvm::StringRef> gradOf = candidate.getGradOf();
    if (gradOf && *gradOf == f.getSymName() &&
        isGradientFromY(candidate) == fromY)
      return candidate;
  }
  return {};
}

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_GRADIENTS_H
