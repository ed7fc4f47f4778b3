//===- AccurateF64Forms.cpp - accurate f64 sigmoid and softplus forms -----===//
//
// See AccurateF64Forms.h.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64Forms.h"
#include "Approx/AccurateF64.h"
#include "PairArgumentF64.h"
#include "ProductPattern.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/OperandValues.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;

static bool isF64(Value value) {
  return getElementTypeOrSelf(value.getType()).isF64();
}

/// True where `value` reads an f32 value widened to f64 (arith.extf)
/// within `depth` ops: an f32 kernel's arithmetic that act-expand
/// evaluates in f64 has its own forms and must stay as it is.
static bool readsWidenedF32(Value value, int depth) {
  Operation *op = value.getDefiningOp();
  if (!op)
    return false;
  if (isa<arith::ExtFOp>(op))
    return true;
  return depth > 0 && llvm::any_of(op->getOperands(), [&](Value operand) {
           return readsWidenedF32(operand, depth - 1);
         });
}

/// How deep the pair evaluator follows an argument (PairArgumentF64.cpp).
static constexpr int kPairDepth = 8;

/// True where `value`'s arithmetic, within `depth` ops, reads a function
/// other than |x| (a gradient's exp or tanh: its quotient is not the
/// rational activation these pairs are for).
static bool readsFunction(Value value, int depth) {
  Operation *op = value.getDefiningOp();
  if (!op || depth == 0 || isa<math::AbsFOp>(op))
    return false;
  if (isa<math::MathDialect, ActDialect>(op->getDialect()))
    return true;
  if (!isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp,
           arith::NegFOp, arith::SelectOp>(op))
    return false;
  return llvm::any_of(op->getOperands(), [&](Value operand) {
    return readsFunction(operand, depth - 1);
  });
}

/// True for an op of an f64 kernel (none of its operands read a widened
/// f32 value).
static bool isInF64Kernel(Operation *op) {
  return llvm::none_of(op->getOperands(), [](Value operand) {
    return readsWidenedF32(operand, kPairDepth);
  });
}

/// True where `value` is an f64 sum, difference or product that the pair
/// evaluator follows (PairArgumentF64.h).
static bool isPairArithmetic(Value value) {
  Operation *op = value.getDefiningOp();
  return op && isF64(value) && !op->hasAttr(kLeafAttrName) &&
         isa<arith::AddFOp, arith::SubFOp, arith::MulFOp>(op);
}

namespace {
/// The f64 forms' products (ProductPattern.h).
template <typename FactorOp>
using ProductF64 = ProductPattern<FactorOp, 64>;

/// m * sigmoid(t) (silu, swish, quick_gelu, the tanh GELUs): m joins the
/// form's numerator, the product rounds once with it.
struct SigmoidProductF64 : public ProductF64<SigmoidOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, SigmoidOp sigmoid) const override {
    return approx::buildAccurateSigmoidProductF64(
        e, m, evaluatePairF64(e, sigmoid.getOperand()));
  }
};

/// m * erfc(w) (the erf GELU's negative side, 0.5 x erfc(-x / sqrt(2))):
/// w as a pair (x / sqrt(2)'s rounding, amplified by 2 w^2 in erfc, was
/// 939 ULPs at x = -36), the product rounded once with erfc's 2^n.
struct ErfcProductF64 : public ProductF64<math::ErfcOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, math::ErfcOp erfc) const override {
    // Not an f32 kernel's widened erfc (act.wide: the wide cores' 2^-32).
    if (erfc->hasAttr(kWideAttrName))
      return Value();
    return approx::buildErfcProductOfPairF64(
        e, m, evaluatePairF64(e, erfc.getOperand()));
  }
};

/// m * tanh(softplus(t)) (mish; act-expand keeps a softplus that only
/// tanhs read): one division of pairs, 2^n last.
struct MishProductF64 : public ProductF64<math::TanhOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, math::TanhOp tanh) const override {
    auto softplus = tanh.getOperand().getDefiningOp<SoftplusOp>();
    if (!softplus || tanh->hasAttr(kWideAttrName) || !isInF64Kernel(tanh))
      return Value();
    return approx::buildAccurateMishProductF64(
        e, m, evaluatePairF64(e, softplus.getOperand()));
  }
};

/// c1 * (cond ? a : c2 * expm1(t)) (selu: scale, alpha): c1 a and (c1 c2)
/// expm1(t), c1 c2 a pair from the constants' decimals, each rounded once.
struct ScaledExpm1SelectF64 : public ProductF64<arith::SelectOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, arith::SelectOp select) const override {
    std::optional<double> c1 = getFloatConstant(m);
    auto inner = select.getFalseValue().getDefiningOp<arith::MulFOp>();
    if (!c1 || !inner || !isInF64Kernel(select))
      return Value();
    std::optional<double> c2;
    math::ExpM1Op expm1;
    for (unsigned i = 0; i < 2 && !expm1; ++i) {
      expm1 = inner->getOperand(i).getDefiningOp<math::ExpM1Op>();
      c2 = getFloatConstant(inner->getOperand(1 - i));
    }
    if (!expm1 || !c2 || expm1->hasAttr(kWideAttrName))
      return Value();
    // (c1 + l1)(c2 + l2) to ~2^-106: c1 c2 by FMA, then the tails.
    double l1 = getConstantTailF64(*c1), l2 = getConstantTailF64(*c2);
    double hi = *c1 * *c2;
    double lo = std::fma(*c1, *c2, -hi) + (*c1 * l2 + l1 * *c2);
    approx::Pair scale{e.c(*c1), l1 != 0 ? e.c(l1) : Value()};
    Value positive = approx::buildConstantProductF64(
        e, scale, select.getTrueValue());
    Value negative = approx::buildConstantExpm1ProductF64(
        e, {e.c(hi), e.c(lo)}, expm1.getOperand());
    return e.select(select.getCondition(), positive, negative);
  }
};

/// act-stabilize's |x| < b ? x^3 P(x^2) : x - tanh(x) (tanhshrink): the
/// series and the difference in pairs (Approx/AccurateF64Tanh.cpp).
struct TanhshrinkF64 : public OpRewritePattern<arith::SelectOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::SelectOp select,
                                PatternRewriter &rewriter) const override {
    auto sub = select.getFalseValue().getDefiningOp<arith::SubFOp>();
    if (!select->hasAttr(kSeriesAttrName) || !sub || !isF64(sub) ||
        !isInF64Kernel(select))
      return failure();
    auto tanh = sub.getRhs().getDefiningOp<math::TanhOp>();
    if (!tanh || tanh.getOperand() != sub.getLhs() ||
        tanh->hasAttr(kWideAttrName))
      return failure();
    Emitter e(rewriter, select.getLoc(), select.getType());
    rewriter.replaceOp(select,
                       approx::buildAccurateTanhshrinkF64(e, sub.getLhs()));
    return success();
  }
};

/// Replaces `op` by `value`, which the pair evaluators then take whole
/// (act.leaf): its ops are a form's pair arithmetic, not an expression.
static void replaceByLeaf(PatternRewriter &rewriter, Operation *op,
                          Value value) {
  value.getDefiningOp()->setAttr(kLeafAttrName, rewriter.getUnitAttr());
  rewriter.replaceOp(op, value);
}

/// a / b where b is a sum or difference, or a is a sum, difference or
/// product and b a constant: both as pairs, one division with a residual
/// step (softsign's x / (1 + |x|), hard_swish's x (x + 3) / 6).
struct PairQuotientF64 : public OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::DivFOp div,
                                PatternRewriter &rewriter) const override {
    // A sum divided by anything but a constant, or a sum or product by a
    // constant: not the gradients' quotients of products (their forms are
    // act-expand's, and these pairs would only add to their cost).
    Operation *divisor = div.getRhs().getDefiningOp();
    bool byConstant = getFloatConstant(div.getRhs()).has_value();
    bool bySum = isPairArithmetic(div.getRhs()) &&
                 isa<arith::AddFOp, arith::SubFOp>(divisor);
    if (!isF64(div) || !isInF64Kernel(div) ||
        !(bySum || (byConstant && isPairArithmetic(div.getLhs()))) ||
        readsFunction(div.getLhs(), kPairDepth) ||
        readsFunction(div.getRhs(), kPairDepth))
      return failure();
    Emitter e(rewriter, div.getLoc(), div.getType());
    Value zero = e.c(0.0);
    approx::Pair a = evaluatePairF64(e, div.getLhs());
    approx::Pair b = evaluatePairF64(e, div.getRhs());
    Value q, plain;
    if (std::optional<double> c = getFloatConstant(div.getRhs())) {
      // The heads' quotient, then the residual a - plain b (its first part
      // exact by FMA) times 1 / c: one division, one rounding of the sum.
      plain = e.div(a.hi, b.hi);
      Value residual = e.fma(e.neg(plain), b.hi, a.hi);
      if (a.lo)
        residual = e.add(residual, a.lo);
      if (b.lo)
        residual = e.fma(e.neg(plain), b.lo, residual);
      q = e.fma(residual, e.c(1.0 / *c), plain);
    } else {
      if (!b.lo)
        b.lo = zero;
      q = e.divPair(a, b);
      // a.hi times divPair's 1 / b.hi (the same ops: CSE merges them).
      plain = e.mul(a.hi, e.div(e.c(1.0), b.hi));
    }
    // Where the heads' quotient is 0, +-inf or NaN, that quotient (the
    // residual step loses -0, and inf - inf is a NaN).
    Value inf = e.c(std::numeric_limits<double>::infinity());
    Value regular = e.andI1(e.lt(e.abs(plain), inf),
                            e.cmp(arith::CmpFPredicate::ONE, plain, zero));
    replaceByLeaf(rewriter, div, e.select(regular, q, plain));
    return success();
  }
};

/// f(t) alone, t an f64 value taken as a pair.
template <typename OpT>
struct LoneF64 : public OpRewritePattern<OpT> {
  LoneF64(MLIRContext *ctx, bool avx512)
      : OpRewritePattern<OpT>(ctx), avx512(avx512) {}

  virtual Value build(Emitter &e, approx::Pair t) const = 0;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    if (!isF64(op.getResult()))
      return failure();
    Emitter e(rewriter, op.getLoc(), op.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(op, build(e, evaluatePairF64(e, op.getOperand())));
    return success();
  }
  bool avx512;
};

/// sigmoid(t) alone.
struct LoneSigmoidF64 : public LoneF64<SigmoidOp> {
  using LoneF64::LoneF64;
  Value build(Emitter &e, approx::Pair t) const override {
    return approx::buildAccurateSigmoidProductF64(e, Value(), t);
  }
};

/// softplus(t) alone (softplus, logsigmoid = -softplus(-x)).
struct LoneSoftplusF64 : public LoneF64<SoftplusOp> {
  using LoneF64::LoneF64;
  Value build(Emitter &e, approx::Pair t) const override {
    return approx::buildAccurateSoftplusF64(e, t);
  }
};
} // namespace

LogicalResult mlir::act::applyAccurateF64Forms(ModuleOp module, bool avx512) {
  MLIRContext *ctx = module.getContext();
  // The quotients first, before the forms below have ops a quotient could
  // read: only the kernels' own divisions (the forms' are new ops).
  RewritePatternSet quotients(ctx);
  quotients.add<PairQuotientF64>(ctx);
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingOps);
  if (failed(applyPatternsGreedily(module, std::move(quotients), config)))
    return failure();
  // The products next: their sigmoid factors must still be whole.
  RewritePatternSet products(ctx);
  products.add<SigmoidProductF64, ErfcProductF64, MishProductF64,
               ScaledExpm1SelectF64>(ctx, avx512);
  products.add<TanhshrinkF64>(ctx);
  if (failed(applyPatternsGreedily(module, std::move(products))))
    return failure();
  RewritePatternSet lone(ctx);
  lone.add<LoneSigmoidF64, LoneSoftplusF64>(ctx, avx512);
  return applyPatternsGreedily(module, std::move(lone));
}
