//===- Widening.h - clone scalar activation bodies into kernels -*- C++ -*-===//
//
// The one place that turns an activation's scalar body into kernel code:
// retyped from the formula's element type to the kernel's, and optionally
// widened to vectors. act-vectorize widens whole loops; the fused kernels
// (bias, matmul epilogues) apply the body to values they already hold, e.g.
// the accumulator vectors of a matmul tile.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_WIDENING_H
#define ACTC_DIALECT_ACT_WIDENING_H

#include "actc/Dialect/Act/ActOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::act {

/// A vector of `type`'s shape filled with `scalar`: a splat constant when
/// `scalar` is a constant (so that folds see it), else vector.broadcast.
Value broadcastScalar(OpBuilder &builder, Location loc, VectorType type,
                      Value scalar);

/// Clones the scalar body of an elementwise activation (or of its gradient)
/// into a kernel. Values of the formula's element type become the kernel's
/// `elementType`; with `width` > 0 every value becomes a vector of `width`
/// lanes (constants and parameters as splats, which canonicalization folds
/// and CSE shares between clones).
class ActivationCloner {
public:
  /// `runtimeParams` are the kernel's `float` arguments, one per runtime
  /// parameter of `activation` in declaration order.
  ActivationCloner(ActivationOp activation, FloatType elementType,
                   int64_t width, ValueRange runtimeParams);

  /// Checks that the body is one block of elementwise-mappable ops,
  /// constants and parameters (inlined, no row reductions).
  LogicalResult verify();

  /// Clones the body at the builder's point, `input` standing for the input
  /// element; returns what the body returns (its value, or for a gradient
  /// df/dx and then df/dp per runtime parameter).
  SmallVector<Value> clone(OpBuilder &builder, Value input);

  /// The kernel type of a body value's type.
  Type convertType(Type type) const;

private:
  Value cloneParam(OpBuilder &builder, ParamOp param);

  ActivationOp activation;
  FloatType sourceType, elementType;
  int64_t width;
  SmallVector<Value> runtimeParams;
};

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_WIDENING_H
