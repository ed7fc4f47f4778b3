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
/// dy * df/dx and `NAME_P(x, dy, ...)` for dy * df/dp, with `dy` a runtime
/// parameter.
void writeActSource(mlir::act::ActivationOp activation, llvm::raw_ostream &os);

} // namespace actc

#endif // ACTC_TARGET_ACTWRITER_H
