//===- Frontend.cpp - placeholder until the parser lands ------------------===//

#include "actc/Frontend/Frontend.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

OwningOpRef<ModuleOp> actc::parseActSource(llvm::SourceMgr &sourceMgr,
                                           MLIRContext *context,
                                           const FrontendOptions &options) {
  emitError(UnknownLoc::get(context), "the .act parser is not written yet");
  return nullptr;
}

llvm::StringRef actc::getPreludeSource() { return ""; }

std::vector<std::string> actc::getPreludeNames() { return {}; }
