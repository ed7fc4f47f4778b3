//===- Expand.cpp - act functions in arith and math -----------------------===//
//
// act-expand: act.sigmoid and act.softplus become arith/math in stable forms
// (the rules are in td/Expand.td). Runs on scalars and on the vectors of
// act-vectorize alike.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTEXPAND
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

/// A float constant of `like`'s type: a scalar, or a splat for a vector.
static Value createConstantLike(OpBuilder &builder, Location loc, Value like,
                                double value) {
  Type type = like.getType();
  auto attr = builder.getFloatAttr(getElementTypeOrSelf(type), value);
  if (auto shaped = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(builder, loc, type,
                                     DenseElementsAttr::get(shaped, attr));
  return arith::ConstantOp::create(builder, loc, type, attr);
}

namespace {
#include "Act/Expand.inc"
} // namespace

void mlir::act::populateActExpandPatterns(RewritePatternSet &patterns) {
  populateWithGenerated(patterns);
}

namespace {
struct ActExpandPass : public act::impl::ActExpandBase<ActExpandPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateActExpandPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
