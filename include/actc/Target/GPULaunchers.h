//===- GPULaunchers.h - host launchers of the GPU kernels -------*- C++ -*-===//
//
// The host half of a GPU object (ABI.md, "GPU objects"): the device code as
// constant data and one `int NAME_S_cuda(..., void *stream, ...)` per
// kernel, which loads the module through the CUDA driver API (once per
// process and context) and launches the kernel.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_TARGET_GPULAUNCHERS_H
#define ACTC_TARGET_GPULAUNCHERS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>
#include <vector>

namespace actc {

/// One device kernel and how to launch it.
struct GPUKernelInfo {
  /// The kernel's symbol in the PTX, NAME_S or NAME_KIND_S; the launcher is
  /// this name + "_cuda".
  std::string name;
  /// "elementwise", "grad" or "bias" (GPUKernelABI.h).
  std::string kind;
  /// Runtime parameters (`float` arguments; a grad kernel also has as many
  /// `float *` gradients).
  unsigned numParams = 0;
  /// A bias kernel's vector lanes (act.gpu_lanes; 1: none).
  int64_t lanes = 1;
};

/// The kernels of the gpu.module in `module` (after act-gpu-outline, before
/// convert-gpu-to-nvvm), in module order.
std::vector<GPUKernelInfo> collectGPUKernels(mlir::ModuleOp module);

/// The launchers' LLVM module for `machine` (the host): `ptx` (and `cubin`
/// when not empty, tried first) as constant data, the lazy module loader
/// and one launcher per kernel.
llvm::Expected<std::unique_ptr<llvm::Module>>
buildGPULaunchers(llvm::ArrayRef<GPUKernelInfo> kernels, llvm::StringRef ptx,
                  llvm::StringRef cubin, llvm::LLVMContext &context,
                  llvm::TargetMachine &machine);

} // namespace actc

#endif // ACTC_TARGET_GPULAUNCHERS_H
