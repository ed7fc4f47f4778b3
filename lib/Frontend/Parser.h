//===- Parser.h - .act declarations to act.activation ops -------*- C++ -*-===//
//
// The parser reads the declarations of one buffer (the prelude or the user's
// spec) and appends one `act.activation` per declaration to a module, in
// source order. The state shared by both buffers (what is declared so far,
// the `-D` overrides) lives in `FrontendState`.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_LIB_FRONTEND_PARSER_H
#define ACTC_LIB_FRONTEND_PARSER_H

#include "actc/Dialect/Act/ActOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"

#include <string>
#include <vector>

namespace actc {
namespace frontend {

/// One `-D activation.param=value`, with the locations of its parts in the
/// `<command line>` buffer.
struct Override {
  std::string activation;
  std::string param;
  double value = 0;
  mlir::Location activationLoc;
  mlir::Location paramLoc;
  /// Set once an activation of that name was declared.
  bool matched = false;
};

/// What later declarations need to know about an activation.
struct ActivationInfo {
  mlir::act::ActivationOp op;
  /// Declared by the built-in prelude (not by the user's spec).
  bool fromPrelude = false;
  /// Its body uses a row reduction, directly or through a call.
  bool isRow = false;
  /// Positions of the parameters declared without a default (`dy` in
  /// `act f_grad(x, dy) = ...`): runtime parameters every call must pass.
  llvm::SmallVector<unsigned> required;
};

/// The state shared by the parses of the prelude and of the user's spec.
struct FrontendState {
  FrontendState(llvm::SourceMgr &sourceMgr, mlir::ModuleOp module,
                std::vector<Override> overrides)
      : sourceMgr(sourceMgr), module(module), overrides(std::move(overrides)) {}

  llvm::SourceMgr &sourceMgr;
  mlir::ModuleOp module;
  /// Every activation declared so far, by name.
  llvm::StringMap<ActivationInfo> activations;
  /// Their names in declaration order (prelude first).
  std::vector<std::string> order;
  std::vector<Override> overrides;
};

/// Parses every declaration of buffer `bufferId` of `state.sourceMgr`,
/// appending an `act.activation` per declaration to `state.module`. Emits a
/// located diagnostic and fails at the first error.
mlir::LogicalResult parseBuffer(FrontendState &state, unsigned bufferId,
                                bool isPrelude);

/// The names declared (`act NAME`) in `source`, in order, without building
/// anything.
std::vector<std::string> scanDeclaredNames(llvm::StringRef source);

} // namespace frontend
} // namespace actc

#endif // ACTC_LIB_FRONTEND_PARSER_H
