//===- FastForms.cpp - act-math-approx's f32 forms of composed ops --------===//
//
// See FastForms.h. An argument t of sigmoid, erfc or erf is rebuilt as a
// double-float (hi, lo) from the arithmetic that defines it: constants with
// the exact value act-stabilize recorded (`act.exact`; 1.702 is not a
// float), products by twoProd, sums by twoSum, x / c as x * (1/c) with 1/c
// as a pair. exp(t) amplifies t's relative error by |t|: t = 1.702 x
// rounded costs ~40 ULPs at t = -87, t = 2 sqrt(2/pi)(x + 0.044715 x^3)
// ~150; as pairs both cost nothing. Other values are leaves (lo = 0).
//
//===----------------------------------------------------------------------===//

#include "FastForms.h"
#include "Approx/Approx.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>
#include <optional>

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;
using approx::Pair;

/// How deep a pair argument's arithmetic is followed.
static constexpr int kPairDepth = 8;

static bool isF32(Value value) {
  return getElementTypeOrSelf(value.getType()).isF32();
}


static bool isPowerOfTwo(std::optional<double> value) {
  int exponent;
  return value && std::isfinite(*value) && *value != 0 &&
         std::frexp(std::fabs(*value), &exponent) == 0.5;
}

/// `value` as an f32 constant pair (hi, lo), lo null when hi is exact.
static Pair constantPair(Emitter &e, Value hi, double exact) {
  double rest = exact - (double)(float)exact;
  if (rest == 0 || !std::isfinite(exact))
    return {hi, Value()};
  return {hi, e.c((double)(float)rest)};
}

static Pair evaluate(Emitter &e, Value value, std::optional<double> exact,
                     int depth);

static Pair evaluateOperand(Emitter &e, Operation *op, unsigned index,
                            int depth) {
  return evaluate(e, op->getOperand(index), getExactOperand(op, index), depth);
}

static Pair multiply(Emitter &e, Pair a, Pair b) {
  Pair p = e.twoProd(a.hi, b.hi);
  if (b.lo)
    p.lo = e.fma(a.hi, b.lo, p.lo);
  if (a.lo)
    p.lo = e.fma(a.lo, b.hi, p.lo);
  return p;
}

static Pair evaluate(Emitter &e, Value value, std::optional<double> exact,
                     int depth) {
  if (value.getType() != e.getFloatType())
    return {value, Value()};
  if (std::optional<double> constant = getFloatConstant(value))
    return constantPair(e, value, exact.value_or(*constant));
  Operation *op = value.getDefiningOp();
  if (!op || depth == 0)
    return {value, Value()};
  if (isa<arith::NegFOp>(op)) {
    Pair a = evaluateOperand(e, op, 0, depth - 1);
    return {e.neg(a.hi), a.lo ? e.neg(a.lo) : Value()};
  }
  if (isa<arith::AddFOp, arith::SubFOp>(op)) {
    bool sub = isa<arith::SubFOp>(op);
    Pair a = evaluateOperand(e, op, 0, depth - 1);
    Pair b = evaluateOperand(e, op, 1, depth - 1);
    Pair s = e.twoSum(a.hi, sub ? e.neg(b.hi) : b.hi);
    if (a.lo)
      s.lo = e.add(s.lo, a.lo);
    if (b.lo)
      s.lo = sub ? e.sub(s.lo, b.lo) : e.add(s.lo, b.lo);
    return s;
  }
  if (isa<arith::MulFOp>(op)) {
    // A product by a power of two is exact.
    for (unsigned i = 0; i < 2; ++i)
      if (isPowerOfTwo(getFloatConstant(op->getOperand(i)))) {
        Pair a = evaluateOperand(e, op, 1 - i, depth - 1);
        Value scale = op->getOperand(i);
        return {e.mul(a.hi, scale), a.lo ? e.mul(a.lo, scale) : Value()};
      }
    return multiply(e, evaluateOperand(e, op, 0, depth - 1),
                    evaluateOperand(e, op, 1, depth - 1));
  }
  if (isa<arith::DivFOp>(op)) {
    std::optional<double> divisor = getExactOperand(op, 1);
    if (!divisor)
      divisor = getFloatConstant(op->getOperand(1));
    if (!divisor || *divisor == 0 || !std::isfinite(*divisor))
      return {value, Value()};
    // x / c = x * (1/c), 1/c as a pair (long double: 2^-64).
    long double reciprocal = 1.0L / (long double)*divisor;
    double hi = (double)(float)reciprocal;
    Pair r = {e.c(hi), e.c((double)(float)(reciprocal - hi))};
    return multiply(e, evaluateOperand(e, op, 0, depth - 1), r);
  }
  return {value, Value()};
}

/// `value` (an f32 expression) as a double-float, lo not renormalized (its
/// users only add it to small terms); lo is 0 where hi is not finite
/// (twoProd and twoSum give NaN there).
static Pair evaluatePair(Emitter &e, Value value) {
  Pair p = evaluate(e, value, std::nullopt, kPairDepth);
  if (!p.lo)
    return p;
  Value finite =
      e.lt(e.abs(p.hi), e.c(std::numeric_limits<double>::infinity()));
  return {p.hi, e.select(finite, p.lo, e.c(0.0))};
}

namespace {
/// m * f(...) where one factor of an f32 mulf is defined by `FactorOp`.
template <typename FactorOp>
struct ProductPattern : public OpRewritePattern<arith::MulFOp> {
  ProductPattern(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}

  /// Builds m * f(factor's operands); null when the factor does not fit.
  virtual Value build(Emitter &e, Value m, FactorOp factor) const = 0;

  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isF32(mul.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto factor = mul->getOperand(i).getDefiningOp<FactorOp>();
      if (!factor)
        continue;
      Emitter e(rewriter, mul.getLoc(), mul.getType());
      e.setAVX512(avx512);
      if (Value y = build(e, mul->getOperand(1 - i), factor)) {
        rewriter.replaceOp(mul, y);
        return success();
      }
    }
    return failure();
  }
  bool avx512;
};

/// True when `b` is -a.
static bool isNegationOf(Value b, Value a) {
  auto neg = b.getDefiningOp<arith::NegFOp>();
  return neg && neg.getOperand() == a;
}

/// sigmoid(t) * sigmoid(-t) (sigmoid', in every derivative of a sigmoid
/// product after act-expand's 1 - sigmoid(t) -> sigmoid(-t)): one exp,
/// one division, and no cancellation. Before SigmoidProduct (benefit).
struct SigmoidPrime : public OpRewritePattern<arith::MulFOp> {
  SigmoidPrime(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx, /*benefit=*/2), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    auto a = mul.getLhs().getDefiningOp<SigmoidOp>();
    auto b = mul.getRhs().getDefiningOp<SigmoidOp>();
    if (!isF32(mul.getResult()) || !a || !b)
      return failure();
    Value t = a.getOperand();
    if (!isNegationOf(b.getOperand(), t)) {
      std::swap(a, b);
      t = a.getOperand();
      if (!isNegationOf(b.getOperand(), t))
        return failure();
    }
    Emitter e(rewriter, mul.getLoc(), mul.getType());
    e.setAVX512(avx512);
    // sigmoid(t) used besides (the derivatives of m * sigmoid(t)): both from
    // one exp, built where sigmoid(t) is (t and its arithmetic dominate it).
    if (!a->hasOneUse() && !getDoubledSoftplus(t)) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(a);
      auto [sigmoid, prime] =
          approx::buildSigmoidAndPrimeF32(e, evaluatePair(e, t), /*fast=*/true);
      rewriter.replaceOp(mul, prime);
      rewriter.replaceOp(a, sigmoid);
      return success();
    }
    if (Value s = getDoubledSoftplus(t))
      rewriter.replaceOp(mul, approx::buildSechSquaredOfSoftplusQuarterF32(
                                  e, evaluatePair(e, s), /*fast=*/true));
    else
      rewriter.replaceOp(mul, approx::buildSigmoidPrimeF32(
                                  e, evaluatePair(e, t), /*fast=*/true));
    return success();
  }
  bool avx512;
};

/// tanh(softplus(s)) alone (in mish', where no product uses it: those are
/// MishProduct's): mish's form with m = 1.
struct TanhOfSoftplus : public OpRewritePattern<math::TanhOp> {
  TanhOfSoftplus(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(math::TanhOp tanh,
                                PatternRewriter &rewriter) const override {
    auto softplus = tanh.getOperand().getDefiningOp<SoftplusOp>();
    if (!isF32(tanh.getResult()) || !softplus ||
        llvm::any_of(tanh->getUsers(),
                     [](Operation *user) { return isa<arith::MulFOp>(user); }))
      return failure();
    Emitter e(rewriter, tanh.getLoc(), tanh.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(tanh, approx::buildMishProductF32(
                                 e, Value(), evaluatePair(e, softplus.getOperand()),
                                 /*fast=*/true));
    return success();
  }
  bool avx512;
};

/// m * sigmoid(t) (silu, swish, quick_gelu, the tanh GELUs).
struct SigmoidProduct : public ProductPattern<SigmoidOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, SigmoidOp sigmoid) const override {
    return approx::buildSigmoidProductF32(
        e, m, evaluatePair(e, sigmoid.getOperand()), /*fast=*/true);
  }
};

/// m * tanh(softplus(s)) (mish).
struct MishProduct : public ProductPattern<math::TanhOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, math::TanhOp tanh) const override {
    auto softplus = tanh.getOperand().getDefiningOp<SoftplusOp>();
    if (!softplus)
      return Value();
    return approx::buildMishProductF32(
        e, m, evaluatePair(e, softplus.getOperand()), /*fast=*/true);
  }
};

/// m * erfc(w) (the erf GELU).
struct ErfcProduct : public ProductPattern<math::ErfcOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, math::ErfcOp erfc) const override {
    return approx::buildErfcProductF32(e, m,
                                       evaluatePair(e, erfc.getOperand()));
  }
};

/// x - tanh(x) (tanhshrink above act-stabilize's series).
struct TanhShrink : public OpRewritePattern<arith::SubFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::SubFOp sub,
                                PatternRewriter &rewriter) const override {
    auto tanh = sub.getRhs().getDefiningOp<math::TanhOp>();
    if (!isF32(sub.getResult()) || !tanh || tanh.getOperand() != sub.getLhs())
      return failure();
    Emitter e(rewriter, sub.getLoc(), sub.getType());
    rewriter.replaceOp(sub, approx::buildTanhShrinkF32(e, sub.getLhs()));
    return success();
  }
};

/// tanh(x)^2 (tanhshrink'): squaring doubles the fast tanh's error (over
/// 4 ULP), so the square comes from the tanh pair, th^2 + 2 th tl.
struct TanhSquare : public OpRewritePattern<arith::MulFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    auto tanh = mul.getLhs().getDefiningOp<math::TanhOp>();
    if (!isF32(mul.getResult()) || !tanh || mul.getRhs() != mul.getLhs())
      return failure();
    Emitter e(rewriter, mul.getLoc(), mul.getType());
    Pair t = approx::buildTanhPairF32(e, tanh.getOperand());
    rewriter.replaceOp(mul, e.fma(t.hi, t.hi, e.mul(e.add(t.hi, t.hi), t.lo)));
    return success();
  }
};

/// A lone f32 op rebuilt by `build` from its operand.
template <typename OpTy>
struct LonePattern : public OpRewritePattern<OpTy> {
  using Builder = Value (*)(Emitter &, Value, bool);
  LonePattern(MLIRContext *ctx, Builder build, bool fast, bool avx512)
      : OpRewritePattern<OpTy>(ctx, /*benefit=*/3), build(build), fast(fast),
        avx512(avx512) {}
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!isF32(op.getResult()))
      return failure();
    Emitter e(rewriter, op.getLoc(), op.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(op, build(e, op.getOperand(), fast));
    return success();
  }
  Builder build;
  bool fast, avx512;
};

Value buildSigmoid(Emitter &e, Value t, bool fast) {
  return approx::buildSigmoidProductF32(e, Value(), evaluatePair(e, t), fast);
}
Value buildErf(Emitter &e, Value w, bool) {
  return approx::buildErfF32(e, evaluatePair(e, w));
}
Value buildErfc(Emitter &e, Value w, bool) {
  return approx::buildErfcProductF32(e, Value(), evaluatePair(e, w));
}
} // namespace

void mlir::act::populateFastProductPatterns(RewritePatternSet &patterns,
                                            bool avx512) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<SigmoidPrime, SigmoidProduct, MishProduct, ErfcProduct,
               TanhOfSoftplus>(ctx, avx512);
  patterns.add<TanhShrink, TanhSquare>(ctx);
}

void mlir::act::populateFastLonePatterns(RewritePatternSet &patterns,
                                         bool fast, bool avx512) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<LonePattern<SigmoidOp>>(ctx, buildSigmoid, fast, avx512);
  patterns.add<LonePattern<SoftplusOp>>(ctx, approx::buildSoftplusF32, fast,
                                        avx512);
  if (!fast)
    return;
  patterns.add<LonePattern<math::ErfOp>>(ctx, buildErf, fast, avx512);
  patterns.add<LonePattern<math::ErfcOp>>(ctx, buildErfc, fast, avx512);
}

approx::Pair mlir::act::evaluatePairF32(Emitter &e, Value value) {
  return evaluatePair(e, value);
}
