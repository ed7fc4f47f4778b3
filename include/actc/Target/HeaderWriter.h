//===- HeaderWriter.h - the C header of a compiled object -------*- C++ -*-===//

#ifndef ACTC_TARGET_HEADERWRITER_H
#define ACTC_TARGET_HEADERWRITER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace actc {

/// Writes the C header declaring every kernel that the pipeline instantiates
/// for the public activations of `actModule` (the simplified act module
/// after act-autodiff and act-grad-from-y, before act-kernels), with each
/// activation's formula above its kernels and each derivative above its
/// gradient kernel. `kinds` selects the kernel kinds the object has, as
/// PipelineOptions::kernelKinds (empty: all). With `cuda`, the header of a
/// GPU object: the CUDA launchers (ABI.md, GPU objects) of the elementwise
/// activations.
void writeHeader(mlir::ModuleOp actModule,
                 const std::vector<std::string> &dtypes,
                 const std::vector<std::string> &kinds,
                 llvm::StringRef guardName, llvm::raw_ostream &os,
                 bool cuda = false);

} // namespace actc

#endif // ACTC_TARGET_HEADERWRITER_H
