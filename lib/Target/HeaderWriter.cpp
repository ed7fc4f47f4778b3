//===- HeaderWriter.cpp - the C header of a compiled object ---------------===//
//
// Declares the kernels of ABI.md that the pipeline instantiates, each public
// activation under a comment with its formula, parameters and accuracy, and
// each gradient kernel under the derivative it computes (the .act source of
// `actc --emit=act-grad`). It reads the module after act-autodiff and
// act-grad-from-y, whose derivatives tell which gradient kernels exist.
// Every kernel kind is one entry of `kernelKinds`; names and C types come
// from KernelABI.h, the same place act-kernels takes them from.
//
//===----------------------------------------------------------------------===//

#include "actc/Target/HeaderWriter.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/GPUFastTanh.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Target/ActWriter.h"
#include "actc/Support/FormatNumber.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>

using namespace mlir;
using namespace mlir::act;

namespace {

/// What an activation must be for a kernel kind to exist for it.
enum class Shape {
  Elementwise,
  Row,
  /// Elementwise, with a derivative from the output (act-grad-from-y).
  ElementwiseFromY,
  /// Row, recognized as softmax or log_softmax (act.row_grad).
  RowWithGrad,
};

/// One C argument of a kernel, or the run of runtime parameters.
struct Argument {
  enum Kind {
    Input,         ///< `const T *name`
    Output,        ///< `T *name`
    Size,          ///< `int64_t name`
    RuntimeParams, ///< `float P...`, one per runtime parameter
    ParamGrads,    ///< `float *dP...`, one per runtime parameter
  } kind;
  const char *name;
};

/// A kernel of ABI.md: its name suffix ("" forward, "grad", "bias", ...),
/// the activations it exists for, what it computes (and, for activations
/// with runtime parameters, what it does with them) and its arguments.
struct KernelKind {
  const char *suffix;
  Shape shape;
  const char *comment;
  const char *paramsComment;
  llvm::ArrayRef<Argument> arguments;
};

} // namespace

static constexpr Argument elementwiseArguments[] = {
    {Argument::Input, "x"},
    {Argument::Output, "y"},
    {Argument::Size, "n"},
    {Argument::RuntimeParams, ""}};
static constexpr Argument gradArguments[] = {{Argument::Input, "x"},
                                             {Argument::Input, "dy"},
                                             {Argument::Output, "dx"},
                                             {Argument::Size, "n"},
                                             {Argument::RuntimeParams, ""},
                                             {Argument::ParamGrads, ""}};
static constexpr Argument gradFromYArguments[] = {
    {Argument::Input, "y"},         {Argument::Input, "dy"},
    {Argument::Output, "dx"},       {Argument::Size, "n"},
    {Argument::RuntimeParams, ""},  {Argument::ParamGrads, ""}};
static constexpr Argument rowGradArguments[] = {{Argument::Input, "y"},
                                                {Argument::Input, "dy"},
                                                {Argument::Output, "dx"},
                                                {Argument::Size, "rows"},
                                                {Argument::Size, "cols"}};
static constexpr Argument rowArguments[] = {{Argument::Input, "x"},
                                            {Argument::Output, "y"},
                                            {Argument::Size, "rows"},
                                            {Argument::Size, "cols"}};
static constexpr Argument biasArguments[] = {
    {Argument::Input, "x"},   {Argument::Input, "bias"},
    {Argument::Output, "y"},  {Argument::Size, "rows"},
    {Argument::Size, "cols"}, {Argument::RuntimeParams, ""}};
static constexpr Argument biasGradArguments[] = {
    {Argument::Input, "x"},      {Argument::Input, "bias"},
    {Argument::Input, "dy"},     {Argument::Output, "dx"},
    {Argument::Output, "dbias"}, {Argument::Size, "rows"},
    {Argument::Size, "cols"},    {Argument::RuntimeParams, ""},
    {Argument::ParamGrads, ""}};
static constexpr Argument matmulArguments[] = {
    {Argument::Input, "a"},    {Argument::Input, "b"},
    {Argument::Input, "bias"}, {Argument::Output, "c"},
    {Argument::Size, "m"},     {Argument::Size, "n"},
    {Argument::Size, "k"},     {Argument::RuntimeParams, ""}};
static constexpr Argument matmulAuxArguments[] = {
    {Argument::Input, "a"},       {Argument::Input, "b"},
    {Argument::Input, "bias"},    {Argument::Output, "c"},
    {Argument::Output, "z"},      {Argument::Size, "m"},
    {Argument::Size, "n"},        {Argument::Size, "k"},
    {Argument::RuntimeParams, ""}};
static constexpr Argument biasMtArguments[] = {
    {Argument::Input, "x"},          {Argument::Input, "bias"},
    {Argument::Output, "y"},         {Argument::Size, "rows"},
    {Argument::Size, "cols"},        {Argument::RuntimeParams, ""},
    {Argument::Size, "threads"}};
static constexpr Argument biasGradMtArguments[] = {
    {Argument::Input, "x"},      {Argument::Input, "bias"},
    {Argument::Input, "dy"},     {Argument::Output, "dx"},
    {Argument::Output, "dbias"}, {Argument::Size, "rows"},
    {Argument::Size, "cols"},    {Argument::RuntimeParams, ""},
    {Argument::ParamGrads, ""},  {Argument::Size, "threads"}};
static constexpr Argument matmulMtArguments[] = {
    {Argument::Input, "a"},          {Argument::Input, "b"},
    {Argument::Input, "bias"},       {Argument::Output, "c"},
    {Argument::Size, "m"},           {Argument::Size, "n"},
    {Argument::Size, "k"},           {Argument::RuntimeParams, ""},
    {Argument::Size, "threads"}};
static constexpr Argument matmulAuxMtArguments[] = {
    {Argument::Input, "a"},          {Argument::Input, "b"},
    {Argument::Input, "bias"},       {Argument::Output, "c"},
    {Argument::Output, "z"},         {Argument::Size, "m"},
    {Argument::Size, "n"},           {Argument::Size, "k"},
    {Argument::RuntimeParams, ""},   {Argument::Size, "threads"}};

/// The kernels the pipeline emits today. A new kind is one more entry here.
static const KernelKind kernelKinds[] = {
    {"", Shape::Elementwise,
     "y[i] = f(x[i]); y == x allowed, any n >= 0, no alignment required.",
     nullptr, elementwiseArguments},
    {"grad", Shape::Elementwise,
     "dx[i] = dy[i] * f'(x[i]); dx may equal dy or x.",
     "Each *dP is set (not added) to the sum over i of dy[i] * df/dP(x[i]).",
     gradArguments},
    {"grad_from_y", Shape::ElementwiseFromY,
     "dx[i] = dy[i] * f'(x[i]) from the output y[i] = f(x[i]) alone; dx may "
     "equal dy or y.",
     "Each *dP is set (not added) to the sum over i of dy[i] * df/dP.",
     gradFromYArguments},
    {"bias", Shape::Elementwise,
     "Bias epilogue, row-major rows x cols: y[r,c] = f(x[r,c] + bias[c]); "
     "y == x allowed.",
     nullptr, biasArguments},
    {"bias_grad", Shape::Elementwise,
     "Its backward: z = x + bias; dx = dy * f'(z); dbias[c] = sum over r of "
     "dx[r,c]\n   (set, accumulated in T, in f32 for bf16/f16); dx may equal "
     "dy or x.",
     "Each *dP is set (not added) to the sum of dy * df/dP(z).",
     biasGradArguments},
    {"matmul", Shape::Elementwise,
     "Matmul epilogue, row-major: c = f(a . b + bias), a m x k, b k x n, "
     "c m x n;\n   bias (length n) may be NULL. No allocation; up to 130 KiB "
     "of stack.",
     nullptr, matmulArguments},
    {"matmul_aux", Shape::Elementwise,
     "The same, also storing the pre-activation z = a . b + bias (m x n).",
     nullptr, matmulAuxArguments},
    {"bias_mt", Shape::Elementwise,
     "NAME_bias with the rows split over `threads` threads (the caller's "
     "included;\n   at most 64, pthreads from libc): bitwise the same "
     "result.",
     nullptr, biasMtArguments},
    {"bias_grad_mt", Shape::Elementwise,
     "NAME_bias_grad with the columns split over `threads` threads (the "
     "caller's\n   included; at most 64, blocks of 64 columns, pthreads from "
     "libc): dx and dbias\n   bitwise the same result.",
     "Each *dP is set to the sum of the column blocks' sums, added in block "
     "order:\n   the same for a given thread count, rounded differently from "
     "NAME_bias_grad's.",
     biasGradMtArguments},
    {"matmul_mt", Shape::Elementwise,
     "NAME_matmul with the rows of a and c split over `threads` threads "
     "(the\n   caller's included; at most 64, pthreads from libc): bitwise "
     "the same result.",
     nullptr, matmulMtArguments},
    {"matmul_aux_mt", Shape::Elementwise,
     "NAME_matmul_aux with the rows split over `threads` threads, as "
     "NAME_matmul_mt.",
     nullptr, matmulAuxMtArguments},
    {"", Shape::Row,
     "y[r,:] = f(x[r,:]) for each of `rows` rows of `cols` contiguous "
     "elements.",
     nullptr, rowArguments},
    {"grad", Shape::RowWithGrad,
     "dx[r,:] = J_f(x[r,:])^T dy[r,:], row by row, from the output "
     "y = f(x); dx may equal dy or y.",
     nullptr, rowGradArguments},
};

/// `text` made safe inside a C block comment.
static std::string escapeComment(llvm::StringRef text) {
  std::string result;
  for (size_t i = 0; i < text.size(); ++i) {
    result += text[i];
    if (text[i] == '*' && i + 1 < text.size() && text[i + 1] == '/')
      result += ' ';
  }
  return result;
}

/// The bounds measured for a prelude activation with its default
/// parameters, in ULPs: f32 accurate and fast (tools/act-accuracy), f64
/// (test/Kernels/prelude-accuracy.c). MeasuredAccuracy.def, regenerated by
/// scripts/accuracy-def.sh, never written by hand.
namespace {
struct MeasuredAccuracy {
  double accurate, fast, f64;
};
} // namespace
static std::optional<MeasuredAccuracy>
getMeasuredAccuracy(llvm::StringRef name) {
#define MEASURED_ACCURACY(NAME, ACCURATE, FAST, F64)                           \
  if (name == NAME)                                                            \
    return MeasuredAccuracy{ACCURATE, FAST, F64};
#include "MeasuredAccuracy.def"
#undef MEASURED_ACCURACY
  return std::nullopt;
}

/// The bounds measured for a prelude activation's gradient kernel (dy = 1,
/// default parameters), in ULPs of f32: accurate and fast
/// (MeasuredGradAccuracy.def, from docs/accuracy.md's exhaustive tables).
namespace {
struct MeasuredGradAccuracy {
  double accurate, fast;
};
} // namespace
static std::optional<MeasuredGradAccuracy>
getMeasuredGradAccuracy(llvm::StringRef name) {
#define MEASURED_GRAD_ACCURACY(NAME, ACCURATE, FAST)                           \
  if (name == NAME)                                                            \
    return MeasuredGradAccuracy{ACCURATE, FAST};
#include "MeasuredGradAccuracy.def"
#undef MEASURED_GRAD_ACCURACY
  return std::nullopt;
}

/// The bounds measured for a row kernel ("softmax", "softmax_grad", ...),
/// in ULPs of its type: f32 and f64, accurate and fast, on sampled rows
/// (tools/act-accuracy/rows.c; MeasuredRowAccuracy.def, regenerated by
/// scripts/row-accuracy.sh WRITE_DEF=1).
namespace {
struct MeasuredRowAccuracy {
  double f32Accurate, f32Fast, f64Accurate, f64Fast;
};
} // namespace
static std::optional<MeasuredRowAccuracy>
getMeasuredRowAccuracy(llvm::StringRef kernel) {
#define MEASURED_ROW_ACCURACY(KERNEL, F32_ACCURATE, F32_FAST, F64_ACCURATE,    \
                              F64_FAST)                                        \
  if (kernel == KERNEL)                                                        \
    return MeasuredRowAccuracy{F32_ACCURATE, F32_FAST, F64_ACCURATE, F64_FAST};
#include "MeasuredRowAccuracy.def"
#undef MEASURED_ROW_ACCURACY
  return std::nullopt;
}

/// A measured bound as the header prints it: two decimals, or three
/// significant digits for a large one.
static std::string formatBound(double ulps) {
  return llvm::formatv(ulps < 1000 ? "{0:F2}" : "{0:E2}", ulps).str();
}

/// A row kernel's measured bounds as the header states them.
static std::string formatRowBound(const MeasuredRowAccuracy &bound) {
  return llvm::formatv("accuracy (sampled rows, not all inputs: "
                       "act-row-accuracy, docs/accuracy.md \"Rows, measured "
                       "(roots)\"): f32 max {0} ULP (--precision=accurate), "
                       "{1} ULP (fast); f64 max {2} ULP (accurate), {3} ULP "
                       "(fast)",
                       formatBound(bound.f32Accurate),
                       formatBound(bound.f32Fast),
                       formatBound(bound.f64Accurate),
                       formatBound(bound.f64Fast))
      .str();
}

/// Whether the fast GPU kernels of `activation` use tanh.approx
/// (act-gpu-fast-tanh; forward kernels only).
static bool usesHardwareTanh(ActivationOp activation) {
  return activation
      .walk([](math::TanhOp tanh) {
        return isHardwareTanhCandidate(tanh) ? WalkResult::interrupt()
                                             : WalkResult::advance();
      })
      .wasInterrupted();
}

/// The comment above an activation's kernels.
static void writeActivationComment(ActivationOp activation, bool cuda,
                                   llvm::raw_ostream &os) {
  os << "/* " << activation.getSymName() << "(x";
  for (Attribute attr : activation.getParams())
    os << ", " << cast<ParamAttr>(attr).getName();
  os << ")";
  if (std::optional<llvm::StringRef> formula = activation.getFormula()) {
    llvm::SmallVector<llvm::StringRef> lines;
    llvm::StringRef(*formula).trim().split(lines, '\n');
    if (lines.size() == 1) {
      os << " = " << escapeComment(lines.front().trim()) << "\n";
    } else {
      os << ":\n";
      for (llvm::StringRef line : lines)
        os << " *     " << escapeComment(line.rtrim()) << "\n";
    }
  } else {
    os << "\n";
  }
  if (activation.getParams().empty())
    os << " *   parameters: none\n";
  for (Attribute attr : activation.getParams()) {
    auto param = cast<ParamAttr>(attr);
    os << " *   " << param.getName() << " = "
       << actc::formatShortest(param.getDefaultValue().convertToDouble());
    if (param.getRuntime())
      os << ": runtime parameter, the `float " << param.getName()
         << "` argument (the spec's default)\n";
    else
      os << ": compile-time constant, folded into the kernels\n";
  }
  if (cuda) {
    // The f32 kernels run the CPU's approximations; on an H200 every
    // prelude f32 forward and gradient kernel gave the CPU kernel's bits
    // over all 2^32 inputs (docs/gpu.md, scripts/gpu-exhaustive.c).
    os << " *   accuracy on a GPU: the f32 code is the CPU's approximations";
    if (auto bound = getMeasuredAccuracy(activation.getSymName()))
      os << ", measured there at max "
         << llvm::format("%.2f", bound->accurate) << " ULP (accurate), "
         << llvm::format("%.2f", bound->fast) << " ULP (fast)";
    os << "; on an H200 (2026-11-29, kernels of ed75b08) the prelude's f32 "
          "forward and grad kernels equaled the CPU's bit for bit over all "
          "2^32 inputs; f64 functions from "
          "libdevice\n";
    if (usesHardwareTanh(activation))
      os << " *   --precision=fast on a GPU: the tanh of its forward kernels "
            "is the hardware's "
         << kHardwareTanhBound << "\n";
  } else if (auto bound = getMeasuredAccuracy(activation.getSymName()))
    os << " *   accuracy (f32, default parameters, " MEASURED_ACCURACY_SAMPLE
          "): max "
       << llvm::format("%.2f", bound->accurate)
       << " ULP (--precision=accurate), " << llvm::format("%.2f", bound->fast)
       << " ULP (fast); f64: max " << llvm::format("%.3g", bound->f64)
       << " ULP (sampled, tails included)\n";
  else if (auto bound = getMeasuredRowAccuracy(activation.getSymName()))
    os << " *   " << formatRowBound(*bound) << "\n";
  else
    os << " *   accuracy: not yet measured\n";
  os << " */\n";
}

/// The C name of runtime parameter `param` in `kind`'s prototype: its own
/// name, unless one of the kernel's fixed arguments has it (a parameter `a`
/// of a matmul kernel, `n` of any kernel): then `param_` + name.
static std::string getParamArgumentName(const KernelKind &kind,
                                        ParamAttr param) {
  llvm::StringRef name = param.getName();
  for (const Argument &argument : kind.arguments)
    if (argument.name && (name == argument.name ||
                          ("d" + name).str() == argument.name))
      return ("param_" + name).str();
  return name.str();
}

/// The C argument list of `kind` for `activation` at element type `cType`;
/// a CUDA launcher's has `void *stream` after the sizes.
static std::string getArgumentList(const KernelKind &kind,
                                   ActivationOp activation,
                                   llvm::StringRef cType, bool cuda) {
  llvm::SmallVector<std::string> arguments;
  for (auto [index, argument] : llvm::enumerate(kind.arguments)) {
    // The stream follows the sizes.
    if (cuda && index > 0 && argument.kind != Argument::Size &&
        kind.arguments[index - 1].kind == Argument::Size)
      arguments.push_back("void *stream");
    switch (argument.kind) {
    case Argument::Input:
      arguments.push_back(("const " + cType + " *" + argument.name).str());
      break;
    case Argument::Output:
      arguments.push_back((cType + " *" + argument.name).str());
      break;
    case Argument::Size:
      arguments.push_back(std::string("int64_t ") + argument.name);
      break;
    case Argument::RuntimeParams:
      for (ParamAttr param : activation.getRuntimeParams())
        arguments.push_back("float " + getParamArgumentName(kind, param));
      break;
    case Argument::ParamGrads:
      for (ParamAttr param : activation.getRuntimeParams())
        arguments.push_back("float *d" + getParamArgumentName(kind, param));
      break;
    }
  }
  if (cuda && kind.arguments.back().kind == Argument::Size)
    arguments.push_back("void *stream");
  return llvm::join(arguments, ", ");
}

/// True when the pipeline builds kernels of `shape` for `activation` of
/// `module`.
static bool hasShape(ModuleOp module, ActivationOp activation, Shape shape) {
  bool isRow = activation.isRowActivation();
  switch (shape) {
  case Shape::Elementwise:
    return !isRow;
  case Shape::Row:
    return isRow;
  case Shape::ElementwiseFromY:
    return !isRow &&
           static_cast<bool>(lookupGradient(module, activation, true));
  case Shape::RowWithGrad:
    return isRow && !getRowGradKind(activation).empty();
  }
  return false;
}

/// The derivative behind a gradient kernel kind, as the .act source that
/// `actc --emit=act-grad` prints, indented for the kernel's comment.
static void writeDerivative(ModuleOp module, ActivationOp activation,
                            const KernelKind &kind, llvm::raw_ostream &os) {
  std::string text;
  llvm::raw_string_ostream source(text);
  if (kind.shape == Shape::RowWithGrad) {
    actc::writeRowGradientComment(activation, "", source);
  } else if (llvm::StringRef(kind.suffix).starts_with("grad")) {
    ActivationOp grad = lookupGradient(module, activation,
                                       kind.shape == Shape::ElementwiseFromY);
    if (!grad)
      return;
    actc::writeActSource(grad, source);
  }
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(text).rtrim().split(lines, '\n');
  for (llvm::StringRef line : lines)
    if (!line.empty())
      os << "\n     " << escapeComment(line);
}

/// The kernels a GPU object has (ABI.md, GPU objects).
static bool hasCUDALauncher(const KernelKind &kind) {
  llvm::StringRef suffix = kind.suffix;
  if (kind.shape == Shape::Row || kind.shape == Shape::RowWithGrad)
    return true;
  return kind.shape == Shape::Elementwise &&
         (suffix.empty() || suffix == "grad" || suffix == "bias");
}

/// Declares every kernel of `activation`, per dtype (with `cuda`, the CUDA
/// launchers of the GPU object).
static void writeKernels(ModuleOp module, ActivationOp activation,
                         const std::vector<std::string> &dtypes,
                         const std::vector<std::string> &kinds, bool cuda,
                         llvm::raw_ostream &os) {
  for (const KernelKind &kind : kernelKinds) {
    if (!hasShape(module, activation, kind.shape) ||
        !isKernelKindSelected(kinds, kind.suffix) ||
        (cuda ? !hasCUDALauncher(kind)
              : llvm::none_of(dtypes, [&](const std::string &dtype) {
                  return isKernelKindAvailable(kind.suffix, dtype);
                })))
      continue;
    os << "/* " << kind.comment;
    if (kind.paramsComment && !activation.getRuntimeParams().empty())
      os << "\n   " << kind.paramsComment;
    writeDerivative(module, activation, kind, os);
    if (kind.shape == Shape::Elementwise && llvm::StringRef(kind.suffix) == "grad")
      if (auto bound = getMeasuredGradAccuracy(activation.getSymName()))
        os << "\n     accuracy of dx (f32, dy = 1, default parameters, where "
              "|f'| >= 2^-20, all 2^32 inputs unless docs/accuracy.md says "
              "otherwise): max "
           << formatBound(bound->accurate) << " ULP (--precision=accurate), "
           << formatBound(bound->fast) << " ULP (fast)";
    if (kind.shape == Shape::RowWithGrad && !cuda)
      if (auto bound = getMeasuredRowAccuracy(
              (activation.getSymName() + "_grad").str()))
        os << "\n     " << formatRowBound(*bound)
           << ",\n     dy uniform in [-1, 1] or one-hot, where |dx| >= 2^-20 "
              "of its two terms";
    os << " */\n";
    for (const std::string &dtype : dtypes)
      if (cuda || isKernelKindAvailable(kind.suffix, dtype))
        os << (cuda ? "int " : "void ")
           << getKernelName(activation.getSymName(), kind.suffix, dtype)
           << (cuda ? "_cuda(" : "(")
           << getArgumentList(kind, activation, getCTypeName(dtype), cuda)
           << ");\n";
  }
}

/// Which activations have NAME_grad_from_y_S (ABI.md: "the header lists
/// which activations have it").
static void writeFromYList(ModuleOp module, llvm::raw_ostream &os) {
  llvm::SmallVector<std::string> names;
  for (auto activation : module.getOps<ActivationOp>())
    if (!activation.isPrivate() && !activation.getGradOf() &&
        hasShape(module, activation, Shape::ElementwiseFromY))
      names.push_back(activation.getSymName().str());
  os << "\n/* Gradients from the output y = f(x) (NAME_grad_from_y_S), where "
        "f' is a\n   function of y alone: "
     << (names.empty() ? std::string("none") : llvm::join(names, ", "))
     << ". */\n";
}

void actc::writeHeader(ModuleOp actModule,
                       const std::vector<std::string> &dtypes,
                       const std::vector<std::string> &kinds,
                       llvm::StringRef guardName, llvm::raw_ostream &os,
                       bool cuda) {
  os << "/* Generated by actc: the C ABI of the kernels in the matching "
        "object.\n";
  if (cuda)
    os << " * Do not edit. Link the object with -lcuda (the CUDA driver "
          "API). Pointers are\n"
          " * device pointers, stream a CUstream (NULL: the default stream); "
          "each\n"
          " * launcher returns the CUresult (0: launched). */\n\n";
  else
    os << " * Do not edit. Link the object; libm is the only dependency. "
          "*/\n\n";
  os << "#ifndef " << guardName << "\n"
     << "#define " << guardName << "\n\n"
     << "#include <stdint.h>\n\n";
  if (llvm::any_of(dtypes, isStorageOnlyDType))
    os << "/* The _bf16 and _f16 kernels take uint16_t arrays holding bfloat16 "
          "and IEEE\n   half bits: each element is widened to float, computed "
          "as the _f32 kernel\n   computes it, and rounded to nearest even "
          "(NaN stays NaN). */\n\n";
  os << "#ifdef __cplusplus\n"
     << "extern \"C\" {\n"
     << "#endif\n";
  if (!cuda && isKernelKindSelected(kinds, "grad_from_y"))
    writeFromYList(actModule, os);
  for (auto activation : actModule.getOps<ActivationOp>()) {
    if (activation.isPrivate() || activation.getGradOf())
      continue;
    os << "\n";
    writeActivationComment(activation, cuda, os);
    writeKernels(actModule, activation, dtypes, kinds, cuda, os);
  }
  os << "\n#ifdef __cplusplus\n"
     << "} /* extern \"C\" */\n"
     << "#endif\n\n"
     << "#endif /* " << guardName << " */\n";
}
