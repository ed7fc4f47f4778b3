//===- GPUBinary.h - PTX and cubin of the GPU kernels -----------*- C++ -*-===//
//
// The device code of a GPU object: the gpu.module of the kernels (after
// act-to-nvvm's lowering, its NVVM target attached) serialized to PTX by
// upstream's gpu-module-to-binary with libdevice linked, checked for
// unresolved calls, then assembled to a cubin by the toolkit's ptxas.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_TARGET_GPUBINARY_H
#define ACTC_TARGET_GPUBINARY_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace actc {

/// What a context needs for the GPU target beyond the CPU's: the
/// ConvertToLLVM interfaces convert-gpu-to-nvvm takes the arith, cf, func,
/// index, ub, vector and nvvm patterns from, the NVVM target and the GPU and
/// NVVM translations gpu-module-to-binary uses.
void registerGPUTargetInterfaces(mlir::DialectRegistry &registry);

/// The CUDA toolkit the GPU target uses: $CUDA_PATH, else /usr/local/cuda.
std::string getCUDAToolkitPath();

/// Checks `arch` against the architectures the GPU target supports
/// ("sm_80", "sm_90").
llvm::Error checkGPUArch(llvm::StringRef arch);

/// The PTX of the gpu.module in `module`, serialized (on a copy) with the
/// libdevice of `toolkitPath` linked. Errors: no libdevice there, the
/// serialization's diagnostics (emitted through `module`'s context), or an
/// `.extern` function the PTX calls but does not define (upstream accepts
/// that and exits 0; the object could not load it).
llvm::Expected<std::string> serializeToPTX(mlir::ModuleOp module,
                                           llvm::StringRef toolkitPath);

/// The names of the functions `ptx` declares `.extern` (empty: none).
std::vector<std::string> findExternFunctions(llvm::StringRef ptx);

/// `ptx` assembled for `arch` by `<toolkitPath>/bin/ptxas`: an empty string
/// when there is no ptxas there, an error when ptxas fails.
llvm::Expected<std::string> assembleCubin(llvm::StringRef ptx,
                                          llvm::StringRef arch,
                                          llvm::StringRef toolkitPath);

} // namespace actc

#endif // ACTC_TARGET_GPUBINARY_H
