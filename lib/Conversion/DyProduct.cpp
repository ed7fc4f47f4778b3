//===- DyProduct.cpp - the dy product after an accurate grad form ---------===//
//
// See DyProduct.h.
//
//===----------------------------------------------------------------------===//

#include "DyProduct.h"
#include "actc/Dialect/Act/AccurateF32Routing.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::act;

std::optional<DyProduct> mlir::act::findDyProduct(Value value) {
  if (!getElementTypeOrSelf(value.getType()).isF32())
    return std::nullopt;
  DyProduct product;
  while (value.hasOneUse()) {
    Operation *user = *value.getUsers().begin();
    if (auto select = dyn_cast<arith::SelectOp>(user)) {
      Value other = select.getTrueValue() == value ? select.getFalseValue()
                                                   : select.getTrueValue();
      if (other == value || !getFloatConstant(other))
        return std::nullopt;
      product.selects.push_back(select);
      value = select.getResult();
      continue;
    }
    auto mul = dyn_cast<arith::MulFOp>(user);
    if (!mul || mul.getLhs() == mul.getRhs())
      return std::nullopt;
    Value dy = mul.getLhs() == value ? mul.getRhs() : mul.getLhs();
    if (!isExactInput(dy) || getFloatConstant(dy))
      return std::nullopt;
    product.mul = mul;
    product.dy = dy;
    return product;
  }
  return std::nullopt;
}

void mlir::act::replaceDyProduct(PatternRewriter &rewriter, approx::Emitter &e,
                                 const DyProduct &product, Value dx) {
  Value value = dx;
  for (arith::SelectOp select : product.selects) {
    bool onTrue = !getFloatConstant(select.getTrueValue());
    Value other = onTrue ? select.getFalseValue() : select.getTrueValue();
    Value scaled = e.mul(product.dy, other);
    value = onTrue ? e.select(select.getCondition(), value, scaled)
                   : e.select(select.getCondition(), scaled, value);
  }
  rewriter.replaceOp(product.mul, value);
}
