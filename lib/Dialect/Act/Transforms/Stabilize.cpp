//===- Stabilize.cpp - stable forms of textbook formulas ------------------===//
//
// act-stabilize rewrites formulas that overflow or cancel into the same
// functions in forms that keep their digits: the declarative rules of
// td/Stabilize.td (softplus, sigmoid, expm1, log1p, erfc, 2 sigmoid(2z),
// -softplus(-x)) and, in C++, the rules that need more than a pattern:
//
//  - exp(x) / rowsum(exp(x)) -> shifted by rowmax(x); log of it ->
//    z - log(rowsum(exp(z))); log(rowsum(exp(x))) -> m + log(rowsum(exp(x
//    - m))): the row's largest exp is 1, nothing overflows; and
//    log(rowsum(exp(z))) of such a shifted z -> log1p of the sum without
//    the ones (their count less one), which keeps the digits of a row whose
//    maximum dominates;
//  - sqrt(x * x + c) -> |x| where x * x + c would round to x * x (|x| >
//    2^27 sqrt(c)), so x * x cannot overflow; x / sqrt(c + x^2) gets +-1
//    there;
//  - x - tanh(x) -> x^3 P(x^2) below a branch point that the pass chooses
//    by measuring (Herbie's idea): each candidate point's worst error on
//    sampled inputs, evaluated in float against a long double reference.
//
// Last, it records on each op the exact f64 value of every constant operand
// that f32 cannot hold (`act.exact`), for act-expand's widened f32 kernels.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/Simplify.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::act {
#define GEN_PASS_DEF_ACTSTABILIZE
#include "Act/Passes.h.inc"

/// True when `value` is the scalar float constant `expected`.
static bool isConstantValue(Value value, double expected) {
  FloatAttr attr;
  return matchPattern(value, m_Constant(&attr)) &&
         attr.getValueAsDouble() == expected;
}

/// A float constant of `like`'s type.
static Value createConstantLike(OpBuilder &builder, Location loc, Value like,
                                double value) {
  return arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(like.getType(), value));
}

namespace {
#include "Act/Stabilize.inc"
} // namespace
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

/// Marks the ops a rule built that would match the same rule again.
static constexpr llvm::StringLiteral kStableAttrName = "act.stable";

static Value constant(PatternRewriter &rewriter, Location loc, Type type,
                      double value) {
  return arith::ConstantOp::create(rewriter, loc,
                                   rewriter.getFloatAttr(type, value));
}

/// True when `x` is already shifted: z - rowmax(z).
static bool isRowShifted(Value x) {
  auto sub = x.getDefiningOp<arith::SubFOp>();
  return sub && sub.getRhs().getDefiningOp<RowMaxOp>();
}

/// x - rowmax(x).
static Value shiftByRowMax(PatternRewriter &rewriter, Location loc, Value x) {
  Value max = RowMaxOp::create(rewriter, loc, x);
  return arith::SubFOp::create(rewriter, loc, x, max);
}

/// The exp argument of rowsum(exp(x)), or null.
static Value getRowSumExpArg(Value value) {
  auto sum = value.getDefiningOp<RowSumOp>();
  if (!sum)
    return {};
  auto exp = sum.getOperand().getDefiningOp<math::ExpOp>();
  return exp ? exp.getOperand() : Value();
}

namespace {
/// exp(x) / rowsum(exp(x)) -> exp(z) / rowsum(exp(z)), z = x - rowmax(x).
struct ShiftSoftmax : public OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::DivFOp div,
                                PatternRewriter &rewriter) const override {
    auto exp = div.getLhs().getDefiningOp<math::ExpOp>();
    Value x = getRowSumExpArg(div.getRhs());
    if (!exp || !x || exp.getOperand() != x || isRowShifted(x))
      return failure();
    Location loc = div.getLoc();
    Value z = shiftByRowMax(rewriter, loc, x);
    Value t = math::ExpOp::create(rewriter, loc, z);
    Value sum = RowSumOp::create(rewriter, loc, t);
    rewriter.replaceOpWithNewOp<arith::DivFOp>(div, t, sum);
    return success();
  }
};

/// log(exp(x) / rowsum(exp(x))) -> z - log(rowsum(exp(z))), z = x shifted
/// by rowmax(x) unless it already is: the prelude's log_softmax. (Not x -
/// (rowmax(x) + log(...)): the row's maximum would swamp a small log.)
struct LogSoftmax : public OpRewritePattern<math::LogOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::LogOp log,
                                PatternRewriter &rewriter) const override {
    auto div = log.getOperand().getDefiningOp<arith::DivFOp>();
    if (!div)
      return failure();
    auto exp = div.getLhs().getDefiningOp<math::ExpOp>();
    Value z = getRowSumExpArg(div.getRhs());
    if (!exp || !z || exp.getOperand() != z)
      return failure();
    Location loc = log.getLoc();
    Value sum = div.getRhs();
    if (!isRowShifted(z)) {
      z = shiftByRowMax(rewriter, loc, z);
      sum = RowSumOp::create(rewriter, loc, math::ExpOp::create(rewriter, loc, z));
    }
    Value logSum = math::LogOp::create(rewriter, loc, sum);
    rewriter.replaceOpWithNewOp<arith::SubFOp>(log, z, logSum);
    return success();
  }
};

/// log(rowsum(exp(x))) -> m + log(rowsum(exp(x - m))), m = rowmax(x).
struct ShiftLogSumExp : public OpRewritePattern<math::LogOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::LogOp log,
                                PatternRewriter &rewriter) const override {
    Value x = getRowSumExpArg(log.getOperand());
    if (!x || isRowShifted(x))
      return failure();
    Location loc = log.getLoc();
    Value max = RowMaxOp::create(rewriter, loc, x);
    Value z = arith::SubFOp::create(rewriter, loc, x, max);
    Value sum = RowSumOp::create(rewriter, loc,
                                 math::ExpOp::create(rewriter, loc, z));
    Value logSum = math::LogOp::create(rewriter, loc, sum);
    rewriter.replaceOpWithNewOp<arith::AddFOp>(log, max, logSum);
    return success();
  }
};

/// log(rowsum(exp(z))), z = x - rowmax(x) -> log1p(t) with
/// t = rowsum(z == 0 ? 0 : exp(z)) + (rowsum(z == 0 ? 1 : 0) - 1).
/// The row's largest terms are exactly 1; summed with the others, their 1
/// swamps a small rest, so log(sum) - and log_softmax of the row's maximum,
/// -log(sum) - loses every digit when the maximum dominates (f32: 1.7e7
/// ULP, the result 0 instead of -1e-10). t leaves the ones out but for
/// their count less one; a NaN in the row still reaches t through exp.
struct LogSumExpOfShifted : public OpRewritePattern<math::LogOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::LogOp log,
                                PatternRewriter &rewriter) const override {
    auto sum = log.getOperand().getDefiningOp<RowSumOp>();
    Value z = getRowSumExpArg(log.getOperand());
    auto sub = z ? z.getDefiningOp<arith::SubFOp>() : arith::SubFOp();
    auto max = sub ? sub.getRhs().getDefiningOp<RowMaxOp>() : RowMaxOp();
    if (!max || max.getOperand() != sub.getLhs())
      return failure();
    Location loc = log.getLoc();
    Type type = z.getType();
    Value zero = constant(rewriter, loc, type, 0.0);
    Value one = constant(rewriter, loc, type, 1.0);
    Value isMax = arith::CmpFOp::create(rewriter, loc,
                                        arith::CmpFPredicate::OEQ, z, zero);
    Value exp = sum.getOperand();
    Value rest = RowSumOp::create(
        rewriter, loc, arith::SelectOp::create(rewriter, loc, isMax, zero, exp));
    Value count = RowSumOp::create(
        rewriter, loc, arith::SelectOp::create(rewriter, loc, isMax, one, zero));
    Value extra = arith::SubFOp::create(rewriter, loc, count, one);
    Value t = arith::AddFOp::create(rewriter, loc, rest, extra);
    rewriter.replaceOpWithNewOp<math::Log1pOp>(log, t);
    return success();
  }
};

/// sqrt(x * x + c), c > 0 -> |x| > 2^27 sqrt(c) ? |x| : sqrt(x * x + c).
struct SqrtOfSquarePlusConstant : public OpRewritePattern<math::SqrtOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::SqrtOp sqrt,
                                PatternRewriter &rewriter) const override {
    if (sqrt->hasAttr(kStableAttrName))
      return failure();
    auto add = sqrt.getOperand().getDefiningOp<arith::AddFOp>();
    if (!add)
      return failure();
    FloatAttr c;
    Value square = add.getLhs();
    if (!matchPattern(add.getRhs(), m_Constant(&c))) {
      square = add.getRhs();
      if (!matchPattern(add.getLhs(), m_Constant(&c)))
        return failure();
    }
    auto mul = square.getDefiningOp<arith::MulFOp>();
    if (!mul || mul.getLhs() != mul.getRhs() || !(c.getValueAsDouble() > 0))
      return failure();
    Location loc = sqrt.getLoc();
    Type type = sqrt.getType();
    Value abs = math::AbsFOp::create(rewriter, loc, mul.getLhs());
    // Beyond 2^27 sqrt(c), c / x^2 < 2^-54: sqrt(x^2 + c) rounds to |x| in
    // f64 and f32 alike.
    Value big = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OGT, abs,
        constant(rewriter, loc, type,
                 std::ldexp(std::sqrt(c.getValueAsDouble()), 27)));
    auto stable = math::SqrtOp::create(rewriter, loc, add);
    stable->setAttr(kStableAttrName, rewriter.getUnitAttr());
    rewriter.replaceOpWithNewOp<arith::SelectOp>(sqrt, big, abs, stable);
    return success();
  }
};

/// The Taylor series of x - tanh(x) = x^3 (1/3 - 2/15 x^2 + ...): the
/// coefficients of x^3, x^5, ..., x^21.
constexpr double kTanhShrinkSeries[] = {
    1.0 / 3,       -2.0 / 15,           17.0 / 315,
    -62.0 / 2835,  1382.0 / 155925,     -21844.0 / 6081075,
    929569.0 / 638512875, -6404582.0 / 10854718875.0,
    443861162.0 / 1856156927625.0, -18888466084.0 / 194896477400625.0};

/// x^3 P(x^2) in `T`, the series above.
template <typename T>
T tanhShrinkSeries(T x) {
  T z = x * x, p = 0;
  for (double c : llvm::reverse(kTanhShrinkSeries))
    p = p * z + (T)c;
  return x * z * p;
}

/// The branch point below which the series replaces x - tanh(x): the
/// candidate with the smallest worst relative error over 4096 samples of
/// [2^-12, 4], evaluated in double as the widened kernels do (tanh with the
/// f64 core's 2^-32 relative error) against a long double reference (the
/// series in long double below 1/2). The series' truncation loses above
/// the point, the subtraction's cancellation below it.
double chooseTanhShrinkBranch() {
  const double candidates[] = {0.0625, 0.125, 0.25, 0.5, 0.75, 1.0};
  double best = candidates[0], bestError = INFINITY;
  for (double branch : candidates) {
    double worst = 0;
    for (int i = 0; i < 4096; ++i) {
      double x = std::ldexp(1.0, -12) * std::pow(2.0, 14.0 * i / 4096);
      long double exact =
          x < 0.5 ? tanhShrinkSeries<long double>(x) : x - tanhl(x);
      double y = x < branch ? tanhShrinkSeries<double>(x)
                            : x - std::tanh(x) * (1 + std::ldexp(1.0, -32));
      double error = (double)std::fabs((y - exact) / exact);
      worst = std::max(worst, error);
    }
    if (worst < bestError) {
      bestError = worst;
      best = branch;
    }
  }
  return best;
}

/// x - tanh(x) -> |x| < b ? x^3 P(x^2) : x - tanh(x).
struct TanhShrinkSeries : public OpRewritePattern<arith::SubFOp> {
  TanhShrinkSeries(MLIRContext *ctx, double branch)
      : OpRewritePattern(ctx), branch(branch) {}
  LogicalResult matchAndRewrite(arith::SubFOp sub,
                                PatternRewriter &rewriter) const override {
    if (sub->hasAttr(kStableAttrName))
      return failure();
    auto tanh = sub.getRhs().getDefiningOp<math::TanhOp>();
    if (!tanh || tanh.getOperand() != sub.getLhs())
      return failure();
    Location loc = sub.getLoc();
    Type type = sub.getType();
    Value x = sub.getLhs();
    Value z = arith::MulFOp::create(rewriter, loc, x, x);
    Value p = constant(rewriter, loc, type, kTanhShrinkSeries[9]);
    for (int i = 8; i >= 0; --i)
      p = arith::AddFOp::create(
          rewriter, loc, arith::MulFOp::create(rewriter, loc, p, z),
          constant(rewriter, loc, type, kTanhShrinkSeries[i]));
    Value series = arith::MulFOp::create(
        rewriter, loc, arith::MulFOp::create(rewriter, loc, x, z), p);
    Value small = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OLT,
        math::AbsFOp::create(rewriter, loc, x),
        constant(rewriter, loc, type, branch));
    auto direct = arith::SubFOp::create(rewriter, loc, x, tanh);
    direct->setAttr(kStableAttrName, rewriter.getUnitAttr());
    auto select =
        rewriter.replaceOpWithNewOp<arith::SelectOp>(sub, small, series, direct);
    select->setAttr(kSeriesAttrName, rewriter.getUnitAttr());
    return success();
  }
  double branch;
};
} // namespace

void mlir::act::populateActStabilizePatterns(RewritePatternSet &patterns) {
  populateWithGenerated(patterns);
  patterns.add<ShiftSoftmax, LogSoftmax, ShiftLogSumExp, LogSumExpOfShifted,
               SqrtOfSquarePlusConstant>(patterns.getContext());
  static const double branch = chooseTanhShrinkBranch();
  patterns.add<TanhShrinkSeries>(patterns.getContext(), branch);
}

namespace {
struct ActStabilizePass
    : public act::impl::ActStabilizeBase<ActStabilizePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateActStabilizePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    getOperation().walk([](Operation *op) { op->removeAttr(kStableAttrName); });
    recordExactConstants(getOperation());
  }
};
} // namespace
