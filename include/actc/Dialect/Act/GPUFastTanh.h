//===- GPUFastTanh.h - where the GPU's fast mode uses tanh.approx -*- C++ -*-===//
//
// act-gpu-fast-tanh replaces a tanh by the hardware's tanh.approx.f32 in
// fast GPU kernels, and the header writer says so above the activations
// that have one: both ask this predicate, on the activation body or on the
// kernel.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_GPUFASTTANH_H
#define ACTC_DIALECT_ACT_GPUFASTTANH_H

#include "actc/Dialect/Act/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

namespace mlir::act {

/// Whether `tanh` is a lone tanh that fast GPU forward kernels compute
/// with tanh.approx: not tanh(softplus(s)) (mish), not part of x - tanh(x)
/// (tanhshrink) nor squared (1 - tanh^2, which act-expand rewrites), whose
/// forms stay accurate where a relative error of 2^-11 in tanh would not
/// (they cancel).
inline bool isHardwareTanhCandidate(math::TanhOp tanh) {
  if (tanh.getOperand().getDefiningOp<SoftplusOp>())
    return false;
  for (Operation *user : tanh->getUsers()) {
    if (auto sub = dyn_cast<arith::SubFOp>(user))
      if (sub.getRhs() == tanh.getResult() &&
          sub.getLhs() == tanh.getOperand())
        return false;
    if (auto mul = dyn_cast<arith::MulFOp>(user))
      if (mul.getLhs() == mul.getRhs())
        return false;
  }
  return true;
}

/// The bound of tanh.approx.f32 as the header and docs state it: measured
/// on an H200 (sm_90) over all 2^32 inputs against the CPU's fast tanh
/// (itself at most 2.00 ULP), scripts/gpu-exhaustive.c; the PTX ISA's own
/// bound is looser.
inline constexpr const char *kHardwareTanhBound =
    "tanh.approx.f32 (sm_75+; measured on an H200 over all 2^32 inputs: at "
    "most 135 ULP from the CPU's fast tanh, about 137 ULP in all; the PTX "
    "ISA documents a max relative error of about 2^-11)";

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_GPUFASTTANH_H
