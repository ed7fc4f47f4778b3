//===- Frontend.h - .act source to the act dialect --------------*- C++ -*-===//
//
// Parses `.act` specs (SPEC.md) together with the built-in prelude into a
// module of `act.activation` ops with source locations.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_FRONTEND_FRONTEND_H
#define ACTC_FRONTEND_FRONTEND_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SourceMgr.h"

#include <string>
#include <vector>

namespace actc {

struct FrontendOptions {
  /// `-D name.param=value` overrides of compile-time parameters, as written
  /// on the command line (without the `-D`).
  std::vector<std::string> defines;
  /// `--only a,b`: the activations that get kernels. Empty means every
  /// activation declared in the file.
  std::vector<std::string> only;
};

/// Parses the main buffer of `sourceMgr` (which may be absent: then only
/// prelude activations named by `--only` are compiled) and returns a module
/// holding one public `act.activation` per activation to compile and a
/// private one per activation they call. Errors are emitted as MLIR
/// diagnostics on the context, located in the source; returns null then.
mlir::OwningOpRef<mlir::ModuleOp>
parseActSource(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
               const FrontendOptions &options);

/// The text of the built-in prelude (lib/Frontend/Prelude.act).
llvm::StringRef getPreludeSource();

/// Names of the prelude's activations, in declaration order.
std::vector<std::string> getPreludeNames();

} // namespace actc

#endif // ACTC_FRONTEND_FRONTEND_H
