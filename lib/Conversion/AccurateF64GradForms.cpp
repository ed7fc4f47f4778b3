//===- AccurateF64GradForms.cpp - accurate f64 derivative forms -----------===//
//
// See AccurateF64GradForms.h.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64GradForms.h"
#include "Approx/AccurateF64Grad.h"
#include "PairArgumentF64.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/OperandValues.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;

static bool isF64(Value value) {
  return getElementTypeOrSelf(value.getType()).isF64();
}

/// The operands (a, b) of `value` = sigmoid(a) * sigmoid(b) with b = -a
/// or a = -b; null otherwise.
static std::optional<std::pair<Value, Value>> matchSigmoidPrime(Value value) {
  auto mul = value.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return std::nullopt;
  auto sa = mul.getLhs().getDefiningOp<SigmoidOp>();
  auto sb = mul.getRhs().getDefiningOp<SigmoidOp>();
  if (!sa || !sb)
    return std::nullopt;
  Value a = sa.getOperand(), b = sb.getOperand();
  if (!isNegationOf(a, b) && !isNegationOf(b, a))
    return std::nullopt;
  return std::make_pair(a, b);
}

/// `value` with act-autodiff's strong zeros `a == 0 ? a : a * b` taken as
/// a * b (the forms below clamp where a * b would be inf * 0).
static Value peelStrongZeros(Value value) {
  while (auto select = value.getDefiningOp<arith::SelectOp>()) {
    auto mul = select.getFalseValue().getDefiningOp<arith::MulFOp>();
    if (!mul || (mul.getLhs() != select.getTrueValue() &&
                 mul.getRhs() != select.getTrueValue()))
      break;
    value = mul;
  }
  return value;
}

/// The factors of a product tree of mulf ops (`value` itself when it is
/// not a product), at most `depth` deep, through strong zeros; a sigmoid'
/// product is one factor.
static void collectFactors(Value value, int depth,
                           SmallVectorImpl<Value> &factors) {
  value = peelStrongZeros(value);
  auto mul = value.getDefiningOp<arith::MulFOp>();
  if (!mul || depth == 0 || matchSigmoidPrime(value)) {
    factors.push_back(value);
    return;
  }
  collectFactors(mul.getLhs(), depth - 1, factors);
  collectFactors(mul.getRhs(), depth - 1, factors);
}

/// True when `a` and `b` are the same value or equal constants.
static bool isSameFactor(Value a, Value b) {
  if (a == b)
    return true;
  std::optional<double> ca = getFloatConstant(a), cb = getFloatConstant(b);
  return ca && cb && *ca == *cb;
}

/// What an f64 constant stands for beyond itself: getConstantTailF64's
/// decimals and constants, and selu's alpha and scale (PyTorch's
/// 1.6732632423543772848170429916717 and 1.0507009873554804934193349852946,
/// which print in 17 digits), to 2^-106.
static double getTailF64(double c) {
  if (double tail = getConstantTailF64(c))
    return tail;
  static constexpr double kSelu[][2] = {
      {0x1.ac5afad782cf1p+0, 0x1.eb7a46c21f1dfp-54},  // alpha
      {0x1.0cfabd6a91132p+0, 0x1.6fc7d272f2695p-55}}; // scale
  for (const auto &known : kSelu)
    if (std::fabs(c) == known[0])
      return c < 0 ? -known[1] : known[1];
  return 0;
}

/// `value` as a double-double like PairArgumentF64.h's evaluatePairF64,
/// through strong zeros too (the derivative of x^3 is one); the non-constant
/// leaves go to `leaves`.
static approx::Pair evaluateThroughZeros(Emitter &e, Value value, int depth,
                                         SetVector<Value> &leaves) {
  value = peelStrongZeros(value);
  if (std::optional<double> constant = getFloatConstant(value)) {
    double tail = getTailF64(*constant);
    return {value, tail != 0 ? e.c(tail) : Value()};
  }
  Operation *op = value.getDefiningOp();
  if (!op || depth == 0 || op->hasAttr(kLeafAttrName) ||
      !isa<arith::NegFOp, arith::AddFOp, arith::SubFOp, arith::MulFOp>(op)) {
    leaves.insert(value);
    return {value, Value()};
  }
  auto operand = [&](unsigned i) {
    return evaluateThroughZeros(e, op->getOperand(i), depth - 1, leaves);
  };
  if (isa<arith::NegFOp>(op))
    return e.negPair(operand(0));
  if (isa<arith::MulFOp>(op))
    return e.productPair(operand(0), operand(1));
  return e.sumPair(operand(0), operand(1), isa<arith::SubFOp>(op));
}

/// The non-constant leaves of `value`'s arithmetic (as above).
static SetVector<Value> getLeaves(Value value) {
  SetVector<Value> leaves;
  SmallVector<Value> worklist{value};
  int budget = 64;
  while (!worklist.empty() && budget-- > 0) {
    Value v = peelStrongZeros(worklist.pop_back_val());
    if (getFloatConstant(v))
      continue;
    Operation *op = v.getDefiningOp();
    if (!op || op->hasAttr(kLeafAttrName) ||
        !isa<arith::NegFOp, arith::AddFOp, arith::SubFOp, arith::MulFOp>(op)) {
      leaves.insert(v);
      continue;
    }
    worklist.append(op->operand_begin(), op->operand_end());
  }
  if (!worklist.empty())
    leaves.insert(Value()); // too deep: no match
  return leaves;
}

namespace {
/// A pattern on f64 ops that builds its replacement with an Emitter.
template <typename OpT> struct FormF64 : public OpRewritePattern<OpT> {
  FormF64(MLIRContext *ctx, bool avx512)
      : OpRewritePattern<OpT>(ctx), avx512(avx512) {}

  /// The replacement of `op`; null when it does not fit.
  virtual Value build(Emitter &e, OpT op) const = 0;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    if (!isF64(op->getResult(0)))
      return failure();
    Emitter e(rewriter, op.getLoc(), op.getType());
    e.setAVX512(avx512);
    // build() matches before it emits anything.
    Value y = build(e, op);
    if (!y)
      return failure();
    rewriter.replaceOp(op, y);
    return success();
  }
  bool avx512;
};

/// s(t) + p m, p = s(t) s(-t), act-autodiff's strong zeros peeled off the
/// product: silu', swish', quick_gelu' (m the factors of t) and the tanh
/// GELUs' (m = x t'(x)), t and m arithmetic of one leaf x.
struct SigmoidGradSumF64 : public FormF64<arith::AddFOp> {
  using FormF64::FormF64;

  struct Match {
    Value t;
    /// The factors of m; empty when m is t (silu's).
    SmallVector<Value> m;
    /// Where G = 1 + m + exp(t) vanishes for m != t, if known (the tanh
    /// GELUs'); m = t has silu's zero.
    const approx::SigmoidSumCenterF64 *center = nullptr;
  };

  /// `value` at leaf = x in long double, through strong zeros; nullopt
  /// for anything but arithmetic of the leaf and constants.
  static std::optional<long double> evaluateAt(Value value, Value leaf,
                                               long double x, int depth) {
    value = peelStrongZeros(value);
    if (value == leaf)
      return x;
    if (std::optional<double> c = getFloatConstant(value))
      return (long double)*c + getTailF64(*c);
    Operation *op = value.getDefiningOp();
    if (!op || depth == 0 ||
        !isa<arith::NegFOp, arith::AddFOp, arith::SubFOp, arith::MulFOp,
             arith::DivFOp>(op))
      return std::nullopt;
    std::optional<long double> a =
        evaluateAt(op->getOperand(0), leaf, x, depth - 1);
    if (!a || isa<arith::NegFOp>(op))
      return a ? std::optional<long double>(-*a) : std::nullopt;
    std::optional<long double> b =
        evaluateAt(op->getOperand(1), leaf, x, depth - 1);
    if (!b)
      return std::nullopt;
    if (isa<arith::AddFOp>(op))
      return *a + *b;
    if (isa<arith::SubFOp>(op))
      return *a - *b;
    if (isa<arith::MulFOp>(op))
      return *a * *b;
    return *a / *b;
  }

  /// The tanh GELUs' center where this kernel's G = 1 + m + exp(t) is 0
  /// next to its x0 and t is next to its t_c (within 2^-20: the form is an
  /// identity, the test only says where it pays), else null.
  static const approx::SigmoidSumCenterF64 *
  findCenter(Value t, ArrayRef<Value> m, Value leaf) {
    const approx::SigmoidSumCenterF64 &center = approx::kGeluTanhSumCenterF64;
    std::optional<long double> tv = evaluateAt(t, leaf, center.x0, 16);
    long double mv = 1;
    for (Value factor : m) {
      std::optional<long double> f = evaluateAt(factor, leaf, center.x0, 16);
      if (!f || !tv)
        return nullptr;
      mv *= *f;
    }
    if (std::fabs(*tv - center.t) > 0x1p-20L ||
        std::fabs(1 + mv + std::exp(*tv)) > 0x1p-20L)
      return nullptr;
    return &center;
  }

  static std::optional<Match> match(arith::AddFOp add) {
    for (unsigned i = 0; i < 2; ++i) {
      auto sigmoid = add->getOperand(i).getDefiningOp<SigmoidOp>();
      if (!sigmoid)
        continue;
      Value t = sigmoid.getOperand();
      SmallVector<Value> factors, wanted;
      collectFactors(peelStrongZeros(add->getOperand(1 - i)), 6, factors);
      collectFactors(t, 6, wanted);
      // Exactly one factor is s(t) s(-t).
      int primes = 0;
      SmallVector<Value> rest;
      for (Value factor : factors) {
        std::optional<std::pair<Value, Value>> prime =
            matchSigmoidPrime(factor);
        if (prime && (prime->first == t || prime->second == t)) {
          ++primes;
          continue;
        }
        rest.push_back(factor);
      }
      if (primes != 1 || rest.empty())
        continue;
      // m = t where the other factors are t's.
      SmallVector<Value> unmatched(rest);
      bool same = unmatched.size() == wanted.size();
      for (Value w : wanted) {
        if (!same)
          break;
        auto *it = llvm::find_if(
            unmatched, [&](Value r) { return r && isSameFactor(r, w); });
        if (it == unmatched.end())
          same = false;
        else
          *it = Value();
      }
      if (same)
        return Match{t, {}};
      // Else t and m of one leaf (the tanh GELUs).
      SetVector<Value> leaves = getLeaves(t);
      for (Value factor : rest) {
        SetVector<Value> more = getLeaves(factor);
        leaves.insert(more.begin(), more.end());
      }
      if (leaves.size() == 1 && leaves[0])
        return Match{t, rest, findCenter(t, rest, leaves[0])};
    }
    return std::nullopt;
  }

  Value build(Emitter &e, arith::AddFOp add) const override {
    std::optional<Match> match = this->match(add);
    if (!match)
      return Value();
    approx::Pair t = evaluatePairF64(e, match->t);
    if (match->m.empty()) {
      approx::SigmoidSumNearZeroF64 zero = approx::buildSiluSumNearZeroF64(e, t);
      return approx::buildAccurateSigmoidGradSumF64(e, t, t, &zero);
    }
    SetVector<Value> leaves;
    approx::Pair m = evaluateThroughZeros(e, match->m[0], 8, leaves);
    for (Value factor : ArrayRef<Value>(match->m).drop_front())
      m = e.productPair(m, evaluateThroughZeros(e, factor, 8, leaves));
    m = e.zeroLowWhereNotFinite(m);
    if (!match->center)
      return approx::buildAccurateSigmoidGradSumF64(e, t, m);
    approx::SigmoidSumNearZeroF64 zero =
        approx::buildSigmoidSumNearCenterF64(e, t, m, *match->center);
    return approx::buildAccurateSigmoidGradSumF64(e, t, m, &zero);
  }
};

/// s(t) s(-t): sigmoid', tanh'.
struct SigmoidPrimeF64 : public FormF64<arith::MulFOp> {
  using FormF64::FormF64;
  Value build(Emitter &e, arith::MulFOp mul) const override {
    std::optional<std::pair<Value, Value>> prime =
        matchSigmoidPrime(mul.getResult());
    if (!prime)
      return Value();
    return approx::buildAccurateSigmoidPrimeF64(
        e, evaluatePairF64(e, prime->first));
  }
};

/// s(t) s(-t) 2^k for a small k (tanh''s 4 sigmoid'(2x)): the power of two
/// inside, so that a subnormal sigmoid' does not round before 2^k.
struct ScaledSigmoidPrimeF64 : public FormF64<arith::MulFOp> {
  using FormF64::FormF64;
  Value build(Emitter &e, arith::MulFOp mul) const override {
    for (unsigned i = 0; i < 2; ++i) {
      std::optional<std::pair<Value, Value>> prime =
          matchSigmoidPrime(mul->getOperand(i));
      std::optional<double> c = getFloatConstant(mul->getOperand(1 - i));
      if (!prime || !c || *c <= 0)
        continue;
      int k;
      if (std::frexp(*c, &k) != 0.5 || k - 1 < 1 || k - 1 > 8)
        continue;
      return approx::buildAccurateSigmoidPrimeF64(
          e, evaluatePairF64(e, prime->first), k - 1);
    }
    return Value();
  }
};

/// select(c, a, exp(x) k1) k2 (either branch): selu''s scale alpha exp(x)
/// rounded once.
struct ScaledExpF64 : public FormF64<arith::MulFOp> {
  using FormF64::FormF64;
  Value build(Emitter &e, arith::MulFOp mul) const override {
    for (unsigned i = 0; i < 2; ++i) {
      std::optional<double> k2 = getFloatConstant(mul->getOperand(1 - i));
      auto select = mul->getOperand(i).getDefiningOp<arith::SelectOp>();
      if (!k2 || !select || !std::isfinite(*k2))
        continue;
      for (unsigned branch = 0; branch < 2; ++branch) {
        Value scaled = branch ? select.getFalseValue() : select.getTrueValue();
        Value other = branch ? select.getTrueValue() : select.getFalseValue();
        auto inner = scaled.getDefiningOp<arith::MulFOp>();
        if (!inner || !getFloatConstant(other))
          continue;
        for (unsigned j = 0; j < 2; ++j) {
          std::optional<double> k1 = getFloatConstant(inner->getOperand(1 - j));
          auto exp = inner->getOperand(j).getDefiningOp<math::ExpOp>();
          if (!k1 || !exp || !std::isfinite(*k1) ||
              exp->hasAttr(kWideAttrName) ||
              exp.getOperand().getDefiningOp<arith::ExtFOp>())
            continue;
          // k = k1 k2 as a pair, with the decimal tails of both.
          double hi = *k1 * *k2;
          double lo = std::fma(*k1, *k2, -hi) + getTailF64(*k1) * *k2 +
                      *k1 * getTailF64(*k2);
          Value y =
              approx::buildAccurateScaledExpF64(e, exp.getOperand(), hi, lo);
          Value a = e.mul(other, mul->getOperand(1 - i));
          return branch ? e.select(select.getCondition(), a, y)
                        : e.select(select.getCondition(), y, a);
        }
      }
    }
    return Value();
  }
};

/// (1 - x / d sign(x)) / d with d = |x| + 1: softsign'.
struct SoftsignGradF64 : public FormF64<arith::DivFOp> {
  using FormF64::FormF64;
  static Value matchAbsPlusOne(Value d) {
    auto add = d.getDefiningOp<arith::AddFOp>();
    for (unsigned i = 0; add && i < 2; ++i)
      if (getFloatConstant(add->getOperand(1 - i)) == 1.0)
        if (auto abs = add->getOperand(i).getDefiningOp<math::AbsFOp>())
          return abs.getOperand();
    return Value();
  }
  Value build(Emitter &e, arith::DivFOp div) const override {
    Value d = div.getRhs();
    Value x = matchAbsPlusOne(d);
    if (!x || x.getDefiningOp<arith::ExtFOp>())
      return Value();
    auto sub = div.getLhs().getDefiningOp<arith::SubFOp>();
    if (!sub || getFloatConstant(sub.getLhs()) != 1.0)
      return Value();
    auto mul = sub.getRhs().getDefiningOp<arith::MulFOp>();
    for (unsigned i = 0; mul && i < 2; ++i) {
      auto quotient = mul->getOperand(i).getDefiningOp<arith::DivFOp>();
      if (!quotient || quotient.getLhs() != x || quotient.getRhs() != d)
        continue;
      // sign(x): x > 0 ? 1 : (x < 0 ? -1 : 0).
      auto sign = mul->getOperand(1 - i).getDefiningOp<arith::SelectOp>();
      if (!sign || getFloatConstant(sign.getTrueValue()) != 1.0)
        continue;
      auto positive = sign.getCondition().getDefiningOp<arith::CmpFOp>();
      auto rest = sign.getFalseValue().getDefiningOp<arith::SelectOp>();
      if (!positive || positive.getLhs() != x ||
          positive.getPredicate() != arith::CmpFPredicate::OGT ||
          getFloatConstant(positive.getRhs()) != 0.0 || !rest ||
          getFloatConstant(rest.getTrueValue()) != -1.0 ||
          getFloatConstant(rest.getFalseValue()) != 0.0)
        continue;
      return approx::buildAccurateSoftsignGradF64(e, x);
    }
    return Value();
  }
};

/// tanh(sp) + 4 q s(x) x, sp = max(x, 0) + log1p(exp(-|x|)) (softplus as
/// act-expand writes it), s = act.sigmoid, q = sech^2(sp) / 4 as a
/// division (act-expand's createSechSquaredOfSoftplusQuarter), strong
/// zeros peeled: mish'.
struct MishGradSumF64 : public FormF64<arith::AddFOp> {
  using FormF64::FormF64;

  /// x where `value` is softplus(x) as above, else null.
  static Value matchSoftplus(Value value) {
    auto add = value.getDefiningOp<arith::AddFOp>();
    for (unsigned i = 0; add && i < 2; ++i) {
      auto max = add->getOperand(i).getDefiningOp<arith::MaximumFOp>();
      auto log1p = add->getOperand(1 - i).getDefiningOp<math::Log1pOp>();
      if (!max || !log1p || getFloatConstant(max.getRhs()) != 0.0)
        continue;
      Value x = max.getLhs();
      auto exp = log1p.getOperand().getDefiningOp<math::ExpOp>();
      auto neg = exp ? exp.getOperand().getDefiningOp<arith::NegFOp>() : nullptr;
      auto abs = neg ? neg.getOperand().getDefiningOp<math::AbsFOp>() : nullptr;
      if (abs && abs.getOperand() == x)
        return x;
    }
    return Value();
  }

  Value build(Emitter &e, arith::AddFOp add) const override {
    for (unsigned i = 0; i < 2; ++i) {
      auto tanh = add->getOperand(i).getDefiningOp<math::TanhOp>();
      if (!tanh || tanh->hasAttr(kWideAttrName))
        continue;
      Value x = matchSoftplus(tanh.getOperand());
      if (!x || x.getDefiningOp<arith::ExtFOp>())
        continue;
      SmallVector<Value> factors;
      collectFactors(peelStrongZeros(add->getOperand(1 - i)), 6, factors);
      // x, sigmoid(x), one division and constants whose product is 4.
      int xs = 0, sigmoids = 0, divisions = 0, others = 0;
      double k = 1;
      for (Value factor : factors) {
        if (std::optional<double> c = getFloatConstant(factor))
          k *= *c;
        else if (factor == x)
          ++xs;
        else if (auto s = factor.getDefiningOp<SigmoidOp>())
          s.getOperand() == x ? ++sigmoids : ++others;
        else if (factor.getDefiningOp<arith::DivFOp>())
          ++divisions;
        else
          ++others;
      }
      if (xs != 1 || sigmoids != 1 || divisions != 1 || others != 0 || k != 4)
        continue;
      return approx::buildAccurateMishGradF64(e, x);
    }
    return Value();
  }
};

/// erfc(-(x / sqrt 2)) * 0.5 + (t2 == 0 ? t2 : t2 * (x * 0.5)), t2 =
/// exp(-(z * z)) * k1 * k2 with k1 k2 = sqrt(2 / pi) (act-autodiff's
/// Phi(x) + x phi(x) after act-expand, GeluGradient.h's sum with the f64
/// constants themselves): the erf GELU's gelu'.
struct GeluGradSumF64 : public FormF64<arith::AddFOp> {
  using FormF64::FormF64;

  /// True when `t2` is exp(-(z * z)) * k1 * k2, k1 k2 = sqrt(2 / pi).
  static bool isScaledGaussian(Value t2, Value z) {
    auto outer = t2.getDefiningOp<arith::MulFOp>();
    for (unsigned i = 0; outer && i < 2; ++i) {
      auto inner = outer->getOperand(i).getDefiningOp<arith::MulFOp>();
      std::optional<double> k2 = getFloatConstant(outer->getOperand(1 - i));
      for (unsigned j = 0; inner && k2 && j < 2; ++j) {
        std::optional<double> k1 = getFloatConstant(inner->getOperand(1 - j));
        auto exp = inner->getOperand(j).getDefiningOp<math::ExpOp>();
        auto neg = exp ? exp.getOperand().getDefiningOp<arith::NegFOp>()
                       : arith::NegFOp();
        auto square = neg ? neg.getOperand().getDefiningOp<arith::MulFOp>()
                          : arith::MulFOp();
        if (k1 && square && square.getLhs() == z && square.getRhs() == z &&
            std::fabs(*k1 * *k2 - 0.7978845608028654) < 1e-15)
          return true;
      }
    }
    return false;
  }

  /// x where `w` is -(x / sqrt 2), else null.
  static Value matchArgument(Value w) {
    auto neg = w.getDefiningOp<arith::NegFOp>();
    auto div =
        neg ? neg.getOperand().getDefiningOp<arith::DivFOp>() : arith::DivFOp();
    if (!div || getFloatConstant(div.getRhs()) != 1.4142135623730951 ||
        div.getLhs().getDefiningOp<arith::ExtFOp>())
      return Value();
    return div.getLhs();
  }

  Value build(Emitter &e, arith::AddFOp add) const override {
    for (unsigned i = 0; i < 2; ++i) {
      auto half = add->getOperand(i).getDefiningOp<arith::MulFOp>();
      math::ErfcOp erfc;
      for (unsigned j = 0; half && j < 2 && !erfc; ++j)
        if (getFloatConstant(half->getOperand(1 - j)) == 0.5)
          erfc = half->getOperand(j).getDefiningOp<math::ErfcOp>();
      Value x = erfc && !erfc->hasAttr(kWideAttrName)
                    ? matchArgument(erfc.getOperand())
                    : Value();
      if (!x)
        continue;
      Value z = erfc.getOperand().getDefiningOp<arith::NegFOp>().getOperand();
      auto select = add->getOperand(1 - i).getDefiningOp<arith::SelectOp>();
      if (!select)
        continue;
      Value t2 = select.getTrueValue();
      Value m = getOtherFactor(select.getFalseValue().getDefiningOp(), t2);
      Value halfX = m ? getOtherFactor(m.getDefiningOp(), x) : Value();
      if (!halfX || getFloatConstant(halfX) != 0.5 || !isScaledGaussian(t2, z))
        continue;
      return approx::buildAccurateGeluGradF64(e, x);
    }
    return Value();
  }
};

/// tanh(x) * tanh(x): tanhshrink'.
struct TanhSquaredF64 : public FormF64<arith::MulFOp> {
  using FormF64::FormF64;
  Value build(Emitter &e, arith::MulFOp mul) const override {
    auto tanh = mul.getLhs().getDefiningOp<math::TanhOp>();
    if (!tanh || mul.getRhs() != mul.getLhs() || tanh->hasAttr(kWideAttrName))
      return Value();
    return approx::buildAccurateTanhSquaredF64(e, tanh.getOperand());
  }
};
} // namespace

LogicalResult mlir::act::applyAccurateF64GradForms(ModuleOp module,
                                                   bool avx512) {
  MLIRContext *ctx = module.getContext();
  // The sums first, then sigmoid' times a power of two: they read the
  // sigmoid' products whole.
  RewritePatternSet sums(ctx);
  sums.add<SigmoidGradSumF64, MishGradSumF64, GeluGradSumF64>(ctx, avx512);
  if (failed(applyPatternsGreedily(module, std::move(sums))))
    return failure();
  RewritePatternSet scaled(ctx);
  scaled.add<ScaledSigmoidPrimeF64>(ctx, avx512);
  if (failed(applyPatternsGreedily(module, std::move(scaled))))
    return failure();
  RewritePatternSet forms(ctx);
  forms.add<SigmoidPrimeF64, ScaledExpF64, SoftsignGradF64, TanhSquaredF64>(
      ctx, avx512);
  return applyPatternsGreedily(module, std::move(forms));
}
