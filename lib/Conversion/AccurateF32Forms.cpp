//===- AccurateF32Forms.cpp - accurate f32 sigmoid and softplus forms -----===//
//
// See AccurateF32Forms.h. The argument t is the double-float its arithmetic
// gives (FastForms.h's evaluatePairF32), which act-expand's routing checked
// to be exact arithmetic of leaves; m is a leaf or a constant.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32Forms.h"
#include "DyProduct.h"
#include "Approx/AccurateF32.h"
#include "Approx/AccurateF32Rational.h"
#include "Approx/AccurateF32TanhGrad.h"
#include "Approx/Approx.h"
#include "FastForms.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/GeluGradient.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;

static bool isF32(Value value) {
  return getElementTypeOrSelf(value.getType()).isF32();
}

/// A sigmoid's argument as a pair: with AVX-512, the tanh GELUs' t = k x (1
/// + a x^2) by Horner's rule in pairs (about 17 ops where the generic
/// pairs of its arithmetic take about 30); otherwise evaluatePairF32.
static approx::Pair sigmoidArgument(Emitter &e, Value t, bool avx512) {
  if (avx512)
    if (std::optional<CubicArgument> cubic = matchCubicArgument(t))
      return approx::buildAccurateCubicArgumentF32(e, cubic->x, cubic->k,
                                                   cubic->a);
  return evaluatePairF32(e, t);
}

namespace {
/// sigmoid(t) * sigmoid(-t) (sigmoid' after act-expand's 1 - sigmoid(t) ->
/// sigmoid(-t)), and m * sigmoid(t).
struct SigmoidProducts : public OpRewritePattern<arith::MulFOp> {
  SigmoidProducts(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isF32(mul.getResult()))
      return failure();
    auto a = mul.getLhs().getDefiningOp<SigmoidOp>();
    auto b = mul.getRhs().getDefiningOp<SigmoidOp>();
    if (!a && !b)
      return failure();
    Emitter e(rewriter, mul.getLoc(), mul.getType());
    e.setAVX512(avx512);
    if (a && b) {
      for (auto [s, other] : {std::pair(a, b), std::pair(b, a)}) {
        auto neg = other.getOperand().getDefiningOp<arith::NegFOp>();
        if (neg && neg.getOperand() == s.getOperand()) {
          // sigmoid' (sigmoid's, tanh's via 2^k): with AVX-512 the kernel's
          // dy product joins the form (DyProduct.h), dy f' rounded once.
          std::optional<DyProduct> dy =
              avx512 ? findDyProduct(mul.getResult()) : std::nullopt;
          if (!dy) {
            rewriter.replaceOp(mul,
                               approx::buildAccurateSigmoidPrimeF32(
                                   e, evaluatePairF32(e, s.getOperand())));
            return success();
          }
          rewriter.setInsertionPoint(dy->mul);
          Emitter at(rewriter, mul.getLoc(), mul.getType());
          at.setAVX512(avx512);
          replaceDyProduct(rewriter, at, *dy,
                           approx::buildAccurateSigmoidPrimeF32(
                               at, evaluatePairF32(at, s.getOperand()), 0,
                               dy->dy));
          return success();
        }
      }
      return failure();
    }
    SigmoidOp s = a ? a : b;
    Value m = a ? mul.getRhs() : mul.getLhs();
    // The tanh GELUs, x sigmoid(k x (1 + a x^2)): x clamped first.
    if (avx512)
      if (std::optional<CubicArgument> cubic =
              matchCubicArgument(s.getOperand()))
        if (cubic->x == m)
          if (Value y = approx::buildAccurateCubicSigmoidProductF32(
                  e, m, cubic->k, cubic->a)) {
            rewriter.replaceOp(mul, y);
            return success();
          }
    rewriter.replaceOp(mul,
                       approx::buildAccurateSigmoidProductF32(
                           e, m, sigmoidArgument(e, s.getOperand(), avx512)));
    return success();
  }
  bool avx512;
};

/// 2^k sigmoid(t) sigmoid(-t), k >= 1 (tanh' = 4 sigmoid(2x) sigmoid(-2x)
/// after act-expand's 1 - tanh^2): 2^k joins the form's own 2^n, so the
/// result rounds once (a product after the form would scale its rounding
/// on the subnormal grid: 2.5 ULP at x = -44.2).
struct ScaledSigmoidPrime : public OpRewritePattern<arith::MulFOp> {
  ScaledSigmoidPrime(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp outer,
                                PatternRewriter &rewriter) const override {
    if (!isF32(outer.getResult()))
      return failure();
    std::optional<ScaledSigmoidPrimeMatch> match =
        matchScaledSigmoidPrime(outer);
    if (!match)
      return failure();
    Emitter e(rewriter, outer.getLoc(), outer.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(
        outer, approx::buildAccurateSigmoidPrimeF32(
                   e, evaluatePairF32(e, match->sigmoid->getOperand(0)),
                   match->log2Scale));
    return success();
  }
  bool avx512;
};

/// The prelude's `x == -inf ? 0 : product` around a form that gives +0 at
/// x = -inf itself: each such select becomes `result`.
static void removeNegativeInfinityGuards(PatternRewriter &rewriter,
                                         Operation *product, Value x,
                                         Value result) {
  SmallVector<arith::SelectOp> guards;
  for (Operation *user : product->getUsers()) {
    auto select = dyn_cast<arith::SelectOp>(user);
    if (!select || select.getFalseValue() != product->getResult(0))
      continue;
    std::optional<double> zero = getFloatConstant(select.getTrueValue());
    auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
    if (!zero || *zero != 0.0 || std::signbit(*zero) || !cmp ||
        cmp.getPredicate() != arith::CmpFPredicate::OEQ)
      continue;
    for (unsigned i = 0; i < 2; ++i) {
      std::optional<double> inf = getFloatConstant(cmp->getOperand(1 - i));
      if (cmp->getOperand(i) == x && inf && std::isinf(*inf) && *inf < 0) {
        guards.push_back(select);
        break;
      }
    }
  }
  for (arith::SelectOp select : guards)
    rewriter.replaceOp(select, result);
}

/// m * erfc(w) (the erf GELU, where act-expand routed it: AVX-512).
struct ErfcProducts : public OpRewritePattern<arith::MulFOp> {
  ErfcProducts(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isF32(mul.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto erfc = mul->getOperand(i).getDefiningOp<math::ErfcOp>();
      Emitter e(rewriter, mul.getLoc(), mul.getType());
      e.setAVX512(avx512);
      if (!erfc || !approx::hasGeluTable(e))
        continue;
      Value m = mul->getOperand(1 - i);
      Value x = getGeluArgument(erfc.getOperand());
      Value result = approx::buildErfcProductTableF32(
          e, m, evaluatePairF32(e, erfc.getOperand()), /*fast=*/false, x);
      if (approx::isAccurateGeluTableForm(m, x))
        removeNegativeInfinityGuards(rewriter, mul, x, result);
      rewriter.replaceOp(mul, result);
      return success();
    }
    return failure();
  }
  bool avx512;
};

/// The exact value of the constant operand of `mul` (the other one is
/// `value`): act-stabilize's record, or the f32 constant itself.
static double getProductConstant(arith::MulFOp mul, Value value) {
  unsigned index = mul.getLhs() == value ? 1 : 0;
  if (std::optional<double> exact = getExactOperand(mul, index))
    return *exact;
  return *getFloatConstant(mul->getOperand(index));
}

/// A product of `value` by a float constant, its only user, if any.
static arith::MulFOp getConstantProduct(Value value) {
  if (!value.hasOneUse())
    return {};
  auto mul = dyn_cast<arith::MulFOp>(*value.getUsers().begin());
  if (!mul || !getFloatConstant(mul.getLhs() == value ? mul.getRhs()
                                                      : mul.getLhs()))
    return {};
  return mul;
}

/// An f32 select's constant scales, scale * (cond ? t : alpha * core):
/// `core` is the false arm less its constant factor alpha (`inner`, a
/// product that is core's only use; null when there is none) and `root`
/// the select or the constant product scale * select, the select's only
/// use. alpha and scale are 1 where their product is absent.
struct ScaledArm {
  Value core;
  arith::MulFOp inner;
  double alpha = 1.0, scale = 1.0;
  Operation *root;
};

static ScaledArm peelScaledArm(arith::SelectOp select) {
  ScaledArm arm;
  arm.core = select.getFalseValue();
  arm.inner = arm.core.getDefiningOp<arith::MulFOp>();
  if (arm.inner && getConstantProduct(arm.inner.getLhs()) == arm.inner)
    arm.core = arm.inner.getLhs();
  else if (arm.inner && getConstantProduct(arm.inner.getRhs()) == arm.inner)
    arm.core = arm.inner.getRhs();
  else
    arm.inner = {};
  if (arm.inner)
    arm.alpha = getProductConstant(arm.inner, arm.core);
  arm.root = select;
  if (arith::MulFOp outer = getConstantProduct(select.getResult())) {
    arm.scale = getProductConstant(outer, select.getResult());
    arm.root = outer;
  }
  return arm;
}

/// scale * (x > 0 ? x : alpha * expm1(x)) (elu and celu with alpha 1,
/// selu; alpha and scale constants, either product may be absent), the
/// f32 kernels act-expand routed (AccurateF32Routing.h's
/// getAccurateEluForms): the expm1 only matters where x <= 0 or x is NaN,
/// so it is the one-sided accurate form, the constants' products join its
/// pair, each side rounds about once, and the test becomes x >= 0 (both
/// zeros take x's side, -0 included). FastForms.cpp's
/// NonPositiveExpm1Select is the fast twin.
struct EluSelect : public OpRewritePattern<arith::SelectOp> {
  EluSelect(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::SelectOp select,
                                PatternRewriter &rewriter) const override {
    Value x = select.getTrueValue();
    if (!isF32(x))
      return failure();
    auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
    if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::OGT ||
        cmp.getLhs() != x || getFloatConstant(cmp.getRhs()) != 0.0)
      return failure();
    ScaledArm arm = peelScaledArm(select);
    auto expm1 = arm.core.getDefiningOp<math::ExpM1Op>();
    if (!expm1 || expm1.getOperand() != x || !expm1->hasOneUse())
      return failure();
    rewriter.setInsertionPoint(arm.root);
    Emitter e(rewriter, arm.root->getLoc(), select.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(arm.root,
                       approx::buildAccurateEluF32(e, x, arm.alpha, arm.scale));
    return success();
  }
  bool avx512;
};

/// scale * (x > 0 ? c : alpha * exp(x)) (selu's gradient; elu's with alpha
/// != 1), the f32 kernels act-expand routed (getAccurateEluGradForms):
/// k exp(x) with k = scale alpha one form rounded about once, the other
/// side the constant scale c rounded to f32.
struct EluGradSelect : public OpRewritePattern<arith::SelectOp> {
  EluGradSelect(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::SelectOp select,
                                PatternRewriter &rewriter) const override {
    if (!isF32(select.getResult()))
      return failure();
    auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
    std::optional<double> c = getFloatConstant(select.getTrueValue());
    if (!cmp || !c || cmp.getPredicate() != arith::CmpFPredicate::OGT ||
        getFloatConstant(cmp.getRhs()) != 0.0)
      return failure();
    Value x = cmp.getLhs();
    ScaledArm arm = peelScaledArm(select);
    auto exp = arm.core.getDefiningOp<math::ExpOp>();
    if (!exp || exp.getOperand() != x || !exp->hasOneUse())
      return failure();
    // The kernel's dy product joins the form (DyProduct.h): dy k exp(x)
    // and dy c scale each rounded once. Without it, elu' (no product at
    // all) is the lone exp's route.
    std::optional<DyProduct> dy =
        avx512 ? findDyProduct(arm.root->getResult(0)) : std::nullopt;
    if (arm.root == select && !arm.inner && !dy)
      return failure();
    rewriter.setInsertionPoint(dy ? dy->mul.getOperation() : arm.root);
    Emitter e(rewriter, arm.root->getLoc(), select.getType());
    e.setAVX512(avx512);
    Value negative = approx::buildAccurateScaledExpF32(
        e, x, arm.alpha * arm.scale, dy ? dy->dy : Value());
    Value positive =
        dy ? approx::buildAccurateConstantTimesF32(e, dy->dy, *c * arm.scale)
           : e.c((float)(*c * arm.scale));
    Value result = e.select(e.gt(x, e.c(0.0)), positive, negative);
    if (dy)
      replaceDyProduct(rewriter, e, *dy, result);
    else
      rewriter.replaceOp(arm.root, result);
    return success();
  }
  bool avx512;
};

/// x * tanh(softplus(x)) (mish, where act-expand routed it: AVX-512).
struct MishProducts : public OpRewritePattern<arith::MulFOp> {
  MishProducts(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!avx512 || !isF32(mul.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto tanh = mul->getOperand(i).getDefiningOp<math::TanhOp>();
      auto softplus =
          tanh ? tanh.getOperand().getDefiningOp<SoftplusOp>() : SoftplusOp();
      if (!softplus || softplus.getOperand() != mul->getOperand(1 - i))
        continue;
      Emitter e(rewriter, mul.getLoc(), mul.getType());
      e.setAVX512(avx512);
      rewriter.replaceOp(mul,
                         approx::buildAccurateMishF32(e, softplus.getOperand()));
      return success();
    }
    return failure();
  }
  bool avx512;
};

/// softplus(t) alone (softplus and logsigmoid forward).
struct LoneSoftplus : public OpRewritePattern<SoftplusOp> {
  LoneSoftplus(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(SoftplusOp softplus,
                                PatternRewriter &rewriter) const override {
    if (!isF32(softplus.getResult()))
      return failure();
    Emitter e(rewriter, softplus.getLoc(), softplus.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(softplus,
                       approx::buildAccurateSoftplusF32(
                           e, evaluatePairF32(e, softplus.getOperand())));
    return success();
  }
  bool avx512;
};

/// sigmoid(t) alone.
struct LoneSigmoid : public OpRewritePattern<SigmoidOp> {
  LoneSigmoid(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(SigmoidOp sigmoid,
                                PatternRewriter &rewriter) const override {
    if (!isF32(sigmoid.getResult()))
      return failure();
    // softplus' = sigmoid(x) (x > 20 ? 1 : sigmoid(x)), logsigmoid' =
    // sigmoid(-x): the kernel's dy product joins the form as its m
    // (DyProduct.h), dy sigmoid(t) rounded once.
    std::optional<DyProduct> dy =
        avx512 ? findDyProduct(sigmoid.getResult()) : std::nullopt;
    if (dy)
      rewriter.setInsertionPoint(dy->mul);
    Emitter e(rewriter, sigmoid.getLoc(), sigmoid.getType());
    e.setAVX512(avx512);
    Value result = approx::buildAccurateSigmoidProductF32(
        e, dy ? dy->dy : Value(),
        sigmoidArgument(e, sigmoid.getOperand(), avx512),
        /*independent=*/true);
    if (dy)
      replaceDyProduct(rewriter, e, *dy, result);
    else
      rewriter.replaceOp(sigmoid, result);
    return success();
  }
  bool avx512;
};
} // namespace

LogicalResult mlir::act::applyAccurateF32Forms(ModuleOp module, bool avx512) {
  MLIRContext *ctx = module.getContext();
  // The scaled sigmoid' first (its inner product is one of the next
  // phase's), then the products: their sigmoid factors must still be
  // whole.
  // The sigmoid products' derivatives (AccurateF32Routing.h's grad sums)
  // before anything takes their sigmoid' apart.
  RewritePatternSet sums(ctx);
  populateAccurateGradSumPatterns(sums, avx512);
  if (failed(applyPatternsGreedily(module, std::move(sums))))
    return failure();
  RewritePatternSet scaled(ctx);
  scaled.add<ScaledSigmoidPrime>(ctx, avx512);
  populateAccurateTanhGradPatterns(scaled, avx512); // outranks it, dy inside
  if (failed(applyPatternsGreedily(module, std::move(scaled))))
    return failure();
  RewritePatternSet products(ctx);
  products.add<SigmoidProducts, ErfcProducts, EluSelect, EluGradSelect,
               MishProducts>(ctx, avx512);
  populateAccurateRationalPatterns(products, /*foldDy=*/avx512);
  if (failed(applyPatternsGreedily(module, std::move(products))))
    return failure();
  RewritePatternSet lone(ctx);
  lone.add<LoneSigmoid, LoneSoftplus>(ctx, avx512);
  return applyPatternsGreedily(module, std::move(lone));
}
