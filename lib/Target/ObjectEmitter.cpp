//===- ObjectEmitter.cpp - placeholder until the backend lands ------------===//

#include "actc/Target/ObjectEmitter.h"

using namespace llvm;

Expected<std::unique_ptr<TargetMachine>>
actc::createTargetMachine(const TargetOptions &options) {
  return createStringError("code generation is not written yet");
}

unsigned actc::getVectorBits(const TargetMachine &machine) { return 256; }

Expected<std::unique_ptr<Module>>
actc::translateAndOptimize(mlir::ModuleOp module, LLVMContext &llvmContext,
                           TargetMachine &machine) {
  return createStringError("code generation is not written yet");
}

Error actc::emitCode(Module &module, TargetMachine &machine,
                     raw_pwrite_stream &os, CodeGenFileType type) {
  return createStringError("code generation is not written yet");
}
