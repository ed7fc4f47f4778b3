//===- KernelABI.h - kernel names and signatures of ABI.md ------*- C++ -*-===//
//
// The one place that spells the C ABI: act-kernels builds functions with
// these names and the header writer declares them.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_KERNELABI_H
#define ACTC_DIALECT_ACT_KERNELABI_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

#include <optional>
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

/// A unit attribute on a private func.func that the kernels call (the
/// matmul kernels' looped epilogue): act-lower-to-llvm keeps the function
/// out of line (LLVM's `noinline`), so it is not the kernel's public ABI
/// but a promise about how it is compiled.
inline constexpr llvm::StringLiteral kNoInlineAttrName = "act.no_inline";

/// `NAME_S` for the forward kernel, `NAME_KIND_S` otherwise ("grad",
/// "bias", "bias_grad", "matmul", "matmul_aux", "grad_from_y").
inline std::string getKernelName(llvm::StringRef activation,
                                 llvm::StringRef kind, llvm::StringRef dtype) {
  std::string name = activation.str();
  if (!kind.empty())
    name += "_" + kind.str();
  return name + "_" + dtype.str();
}

/// Whether `dtype` is a 16-bit storage type (bf16, f16): arrays hold it,
/// arithmetic is f32.
inline bool isStorageOnlyDType(llvm::StringRef dtype) {
  return dtype == "bf16" || dtype == "f16";
}

/// Whether `kind` is a threaded variant ("bias_mt", "bias_grad_mt",
/// "matmul_mt", "matmul_aux_mt"): built only when named, never by `all` or an
/// empty selection, since it needs pthreads (libc) where the others need libm
/// at most.
inline bool isThreadedKernelKind(llvm::StringRef kind) {
  return kind.ends_with("_mt");
}

/// Whether the pipeline builds kernels of `kind` ("" or "forward", "grad",
/// ...) for `dtype`: every kind for f32 and f64; the 16-bit storage types
/// have no matmul or matmul_aux kernels (nor their threaded variants) yet.
inline bool isKernelKindAvailable(llvm::StringRef kind, llvm::StringRef dtype) {
  if (!isStorageOnlyDType(dtype))
    return true;
  kind.consume_back("_mt");
  return kind != "matmul" && kind != "matmul_aux";
}

/// The kernel kinds of ABI.md as `actc --kernels` and the kernel passes'
/// `kinds` options spell them; `all` selects every one.
inline llvm::ArrayRef<llvm::StringLiteral> getKernelKindNames() {
  static constexpr llvm::StringLiteral names[] = {
      "forward",      "grad",      "grad_from_y",  "bias",
      "bias_grad",    "matmul",    "matmul_aux",   "bias_mt",
      "bias_grad_mt", "matmul_mt", "matmul_aux_mt"};
  return names;
}

/// The name suffix of kernel kind `kind` ("forward" -> "", else itself),
/// as getKernelName takes it.
inline llvm::StringRef getKernelSuffix(llvm::StringRef kind) {
  return kind == "forward" ? llvm::StringRef() : kind;
}

/// The first name in `kinds` that is neither a kernel kind nor `all`.
inline std::optional<std::string>
findUnknownKernelKind(llvm::ArrayRef<std::string> kinds) {
  for (const std::string &kind : kinds)
    if (kind != "all" && !llvm::is_contained(getKernelKindNames(), kind))
      return kind;
  return std::nullopt;
}

/// Whether a selection `kinds` (empty or containing `all`: every kind but
/// the threaded ones) includes kernel kind `kind` ("forward", "grad", ...;
/// "" is "forward"). A threaded kind selects the kernel it calls too.
inline bool isKernelKindSelected(llvm::ArrayRef<std::string> kinds,
                                 llvm::StringRef kind) {
  if (kind.empty())
    kind = "forward";
  if (isThreadedKernelKind(kind))
    return llvm::is_contained(kinds, kind);
  return kinds.empty() || llvm::is_contained(kinds, "all") ||
         llvm::is_contained(kinds, kind) ||
         llvm::is_contained(kinds, (kind + "_mt").str());
}

/// The message for an unknown kind in a kernel-kind selection.
inline std::string formatUnknownKernelKind(llvm::StringRef kind) {
  std::string message = "unknown kernel kind '" + kind.str() + "' (expected ";
  for (llvm::StringRef name : getKernelKindNames())
    message += name.str() + ", ";
  return message + "or all)";
}

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_KERNELABI_H
