//===- Canonicalize.cpp - fold, simplify and deduplicate formulas ---------===//
//
// act-canonicalize: compile-time parameters become constants, the exact
// algebraic rules of td/Canonicalize.td (among them comparisons of x + c1
// with c2 made comparisons of x with the exact c2 - c1) and the arith/math
// canonicalizations run to a fixed point, then common subexpressions are
// merged.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/Simplify.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <optional>

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

/// c2 - c1 (or c2 + c1 with `add`) when c1, c2 and the result are finite
/// float constants of one type and the result is exact in that type and in
/// f32, the narrowest type a kernel computes in (16-bit storage computes in
/// f32): then comparing x with it is what exact arithmetic says about
/// x + c1 (x - c1) against c2.
static std::optional<APFloat> exactShift(Attribute boundAttr,
                                         Attribute shiftAttr, bool add) {
  auto bound = dyn_cast<FloatAttr>(boundAttr);
  auto shift = dyn_cast<FloatAttr>(shiftAttr);
  if (!bound || !shift || bound.getType() != shift.getType() ||
      !bound.getValue().isFinite() || !shift.getValue().isFinite())
    return std::nullopt;
  APFloat result = bound.getValue();
  APFloat::opStatus status =
      add ? result.add(shift.getValue(), APFloat::rmNearestTiesToEven)
          : result.subtract(shift.getValue(), APFloat::rmNearestTiesToEven);
  if (status != APFloat::opOK || !result.isFinite())
    return std::nullopt;
  APFloat narrow = result;
  bool losesInfo = true;
  if (narrow.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                     &losesInfo) != APFloat::opOK ||
      losesInfo)
    return std::nullopt;
  return result;
}

static bool hasExactShift(Attribute bound, Attribute shift, bool add) {
  return exactShift(bound, shift, add).has_value();
}

static Value buildShift(OpBuilder &builder, Location loc, Attribute bound,
                        Attribute shift, bool add) {
  APFloat value = *exactShift(bound, shift, add);
  return arith::ConstantOp::create(
      builder, loc, FloatAttr::get(cast<FloatAttr>(bound).getType(), value));
}

/// a < b for two float constants of one type (false when either is NaN).
static bool isOrderedBelow(Attribute aAttr, Attribute bAttr) {
  auto a = dyn_cast<FloatAttr>(aAttr);
  auto b = dyn_cast<FloatAttr>(bAttr);
  return a && b && a.getType() == b.getType() &&
         a.getValue().compare(b.getValue()) == APFloat::cmpLessThan;
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
