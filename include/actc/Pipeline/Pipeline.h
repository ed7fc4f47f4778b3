//===- Pipeline.h - the actc pass pipelines ---------------------*- C++ -*-===//

#ifndef ACTC_PIPELINE_PIPELINE_H
#define ACTC_PIPELINE_PIPELINE_H

#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace actc {

/// The driver's default for PipelineOptions::streamMaxOpsPerByte: vector ops
/// per byte a loop loads and stores above which its arithmetic, not memory,
/// bounds it on x86 (measured at 64M elements: docs/fusion.md, "Streaming
/// only where memory bounds the loop").
inline constexpr double kStreamMaxOpsPerByte = 0.13;

/// The driver's default for PipelineOptions::streamPrefetchedOpsPerByte:
/// above it, flat loops reading two or more arrays (the gradients) store
/// ordinarily but keep the large-output loop's prefetches (measured at 64M
/// elements: docs/fusion.md, "Gradients keep their prefetches").
inline constexpr double kStreamPrefetchedOpsPerByte = 0.11;

/// The driver's default for PipelineOptions::streamUnprefetchedOpsPerByte:
/// at or below it (3-4 vector ops per 192 bytes: the gradients from y),
/// flat loops reading two or more arrays stream without prefetches
/// (measured at 4M and 64M elements: docs/benchmarks-grad.md, "Streams at
/// 262144 and 64M").
inline constexpr double kStreamUnprefetchedOpsPerByte = 0.025;

struct PipelineOptions {
  /// Element types to instantiate kernels for ("f32", "f64").
  std::vector<std::string> dtypes = {"f32", "f64"};
  /// Vector register width of the target in bits (512 AVX-512, 256 AVX2,
  /// 128 NEON/SSE).
  unsigned vectorBits = 256;
  /// Output size in bytes from which elementwise, gradient and bias kernels
  /// store with non-temporal stores (act-vectorize's stream-bytes; 0:
  /// never). The driver sets it for x86 CPUs.
  uint64_t streamBytes = 0;
  /// Loops with more vector ops per byte they move keep ordinary stores
  /// (act-streaming-cost's max-ops-per-byte; 0: every large output streams).
  double streamMaxOpsPerByte = 0;
  /// Flat loops reading two or more arrays with more vector ops per byte keep
  /// the large-output loop and its prefetches with ordinary stores
  /// (act-streaming-cost's prefetched-ops-per-byte; 0: no such form).
  double streamPrefetchedOpsPerByte = 0;
  /// Flat loops reading two or more arrays with at most this many vector ops
  /// per byte stream without prefetches (act-streaming-cost's
  /// unprefetched-ops-per-byte; 0: they keep them).
  double streamUnprefetchedOpsPerByte = 0;
  /// "accurate" (f32 under 1 ULP: composed kernels widened to f64) or
  /// "fast" (cheaper f32 approximations, a few ULPs).
  std::string precision = "accurate";
  /// `activation.param` entries whose gradient the user asked for
  /// (`actc --grad-params`): act-autodiff rejects compile-time constants.
  std::vector<std::string> gradParams;
  /// Kernel kinds to build (KernelABI.h's names: "forward", "grad",
  /// "grad_from_y", "bias", "bias_grad", "matmul", "matmul_aux"; "all");
  /// empty means all. An object for linking has all (ABI.md); the Python
  /// bindings build the fused kinds only when first called.
  std::vector<std::string> kernelKinds;
  /// The GPU target's architecture (`actc --gpu-arch`): sm_80 or sm_90.
  std::string gpuArch = "sm_90";
};

/// act-inline, act-canonicalize, act-stabilize: the simplified symbolic form
/// (`actc --emit=act` prints the module after it).
void buildActSimplifyPipeline(mlir::OpPassManager &pm);

/// act-autodiff, act-grad-from-y: adds the derivatives (`@f_grad`,
/// `@f_grad_from_y`, row VJP marks) that the header, `actc --emit=act-grad`
/// and the kernels read.
void buildActGradientPipeline(mlir::OpPassManager &pm,
                              const PipelineOptions &options);

/// act-kernels through act-lower-to-llvm: from the act module with its
/// derivatives to a module in the LLVM dialect holding the ABI kernels.
void buildKernelsToLLVMPipeline(mlir::OpPassManager &pm,
                                const PipelineOptions &options);

/// act-gpu-kernels through act-gpu-outline: the GPU kernels of ABI.md as
/// gpu.func in `gpu.module @actc_kernels` (the host launchers are built from
/// them, lib/Target/GPULaunchers.cpp).
void buildKernelsToGPUPipeline(mlir::OpPassManager &pm,
                               const PipelineOptions &options);

/// scf to cf, convert-gpu-to-nvvm, the NVVM target (`gpuArch`, PTX 8.0)
/// attached: ready for gpu-module-to-binary.
void buildGPUToNVVMPipeline(mlir::OpPassManager &pm,
                            const PipelineOptions &options);

/// Registers `act-to-llvm` and `act-to-nvvm` with act-opt.
void registerActPipelines();

} // namespace actc

#endif // ACTC_PIPELINE_PIPELINE_H
