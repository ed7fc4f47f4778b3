//===- AccurateF64GradRouting.cpp - f64 sigmoid' kept whole ---------------===//
//
// See AccurateF64GradRouting.h.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/AccurateF64GradRouting.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::act;

SetVector<Operation *>
mlir::act::getAccurateF64SigmoidPrimes(func::FuncOp func) {
  SetVector<Operation *> forms;
  func.walk([&](arith::MulFOp mul) {
    if (!getElementTypeOrSelf(mul.getType()).isF64())
      return;
    auto a = mul.getLhs().getDefiningOp<SigmoidOp>();
    auto b = mul.getRhs().getDefiningOp<SigmoidOp>();
    if (!a || !b)
      return;
    Value ta = a.getOperand(), tb = b.getOperand();
    if (!isNegationOf(ta, tb) && !isNegationOf(tb, ta))
      return;
    if (getDoubledSoftplus(ta) || getDoubledSoftplus(tb))
      return;
    forms.insert(a);
    forms.insert(b);
    forms.insert(mul);
  });
  return forms;
}
