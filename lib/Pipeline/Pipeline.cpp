//===- Pipeline.cpp - the actc pass pipelines -----------------------------===//
//
// The pass order of DESIGN.md. Kernels are built after act-autodiff and
// act-grad-from-y, so each elementwise activation gets NAME_T, NAME_grad_T
// and, where f' is a function of y, NAME_grad_from_y_T; everything after
// act-kernels works on loops: widen them, expand the act functions (on
// vectors), approximate the transcendentals, clean up, lower to LLVM.
// The GPU target (docs/gpu.md) shares everything up to the derivatives,
// then builds grid-stride kernels that the same expansion and
// approximation passes rewrite before they move into a gpu.module.
//
//===----------------------------------------------------------------------===//

#include "actc/Pipeline/Pipeline.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void actc::buildActSimplifyPipeline(OpPassManager &pm) {
  pm.addPass(act::createActInline());
  pm.addPass(act::createActCanonicalize());
  pm.addPass(act::createActStabilize());
}

void actc::buildActGradientPipeline(OpPassManager &pm,
                                    const PipelineOptions &options) {
  act::ActAutodiffOptions autodiffOptions;
  autodiffOptions.gradParams.assign(options.gradParams.begin(),
                                    options.gradParams.end());
  pm.addPass(act::createActAutodiff(autodiffOptions));
  pm.addPass(act::createActGradFromY());
}

void actc::buildKernelsToLLVMPipeline(OpPassManager &pm,
                                      const PipelineOptions &options) {
  // The fused kernels read the activations, which act-kernels removes. Each
  // kernel pass builds only the selected kinds; one with none is left out.
  const std::vector<std::string> &kinds = options.kernelKinds;
  auto selects = [&](llvm::StringRef kind) {
    return act::isKernelKindSelected(kinds, kind);
  };
  if (selects("bias") || selects("bias_grad")) {
    act::ActBiasKernelsOptions biasOptions;
    biasOptions.dtypes.assign(options.dtypes.begin(), options.dtypes.end());
    biasOptions.kinds.assign(kinds.begin(), kinds.end());
    biasOptions.vectorBits = options.vectorBits;
    pm.addPass(act::createActBiasKernels(biasOptions));
  }
  if (selects("matmul") || selects("matmul_aux")) {
    act::ActMatmulKernelsOptions matmulOptions;
    matmulOptions.dtypes.assign(options.dtypes.begin(), options.dtypes.end());
    matmulOptions.kinds.assign(kinds.begin(), kinds.end());
    matmulOptions.vectorBits = options.vectorBits;
    pm.addPass(act::createActMatmulKernels(matmulOptions));
  }
  if (selects("bias_mt") || selects("bias_grad_mt") || selects("matmul_mt") ||
      selects("matmul_aux_mt")) {
    act::ActThreadedKernelsOptions threadedOptions;
    threadedOptions.dtypes.assign(options.dtypes.begin(),
                                  options.dtypes.end());
    threadedOptions.kinds.assign(kinds.begin(), kinds.end());
    pm.addPass(act::createActThreadedKernels(threadedOptions));
  }
  // Always run: it also removes the activations.
  act::ActKernelsOptions kernelOptions;
  kernelOptions.dtypes.assign(options.dtypes.begin(), options.dtypes.end());
  kernelOptions.kinds.assign(kinds.begin(), kinds.end());
  kernelOptions.precision = options.precision;
  pm.addPass(act::createActKernels(kernelOptions));
  act::ActVectorizeOptions vectorizeOptions;
  vectorizeOptions.vectorBits = options.vectorBits;
  vectorizeOptions.streamBytes = options.streamBytes;
  pm.addPass(act::createActVectorize(vectorizeOptions));
  act::ActExpandOptions expandOptions;
  expandOptions.precision = options.precision;
  expandOptions.avx512 = options.vectorBits == 512;
  pm.addPass(act::createActExpand(expandOptions));
  act::ActMathApproxOptions approxOptions;
  approxOptions.precision = options.precision;
  // 512-bit vectors are chosen only for x86 CPUs with AVX-512F.
  approxOptions.avx512 = options.vectorBits == 512;
  pm.addPass(act::createActMathApprox(approxOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  act::ActStreamingCostOptions streamingOptions;
  streamingOptions.maxOpsPerByte = options.streamMaxOpsPerByte;
  streamingOptions.prefetchedOpsPerByte = options.streamPrefetchedOpsPerByte;
  streamingOptions.unprefetchedOpsPerByte =
      options.streamUnprefetchedOpsPerByte;
  pm.addPass(act::createActStreamingCost(streamingOptions));
  pm.addPass(act::createActLowerToLLVM());
}

void actc::buildKernelsToGPUPipeline(OpPassManager &pm,
                                     const PipelineOptions &options) {
  act::ActGPUKernelsOptions kernelOptions;
  kernelOptions.dtypes.assign(options.dtypes.begin(), options.dtypes.end());
  kernelOptions.kinds.assign(options.kernelKinds.begin(),
                             options.kernelKinds.end());
  pm.addPass(act::createActGPUKernels(kernelOptions));
  act::ActExpandOptions expandOptions;
  expandOptions.precision = options.precision;
  pm.addPass(act::createActExpand(expandOptions));
  // Fast mode: the hardware's tanh.approx.f32 for a lone f32 tanh (before
  // act-math-approx would expand it).
  if (options.precision == "fast")
    pm.addPass(act::createActGPUFastTanh());
  act::ActMathApproxOptions approxOptions;
  approxOptions.precision = options.precision;
  // libdevice (linked by gpu-module-to-binary) has what LLVM lacks.
  approxOptions.libm = false;
  pm.addPass(act::createActMathApprox(approxOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(act::createActGPUOutline());
}

void actc::buildGPUToNVVMPipeline(OpPassManager &pm,
                                  const PipelineOptions &options) {
  pm.addPass(createSCFToControlFlowPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps());
  pm.addPass(createReconcileUnrealizedCastsPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.gpuArch;
  // The default PTX version (6.0) is too old for sm_90.
  target.features = "+ptx80";
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
}

namespace {
struct ActToLLVMOptions : public PassPipelineOptions<ActToLLVMOptions> {
  ListOption<std::string> dtypes{*this, "dtypes",
                                 llvm::cl::desc("Element types (f32,f64)")};
  Option<unsigned> vectorBits{*this, "vector-bits",
                              llvm::cl::desc("Vector register width"),
                              llvm::cl::init(512)};
  Option<std::string> precision{
      *this, "precision", llvm::cl::desc("accurate (default) or fast"),
      llvm::cl::init("accurate")};
  ListOption<std::string> kernels{
      *this, "kernels",
      llvm::cl::desc("Kernel kinds (forward, grad, grad_from_y, bias, "
                     "bias_grad, matmul, matmul_aux, all; default all)")};
};
struct ActToNVVMOptions : public PassPipelineOptions<ActToNVVMOptions> {
  ListOption<std::string> dtypes{*this, "dtypes",
                                 llvm::cl::desc("Element types (f32,f64)")};
  Option<std::string> precision{*this, "precision",
                                llvm::cl::desc("accurate (default) or fast"),
                                llvm::cl::init("accurate")};
  Option<std::string> gpuArch{*this, "gpu-arch",
                              llvm::cl::desc("sm_80 or sm_90 (default)"),
                              llvm::cl::init("sm_90")};
};
} // namespace

void actc::registerActPipelines() {
  PassPipelineRegistration<ActToLLVMOptions>(
      "act-to-llvm", "The whole actc pipeline, act to the LLVM dialect",
      [](OpPassManager &pm, const ActToLLVMOptions &cl) {
        PipelineOptions options;
        if (!cl.dtypes.empty())
          options.dtypes.assign(cl.dtypes.begin(), cl.dtypes.end());
        options.vectorBits = cl.vectorBits;
        options.precision = cl.precision;
        options.kernelKinds.assign(cl.kernels.begin(), cl.kernels.end());
        buildActSimplifyPipeline(pm);
        buildActGradientPipeline(pm, options);
        buildKernelsToLLVMPipeline(pm, options);
      });
  PassPipelineRegistration<ActToNVVMOptions>(
      "act-to-nvvm",
      "The GPU pipeline, act to NVVM kernels in a gpu.module with their "
      "target attached (gpu-module-to-binary comes next)",
      [](OpPassManager &pm, const ActToNVVMOptions &cl) {
        PipelineOptions options;
        if (!cl.dtypes.empty())
          options.dtypes.assign(cl.dtypes.begin(), cl.dtypes.end());
        options.precision = cl.precision;
        options.gpuArch = cl.gpuArch;
        buildActSimplifyPipeline(pm);
        buildActGradientPipeline(pm, options);
        buildKernelsToGPUPipeline(pm, options);
        buildGPUToNVVMPipeline(pm, options);
      });
}
