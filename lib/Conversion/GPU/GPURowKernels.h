//===- GPURowKernels.h - the GPU kernels of the row activations -*- C++ -*-===//
//
// act-gpu-kernels builds the row activations' kernels with this (see
// GPURowKernels.cpp): one warp per row, warp-shuffle reductions.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_GPU_GPUROWKERNELS_H
#define ACTC_CONVERSION_GPU_GPUROWKERNELS_H

#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/FusedKernels.h"

#include "mlir/IR/Builders.h"

namespace mlir::act {

/// Builds, before the builder's point, `NAME_T` (when `forward`) and, when
/// `grad` and act-autodiff marked the activation with act.row_grad,
/// `NAME_grad_T` of the row activation `activation` at `dtype`.
LogicalResult buildGPURowKernels(OpBuilder &builder, ActivationOp activation,
                                 const KernelDType &dtype, bool forward,
                                 bool grad);

} // namespace mlir::act

#endif // ACTC_CONVERSION_GPU_GPUROWKERNELS_H
