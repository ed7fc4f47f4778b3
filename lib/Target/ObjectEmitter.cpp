//===- ObjectEmitter.cpp - LLVM dialect to object code --------------------===//
//
// The CPU back end: picks the target machine (portable by default, the host
// CPU for `native`), translates the LLVM dialect to LLVM IR, runs the O3
// pipeline and writes an object file or assembly.
//
// Floating-point contraction stays off: the kernels' error-free
// transformations need their fmul and fadd kept apart, so the target options
// keep the default AllowFPOpFusion (fuse only llvm.fma/llvm.fmuladd, never a
// separate fmul + fadd) and nothing here adds fast-math flags.
//
//===----------------------------------------------------------------------===//

#include "actc/Target/ObjectEmitter.h"
#include "actc/Target/LoopScheduling.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

/// The triple `target` names: the host for "", the usual Linux triple for a
/// bare architecture ("x86_64", "aarch64"), else `target` itself.
static Triple getTriple(StringRef target) {
  if (target.empty())
    return Triple(sys::getDefaultTargetTriple());
  if (!target.contains('-'))
    return Triple((target + "-unknown-linux-gnu").str());
  return Triple(Triple::normalize(target));
}

/// The CPU used when none is asked for: a portable baseline that still has
/// the vector units every machine of the last decade has.
static StringRef getDefaultCPU(const Triple &triple) {
  if (triple.getArch() == Triple::x86_64)
    return "x86-64-v3";
  return "generic";
}

/// The host's features as a SubtargetFeatures string ("+avx2,-avx512f,...").
static std::string getHostFeatures() {
  SubtargetFeatures features;
  for (const StringMapEntry<bool> &feature : sys::getHostCPUFeatures())
    features.AddFeature(feature.first(), feature.second);
  return features.getString();
}

Expected<std::unique_ptr<TargetMachine>>
actc::createTargetMachine(const TargetOptions &options) {
  Triple triple = getTriple(options.target);
  std::string lookupError;
  const Target *target =
      triple.getArch() == Triple::UnknownArch
          ? nullptr
          : TargetRegistry::lookupTarget(triple, lookupError);
  if (!target)
    return createStringError("unknown target '" + options.target +
                             "' (expected x86_64, aarch64 or a target triple)");

  std::string cpu = options.cpu.empty() ? getDefaultCPU(triple).str()
                                        : options.cpu;
  std::string features;
  if (options.cpu == "native") {
    Triple host(sys::getDefaultTargetTriple());
    if (host.getArch() != triple.getArch())
      return createStringError("--mcpu=native needs the host's architecture (" +
                               host.getArchName() + "), not '" +
                               triple.getArchName() + "'");
    cpu = sys::getHostCPUName().str();
    features = getHostFeatures();
  }

  // LLVM only warns about an unknown CPU and then compiles for a generic
  // one; check it against the target's table instead.
  std::unique_ptr<MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!subtarget || !subtarget->isCPUStringValid(cpu))
    return createStringError("unknown CPU '" + cpu + "' for target '" +
                             triple.str() + "'");

  llvm::TargetOptions targetOptions;
  targetOptions.AllowFPOpFusion = FPOpFusion::Standard;
  std::unique_ptr<TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, targetOptions, Reloc::PIC_, std::nullopt,
      CodeGenOptLevel::Aggressive));
  if (!machine)
    return createStringError("cannot create a target machine for '" +
                             triple.str() + "'");
  return machine;
}

/// True when the subtarget has `feature` (checkFeatures aborts on a name the
/// target does not know, so look it up in the target's table first).
static bool hasFeature(const MCSubtargetInfo &subtarget, StringRef feature) {
  bool known = any_of(subtarget.getAllProcessorFeatures(),
                      [&](const SubtargetFeatureKV &entry) {
                        return feature == entry.Key;
                      });
  return known && subtarget.checkFeatures(("+" + feature).str());
}

unsigned actc::getVectorBits(const TargetMachine &machine) {
  const MCSubtargetInfo &subtarget = *machine.getMCSubtargetInfo();
  if (hasFeature(subtarget, "avx512f"))
    return 512;
  if (hasFeature(subtarget, "avx2") || hasFeature(subtarget, "avx"))
    return 256;
  return 128; // SSE, NEON (SVE code is not generated yet).
}

/// Gives every defined function the target's CPU and features, and the
/// vector width: without "prefer-vector-width" LLVM follows the CPU's tuning
/// and splits 512-bit vectors on AVX-512 CPUs that prefer 256 bits, and
/// without "min-legal-vector-width" it may legalize them to narrower ones.
static void setFunctionAttributes(Module &module, TargetMachine &machine) {
  std::string vectorBits = utostr(actc::getVectorBits(machine));
  for (Function &function : module) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", machine.getTargetCPU());
    if (!machine.getTargetFeatureString().empty())
      function.addFnAttr("target-features", machine.getTargetFeatureString());
    function.addFnAttr("min-legal-vector-width", vectorBits);
    function.addFnAttr("prefer-vector-width", vectorBits);
  }
}

/// Runs the new pass manager's O3 pipeline over `module`; on x86, with the
/// kernels' vector loops unrolled and their copies interleaved
/// (LoopScheduling.h).
static void optimize(Module &module, TargetMachine &machine) {
  LoopAnalysisManager loopAnalyses;
  FunctionAnalysisManager functionAnalyses;
  CGSCCAnalysisManager cgsccAnalyses;
  ModuleAnalysisManager moduleAnalyses;
  PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(moduleAnalyses);
  builder.registerCGSCCAnalyses(cgsccAnalyses);
  builder.registerFunctionAnalyses(functionAnalyses);
  builder.registerLoopAnalyses(loopAnalyses);
  builder.crossRegisterProxies(loopAnalyses, functionAnalyses, cgsccAnalyses,
                               moduleAnalyses);
  if (machine.getTargetTriple().isX86()) {
    builder.registerPipelineStartEPCallback(
        [](ModulePassManager &passes, OptimizationLevel) {
          passes.addPass(createModuleToFunctionPassAdaptor(
              actc::UnrollHintsPass()));
        });
    builder.registerOptimizerLastEPCallback(
        [](ModulePassManager &passes, OptimizationLevel, ThinOrFullLTOPhase) {
          passes.addPass(createModuleToFunctionPassAdaptor(
              actc::InterleaveCopiesPass()));
        });
  }
  ModulePassManager passes =
      builder.buildPerModuleDefaultPipeline(OptimizationLevel::O3);
  passes.run(module, moduleAnalyses);
}

Expected<std::unique_ptr<Module>>
actc::translateToLLVMIR(mlir::ModuleOp module, LLVMContext &llvmContext,
                        TargetMachine &machine) {
  std::unique_ptr<Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return createStringError("cannot translate the kernels to LLVM IR");
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  setFunctionAttributes(*llvmModule, machine);
  return llvmModule;
}

Error actc::optimizeLLVMIR(Module &module, TargetMachine &machine) {
  optimize(module, machine);
  std::string message;
  raw_string_ostream messageStream(message);
  if (verifyModule(module, &messageStream))
    return createStringError("the optimized LLVM IR is invalid: " +
                             StringRef(message).trim());
  return Error::success();
}

Error actc::emitCode(Module &module, TargetMachine &machine,
                     raw_pwrite_stream &os, CodeGenFileType type) {
  legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr, type))
    return createStringError("target '" + machine.getTargetTriple().str() +
                             "' cannot emit this file type");
  passes.run(module);
  return Error::success();
}
