//===- AccurateF64Routing.cpp - f64 sigmoid forms kept whole --------------===//
//
// See AccurateF64Routing.h.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/AccurateF64Routing.h"
#include "actc/Dialect/Act/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::act;

static bool isF64Like(Type type) { return getElementTypeOrSelf(type).isF64(); }

/// True when a user of `op` multiplies it by another sigmoid.
static bool isReadBySigmoidProduct(Operation *op) {
  return llvm::any_of(op->getUsers(), [&](Operation *user) {
    auto mul = dyn_cast<arith::MulFOp>(user);
    return mul && mul.getLhs().getDefiningOp<SigmoidOp>() &&
           mul.getRhs().getDefiningOp<SigmoidOp>();
  });
}

/// True when only tanhs read `op`, and only products read them: mish's
/// m * tanh(softplus(t)), evaluated whole (AccurateF64Forms.h).
static bool isReadOnlyByMishTanh(Operation *op) {
  return !op->use_empty() &&
         llvm::all_of(op->getUsers(), [](Operation *user) {
           return isa<math::TanhOp>(user) && !user->use_empty() &&
                  llvm::all_of(user->getUsers(), [](Operation *product) {
                    return isa<arith::MulFOp>(product);
                  });
         });
}

SetVector<Operation *> mlir::act::getAccurateF64Forms(func::FuncOp func) {
  SetVector<Operation *> forms;
  func.walk([&](Operation *op) {
    if (!isa<SigmoidOp, SoftplusOp>(op) || !isF64Like(op->getResultTypes()[0]))
      return;
    if (isa<SigmoidOp>(op) && isReadBySigmoidProduct(op))
      return;
    if (isa<SoftplusOp>(op) && !isReadOnlyByMishTanh(op) &&
        llvm::any_of(op->getUsers(), [](Operation *user) {
          return isa<math::TanhOp, arith::MulFOp>(user);
        }))
      return;
    forms.insert(op);
  });
  return forms;
}
