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
#include "DyProduct.h"
#include "ProductPattern.h"
#include "Approx/AccurateF32.h"
#include "Approx/Approx.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/Evaluate.h"
#include "actc/Dialect/Act/GeluGradient.h"
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


static Pair evaluate(Emitter &e, Value value, std::optional<double> exact,
                     int depth) {
  if (value.getType() != e.getFloatType())
    return {value, Value()};
  if (std::optional<double> constant = getFloatConstant(value))
    return constantPair(e, value, exact.value_or(*constant));
  Operation *op = value.getDefiningOp();
  if (!op || depth == 0 || op->hasAttr(kLeafAttrName))
    return {value, Value()};
  if (isa<arith::NegFOp>(op))
    return e.negPair(evaluateOperand(e, op, 0, depth - 1));
  if (isa<arith::AddFOp, arith::SubFOp>(op)) {
    Pair a = evaluateOperand(e, op, 0, depth - 1);
    Pair b = evaluateOperand(e, op, 1, depth - 1);
    return e.sumPair(a, b, isa<arith::SubFOp>(op));
  }
  if (isa<arith::MulFOp>(op)) {
    // A product by a power of two is exact.
    for (unsigned i = 0; i < 2; ++i)
      if (isPowerOfTwo(getFloatConstant(op->getOperand(i)))) {
        Pair a = evaluateOperand(e, op, 1 - i, depth - 1);
        Value scale = op->getOperand(i);
        return {e.mul(a.hi, scale), a.lo ? e.mul(a.lo, scale) : Value()};
      }
    // Named first: the order of a call's arguments is unspecified.
    Pair a = evaluateOperand(e, op, 0, depth - 1);
    Pair b = evaluateOperand(e, op, 1, depth - 1);
    return e.productPair(a, b);
  }
  if (isa<arith::DivFOp>(op)) {
    std::optional<long double> divisorReciprocal =
        getConstantReciprocal(op->getOperand(1), getExactOperand(op, 1));
    if (!divisorReciprocal)
      return {value, Value()};
    // x / c = x * (1/c), 1/c as a pair (long double: 2^-64).
    long double reciprocal = *divisorReciprocal;
    double hi = (double)(float)reciprocal;
    Pair r = {e.c(hi), e.c((double)(float)(reciprocal - hi))};
    return e.productPair(evaluateOperand(e, op, 0, depth - 1), r);
  }
  return {value, Value()};
}

/// `value` as a double-float whose lo may be NaN or infinite where hi is
/// not finite: lo is finite wherever hi is (the ops evaluate() follows
/// keep an infinite or NaN hi so once an intermediate overflows, and
/// only such an overflow makes a twoProd or twoSum low part non-finite).
/// For the sigmoid forms, whose exp core zeroes lo wherever |hi| > 150
/// (infinities included) and returns NaN for a NaN hi: three vector ops
/// fewer than evaluatePair.
static Pair evaluatePairUnchecked(Emitter &e, Value value) {
  return evaluate(e, value, std::nullopt, kPairDepth);
}

/// `value` (an f32 expression) as a double-float, lo not renormalized (its
/// users only add it to small terms); lo is 0 where hi is not finite
/// (twoProd and twoSum give NaN there).
static Pair evaluatePair(Emitter &e, Value value) {
  return e.zeroLowWhereNotFinite(evaluate(e, value, std::nullopt, kPairDepth));
}

namespace {
/// The f32 forms' products (ProductPattern.h).
template <typename FactorOp>
using ProductF32 = ProductPattern<FactorOp, 32>;

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

/// A factor of a sigmoid' chain: operand `index` of `op`.
struct Factor {
  Operation *op;
  unsigned index;
};

/// True when `v` is `a == 0 ? a : a * y` (act-autodiff's strong zero),
/// with `product` the a * y.
static bool isStrongZero(Value v, arith::MulFOp &product) {
  auto select = v.getDefiningOp<arith::SelectOp>();
  if (!select)
    return false;
  auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
  Value a = select.getTrueValue();
  product = select.getFalseValue().getDefiningOp<arith::MulFOp>();
  std::optional<double> zero =
      cmp ? getFloatConstant(cmp.getRhs()) : std::nullopt;
  return cmp && cmp.getPredicate() == arith::CmpFPredicate::OEQ &&
         cmp.getLhs() == a && zero && *zero == 0 && product &&
         (product.getLhs() == a || product.getRhs() == a);
}

/// When `v` is sigmoid(t) * sigmoid(-t) times factors (products and strong
/// zeros), returns the sigmoid(t) and appends the factors.
static SigmoidOp peelSigmoidPrime(Value v, SmallVectorImpl<Factor> &factors,
                                  int depth) {
  if (depth == 0)
    return {};
  arith::MulFOp mul;
  if (!isStrongZero(v, mul))
    mul = v.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return {};
  auto a = mul.getLhs().getDefiningOp<SigmoidOp>();
  auto b = mul.getRhs().getDefiningOp<SigmoidOp>();
  if (a && b) {
    if (isNegationOf(b.getOperand(), a.getOperand()))
      return a;
    if (isNegationOf(a.getOperand(), b.getOperand()))
      return b;
  }
  for (unsigned i = 0; i < 2; ++i) {
    size_t size = factors.size();
    if (SigmoidOp s = peelSigmoidPrime(mul->getOperand(i), factors, depth - 1)) {
      factors.push_back({mul, 1 - i});
      return s;
    }
    factors.resize(size);
  }
  return {};
}

/// The operands of the products that make `v` (v itself if none).
static void productLeaves(Value v, SmallVectorImpl<Factor> &leaves,
                          Operation *user, unsigned index, int depth) {
  if (auto mul = v.getDefiningOp<arith::MulFOp>(); mul && depth > 0) {
    productLeaves(mul.getLhs(), leaves, mul, 0, depth - 1);
    productLeaves(mul.getRhs(), leaves, mul, 1, depth - 1);
    return;
  }
  leaves.push_back({user, index});
}

/// The value a factor stands for: its exact constant, or the SSA value.
static bool sameFactor(Factor a, Factor b) {
  Value va = a.op->getOperand(a.index), vb = b.op->getOperand(b.index);
  if (va == vb && getExactOperand(a.op, a.index) ==
                      getExactOperand(b.op, b.index))
    return true;
  std::optional<double> ca = getFloatConstant(va), cb = getFloatConstant(vb);
  if (!ca || !cb)
    return false;
  std::optional<double> ea = getExactOperand(a.op, a.index),
                        eb = getExactOperand(b.op, b.index);
  return ea.value_or(*ca) == eb.value_or(*cb);
}

/// True when the product of `factors` is the product that makes `t`.
static bool isSameProduct(ArrayRef<Factor> factors, SigmoidOp sigmoid) {
  SmallVector<Factor> leaves;
  productLeaves(sigmoid.getOperand(), leaves, sigmoid, 0, kPairDepth);
  if (leaves.size() != factors.size())
    return false;
  for (Factor factor : factors) {
    auto it = llvm::find_if(
        leaves, [&](Factor leaf) { return sameFactor(leaf, factor); });
    if (it == leaves.end())
      return false;
    leaves.erase(it);
  }
  return true;
}

/// `v` at x (long double, constants exact), where x is the one value v
/// depends on besides constants (`leaf`, found on the way); nullopt for
/// any other op or a second leaf.
static std::optional<long double> evaluateAt(Value v, std::optional<double> exact,
                                             Value &leaf, long double x,
                                             int depth) {
  if (std::optional<double> constant = getFloatConstant(v))
    return exact.value_or(*constant);
  Operation *op = v.getDefiningOp();
  arith::MulFOp product;
  if (op && depth > 0 && isStrongZero(v, product))
    op = product;
  if (!op || depth == 0 || op->hasAttr(kLeafAttrName) ||
      !isa<arith::NegFOp, arith::AddFOp, arith::SubFOp, arith::MulFOp,
           arith::DivFOp>(op)) {
    if (leaf && leaf != v)
      return std::nullopt;
    leaf = v;
    return x;
  }
  SmallVector<long double, 2> operands;
  for (unsigned i = 0; i < op->getNumOperands(); ++i) {
    std::optional<long double> a = evaluateAt(
        op->getOperand(i), getExactOperand(op, i), leaf, x, depth - 1);
    if (!a)
      return std::nullopt;
    operands.push_back(*a);
  }
  return evaluateArithmetic(op, operands);
}

/// t and m = the product of `factors` at x (long double), where x is the
/// one leaf of both besides constants (`leaf`, found on the way).
static std::optional<std::pair<long double, long double>>
evaluateArguments(SigmoidOp sigmoid, ArrayRef<Factor> factors, Value &leaf,
                  long double at) {
  std::optional<long double> t =
      evaluateAt(sigmoid.getOperand(), std::nullopt, leaf, at, kPairDepth * 2);
  long double m = 1;
  for (Factor factor : factors) {
    std::optional<long double> f =
        t ? evaluateAt(factor.op->getOperand(factor.index),
                       getExactOperand(factor.op, factor.index), leaf, at,
                       kPairDepth * 2)
          : std::nullopt;
    if (!f)
      return std::nullopt;
    m *= *f;
  }
  if (!t || !leaf || leaf.getType() != sigmoid.getType())
    return std::nullopt;
  return std::make_pair(*t, m);
}

/// The tanh GELUs' t = k x (1 + a x^2) and m = x t'(x) = k x (1 + 3 a x^2)
/// with (k, a) fitted from t(1) and t(2) and checked at 8 more points to
/// 2^-45 (long double): {k, a}, or nullopt for any other t or m.
static std::optional<std::pair<double, double>>
matchCubicArguments(SigmoidOp sigmoid, ArrayRef<Factor> factors, Value x) {
  Value leaf = x;
  auto one = evaluateArguments(sigmoid, factors, leaf, 1);
  auto two = evaluateArguments(sigmoid, factors, leaf, 2);
  if (!one || !two || one->first == 0)
    return std::nullopt;
  long double r = two->first / (2 * one->first);
  if (r >= 4)
    return std::nullopt;
  double a = (double)((r - 1) / (4 - r));
  double k = (double)(one->first / (1 + (long double)a));
  if (!(a >= 0) || !std::isfinite(k))
    return std::nullopt;
  for (long double at : {-3.0L, -1.5L, -0.75L, -0.25L, 0.5L, 1.25L, 2.5L, 4.0L}) {
    auto v = evaluateArguments(sigmoid, factors, leaf, at);
    long double kx = (long double)k * at, s = at * at;
    long double t = kx * (1 + a * s), m = kx * (1 + 3 * a * s);
    if (!v || leaf != x || std::fabs(v->first - t) > 0x1p-45L * std::fabs(t) ||
        std::fabs(v->second - m) > 0x1p-45L * std::fabs(m))
      return std::nullopt;
  }
  return std::make_pair(k, a);
}

/// The root of FastGradRoots.def whose G in x is this kernel's
/// G = 1 + m + exp(t) (evaluated from the IR in long double: zero at the
/// root to 2^-40, the series within 2^-20 of G at 8 points of its
/// interval), with x; null if none.
static const approx::GradRoot *findRootInX(SigmoidOp sigmoid,
                                           ArrayRef<Factor> factors,
                                           Value &x) {
  auto g = [&](long double at) -> std::optional<long double> {
    Value leaf = x;
    auto v = evaluateArguments(sigmoid, factors, leaf, at);
    if (!v)
      return std::nullopt;
    x = leaf;
    return 1 + v->second + std::exp(v->first);
  };
  for (const approx::GradRoot &root : approx::getGradRoots()) {
    if (root.inArgument)
      continue;
    long double v0 = (long double)root.head + root.tail;
    std::optional<long double> zero = g(v0);
    if (!zero || std::fabs(*zero) > 0x1p-40L)
      continue;
    bool matches = true;
    for (int k = -4; k <= 4 && matches; k += k == -1 ? 2 : 1) {
      long double d = root.delta * k / 4;
      std::optional<long double> at = g(v0 + d);
      long double q = 0;
      for (double c : llvm::reverse(root.series))
        q = q * d + c;
      matches = at && std::fabs(*at - d * q) <= 0x1p-20L * std::fabs(*at);
    }
    if (matches)
      return &root;
  }
  return nullptr;
}

/// sigmoid(t) + sigmoid(t) sigmoid(-t) m: the derivative of m' sigmoid(t)
/// (silu, swish, quick_gelu, the tanh GELUs), which cancels next to its
/// zero in f32 (silu' at t = -1.28: 1e5 ULP). Rewritten as
/// buildSigmoidGradSumF32's sigmoid'(t) (1 + m + exp(t)) with the sum as
/// pairs, and next to the zero the series of FastGradRoots.def: silu's in
/// t where m is t's own product (silu, swish, quick_gelu), or a series in
/// x whose G matches this one, evaluated (gelu_tanh, new_gelu). Runs
/// before the product patterns take sigmoid(t) sigmoid(-t) apart.
/// With `accurate`, only where m is t's own product (silu, swish,
/// quick_gelu) or t and m are the tanh GELUs' cubic with a series (act-
/// expand's routing keeps every other such kernel on the f64 route):
/// AccurateF32SigmoidGrad.cpp's forms, rounded about once.
struct SigmoidGradSum : public OpRewritePattern<arith::AddFOp> {
  SigmoidGradSum(MLIRContext *ctx, bool avx512, bool accurate = false)
      : OpRewritePattern(ctx), avx512(avx512), accurate(accurate) {}
  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    if (!isF32(add.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto sigmoid = add->getOperand(i).getDefiningOp<SigmoidOp>();
      SmallVector<Factor> factors;
      if (!sigmoid || peelSigmoidPrime(add->getOperand(1 - i), factors,
                                       kPairDepth) != sigmoid)
        continue;
      bool sameProduct = isSameProduct(factors, sigmoid);
      // accurate: the kernel's dy product joins the form (DyProduct.h).
      std::optional<DyProduct> dy = accurate && avx512
                                        ? findDyProduct(add.getResult())
                                        : std::nullopt;
      if (dy)
        rewriter.setInsertionPoint(dy->mul);
      Emitter e(rewriter, add.getLoc(), add.getType());
      e.setAVX512(avx512);
      if (accurate && !sameProduct) { // the tanh GELUs, with their series
        Value x;
        const approx::GradRoot *root = findRootInX(sigmoid, factors, x);
        auto cubic =
            root ? matchCubicArguments(sigmoid, factors, x) : std::nullopt;
        if (!cubic)
          return failure();
        Value dx = approx::buildAccurateCubicGeluGradF32(
            e, x, cubic->first, cubic->second, *root, dy ? dy->dy : Value());
        replaceGradient(rewriter, e, dy, add, dx);
        return success();
      }
      const approx::GradRoot *silu = llvm::find_if(
          approx::getGradRoots(),
          [](const approx::GradRoot &r) { return r.inArgument; });
      if (accurate) {
        Value dx = approx::buildAccurateSiluGradF32(
            e, evaluatePair(e, sigmoid.getOperand()), *silu,
            dy ? dy->dy : Value());
        replaceGradient(rewriter, e, dy, add, dx);
        return success();
      }
      Pair m = {e.c(1.0), Value()};
      for (auto [k, factor] : llvm::enumerate(factors)) {
        Pair f = evaluate(e, factor.op->getOperand(factor.index),
                          getExactOperand(factor.op, factor.index),
                          kPairDepth);
        m = k == 0 ? f : e.productPair(m, f);
      }
      auto finiteLow = [&](Pair &p) { // as evaluatePair: no low part where
        if (p.lo)                      // hi is not finite
          p.lo = e.select(e.lt(e.abs(p.hi),
                               e.c(std::numeric_limits<double>::infinity())),
                          p.lo, e.c(0.0));
      };
      finiteLow(m);
      Pair t = evaluatePair(e, sigmoid.getOperand());
      // silu itself (m and t the same leaf: no rounded argument whose
      // error exp would amplify): f'(x) from its table (AVX-512), the
      // kernel's dy product inside (DyProduct.h) so that the tail's last
      // scaling comes after it (dy = +-inf where f' underflows: +-inf).
      if (sameProduct && !t.lo && approx::hasGradTable(e)) {
        std::optional<DyProduct> dy = findDyProduct(add.getResult());
        if (dy)
          rewriter.setInsertionPoint(dy->mul);
        Emitter at(rewriter, add.getLoc(), add.getType());
        at.setAVX512(avx512);
        Value dx = approx::buildSiluGradTableF32(at, sigmoid.getOperand(),
                                                 dy ? dy->dy : Value());
        replaceGradient(rewriter, at, dy, add, dx);
        return success();
      }
      const approx::GradRoot *root = nullptr;
      Pair v = t;
      Value x;
      if (sameProduct) {
        root = silu;
      } else if ((root = findRootInX(sigmoid, factors, x))) {
        v = {x, Value()};
        // The tanh GELUs with AVX-512: f' = exp(t) H(x), H from its table
        // (FastGradTableF32.cpp), the kernel's dy product inside as for
        // silu's table. The generic pairs above are left dead.
        auto cubic = approx::hasGradTable(e)
                         ? matchCubicArguments(sigmoid, factors, x)
                         : std::nullopt;
        if (cubic &&
            approx::hasGeluTanhGradTable(cubic->first, cubic->second)) {
          std::optional<DyProduct> dy = findDyProduct(add.getResult());
          if (dy)
            rewriter.setInsertionPoint(dy->mul);
          Emitter at(rewriter, add.getLoc(), add.getType());
          at.setAVX512(avx512);
          Value dx = approx::buildGeluTanhGradTableF32(at, x,
                                                       dy ? dy->dy : Value());
          replaceGradient(rewriter, at, dy, add, dx);
          return success();
        }
        // AVX-512 (where the sum is the table form): the tanh GELUs' t and
        // m from x^2 as pairs directly (~20 ops fewer than the generic
        // pairs, and 2 x^2 no longer a rounded strong-zero leaf). The
        // generic pairs above are left dead.
        if (auto cubic = avx512 ? matchCubicArguments(sigmoid, factors, x)
                                : std::nullopt) {
          std::tie(t, m) =
              approx::buildCubicArgumentsF32(e, x, cubic->first, cubic->second);
          finiteLow(m); // t's: the table form zeroes it where |t| > 150
        }
      }
      rewriter.replaceOp(add,
                         approx::buildSigmoidGradSumF32(e, t, m, root, v));
      return success();
    }
    return failure();
  }
  bool avx512, accurate;
};

/// tanh(softplus(x)) + x (4 sigmoid(2 sp) sigmoid(-2 sp)) sigmoid(x), sp =
/// softplus(x): mish' (act-autodiff's form after act-expand), which cancels
/// next to its zero at x = -1.19 in f32 (4e5 ULP). Rewritten as
/// buildMishGradF32 with the table's mish series (FastGradRoots.def).
/// Before the product patterns. With `accurate` (AVX-512, the kernels
/// act-expand routed: AccurateF32Routing.h getAccurateMishGradForms):
/// AccurateF32Mish.cpp's form, the kernel's dy product inside
/// (DyProduct.h), dy f' rounded about once.
struct MishGradSum : public OpRewritePattern<arith::AddFOp> {
  MishGradSum(MLIRContext *ctx, bool avx512, bool accurate = false)
      : OpRewritePattern(ctx), avx512(avx512), accurate(accurate) {}
  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    if (!isF32(add.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      auto tanh = add->getOperand(i).getDefiningOp<math::TanhOp>();
      auto softplus =
          tanh ? tanh.getOperand().getDefiningOp<SoftplusOp>() : SoftplusOp();
      SmallVector<Factor> factors;
      SigmoidOp prime = softplus ? peelSigmoidPrime(add->getOperand(1 - i),
                                                    factors, kPairDepth)
                                 : SigmoidOp();
      Value x = softplus ? softplus.getOperand() : Value();
      if (!prime || getDoubledSoftplus(prime.getOperand()) != x ||
          factors.size() != 3)
        continue;
      // The other factors: 4, sigmoid(x) and x, in any order.
      bool four = false, sigmoid = false, leaf = false;
      for (Factor factor : factors) {
        Value v = factor.op->getOperand(factor.index);
        auto s = v.getDefiningOp<SigmoidOp>();
        if (getFloatConstant(v) == 4.0)
          four = true;
        else if (s && s.getOperand() == x)
          sigmoid = true;
        else if (v == x)
          leaf = true;
      }
      if (!four || !sigmoid || !leaf)
        continue;
      const approx::GradRoot *root = llvm::find_if(
          approx::getGradRoots(),
          [](const approx::GradRoot &r) { return StringRef(r.name) == "mish"; });
      if (accurate) {
        std::optional<DyProduct> dy = findDyProduct(add.getResult());
        if (dy)
          rewriter.setInsertionPoint(dy->mul);
        Emitter e(rewriter, add.getLoc(), add.getType());
        e.setAVX512(avx512);
        Value dx = approx::buildAccurateMishGradF32(e, x, *root,
                                                    dy ? dy->dy : Value());
        replaceGradient(rewriter, e, dy, add, dx);
        return success();
      }
      Emitter e(rewriter, add.getLoc(), add.getType());
      e.setAVX512(avx512);
      // AVX-512: f'(x) from its table, the kernel's dy product inside (as
      // silu's in SigmoidGradSum).
      if (approx::hasGradTable(e)) {
        std::optional<DyProduct> dy = findDyProduct(add.getResult());
        if (dy)
          rewriter.setInsertionPoint(dy->mul);
        Emitter at(rewriter, add.getLoc(), add.getType());
        at.setAVX512(avx512);
        Value dx =
            approx::buildMishGradTableF32(at, x, dy ? dy->dy : Value());
        replaceGradient(rewriter, at, dy, add, dx);
        return success();
      }
      rewriter.replaceOp(add, approx::buildMishGradF32(e, x, root));
      return success();
    }
    return failure();
  }
  bool avx512, accurate;
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
struct SigmoidProduct : public ProductF32<SigmoidOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, SigmoidOp sigmoid) const override {
    // The tanh GELUs, x sigmoid(k x (1 + a x^2)) with a > 0 (AVX-512: the
    // table core, the division by an estimate): |t| as a pair from x^2's,
    // ~6 ops fewer than the generic pairs.
    if (avx512)
      if (auto cubic = matchCubicArgument(sigmoid.getOperand()))
        if (cubic->x == m && cubic->a > 0)
          if (Value y = approx::buildCubicSigmoidProductF32(e, m, cubic->k,
                                                            cubic->a))
            return y;
    return approx::buildSigmoidProductF32(
        e, m, evaluatePairUnchecked(e, sigmoid.getOperand()), /*fast=*/true);
  }
};

/// m * tanh(softplus(s)) (mish).
struct MishProduct : public ProductF32<math::TanhOp> {
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
struct ErfcProduct : public ProductF32<math::ErfcOp> {
  using ProductPattern::ProductPattern;
  Value build(Emitter &e, Value m, math::ErfcOp erfc) const override {
    if (approx::hasGeluTable(e)) // GeluF32.cpp: 16 lanes, AVX-512
      return approx::buildErfcProductTableF32(
          e, m, evaluatePair(e, erfc.getOperand()), /*fast=*/true,
          getGeluArgument(erfc.getOperand()));
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

/// True when `v` is sign(x) as act-autodiff builds it: x > 0 ? 1 : x < 0 ?
/// -1 : 0.
static bool isSignOf(Value v, Value x) {
  auto isConstant = [](Value c, double value) {
    std::optional<double> constant = getFloatConstant(c);
    return constant && *constant == value;
  };
  auto isCompare = [&](Value c, arith::CmpFPredicate predicate) {
    auto cmp = c.getDefiningOp<arith::CmpFOp>();
    return cmp && cmp.getPredicate() == predicate && cmp.getLhs() == x &&
           isConstant(cmp.getRhs(), 0);
  };
  auto outer = v.getDefiningOp<arith::SelectOp>();
  auto inner = outer ? outer.getFalseValue().getDefiningOp<arith::SelectOp>()
                     : arith::SelectOp();
  return inner && isCompare(outer.getCondition(), arith::CmpFPredicate::OGT) &&
         isConstant(outer.getTrueValue(), 1) &&
         isCompare(inner.getCondition(), arith::CmpFPredicate::OLT) &&
         isConstant(inner.getTrueValue(), -1) &&
         isConstant(inner.getFalseValue(), 0);
}

/// (1 - x / d * sign(x)) / d with d = |x| + 1 (softsign's quotient rule)
/// = 1 / d^2: the difference cancels for large |x| (762 ULP at x = 511).
/// From r = 1 / d and the errors of d (d + e = |x| + 1 exactly) and of r
/// (its FMA residual), rounded once: one division instead of two. A NaN x
/// stays NaN; |x| = inf is the kernel's own guard.
struct SoftsignQuotient : public OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::DivFOp outer,
                                PatternRewriter &rewriter) const override {
    auto sub = outer.getLhs().getDefiningOp<arith::SubFOp>();
    std::optional<double> one =
        sub ? getFloatConstant(sub.getLhs()) : std::nullopt;
    auto mul = sub ? sub.getRhs().getDefiningOp<arith::MulFOp>()
                   : arith::MulFOp();
    if (!isF32(outer.getResult()) || !one || *one != 1 || !mul)
      return failure();
    Value d = outer.getRhs();
    auto add = d.getDefiningOp<arith::AddFOp>();
    for (unsigned i = 0; i < 2 && add; ++i) {
      auto div = mul->getOperand(i).getDefiningOp<arith::DivFOp>();
      if (!div || div.getRhs() != d)
        continue;
      Value x = div.getLhs();
      for (unsigned j = 0; j < 2; ++j) {
        auto abs = add->getOperand(j).getDefiningOp<math::AbsFOp>();
        std::optional<double> c = getFloatConstant(add->getOperand(1 - j));
        if (!abs || abs.getOperand() != x || !c || *c != 1 ||
            !isSignOf(mul->getOperand(1 - i), x))
          continue;
        Emitter e(rewriter, outer.getLoc(), outer.getType());
        Value a = abs, unit = add->getOperand(1 - j);
        // d = fl(|x| + 1), e = |x| + 1 - d exactly (Fast2Sum on max, min).
        Value error = e.sub(e.min(a, unit), e.sub(d, e.max(a, unit)));
        // 1 / (d + e) = r + low, r = fl(1 / d), low = r (1 - r d - r e) (the
        // residual 1 - r d exact by FMA), and 1 / (d + e)^2 = r^2 + 2 r low
        // rounded once.
        Value r = e.div(unit, d);
        Value residual = e.fma(e.neg(r), d, unit);
        Value low = e.mul(r, e.sub(residual, e.mul(r, error)));
        rewriter.replaceOp(outer, e.fma(r, r, e.mul(e.add(r, r), low)));
        return success();
      }
    }
    return failure();
  }
};

/// x > 0 ? x : expm1(x) (elu, celu; selu and a non-unit alpha with a
/// product by a constant between): the expm1 only matters where x <= 0 or
/// x is NaN, so it is the one-sided form (buildExpm1NonPositiveF32: no
/// upper clamp, no overflow or tiny-x care, ~5 vector ops fewer), and the
/// test becomes x >= 0, so both zeros return x itself (-0 included).
struct NonPositiveExpm1Select : public OpRewritePattern<arith::SelectOp> {
  NonPositiveExpm1Select(MLIRContext *ctx, bool avx512)
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
    Value z = select.getFalseValue();
    if (auto mul = z.getDefiningOp<arith::MulFOp>()) {
      if (!mul->hasOneUse())
        return failure();
      for (unsigned i = 0; i < 2; ++i)
        if (getFloatConstant(mul->getOperand(1 - i)))
          z = mul->getOperand(i);
    }
    auto expm1 = z.getDefiningOp<math::ExpM1Op>();
    if (!expm1 || expm1.getOperand() != x || !expm1->hasOneUse())
      return failure();
    rewriter.setInsertionPoint(expm1);
    Emitter e(rewriter, expm1.getLoc(), expm1.getType());
    e.setAVX512(avx512);
    rewriter.replaceOp(expm1, approx::buildExpm1NonPositiveF32(e, x));
    rewriter.setInsertionPoint(select);
    Value nonNegative = arith::CmpFOp::create(
        rewriter, cmp.getLoc(), arith::CmpFPredicate::OGE, x, cmp.getRhs());
    rewriter.modifyOpInPlace(
        select, [&] { select.getConditionMutable().assign(nonNegative); });
    return success();
  }
  bool avx512;
};

/// exp(a - b), softmax's exp(x - rowmax): the rounding of a - b is
/// amplified by |a - b| (fast softmax was 9 ULP on rows in [-8, 8], 64 in
/// [-60, 60]). The exp core takes the difference as a pair: its rounding
/// error (TwoSum on hi = fl(a - b)) goes into the reduced argument, zeroed
/// where the core clamps (|hi| >= 104, +-inf, NaN: there it is 0 or inf).
struct ExpOfDifference : public OpRewritePattern<math::ExpOp> {
  ExpOfDifference(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(math::ExpOp exp,
                                PatternRewriter &rewriter) const override {
    auto sub = exp.getOperand().getDefiningOp<arith::SubFOp>();
    if (!isF32(exp.getResult()) || !sub)
      return failure();
    Emitter e(rewriter, exp.getLoc(), exp.getType());
    e.setAVX512(avx512);
    Value a = sub.getLhs(), b = sub.getRhs(), hi = sub.getResult();
    // TwoSum(a, -b): lo = (a - (hi - bb)) - (b + bb), bb = hi - a.
    Value bb = e.sub(hi, a);
    Value lo = e.sub(e.sub(a, e.sub(hi, bb)), e.add(b, bb));
    lo = e.select(e.lt(e.abs(hi), e.c(104.0)), lo, e.c(0.0));
    approx::ExpSplit parts = approx::buildExpSplitF32(
        e, e.clamp(hi, -104.0, 89.0), lo, /*fast=*/true);
    rewriter.replaceOp(exp, e.scaleByFloat(parts.h, parts.n, parts.nf));
    return success();
  }
  bool avx512;
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
  return approx::buildSigmoidProductF32(
      e, Value(), fast ? evaluatePairUnchecked(e, t) : evaluatePair(e, t),
      fast);
}
Value buildErf(Emitter &e, Value w, bool) {
  return approx::buildErfF32(e, evaluatePair(e, w));
}
Value buildErfc(Emitter &e, Value w, bool) {
  return approx::buildErfcProductF32(e, Value(), evaluatePair(e, w));
}
/// c * v in f32 with a constant |c| > 1 that f32 rounds (act.exact):
/// fma(v, c_hi, v * c_lo), which rounds about c v once instead of c_hi v,
/// so that it overflows where c v does, not where c_hi v does: fast selu's
/// scale * x was +inf at x = 0x1.e74b3p+127, where c x rounds to FLT_MAX.
/// (|c| <= 1 cannot overflow; those products stay one multiplication.) Runs
/// after the other f32 forms, on the products they left, so that their
/// pair arguments still see the product.
struct ExactConstantProduct : public OpRewritePattern<arith::MulFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isF32(mul.getResult()))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      std::optional<double> exact = getExactOperand(mul, i);
      std::optional<double> rounded = getFloatConstant(mul->getOperand(i));
      if (!exact || !rounded || *exact == *rounded ||
          !(std::fabs(*exact) > 1) || !std::isfinite(*exact))
        continue;
      Emitter e(rewriter, mul.getLoc(), mul.getType());
      Value v = mul->getOperand(1 - i);
      // c_hi is c rounded toward zero, so that c_lo = c - c_hi has c's sign:
      // at v = +-0, v c_hi + v c_lo adds two zeros of one sign (with c_hi
      // rounded away from zero, -0 + +0 gave fast selu(-0) = +0). c - c_hi
      // is exact in f64 (the two share their exponent).
      float high = static_cast<float>(*rounded);
      if (std::fabs(static_cast<double>(high)) > std::fabs(*exact))
        high = std::nextafter(high, 0.0f);
      Value highValue =
          high == *rounded ? mul->getOperand(i) : e.c(static_cast<double>(high));
      // v * c_lo clamped to the finite range: at v = +-inf it is an
      // infinity of either sign, and fma(inf, c_hi, -inf) would be NaN.
      double max = std::numeric_limits<float>::max();
      Value low = e.clamp(e.mul(v, e.c(*exact - high)), -max, max);
      rewriter.replaceOp(mul, e.fma(v, highValue, low));
      return success();
    }
    return failure();
  }
};

/// x / c in fast mode, f32 and f64, c a constant whose reciprocal is a
/// normal number (getConstantReciprocal): x * (1/c), 1/c rounded once, as
/// act-expand's widened f64 divisions. A vector division costs ~10
/// products (hard_swish's x (x + 3) / 6 ran at half the speed of a
/// -ffast-math loop); the product adds up to 1 ULP of the quotient (1/c's
/// rounding, 2^-24 relative in f32). Where |1/c| > 1 the product could
/// overflow where x / c does not: f32 records 1/c exactly (act.exact) so
/// that ExactConstantProduct, in the same pattern set, rounds about the
/// exact product; f64 keeps those divisions. Runs after the other f32
/// forms, whose pair arguments read x / c themselves.
struct ConstantDivision : public OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::DivFOp div,
                                PatternRewriter &rewriter) const override {
    Type element = getElementTypeOrSelf(div.getType());
    if (!element.isF32() && !element.isF64())
      return failure();
    std::optional<long double> reciprocal =
        getConstantReciprocal(div.getRhs(), getExactOperand(div, 1));
    if (!reciprocal)
      return failure();
    Emitter e(rewriter, div.getLoc(), div.getType());
    double rounded = element.isF32() ? (double)(float)*reciprocal
                                     : (double)*reciprocal;
    bool exact = (long double)rounded == *reciprocal;
    if (!(std::fabs(rounded) > 1) || exact) {
      rewriter.replaceOpWithNewOp<arith::MulFOp>(div, div.getLhs(),
                                                 e.c(rounded));
      return success();
    }
    if (!element.isF32())
      return failure();
    auto mul = arith::MulFOp::create(rewriter, div.getLoc(), div.getLhs(),
                                     e.c(rounded));
    mul->setAttr(kExactAttrName,
                 rewriter.getArrayAttr({rewriter.getUnitAttr(),
                                        rewriter.getF64FloatAttr(
                                            (double)*reciprocal)}));
    rewriter.replaceOp(div, mul);
    return success();
  }
};
} // namespace

void mlir::act::populateFastExactProductPatterns(RewritePatternSet &patterns) {
  patterns.add<ExactConstantProduct, ConstantDivision>(patterns.getContext());
}

void mlir::act::populateFastProductPatterns(RewritePatternSet &patterns,
                                            bool avx512) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<SigmoidPrime, SigmoidProduct, MishProduct, ErfcProduct,
               TanhOfSoftplus, ExpOfDifference, NonPositiveExpm1Select>(
      ctx, avx512);
  patterns.add<TanhShrink, TanhSquare, SoftsignQuotient>(ctx);
}

void mlir::act::populateFastGradSumPatterns(RewritePatternSet &patterns,
                                            bool avx512) {
  patterns.add<SigmoidGradSum, MishGradSum>(patterns.getContext(), avx512);
}

void mlir::act::populateAccurateGradSumPatterns(RewritePatternSet &patterns,
                                                bool avx512) {
  patterns.add<SigmoidGradSum>(patterns.getContext(), avx512,
                               /*accurate=*/true);
  if (avx512) // mish' is routed only there
    patterns.add<MishGradSum>(patterns.getContext(), avx512,
                              /*accurate=*/true);
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

std::optional<CubicArgument> mlir::act::matchCubicArgument(Value t) {
  Value leaf;
  auto at = [&](long double x) {
    return evaluateAt(t, std::nullopt, leaf, x, kPairDepth * 2);
  };
  std::optional<long double> one = at(1), two = at(2);
  if (!one || !two || *one == 0 || !leaf || leaf.getType() != t.getType())
    return std::nullopt;
  long double r = *two / (2 * *one);
  if (r >= 4)
    return std::nullopt;
  double a = (double)((r - 1) / (4 - r));
  double k = (double)(*one / (1 + (long double)a));
  if (!(a >= 0) || !std::isfinite(k))
    return std::nullopt;
  for (long double x : {-3.0L, -1.5L, -0.75L, -0.25L, 0.5L, 1.25L, 2.5L, 4.0L}) {
    std::optional<long double> v = at(x);
    long double expected = (long double)k * x * (1 + a * x * x);
    if (!v || std::fabs(*v - expected) > 0x1p-45L * std::fabs(expected))
      return std::nullopt;
  }
  return CubicArgument{leaf, k, a};
}
