//===- actc.cpp - the activation compiler driver --------------------------===//
//
// A thin driver over actc::compileFile (include/actc/Driver/Compiler.h):
// command-line options in, the requested stage out (--emit), files written
// through temporaries and renamed only when every output succeeded.
//
//===----------------------------------------------------------------------===//

#include "actc/Driver/Compiler.h"
#include "actc/Driver/OutputFiles.h"

#include "mlir/IR/AsmState.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {
enum class EmitKind { Parse, Act, ActGrad, MLIR, LLVM, Asm, Obj, Header, PTX };

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
               clEnumValN(EmitKind::MLIR, "mlir",
                          "kernels in the LLVM dialect"),
               clEnumValN(EmitKind::LLVM, "llvm", "optimized LLVM IR"),
               clEnumValN(EmitKind::Asm, "asm", "assembly"),
               clEnumValN(EmitKind::Obj, "obj", "object file (default)"),
               clEnumValN(EmitKind::Header, "header", "the C header"),
               clEnumValN(EmitKind::PTX, "ptx",
                          "the GPU kernels' PTX (--target nvptx64)")),
    cl::cat(actcCategory));
cl::opt<std::string> targetName("target",
                                cl::desc("x86_64, aarch64 or a triple "
                                         "(default: the host); nvptx64: CUDA "
                                         "kernels with host launchers"),
                                cl::init(""), cl::cat(actcCategory));
cl::opt<std::string> gpuArchName("gpu-arch",
                                 cl::desc("GPU architecture of --target "
                                          "nvptx64: sm_80 or sm_90 (default)"),
                                 cl::init("sm_90"), cl::cat(actcCategory));
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
cl::list<std::string> kernelList(
    "kernels",
    cl::desc("Kernel kinds to build and declare: forward, grad, grad_from_y, "
             "bias, bias_grad, matmul, matmul_aux or all (default: all, as "
             "ABI.md promises; the fused kinds are most of the compile time); "
             "bias_mt, bias_grad_mt, matmul_mt, matmul_aux_mt (threaded, "
             "pthreads from "
             "libc) only when named"),
    cl::CommaSeparated, cl::value_desc("kind,..."), cl::cat(actcCategory));
cl::opt<std::string> precisionName(
    "precision",
    cl::desc("accurate (default: f32 under 1 ULP) or fast (a few ULPs, "
             "cheaper)"),
    cl::init("accurate"), cl::cat(actcCategory));
cl::opt<std::string> streamBytesText(
    "stream-bytes",
    cl::desc("Write outputs of at least this many bytes with non-temporal "
             "stores, which bypass the caches (x86; default 16777216, 0: "
             "never)"),
    cl::value_desc("bytes"), cl::init(""), cl::cat(actcCategory));
cl::opt<bool> streamComputeBound(
    "stream-compute-bound",
    cl::desc("Stream large outputs of loops bound by their arithmetic too "
             "(default: only loops bound by memory use non-temporal stores)"),
    cl::init(false), cl::cat(actcCategory));
cl::opt<bool>
    timeReport("time-report",
               cl::desc("Print the time of each stage and pass to stderr (the "
                        "driver's start-up before it is not included)"),
               cl::init(false), cl::cat(actcCategory));
} // namespace

/// One-line driver error; the caller exits 1.
static int fail(const Twine &message) {
  WithColor::error(errs(), "actc") << message << "\n";
  return 1;
}

/// The artifact an --emit kind asks the compiler for.
static actc::Artifact getArtifact(EmitKind kind) {
  switch (kind) {
  case EmitKind::Parse:
    return actc::Artifact::Parse;
  case EmitKind::Act:
    return actc::Artifact::Act;
  case EmitKind::ActGrad:
    return actc::Artifact::ActGrad;
  case EmitKind::MLIR:
    return actc::Artifact::MLIR;
  case EmitKind::LLVM:
    return actc::Artifact::LLVM;
  case EmitKind::Asm:
    return actc::Artifact::Asm;
  case EmitKind::Obj:
    return actc::Artifact::Object;
  case EmitKind::Header:
    return actc::Artifact::Header;
  case EmitKind::PTX:
    return actc::Artifact::PTX;
  }
  llvm_unreachable("unknown emit kind");
}

/// The text of `artifact` in `result`.
static const std::string &getOutput(const actc::CompileResult &result,
                                    EmitKind kind) {
  switch (kind) {
  case EmitKind::Parse:
    return result.parse;
  case EmitKind::Act:
    return result.act;
  case EmitKind::ActGrad:
    return result.actGrad;
  case EmitKind::MLIR:
    return result.mlir;
  case EmitKind::LLVM:
    return result.llvmIR;
  case EmitKind::Asm:
    return result.assembly;
  case EmitKind::Obj:
    return result.object;
  case EmitKind::Header:
    return result.header;
  case EmitKind::PTX:
    return result.ptx;
  }
  llvm_unreachable("unknown emit kind");
}

/// Where output goes without -o: stdout for text, `<stem>.o` for objects.
static std::string getDefaultOutput(EmitKind kind) {
  if (kind != EmitKind::Obj)
    return "-";
  StringRef stem = inputFilename.empty()
                       ? StringRef("activations")
                       : sys::path::stem(inputFilename.getValue());
  return (stem + ".o").str();
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
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

  actc::CompileOptions options;
  options.target = targetName;
  options.cpu = cpuName;
  options.gpuArch = gpuArchName;
  if (!dtypeList.empty())
    options.dtypes.assign(dtypeList.begin(), dtypeList.end());
  options.defines.assign(defineList.begin(), defineList.end());
  options.only.assign(onlyList.begin(), onlyList.end());
  options.precision = precisionName;
  options.gradParams.assign(gradParamsList.begin(), gradParamsList.end());
  options.kernels.assign(kernelList.begin(), kernelList.end());
  if (!streamBytesText.empty()) {
    uint64_t bytes;
    if (StringRef(streamBytesText).getAsInteger(10, bytes))
      return fail("--stream-bytes: '" + streamBytesText +
                  "' is not a number of bytes (0: never stream)");
    options.streamBytes = bytes;
  }
  options.streamComputeBound = streamComputeBound;
  if (!headerFilename.empty())
    options.headerGuard = actc::getHeaderGuard(headerFilename);
  options.timeReport = timeReport;

  std::string outputPath =
      outputFilename.empty() ? getDefaultOutput(emitKind) : outputFilename;
  if (emitKind == EmitKind::Obj && outputPath == "-")
    return fail("refusing to write an object file to stdout; use -o FILE");

  actc::Artifact artifacts = getArtifact(emitKind);
  if (!headerFilename.empty())
    artifacts |= actc::Artifact::Header;
  Expected<actc::CompileResult> result =
      actc::compileFile(inputFilename, options, artifacts);
  if (!result) {
    int status = 1;
    handleAllErrors(result.takeError(), [&](const actc::CompileError &error) {
      // Spec diagnostics are already `file:line:col: error: ...` lines.
      if (error.getKind() == actc::CompileError::Kind::Spec)
        errs() << error.getMessage();
      else
        status = fail(error.getMessage());
    });
    return status;
  }
  errs() << result->diagnostics << result->timeReport;

  SmallVector<actc::OutputFile, 2> outputs{
      {outputPath, getOutput(*result, emitKind)}};
  if (!headerFilename.empty())
    outputs.push_back({headerFilename, result->header});
  if (Error error = actc::writeOutputFiles(outputs, outs()))
    return fail(toString(std::move(error)));
  return 0;
}
