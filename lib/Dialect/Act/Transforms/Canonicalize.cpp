//===- Canonicalize.cpp - fold, simplify and deduplicate formulas ---------===//
//
// act-canonicalize: compile-time parameters become constants, the exact
// algebraic rules of td/Canonicalize.td and the arith/math canonicalizations
// run to a fixed point, then common subexpressions are merged.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/Simplify.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>

namespace mlir::act {
#define GEN_PASS_DEF_ACTCANONICALIZE
#include "Act/Passes.h.inc"

/// Largest |n| for which x^n is expanded into multiplications.
static constexpr int64_t kMaxExpandedExponent = 16;

static bool isIntegerExponent(Attribute attr) {
  auto floatAttr = dyn_cast<FloatAttr>(attr);
  if (!floatAttr)
    return false;
  double value = floatAttr.getValueAsDouble();
  return value == std::trunc(value) &&
         std::fabs(value) <= kMaxExpandedExponent;
}

static bool hasExactReciprocal(Attribute attr) {
  auto floatAttr = dyn_cast<FloatAttr>(attr);
  if (!floatAttr)
    return false;
  APFloat value = floatAttr.getValue();
  return value.isFiniteNonZero() && value.getExactInverse(nullptr);
}

static Value buildReciprocal(OpBuilder &builder, Location loc, Attribute attr) {
  auto floatAttr = cast<FloatAttr>(attr);
  APFloat inverse(0.0);
  (void)floatAttr.getValue().getExactInverse(&inverse);
  return arith::ConstantOp::create(
      builder, loc, FloatAttr::get(floatAttr.getType(), inverse));
}

static Value buildPowerChain(OpBuilder &builder, Location loc, Value base,
                      Attribute exponentAttr) {
  auto exponent =
      static_cast<int64_t>(cast<FloatAttr>(exponentAttr).getValueAsDouble());
  Type type = base.getType();
  auto one = [&] {
    return arith::ConstantOp::create(builder, loc,
                                     builder.getFloatAttr(type, 1.0))
        .getResult();
  };
  if (exponent == 0)
    return one();
  // Repeated squaring: x^13 = x^8 * x^4 * x.
  Value result, square = base;
  for (int64_t bits = std::abs(exponent); bits; bits >>= 1) {
    if (bits & 1)
      result = result ? arith::MulFOp::create(builder, loc, result, square)
                            .getResult()
                      : square;
    if (bits > 1)
      square = arith::MulFOp::create(builder, loc, square, square);
  }
  if (exponent < 0)
    result = arith::DivFOp::create(builder, loc, one(), result);
  return result;
}

namespace {
#include "Act/Canonicalize.inc"
} // namespace

namespace {

/// A compile-time parameter reads as its (possibly overridden) default.
struct FoldConstantParam : public OpRewritePattern<ParamOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ParamOp op,
                                PatternRewriter &rewriter) const override {
    auto activation = op->getParentOfType<ActivationOp>();
    ParamAttr param = activation.lookupParam(op.getName());
    if (!param || param.getRuntime())
      return failure();
    APFloat value = param.getDefaultValue();
    auto type = cast<FloatType>(op.getType());
    bool losesInfo = false;
    value.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, rewriter.getFloatAttr(type, value));
    return success();
  }
};

struct ActCanonicalizePass
    : public impl::ActCanonicalizeBase<ActCanonicalizePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateActSimplifyPatterns(patterns);
    if (failed(simplifyAndDeduplicate(getOperation(),
                                      FrozenRewritePatternSet(
                                          std::move(patterns)))))
      return signalPassFailure();
  }
};

} // namespace

void populateActCanonicalizePatterns(RewritePatternSet &patterns) {
  patterns.add<FoldConstantParam>(patterns.getContext());
  populateWithGenerated(patterns);
}

} // namespace mlir::act
