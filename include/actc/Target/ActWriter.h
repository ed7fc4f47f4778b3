//===- ActWriter.h - act dialect back to .act source ------------*- C++ -*-===//
//
// Prints an activation as .act source that actc accepts again: how a user
// reads the simplified derivative of an activation (`actc --emit=act-grad`)
// and what the header shows above each kernel.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_TARGET_ACTWRITER_H
#define ACTC_TARGET_ACTWRITER_H

#include "actc/Dialect/Act/ActOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace actc {

/// The expression `activation` returns at `resultIndex`, as one line of .act
/// (values used several times are repeated: see writeActSource for the
/// block form that names them).
std::string formatActExpression(mlir::act::ActivationOp activation,
                                unsigned resultIndex = 0);

/// Writes `activation` as a .act declaration. For a gradient (`grad_of`)
/// each returned partial becomes one declaration, `NAME(x, dy, ...)` for
/// dy * df/dx and `NAME_P(x, dy, ...)` for dy * df/dp, with `dy` a
/// parameter without default (a runtime parameter); a gradient from the
/// output reads `y` instead of `x`.
void writeActSource(mlir::act::ActivationOp activation, llvm::raw_ostream &os);

/// For a row activation with a closed-form VJP (act.row_grad), the lines
/// (each starting with `prefix`) that say which and give dx; .act cannot
/// express a VJP over a row of dy, so it is a comment.
void writeRowGradientComment(mlir::act::ActivationOp activation,
                             llvm::StringRef prefix, llvm::raw_ostream &os);

/// `actc --emit=act-grad`: every derivative in `module` (after act-autodiff
/// and act-grad-from-y) as .act source, public activations in order.
void writeActGradients(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace actc

#endif // ACTC_TARGET_ACTWRITER_H
