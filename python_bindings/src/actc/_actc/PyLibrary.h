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
#include <string>

namespace actc::python {

class Library {
public:
  /// Compiles `source` (or, when absent, the prelude activations that
  /// `options.only` names) and links the object when it runs here. Raises
  /// the exceptions of PyError.h.
  Library(std::optional<std::string> source, std::string bufferName,
          CompileOptions options);

  const CompileResult &getResult() const { return result; }
  const CompileOptions &getOptions() const { return options; }

  /// The address of kernel `symbol`; raises RuntimeError when the object
  /// was built for another target.
  void *getKernel(const std::string &symbol) const;

  /// The text of `stage` ("parse", "act", "act-grad", "mlir", "llvm",
  /// "asm", "header") for the activation `only`, or the whole library when
  /// `only` is empty. Compiles again the first time it is asked for.
  std::string getIR(const std::string &stage, const std::string &only);

  /// The header, with the include guard actc derives from `headerPath`.
  std::string getHeader(const std::string &headerPath);

private:
  CompileResult compile(const CompileOptions &compileOptions,
                        Artifact artifacts) const;

  std::optional<std::string> source;
  std::string bufferName;
  CompileOptions options;
  CompileResult result;
  std::unique_ptr<JITLibrary> jit;
  std::map<std::string, void *> kernels;
  std::map<std::pair<std::string, std::string>, std::string> irCache;
};

/// One activation of a library: `lib.NAME`.
struct Activation {
  std::shared_ptr<Library> library;
  const ActivationInfo *info;
};

} // namespace actc::python

#endif // ACTC_PYTHON_PYLIBRARY_H
