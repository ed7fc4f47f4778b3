//===- actc.cpp - the activation compiler driver --------------------------===//
//
// A thin driver over the library: .act -> act dialect -> kernels -> LLVM IR
// -> object, printing any stage with --emit. Outputs are produced in memory
// and written (temporary file, then rename) only when every stage succeeded.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/ActDialect.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Frontend/Frontend.h"
#include "actc/Pipeline/Pipeline.h"
#include "actc/Target/ActWriter.h"
#include "actc/Target/HeaderWriter.h"
#include "actc/Target/ObjectEmitter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {
enum class EmitKind { Parse, Act, ActGrad, MLIR, LLVM, Asm, Obj, Header };

cl::OptionCategory actcCategory("actc options");

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<spec.act>"),
                                   cl::init(""), cl::cat(actcCategory));
cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                    cl::value_desc("file"), cl::init(""),
                                    cl::cat(actcCategory));
cl::opt<std::string> headerFilename("header", cl::desc("Write a C header"),
                                    cl::value_desc("file"), cl::init(""),
                                    cl::cat(actcCategory));
cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to produce"), cl::init(EmitKind::Obj),
    cl::values(clEnumValN(EmitKind::Parse, "parse",
                          "act dialect straight from the frontend"),
               clEnumValN(EmitKind::Act, "act", "simplified act dialect"),
               clEnumValN(EmitKind::ActGrad, "act-grad",
                          "the derivatives as .act source"),
               clEnumValN(EmitKind::MLIR, "mlir", "kernels in the LLVM dialect"),
               clEnumValN(EmitKind::LLVM, "llvm", "optimized LLVM IR"),
               clEnumValN(EmitKind::Asm, "asm", "assembly"),
               clEnumValN(EmitKind::Obj, "obj", "object file (default)"),
               clEnumValN(EmitKind::Header, "header", "the C header")),
    cl::cat(actcCategory));
cl::opt<std::string> targetName("target",
                                cl::desc("x86_64, aarch64 or a triple "
                                         "(default: the host)"),
                                cl::init(""), cl::cat(actcCategory));
cl::opt<std::string> cpuName("mcpu",
                             cl::desc("CPU: native, x86-64-v3 (default), "
                                      "sapphirerapids, ..."),
                             cl::init(""), cl::cat(actcCategory));
cl::list<std::string> dtypeList("dtype", cl::desc("Element types: f32,f64"),
                                cl::CommaSeparated, cl::cat(actcCategory));
cl::list<std::string> defineList("D", cl::Prefix,
                                 cl::desc("Override a compile-time parameter"),
                                 cl::value_desc("name.param=value"),
                                 cl::cat(actcCategory));
cl::list<std::string> onlyList("only",
                               cl::desc("Compile only these activations"),
                               cl::CommaSeparated, cl::cat(actcCategory));
cl::list<std::string> gradParamsList(
    "grad-params",
    cl::desc("Parameters whose gradient you need (activation.param); only "
             "runtime 'param's have one: a compile-time constant is an error"),
    cl::CommaSeparated, cl::value_desc("name.param"), cl::cat(actcCategory));
cl::opt<std::string> precisionName(
    "precision",
    cl::desc("accurate (default: f32 under 1 ULP) or fast (a few ULPs, "
             "cheaper)"),
    cl::init("accurate"), cl::cat(actcCategory));
} // namespace

/// One-line driver error; the caller exits 1.
static int fail(const Twine &message) {
  WithColor::error(errs(), "actc") << message << "\n";
  return 1;
}

/// One file the driver produces: a path ("-" is stdout) and its contents.
struct OutputFile {
  std::string path;
  std::string contents;
};

/// Writes every output through a temporary file beside it and renames them
/// into place only once all were written, so a failure (an unwritable
/// directory, a full disk) leaves no output, partial or stale, behind.
static Error writeOutputs(ArrayRef<OutputFile> outputs) {
  SmallVector<std::pair<sys::fs::TempFile, StringRef>> staged;
  auto discardAll = [&] {
    for (auto &[temp, path] : staged)
      consumeError(temp.discard());
  };
  for (const OutputFile &output : outputs) {
    if (output.path == "-")
      continue;
    Expected<sys::fs::TempFile> temp =
        sys::fs::TempFile::create(output.path + "-%%%%%%.tmp");
    if (!temp) {
      discardAll();
      return createStringError("cannot write '" + output.path +
                               "': " + toString(temp.takeError()));
    }
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    os << output.contents;
    os.flush();
    staged.push_back({std::move(*temp), output.path});
    if (os.has_error()) {
      os.clear_error();
      discardAll();
      return createStringError("cannot write '" + output.path + "'");
    }
  }
  for (auto &[temp, path] : staged)
    if (Error error = temp.keep(path))
      return createStringError("cannot write '" + path +
                               "': " + toString(std::move(error)));
  for (const OutputFile &output : outputs)
    if (output.path == "-") {
      outs() << output.contents;
      outs().flush();
    }
  return Error::success();
}

static bool isTextual(EmitKind kind) { return kind != EmitKind::Obj; }

static std::string defaultOutput(EmitKind kind) {
  if (isTextual(kind))
    return "-";
  StringRef stem = inputFilename.empty()
                       ? StringRef("activations")
                       : sys::path::stem(inputFilename.getValue());
  return (stem + ".o").str();
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  InitializeAllTargetInfos();
  InitializeAllTargets();
  InitializeAllTargetMCs();
  InitializeAllAsmPrinters();
  InitializeAllAsmParsers();
  // --mlir-print-debuginfo and friends, to see the source locations.
  mlir::registerAsmPrinterCLOptions();
  cl::HideUnrelatedOptions(actcCategory);
  // Option errors become one `actc: error:` line (LLVM's own report adds a
  // "Try --help" and a "Did you mean" line).
  std::string optionErrors;
  raw_string_ostream optionErrorStream(optionErrors);
  if (!cl::ParseCommandLineOptions(
          argc, argv, "actc: compile activation functions to kernels\n",
          &optionErrorStream)) {
    // Value errors ("for the --emit option: ...") were already printed.
    StringRef first = StringRef(optionErrors).split('\n').first;
    if (first.empty())
      return 1;
    first.consume_front("actc: ");
    return fail(first.split(".  Try:").first);
  }

  if (inputFilename.empty() && onlyList.empty())
    return fail("no input file (give a .act spec, or --only with prelude "
                "activations)");

  std::vector<std::string> dtypes(dtypeList.begin(), dtypeList.end());
  if (dtypes.empty())
    dtypes = {"f32", "f64"};
  for (const std::string &dtype : dtypes)
    if (dtype != "f32" && dtype != "f64")
      return fail("unknown dtype '" + dtype + "' (expected f32 or f64)");
  if (precisionName != "accurate" && precisionName != "fast")
    return fail("unknown precision '" + precisionName +
                "' (expected accurate or fast)");

  // Source: the spec file, if any.
  auto sourceMgr = std::make_shared<SourceMgr>();
  if (!inputFilename.empty()) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> file =
        MemoryBuffer::getFile(inputFilename, /*IsText=*/true);
    if (std::error_code error = file.getError())
      return fail("cannot open '" + inputFilename + "': " + error.message());
    sourceMgr->AddNewSourceBuffer(std::move(*file), SMLoc());
  }

  actc::TargetOptions targetOptions{targetName, cpuName};
  Expected<std::unique_ptr<TargetMachine>> machine =
      actc::createTargetMachine(targetOptions);
  if (!machine)
    return fail(toString(machine.takeError()));

  mlir::DialectRegistry registry;
  registry.insert<mlir::act::ActDialect>();
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Diagnostics point into the spec; the IR of the op means nothing there.
  context.printOpOnDiagnostic(false);
  mlir::SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);

  actc::FrontendOptions frontendOptions;
  frontendOptions.defines.assign(defineList.begin(), defineList.end());
  frontendOptions.only.assign(onlyList.begin(), onlyList.end());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      actc::parseActSource(*sourceMgr, &context, frontendOptions);
  if (!module)
    return 1;
  if (emitKind == EmitKind::Parse) {
    std::string output;
    raw_string_ostream outputStream(output);
    module->print(outputStream);
    std::string outputPath =
        outputFilename.empty() ? std::string("-") : outputFilename.getValue();
    if (Error error = writeOutputs({{outputPath, output}}))
      return fail(toString(std::move(error)));
    return 0;
  }

  mlir::PassManager simplify(&context);
  actc::buildActSimplifyPipeline(simplify);
  if (mlir::failed(simplify.run(*module)))
    return 1;

  std::string output, header;
  raw_string_ostream outputStream(output);
  // --emit=act shows the simplified module before its derivatives.
  if (emitKind == EmitKind::Act)
    module->print(outputStream);

  actc::PipelineOptions pipelineOptions;
  pipelineOptions.precision = precisionName;
  pipelineOptions.dtypes = dtypes;
  pipelineOptions.vectorBits = actc::getVectorBits(**machine);
  pipelineOptions.gradParams.assign(gradParamsList.begin(),
                                    gradParamsList.end());
  mlir::PassManager gradients(&context);
  actc::buildActGradientPipeline(gradients, pipelineOptions);
  if (mlir::failed(gradients.run(*module)))
    return 1;
  std::string guard = headerFilename.empty()
                          ? "ACTC_KERNELS_H"
                          : sys::path::stem(headerFilename.getValue()).upper() +
                                "_H";
  for (char &c : guard)
    if (!isAlnum(c))
      c = '_';
  raw_string_ostream headerStream(header);
  actc::writeHeader(*module, dtypes, guard, headerStream);

  if (emitKind == EmitKind::Act) {
    // Printed above.
  } else if (emitKind == EmitKind::ActGrad) {
    actc::writeActGradients(*module, outputStream);
  } else if (emitKind == EmitKind::Header) {
    outputStream << header;
  } else {
    mlir::PassManager lower(&context);
    actc::buildKernelsToLLVMPipeline(lower, pipelineOptions);
    if (mlir::failed(lower.run(*module)))
      return 1;
    if (emitKind == EmitKind::MLIR) {
      module->print(outputStream);
    } else {
      LLVMContext llvmContext;
      Expected<std::unique_ptr<Module>> llvmModule =
          actc::translateAndOptimize(*module, llvmContext, **machine);
      if (!llvmModule)
        return fail(toString(llvmModule.takeError()));
      if (emitKind == EmitKind::LLVM) {
        (*llvmModule)->print(outputStream, nullptr);
      } else {
        SmallString<0> code;
        raw_svector_ostream codeStream(code);
        if (Error error = actc::emitCode(
                **llvmModule, **machine, codeStream,
                emitKind == EmitKind::Asm ? CodeGenFileType::AssemblyFile
                                          : CodeGenFileType::ObjectFile))
          return fail(toString(std::move(error)));
        output.assign(code.begin(), code.end());
      }
    }
  }

  std::string outputPath =
      outputFilename.empty() ? defaultOutput(emitKind) : outputFilename;
  if (emitKind == EmitKind::Obj && outputPath == "-")
    return fail("refusing to write an object file to stdout; use -o FILE");
  SmallVector<OutputFile, 2> outputs{{outputPath, output}};
  if (!headerFilename.empty())
    outputs.push_back({headerFilename, header});
  if (Error error = writeOutputs(outputs))
    return fail(toString(std::move(error)));
  return 0;
}
