//===- HeaderWriter.cpp - the C header of a compiled object ---------------===//
//
// Declares the kernels of ABI.md that the pipeline instantiates, each public
// activation under a comment with its formula, parameters and accuracy.
// Every kernel kind is one entry of `kernelKinds`; names and C types come
// from KernelABI.h, the same place act-kernels takes them from.
//
//===----------------------------------------------------------------------===//

#include "actc/Target/HeaderWriter.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/KernelABI.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::act;

namespace {

/// What an activation must be for a kernel kind to exist for it.
enum class Shape { Elementwise, Row };

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
static constexpr Argument rowArguments[] = {{Argument::Input, "x"},
                                            {Argument::Output, "y"},
                                            {Argument::Size, "rows"},
                                            {Argument::Size, "cols"}};

/// The kernels the pipeline emits today. A new kind (bias, matmul, ...) is
/// one more entry here.
static const KernelKind kernelKinds[] = {
    {"", Shape::Elementwise,
     "y[i] = f(x[i]); y == x allowed, any n >= 0, no alignment required.",
     nullptr, elementwiseArguments},
    {"grad", Shape::Elementwise,
     "dx[i] = dy[i] * f'(x[i]); dx may equal dy or x.",
     "Each *dP is set (not added) to the sum over i of dy[i] * df/dP(x[i]).",
     gradArguments},
    {"", Shape::Row,
     "y[r,:] = f(x[r,:]) for each of `rows` rows of `cols` contiguous "
     "elements.",
     nullptr, rowArguments},
};

/// The shortest decimal that reads back as `value`.
static std::string formatNumber(const llvm::APFloat &value) {
  double number = value.convertToDouble();
  std::string text;
  for (int digits = 1; digits <= 17; ++digits) {
    text.clear();
    llvm::raw_string_ostream(text) << llvm::format("%.*g", digits, number);
    if (std::strtod(text.c_str(), nullptr) == number)
      break;
  }
  return text;
}

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

/// The comment above an activation's kernels.
static void writeActivationComment(ActivationOp activation,
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
       << formatNumber(param.getDefaultValue());
    if (param.getRuntime())
      os << ": runtime parameter, the `float " << param.getName()
         << "` argument (the spec's default)\n";
    else
      os << ": compile-time constant, folded into the kernels\n";
  }
  os << " *   accuracy: not yet measured\n";
  os << " */\n";
}

/// The C argument list of `kind` for `activation` at element type `cType`.
static std::string getArgumentList(const KernelKind &kind,
                                   ActivationOp activation,
                                   llvm::StringRef cType) {
  llvm::SmallVector<std::string> arguments;
  for (const Argument &argument : kind.arguments) {
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
        arguments.push_back(("float " + param.getName()).str());
      break;
    case Argument::ParamGrads:
      for (ParamAttr param : activation.getRuntimeParams())
        arguments.push_back(("float *d" + param.getName()).str());
      break;
    }
  }
  return llvm::join(arguments, ", ");
}

/// Declares every kernel of `activation`, per dtype.
static void writeKernels(ActivationOp activation,
                         const std::vector<std::string> &dtypes,
                         llvm::raw_ostream &os) {
  Shape shape =
      activation.isRowActivation() ? Shape::Row : Shape::Elementwise;
  for (const KernelKind &kind : kernelKinds) {
    if (kind.shape != shape)
      continue;
    os << "/* " << kind.comment;
    if (kind.paramsComment && !activation.getRuntimeParams().empty())
      os << "\n   " << kind.paramsComment;
    os << " */\n";
    for (const std::string &dtype : dtypes)
      os << "void "
         << getKernelName(activation.getSymName(), kind.suffix, dtype) << "("
         << getArgumentList(kind, activation, getCTypeName(dtype)) << ");\n";
  }
}

void actc::writeHeader(ModuleOp actModule,
                       const std::vector<std::string> &dtypes,
                       llvm::StringRef guardName, llvm::raw_ostream &os) {
  os << "/* Generated by actc: the C ABI of the kernels in the matching "
        "object.\n"
        " * Do not edit. Link the object; libm is the only dependency. */\n\n"
     << "#ifndef " << guardName << "\n"
     << "#define " << guardName << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\n"
     << "extern \"C\" {\n"
     << "#endif\n";
  for (auto activation : actModule.getOps<ActivationOp>()) {
    if (activation.isPrivate())
      continue;
    os << "\n";
    writeActivationComment(activation, os);
    writeKernels(activation, dtypes, os);
  }
  os << "\n#ifdef __cplusplus\n"
     << "} /* extern \"C\" */\n"
     << "#endif\n\n"
     << "#endif /* " << guardName << " */\n";
}
