//===- KernelABI.h - kernel names and signatures of ABI.md ------*- C++ -*-===//
//
// The one place that spells the C ABI: act-kernels builds functions with
// these names and the header writer declares them.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_KERNELABI_H
#define ACTC_DIALECT_ACT_KERNELABI_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir::act {

/// The C element type of a dtype suffix ("f32" -> "float").
inline llvm::StringRef getCTypeName(llvm::StringRef dtype) {
  if (dtype == "f32")
    return "float";
  if (dtype == "f64")
    return "double";
  return "uint16_t"; // bf16 and f16 are storage-only.
}

/// `NAME_S` for the forward kernel, `NAME_KIND_S` otherwise ("grad",
/// "bias", "bias_grad", "matmul", "matmul_aux", "grad_from_y").
inline std::string getKernelName(llvm::StringRef activation,
                                 llvm::StringRef kind, llvm::StringRef dtype) {
  std::string name = activation.str();
  if (!kind.empty())
    name += "_" + kind.str();
  return name + "_" + dtype.str();
}

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_KERNELABI_H
