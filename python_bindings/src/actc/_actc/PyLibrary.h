//===- PyLibrary.h - a compiled spec, loaded in this process ----*- C++ -*-===//
//
// What actc.compile returns: the compilation's results (object, header,
// activations), the object linked into the process when it was built for
// the host, and what is needed to compile the spec again for an IR stage
// asked for later.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_PYTHON_PYLIBRARY_H
#define ACTC_PYTHON_PYLIBRARY_H

#include "PyActc.h"

#include "actc/Driver/Compiler.h"
#include "actc/Driver/JITLibrary.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace actc::python {

class Library {
public:
  /// Compiles `source` (or, when absent, the prelude activations that
  /// `options.only` names) with the kernel kinds `eagerKinds` (empty: all)
  /// and links the object when it runs here; the other kinds are compiled
  /// on first use (getKernels). Raises the exceptions of PyError.h.
  Library(std::optional<std::string> source, std::string bufferName,
          CompileOptions options, std::vector<std::string> eagerKinds);

  const CompileResult &getResult() const { return result; }
  const CompileOptions &getOptions() const { return options; }

  /// The kernels of `activation` of kernel kind `kind` ("" forward, "grad",
  /// "bias", ...), one per dtype that has one: a kind not compiled yet is
  /// compiled for this activation alone and linked first.
  std::vector<KernelInfo> getKernels(const ActivationInfo &activation,
                                     const std::string &kind);

  /// The kernels of `activation` compiled so far.
  std::vector<KernelInfo> getCompiledKernels(const ActivationInfo &activation);

  /// The address of kernel `symbol`; raises RuntimeError when the object
  /// was built for another target.
  void *getKernel(const std::string &symbol) const;

  /// The object with every kernel kind (ABI.md), as save() writes it.
  const std::string &getObject();

  /// The text of `stage` ("parse", "act", "act-grad", "mlir", "llvm",
  /// "asm", "header") for the activation `only`, or the whole library when
  /// `only` is empty. Compiles again the first time it is asked for.
  std::string getIR(const std::string &stage, const std::string &only);

  /// The header, with the include guard actc derives from `headerPath`.
  std::string getHeader(const std::string &headerPath);

private:
  CompileResult compile(const CompileOptions &compileOptions,
                        Artifact artifacts) const;
  /// Looks up and records the addresses of `compiled` in the JIT.
  void addKernels(const std::vector<KernelInfo> &compiled);
  bool isEager(const std::string &kind) const;

  std::optional<std::string> source;
  std::string bufferName;
  /// The user's options; `kernels` empty (all kinds).
  CompileOptions options;
  std::vector<std::string> eagerKinds;
  CompileResult result;
  std::unique_ptr<JITLibrary> jit;
  std::map<std::string, void *> kernels;
  /// Kernels compiled on first use, by activation; the (activation, kind)
  /// pairs compiled so (found or not).
  std::map<std::string, std::vector<KernelInfo>> lateKernels;
  std::set<std::pair<std::string, std::string>> lateCompiled;
  std::optional<std::string> fullObject;
  std::map<std::pair<std::string, std::string>, std::string> irCache;
};

/// One activation of a library: `lib.NAME`.
struct Activation {
  std::shared_ptr<Library> library;
  const ActivationInfo *info;
};

} // namespace actc::python

#endif // ACTC_PYTHON_PYLIBRARY_H
