//===- GPUKernelABI.h - the GPU kernels' marks ------------------*- C++ -*-===//
//
// act-gpu-kernels marks each device kernel with its kind; act-gpu-outline
// keeps the mark on the gpu.func and the host launcher generator reads it to
// choose the launch shape and the arguments to zero (ABI.md, GPU objects).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_GPUKERNELABI_H
#define ACTC_DIALECT_ACT_GPUKERNELABI_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir::act {

/// The attribute naming a device kernel's kind.
inline constexpr llvm::StringLiteral kGPUKernelAttrName = "act.gpu_kernel";
/// NAME_T(x, y, n, P...): one grid-stride loop over n.
inline constexpr llvm::StringLiteral kGPUElementwiseKind = "elementwise";
/// NAME_grad_T(x, dy, dx, n, P..., dP...): the same, *dP added atomically.
inline constexpr llvm::StringLiteral kGPUGradKind = "grad";
/// NAME_bias_T(x, bias, y, rows, cols, P...): rows along the grid's y.
inline constexpr llvm::StringLiteral kGPUBiasKind = "bias";

/// On a bias kernel: the lanes of its 128-bit vectors (4 f32, 2 f64, 8
/// bf16/f16); its launcher gives the grid's x cols / lanes threads when cols
/// is a multiple of them (the kernel's vector path), else cols.
inline constexpr llvm::StringLiteral kGPULanesAttrName = "act.gpu_lanes";

/// NAME_T(x, y, rows, cols) of a row activation: one warp per row.
inline constexpr llvm::StringLiteral kGPURowKind = "row";
/// NAME_grad_T(y, dy, dx, rows, cols) of a row activation: one warp per row.
inline constexpr llvm::StringLiteral kGPURowGradKind = "row_grad";
/// The rows a launcher's block of 256 threads covers (one per warp).
inline constexpr int64_t kGPURowsPerBlock = 8;

/// The gpu.module holding the kernels.
inline constexpr llvm::StringLiteral kGPUModuleName = "actc_kernels";

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_GPUKERNELABI_H
