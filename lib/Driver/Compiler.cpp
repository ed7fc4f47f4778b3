//===- Compiler.cpp - the whole compiler as one in-process call -----------===//
//
// The stages of tools/actc in order, each one run only when a requested
// artifact needs it: frontend (parse), act simplification (act, activation
// list), the gradient pipeline (header, act-grad), lowering (mlir, kernel
// list), LLVM IR, code generation (asm, object). Diagnostics go to a string, so a caller in
// another process or language gets the located text.
//
//===----------------------------------------------------------------------===//

#include "actc/Driver/Compiler.h"
#include "actc/Dialect/Act/ActDialect.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Frontend/Frontend.h"
#include "actc/Pipeline/Pipeline.h"
#include "actc/Target/ActWriter.h"
#include "actc/Target/GPUBinary.h"
#include "actc/Target/GPULaunchers.h"
#include "actc/Target/HeaderWriter.h"
#include "actc/Target/ObjectEmitter.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <utility>

using namespace llvm;
using namespace actc;

char CompileError::ID = 0;

void CompileError::log(raw_ostream &os) const { os << message; }

std::error_code CompileError::convertToErrorCode() const {
  return inconvertibleErrorCode();
}

static Error makeError(CompileError::Kind kind, const Twine &message) {
  return make_error<CompileError>(kind, message.str());
}

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

/// True for the GPU target (`--target nvptx64`).
static bool isGPUTarget(const CompileOptions &options) {
  return options.target == "nvptx64" ||
         StringRef(options.target).starts_with("nvptx64-");
}

static Error checkOptions(const CompileOptions &options) {
  if (isGPUTarget(options)) {
    if (Error error = checkGPUArch(options.gpuArch))
      return makeError(CompileError::Kind::Options, toString(std::move(error)));
    // The GPU target has forward, grad and bias kernels (docs/gpu.md).
    for (const std::string &kind : options.kernels)
      if (kind != "all" && kind != "forward" && kind != "grad" &&
          kind != "bias" && !mlir::act::findUnknownKernelKind({kind}))
        return makeError(CompileError::Kind::Options,
                         "the GPU target has no " + kind +
                             " kernels (expected forward, grad, bias or all)");
  }
  if (options.dtypes.empty())
    return makeError(CompileError::Kind::Options,
                     "no dtype (expected f32, f64, bf16 or f16)");
  for (const std::string &dtype : options.dtypes)
    if (dtype != "f32" && dtype != "f64" && dtype != "bf16" && dtype != "f16")
      return makeError(CompileError::Kind::Options,
                       "unknown dtype '" + dtype +
                           "' (expected f32, f64, bf16 or f16)");
  if (std::optional<std::string> unknown =
          mlir::act::findUnknownKernelKind(options.kernels))
    return makeError(CompileError::Kind::Options,
                     mlir::act::formatUnknownKernelKind(*unknown));
  const std::string &precision = options.precision;
  if (!precision.empty() && precision != "accurate" && precision != "fast")
    return makeError(CompileError::Kind::Options,
                     "unknown precision '" + precision +
                         "' (expected accurate or fast)");
  return Error::success();
}

/// Registers every LLVM target once per process.
static void initializeTargets() {
  static const bool initialized = [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
    InitializeAllAsmParsers();
    return true;
  }();
  (void)initialized;
}

//===----------------------------------------------------------------------===//
// Stages
//===----------------------------------------------------------------------===//

ArrayRef<StringRef> actc::getKernelKinds() {
  static const StringRef kinds[] = {
      "", "grad", "grad_from_y", "bias", "bias_grad", "matmul", "matmul_aux"};
  return kinds;
}

std::string actc::getHeaderGuard(StringRef headerPath) {
  std::string guard = sys::path::stem(headerPath).upper() + "_H";
  for (char &c : guard)
    if (!isAlnum(c))
      c = '_';
  return guard;
}

std::vector<std::string> actc::getPreludeActivationNames() {
  return getPreludeNames();
}

static std::string printOp(mlir::Operation *op) {
  std::string text;
  raw_string_ostream os(text);
  op->print(os);
  return text;
}

/// The activations that get kernels: public ones, not derivatives.
static bool isKernelActivation(mlir::act::ActivationOp activation) {
  return !activation.isPrivate() && !activation.getGradOf();
}

/// The public activations of the simplified act module, without kernels.
static std::vector<ActivationInfo> describeActivations(mlir::ModuleOp module) {
  std::vector<ActivationInfo> activations;
  for (auto activation : module.getOps<mlir::act::ActivationOp>()) {
    if (!isKernelActivation(activation))
      continue;
    ActivationInfo info;
    info.name = activation.getSymName().str();
    info.shape = activation.isRowActivation() ? "row" : "elementwise";
    for (mlir::Attribute attr : activation.getParams()) {
      auto param = cast<mlir::act::ParamAttr>(attr);
      info.params.push_back({param.getName().str(),
                             param.getDefaultValue().convertToDouble(),
                             param.getRuntime()});
    }
    if (std::optional<StringRef> formula = activation.getFormula())
      info.formula = formula->trim().str();
    activations.push_back(std::move(info));
  }
  return activations;
}

/// Fills each activation's kernel list from the functions the lowered
/// module defines, so a kernel kind the pipeline starts emitting shows up
/// without a change here.
static void findKernels(mlir::ModuleOp lowered,
                        const std::vector<std::string> &dtypes,
                        std::vector<ActivationInfo> &activations) {
  StringSet<> defined;
  for (auto func : lowered.getOps<mlir::LLVM::LLVMFuncOp>())
    if (!func.isExternal() && !func.isPrivate())
      defined.insert(func.getSymName());
  for (ActivationInfo &activation : activations)
    for (StringRef kind : getKernelKinds())
      for (const std::string &dtype : dtypes) {
        std::string symbol =
            mlir::act::getKernelName(activation.name, kind, dtype);
        if (defined.contains(symbol))
          activation.kernels.push_back({kind.str(), dtype, symbol});
      }
}

/// Generates code for `module`, on a copy when the module is used again
/// (code generation rewrites the IR it runs on).
static Error generate(Module &module, TargetMachine &machine, bool keepModule,
                      CodeGenFileType type, std::string &output) {
  std::unique_ptr<Module> copy;
  Module *input = &module;
  if (keepModule) {
    copy = CloneModule(module);
    input = copy.get();
  }
  SmallString<0> code;
  raw_svector_ostream os(code);
  if (Error error = emitCode(*input, machine, os, type))
    return makeError(CompileError::Kind::Backend, toString(std::move(error)));
  output.assign(code.begin(), code.end());
  return Error::success();
}

namespace {
/// One compilation: the MLIR context, its diagnostics and the result.
class Compilation {
public:
  Compilation(const CompileOptions &options, Artifact artifacts)
      : options(options), artifacts(artifacts),
        rootTiming(startTiming(timing, options.timeReport)),
        contextTiming(rootTiming.nest("context and dialects")),
        context(makeRegistry(), mlir::MLIRContext::Threading::DISABLED),
        diagnosticStream(diagnostics),
        handler(sourceMgr, &context, diagnosticStream) {
    context.loadAllAvailableDialects();
    // Diagnostics point into the spec; the IR of the op means nothing there.
    context.printOpOnDiagnostic(false);
    contextTiming.stop();
  }

  /// Runs the stages the artifacts need; the result carries every warning
  /// emitted on the way, whichever stage was the last, and the time report.
  Expected<CompileResult> run(std::unique_ptr<MemoryBuffer> spec) {
    Expected<CompileResult> compiled = runStages(std::move(spec));
    if (compiled) {
      compiled->diagnostics = diagnostics;
      if (options.timeReport)
        compiled->timeReport = finishTiming();
    }
    return compiled;
  }

private:
  Expected<CompileResult> runStages(std::unique_ptr<MemoryBuffer> spec);

  static mlir::DialectRegistry makeRegistry() {
    mlir::DialectRegistry registry;
    registry.insert<mlir::act::ActDialect>();
    mlir::registerBuiltinDialectTranslation(registry);
    mlir::registerLLVMDialectTranslation(registry);
    registerGPUTargetInterfaces(registry);
    return registry;
  }

  /// Enables `timing` when asked and returns its root scope (a no-op scope
  /// otherwise).
  static mlir::TimingScope startTiming(mlir::DefaultTimingManager &timing,
                                       bool enabled) {
    timing.setEnabled(enabled);
    return timing.getRootScope();
  }

  /// Stops the timers and prints their tree.
  std::string finishTiming() {
    rootTiming.stop();
    std::string report;
    raw_string_ostream os(report);
    timing.setOutput(mlir::createOutputStrategy(
        mlir::DefaultTimingManager::OutputFormat::Text, os));
    timing.print();
    // The manager prints again when destroyed, unless disabled.
    timing.setEnabled(false);
    timing.setOutput(mlir::createOutputStrategy(
        mlir::DefaultTimingManager::OutputFormat::Text, nulls()));
    return report;
  }

  bool wants(Artifact artifact) const {
    return (artifacts & artifact) != Artifact::None;
  }

  /// The error for a failed stage: the diagnostics it emitted.
  Error specError(StringRef stage) {
    if (diagnostics.empty())
      return makeError(CompileError::Kind::Spec,
                       "error: " + stage + " failed without a diagnostic\n");
    return makeError(CompileError::Kind::Spec, diagnostics);
  }

  /// Runs `pm` on `module`, timed as `stage`, and verifies the result once.
  /// act-opt (the tests) verifies after every pass; here that was ~10 module
  /// walks per compile, and the IR is checked again as LLVM IR.
  mlir::LogicalResult runPipeline(mlir::PassManager &pm, mlir::ModuleOp module,
                                  StringRef stage) {
    mlir::TimingScope stageTiming = rootTiming.nest(stage);
    pm.enableVerifier(false);
    pm.enableTiming(stageTiming);
    if (mlir::failed(pm.run(module)))
      return mlir::failure();
    mlir::TimingScope verifyTiming = stageTiming.nest("verification");
    return mlir::verify(module);
  }

  Error lowerAndGenerate(mlir::ModuleOp module, TargetMachine &machine,
                         const PipelineOptions &pipelineOptions);
  Error lowerAndGenerateGPU(mlir::ModuleOp module, TargetMachine &machine,
                            const PipelineOptions &pipelineOptions);
  /// Warns when `module` defines no public activation.
  void warnIfNoActivation(mlir::ModuleOp module);
  /// Host code: the LLVM IR, assembly and object artifacts of `module`.
  Error generateHost(Module &module, TargetMachine &machine);

  const CompileOptions &options;
  Artifact artifacts;
  mlir::DefaultTimingManager timing;
  mlir::TimingScope rootTiming;
  mlir::TimingScope contextTiming;
  SourceMgr sourceMgr;
  mlir::MLIRContext context;
  std::string diagnostics;
  raw_string_ostream diagnosticStream;
  mlir::SourceMgrDiagnosticHandler handler;
  CompileResult result;
};
} // namespace

/// A spec that defines nothing compiles to an object without kernels; that
/// is almost always a mistake (a wrong file, a commented-out line), so say
/// so instead of succeeding silently.
void Compilation::warnIfNoActivation(mlir::ModuleOp module) {
  if (llvm::any_of(module.getOps<mlir::act::ActivationOp>(),
                   isKernelActivation))
    return;
  StringRef file = "<command line>";
  if (sourceMgr.getNumBuffers() != 0)
    file = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
               ->getBufferIdentifier();
  mlir::emitWarning(mlir::FileLineColLoc::get(&context, file, 1, 1))
      << "no activation is defined: the output has no kernels";
}

Expected<CompileResult>
Compilation::runStages(std::unique_ptr<MemoryBuffer> spec) {
  if (Error error = checkOptions(options))
    return std::move(error);
  mlir::TimingScope targetTiming = rootTiming.nest("target machine");
  initializeTargets();
  // A GPU object's host half (the launchers) is for the host.
  bool gpu = isGPUTarget(options);
  Expected<std::unique_ptr<TargetMachine>> machine =
      createTargetMachine({gpu ? std::string() : options.target, options.cpu});
  targetTiming.stop();
  if (!machine)
    return makeError(CompileError::Kind::Options,
                     toString(machine.takeError()));
  result.triple = (*machine)->getTargetTriple().str();
  result.cpu = (*machine)->getTargetCPU().str();

  if (spec)
    sourceMgr.AddNewSourceBuffer(std::move(spec), SMLoc());
  FrontendOptions frontendOptions;
  frontendOptions.defines = options.defines;
  frontendOptions.only = options.only;
  mlir::TimingScope parseTiming = rootTiming.nest("parse");
  mlir::OwningOpRef<mlir::ModuleOp> module =
      parseActSource(sourceMgr, &context, frontendOptions);
  parseTiming.stop();
  if (!module)
    return specError("parsing");
  warnIfNoActivation(*module);
  if (wants(Artifact::Parse))
    result.parse = printOp(*module);
  if (!wants(~(Artifact::Parse)))
    return std::move(result);

  mlir::PassManager simplify(&context);
  buildActSimplifyPipeline(simplify);
  if (mlir::failed(runPipeline(simplify, *module, "act simplification")))
    return specError("act simplification");
  // act shows the simplified module before its derivatives.
  if (wants(Artifact::Act))
    result.act = printOp(*module);
  result.activations = describeActivations(*module);
  if (!wants(~(Artifact::Parse | Artifact::Act)))
    return std::move(result);

  PipelineOptions pipelineOptions;
  pipelineOptions.dtypes = options.dtypes;
  pipelineOptions.vectorBits = getVectorBits(**machine);
  // Outputs of 16 MiB and more are written with non-temporal stores on x86
  // (docs/benchmarks.md, "Non-temporal stores", measured where they pay),
  // except by loops whose arithmetic bounds them (docs/fusion.md, "Streaming
  // only where memory bounds the loop"; those that read two arrays keep the
  // streaming loop's prefetches: "Gradients keep their prefetches", except
  // the lightest, the gradients from y: docs/benchmarks-grad.md, "Streams at
  // 262144 and 64M"); the other targets keep ordinary stores.
  if ((*machine)->getTargetTriple().isX86()) {
    pipelineOptions.streamBytes = options.streamBytes.value_or(16u << 20);
    if (!options.streamComputeBound) {
      pipelineOptions.streamMaxOpsPerByte = kStreamMaxOpsPerByte;
      pipelineOptions.streamPrefetchedOpsPerByte = kStreamPrefetchedOpsPerByte;
      pipelineOptions.streamUnprefetchedOpsPerByte =
          kStreamUnprefetchedOpsPerByte;
    }
  }
  if (!options.precision.empty())
    pipelineOptions.precision = options.precision;
  pipelineOptions.gradParams = options.gradParams;
  pipelineOptions.kernelKinds = options.kernels;
  pipelineOptions.gpuArch = options.gpuArch;
  mlir::PassManager gradients(&context);
  buildActGradientPipeline(gradients, pipelineOptions);
  if (mlir::failed(runPipeline(gradients, *module, "differentiation")))
    return specError("differentiation");
  if (wants(Artifact::Header)) {
    mlir::TimingScope headerTiming = rootTiming.nest("header");
    raw_string_ostream os(result.header);
    writeHeader(*module, options.dtypes, options.kernels, options.headerGuard,
                os, gpu);
  }
  if (wants(Artifact::ActGrad)) {
    raw_string_ostream os(result.actGrad);
    writeActGradients(*module, os);
  }

  if (wants(Artifact::MLIR | Artifact::LLVM | Artifact::Asm | Artifact::Object |
            Artifact::Kernels | Artifact::PTX)) {
    if (wants(Artifact::PTX) && !gpu)
      return makeError(CompileError::Kind::Options,
                       "PTX needs the GPU target (--target nvptx64)");
    if (Error error =
            gpu ? lowerAndGenerateGPU(*module, **machine, pipelineOptions)
                : lowerAndGenerate(*module, **machine, pipelineOptions))
      return std::move(error);
  }
  return std::move(result);
}

Error Compilation::lowerAndGenerate(mlir::ModuleOp module,
                                    TargetMachine &machine,
                                    const PipelineOptions &pipelineOptions) {
  mlir::PassManager lower(&context);
  buildKernelsToLLVMPipeline(lower, pipelineOptions);
  if (mlir::failed(runPipeline(lower, module, "lowering")))
    return specError("lowering");
  if (wants(Artifact::MLIR))
    result.mlir = printOp(module);
  if (wants(Artifact::Kernels))
    findKernels(module, options.dtypes, result.activations);
  if (!wants(Artifact::LLVM | Artifact::Asm | Artifact::Object))
    return Error::success();

  LLVMContext llvmContext;
  mlir::TimingScope translateTiming = rootTiming.nest("translation to LLVM IR");
  Expected<std::unique_ptr<Module>> llvmModule =
      translateToLLVMIR(module, llvmContext, machine);
  translateTiming.stop();
  if (!llvmModule)
    return makeError(CompileError::Kind::Backend,
                     toString(llvmModule.takeError()));
  mlir::TimingScope optimizeTiming = rootTiming.nest("LLVM O3");
  if (Error error = optimizeLLVMIR(**llvmModule, machine))
    return makeError(CompileError::Kind::Backend, toString(std::move(error)));
  optimizeTiming.stop();
  return generateHost(**llvmModule, machine);
}

Error Compilation::generateHost(Module &module, TargetMachine &machine) {
  if (wants(Artifact::LLVM)) {
    raw_string_ostream os(result.llvmIR);
    module.print(os, nullptr);
  }
  mlir::TimingScope codegenTiming = rootTiming.nest("code generation");
  if (wants(Artifact::Asm))
    if (Error error = generate(module, machine,
                               /*keepModule=*/wants(Artifact::Object),
                               CodeGenFileType::AssemblyFile, result.assembly))
      return error;
  if (wants(Artifact::Object))
    if (Error error = generate(module, machine, /*keepModule=*/false,
                               CodeGenFileType::ObjectFile, result.object))
      return error;
  return Error::success();
}

/// The GPU target (docs/gpu.md): the kernels in a gpu.module, lowered to
/// NVVM, serialized to PTX (checked) and a cubin, embedded with the host
/// launchers in an object for the host.
Error Compilation::lowerAndGenerateGPU(mlir::ModuleOp module,
                                       TargetMachine &machine,
                                       const PipelineOptions &pipelineOptions) {
  mlir::PassManager kernels(&context);
  buildKernelsToGPUPipeline(kernels, pipelineOptions);
  if (mlir::failed(runPipeline(kernels, module, "lowering")))
    return specError("lowering");
  std::vector<GPUKernelInfo> gpuKernels = collectGPUKernels(module);
  if (gpuKernels.empty())
    return makeError(CompileError::Kind::Spec,
                     diagnostics + "error: no GPU kernel to build\n");
  if (wants(Artifact::Kernels)) {
    StringSet<> defined;
    for (const GPUKernelInfo &kernel : gpuKernels)
      defined.insert(kernel.name);
    for (ActivationInfo &activation : result.activations)
      for (StringRef kind : getKernelKinds())
        for (const std::string &dtype : options.dtypes) {
          std::string symbol =
              mlir::act::getKernelName(activation.name, kind, dtype);
          if (defined.contains(symbol))
            activation.kernels.push_back({kind.str(), dtype, symbol + "_cuda"});
        }
  }
  mlir::PassManager nvvm(&context);
  buildGPUToNVVMPipeline(nvvm, pipelineOptions);
  if (mlir::failed(runPipeline(nvvm, module, "lowering to NVVM")))
    return specError("lowering to NVVM");
  if (wants(Artifact::MLIR))
    result.mlir = printOp(module);
  if (!wants(Artifact::PTX | Artifact::LLVM | Artifact::Asm | Artifact::Object))
    return Error::success();

  std::string toolkit = getCUDAToolkitPath();
  Expected<std::string> ptx = serializeToPTX(module, toolkit);
  if (!ptx)
    return makeError(CompileError::Kind::Backend,
                     toString(ptx.takeError()) +
                         (diagnostics.empty() ? "" : "\n" + diagnostics));
  if (wants(Artifact::PTX))
    result.ptx = *ptx;
  if (!wants(Artifact::LLVM | Artifact::Asm | Artifact::Object))
    return Error::success();
  Expected<std::string> cubin =
      assembleCubin(*ptx, pipelineOptions.gpuArch, toolkit);
  if (!cubin)
    return makeError(CompileError::Kind::Backend, toString(cubin.takeError()));
  LLVMContext llvmContext;
  Expected<std::unique_ptr<Module>> launchers =
      buildGPULaunchers(gpuKernels, *ptx, *cubin, llvmContext, machine);
  if (!launchers)
    return makeError(CompileError::Kind::Backend,
                     toString(launchers.takeError()));
  return generateHost(**launchers, machine);
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

Expected<CompileResult> actc::compileSource(StringRef source,
                                            StringRef bufferName,
                                            const CompileOptions &options,
                                            Artifact artifacts) {
  Compilation compilation(options, artifacts);
  return compilation.run(MemoryBuffer::getMemBufferCopy(source, bufferName));
}

Expected<CompileResult> actc::compileFile(StringRef path,
                                          const CompileOptions &options,
                                          Artifact artifacts) {
  std::unique_ptr<MemoryBuffer> spec;
  if (!path.empty()) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> file =
        MemoryBuffer::getFile(path, /*IsText=*/true);
    if (std::error_code error = file.getError())
      return makeError(CompileError::Kind::Input,
                       "cannot open '" + path + "': " + error.message());
    spec = std::move(*file);
  }
  Compilation compilation(options, artifacts);
  return compilation.run(std::move(spec));
}
