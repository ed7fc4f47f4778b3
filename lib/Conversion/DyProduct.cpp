//===- DyProduct.cpp - the dy product after an accurate grad form ---------===//
//
// See DyProduct.h.
//
//===----------------------------------------------------------------------===//

#include "DyProduct.h"
#include "actc/Dialect/Act/AccurateF32Routing.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::act;

std::optional<DyProduct> mlir::act::findDyProduct(Value value, bool nested) {
  if (!getElementTypeOrSelf(value.getType()).isF32())
    return std::nullopt;
  DyProduct product;
  product.value = value;
  // The selects reached from `value` through their value sides; every
  // other user of `value` and of those selects is the one product.
  SetVector<Operation *> selects;
  SmallVector<Value> worklist = {value};
  Operation *outside = nullptr;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (!nested && !v.hasOneUse())
      return std::nullopt;
    for (Operation *user : v.getUsers()) {
      auto select = dyn_cast<arith::SelectOp>(user);
      if (select && select.getCondition() != v) {
        if (selects.insert(select))
          worklist.push_back(select.getResult());
        continue;
      }
      if (outside && outside != user)
        return std::nullopt;
      outside = user;
      product.factor = v;
    }
  }
  auto mul = dyn_cast_or_null<arith::MulFOp>(outside);
  if (!mul || mul.getLhs() == mul.getRhs() || !product.factor.hasOneUse())
    return std::nullopt;
  Value dy = mul.getLhs() == product.factor ? mul.getRhs() : mul.getLhs();
  if (!isExactInput(dy) || getFloatConstant(dy))
    return std::nullopt;
  // Every select reads `value`, the other selects or constants.
  for (Operation *op : selects) {
    auto select = cast<arith::SelectOp>(op);
    if (nested && select->getBlock() != value.getParentBlock())
      return std::nullopt;
    for (Value side : {select.getTrueValue(), select.getFalseValue()})
      if (side != value && !selects.contains(side.getDefiningOp()) &&
          !getFloatConstant(side))
        return std::nullopt;
  }
  for (Operation *op : selects)
    product.selects.push_back(cast<arith::SelectOp>(op));
  if (nested)
    llvm::sort(product.selects, [](arith::SelectOp a, arith::SelectOp b) {
      return a->isBeforeInBlock(b);
    });
  product.mul = mul;
  product.dy = dy;
  return product;
}

void mlir::act::replaceDyProduct(PatternRewriter &rewriter, approx::Emitter &e,
                                 const DyProduct &product, Value dx) {
  // dy * (c ? a : b) = c ? dy a : dy b, dy a built where a is f' or a
  // select of it, dy k where it is a constant k.
  IRMapping map;
  map.map(product.value, dx);
  for (arith::SelectOp select : product.selects) {
    auto side = [&](Value v) {
      return map.contains(v) ? map.lookup(v) : e.mul(product.dy, v);
    };
    Value onTrue = side(select.getTrueValue());
    Value onFalse = side(select.getFalseValue());
    map.map(select.getResult(),
            e.select(select.getCondition(), onTrue, onFalse));
  }
  rewriter.replaceOp(product.mul, map.lookup(product.factor));
}

void mlir::act::replaceGradient(PatternRewriter &rewriter, approx::Emitter &e,
                                const std::optional<DyProduct> &product,
                                Operation *gradient, Value dx) {
  if (product)
    replaceDyProduct(rewriter, e, *product, dx);
  else
    rewriter.replaceOp(gradient, dx);
}
