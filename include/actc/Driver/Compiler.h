//===- Compiler.h - the whole compiler as one in-process call ---*- C++ -*-===//
//
// One call takes a spec (text, a file or nothing but the prelude) and
// options, and returns what actc can emit: the act forms, the kernels in the
// LLVM dialect, LLVM IR, assembly, the object, the header, and a description
// of every compiled activation and its kernels. Used by the Python bindings
// and meant to be the driver's only entry into the library.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DRIVER_COMPILER_H
#define ACTC_DRIVER_COMPILER_H

#include "llvm/ADT/BitmaskEnum.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace actc {

// `|`, `&` and `~` on Artifact without `using namespace llvm`.
LLVM_ENABLE_BITMASK_ENUMS_IN_NAMESPACE();

/// What a compilation produces. Only the requested artifacts are computed;
/// the pipeline runs as far as the latest of them needs.
enum class Artifact : unsigned {
  None = 0,
  Parse = 1u << 0,   ///< act dialect straight from the frontend
  Act = 1u << 1,     ///< simplified act dialect
  ActGrad = 1u << 2, ///< the derivatives, as .act source
  MLIR = 1u << 3,    ///< kernels in the LLVM dialect
  LLVM = 1u << 4,    ///< optimized LLVM IR
  Asm = 1u << 5,     ///< assembly
  Object = 1u << 6,  ///< the object file
  Header = 1u << 7,  ///< the C header
  Kernels = 1u << 8, ///< `CompileResult::activations[].kernels`
  PTX = 1u << 9,     ///< the GPU kernels' PTX (`--target nvptx64`)
  LLVM_MARK_AS_BITMASK_ENUM(/*LargestValue=*/PTX)
};

struct CompileOptions {
  /// "x86_64", "aarch64" or a triple; empty means the host. "nvptx64" is
  /// the GPU target (docs/gpu.md): CUDA kernels and host launchers for the
  /// host, `cpu` applying to the launchers.
  std::string target;
  /// The GPU target's architecture: "sm_80" or "sm_90".
  std::string gpuArch = "sm_90";
  /// "native", a CPU name; empty means the target's portable default.
  std::string cpu;
  /// Element types to instantiate kernels for ("f32", "f64").
  std::vector<std::string> dtypes = {"f32", "f64"};
  /// `name.param=value` overrides of compile-time parameters.
  std::vector<std::string> defines;
  /// Activations to compile; empty means every one declared in the spec.
  std::vector<std::string> only;
  /// "accurate" or "fast"; empty means the pipeline's default (accurate).
  std::string precision;
  /// Outputs of at least this many bytes are written with non-temporal
  /// stores (x86 only; 0: never); unset means 16 MiB on x86.
  std::optional<uint64_t> streamBytes;
  /// Stream large outputs of compute-bound loops too (by default only loops
  /// bound by memory stream: act-streaming-cost).
  bool streamComputeBound = false;
  /// Compile-time parameters to differentiate too (`actc --grad-params`).
  std::vector<std::string> gradParams;
  /// Kernel kinds to build and declare ("forward", "grad", "grad_from_y",
  /// "bias", "bias_grad", "matmul", "matmul_aux", "all"); empty means all,
  /// as ABI.md promises of an object. The fused kinds are most of the
  /// compile time: the Python bindings build them on first use.
  std::vector<std::string> kernels;
  /// The include guard of the header (see getHeaderGuard).
  std::string headerGuard = "ACTC_KERNELS_H";
  /// Time every stage and pass (`actc --time-report`): the report is
  /// `CompileResult::timeReport`.
  bool timeReport = false;
};

/// A parameter of a compiled activation.
struct ParamInfo {
  std::string name;
  double defaultValue = 0;
  /// A `param`: a `float` argument of the kernels. Otherwise a compile-time
  /// constant folded into them.
  bool runtime = false;
};

/// One kernel of ABI.md in the object.
struct KernelInfo {
  /// "" for the forward kernel, else "grad", "grad_from_y", "bias", ...
  std::string kind;
  std::string dtype;
  /// The C symbol, `getKernelName(activation, kind, dtype)`.
  std::string symbol;
};

/// A public (compiled) activation.
struct ActivationInfo {
  std::string name;
  /// "elementwise" or "row" (ABI.md's two families).
  std::string shape;
  std::vector<ParamInfo> params;
  /// The source text of the body, when the frontend kept it.
  std::string formula;
  /// Filled when `Artifact::Kernels` was requested: the kernels actually in
  /// the object, in `getKernelKinds()` order, then by dtype.
  std::vector<KernelInfo> kernels;
};

struct CompileResult {
  std::string parse, act, actGrad, mlir, llvmIR, assembly, object, header, ptx;
  std::vector<ActivationInfo> activations;
  /// The normalized target triple and CPU the code was generated for.
  std::string triple, cpu;
  /// Warnings and remarks the compilation emitted (errors fail it).
  std::string diagnostics;
  /// With `CompileOptions::timeReport`: the wall and user time of each stage
  /// and pass, as a tree (MLIR's `--mlir-timing` format).
  std::string timeReport;
};

/// Why a compilation failed. `Spec` messages are MLIR diagnostics printed
/// as `file:line:col: error: ...` with the source line and a caret (one or
/// more lines, each ending in '\n'); the others are one line, no newline.
class CompileError : public llvm::ErrorInfo<CompileError> {
public:
  enum class Kind {
    Options, ///< an invalid option value (dtype, precision, target, CPU)
    Input,   ///< the spec file could not be read
    Spec,    ///< the spec (or a pass over it) emitted errors
    Backend, ///< translation to LLVM IR or code generation failed
  };

  CompileError(Kind kind, std::string message)
      : kind(kind), message(std::move(message)) {}

  Kind getKind() const { return kind; }
  const std::string &getMessage() const { return message; }

  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;

  static char ID;

private:
  Kind kind;
  std::string message;
};

/// Compiles spec text; `bufferName` names it in diagnostics ("<string>").
llvm::Expected<CompileResult> compileSource(llvm::StringRef source,
                                            llvm::StringRef bufferName,
                                            const CompileOptions &options,
                                            Artifact artifacts);

/// Compiles the spec file at `path`; an empty path compiles only the prelude
/// activations that `options.only` names.
llvm::Expected<CompileResult> compileFile(llvm::StringRef path,
                                          const CompileOptions &options,
                                          Artifact artifacts);

/// The kernel kinds of ABI.md, as `KernelInfo::kind` spells them, in the
/// order `ActivationInfo::kernels` lists them.
llvm::ArrayRef<llvm::StringRef> getKernelKinds();

/// The include guard actc derives from a header path: its stem, upper case,
/// non-alphanumerics as '_', then "_H" ("out/gelu.h" -> "GELU_H").
std::string getHeaderGuard(llvm::StringRef headerPath);

/// The names of the built-in prelude's activations.
std::vector<std::string> getPreludeActivationNames();

} // namespace actc

#endif // ACTC_DRIVER_COMPILER_H
