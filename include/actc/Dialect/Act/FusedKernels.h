//===- FusedKernels.h - what the fused kernel passes share ------*- C++ -*-===//
//
// act-bias-kernels and act-matmul-kernels build kernels for the same
// activations and element types: the public elementwise activations, each
// with its gradient when act-autodiff built one. Every kernel pass (act-kernels
// and the GPU one too) reads its `dtypes` and `kinds` options the same way.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_FUSEDKERNELS_H
#define ACTC_DIALECT_ACT_FUSEDKERNELS_H

#include "actc/Dialect/Act/ActOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::act {

/// A kernel element type and its ABI suffix: `type` is computed in,
/// `storage` is what the arrays hold (bf16 and f16 are computed in f32).
struct KernelDType {
  std::string name;
  FloatType type;
  FloatType storage;
};

/// The element types named by a pass's `dtypes` option (f32 and f64 when
/// empty; also bf16 and f16); an error on `module`, after `errorPrefix`,
/// for any other name.
FailureOr<SmallVector<KernelDType>>
parseKernelDTypes(ModuleOp module, ArrayRef<std::string> names,
                  StringRef errorPrefix = "");

/// The kernel kinds named by a pass's `kinds` option (empty or `all`: every
/// kind); an error on `module`, after `errorPrefix`, for an unknown name.
FailureOr<SmallVector<std::string>>
parseKernelKinds(ModuleOp module, ArrayRef<std::string> names,
                 StringRef errorPrefix);

/// A public elementwise activation and its gradient (`grad_of` it, from x,
/// not from y; null when there is none).
struct FusedActivation {
  ActivationOp forward;
  ActivationOp grad;
};

/// The activations that get fused kernels, in module order.
SmallVector<FusedActivation> collectFusedActivations(ModuleOp module);

/// z = x + bias, the activation's argument in a fused kernel: rounded to
/// its type and marked (kLeafAttrName), so that f is computed at that z
/// on every route -- the z matmul_aux stores and bias_grad differentiates
/// at, and the unfused kernels' f(z) (docs/fusion.md).
Value createArgumentSum(OpBuilder &builder, Location loc, Value x, Value bias);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_FUSEDKERNELS_H
