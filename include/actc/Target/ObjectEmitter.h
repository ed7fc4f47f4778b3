//===- ObjectEmitter.h - LLVM dialect to object code ------------*- C++ -*-===//

#ifndef ACTC_TARGET_OBJECTEMITTER_H
#define ACTC_TARGET_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace actc {

struct TargetOptions {
  /// "x86_64", "aarch64" or a full triple; empty means the host.
  std::string target;
  /// "native", a CPU name ("x86-64-v3", "sapphirerapids", ...); empty means
  /// the portable default of the target (x86-64-v3 on x86-64).
  std::string cpu;
};

/// Creates the TargetMachine for `options`; an unknown target or CPU is an
/// error whose message names it.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options);

/// The widest vector register the target machine's CPU has, in bits.
unsigned getVectorBits(const llvm::TargetMachine &machine);

/// Translates an LLVM-dialect module to LLVM IR for `machine`: its triple,
/// data layout and, on every function, its CPU, features and vector width.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
                  llvm::TargetMachine &machine);

/// Runs the O3 pipeline on `module` and verifies the result.
llvm::Error optimizeLLVMIR(llvm::Module &module, llvm::TargetMachine &machine);

/// Writes `module` as an object file (or assembly) to `os`.
llvm::Error emitCode(llvm::Module &module, llvm::TargetMachine &machine,
                     llvm::raw_pwrite_stream &os, llvm::CodeGenFileType type);

} // namespace actc

#endif // ACTC_TARGET_OBJECTEMITTER_H
