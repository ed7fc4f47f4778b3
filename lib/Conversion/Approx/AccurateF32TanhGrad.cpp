//===- AccurateF32TanhGrad.cpp - tanh' times dy in f32 pairs (AVX-512) ----===//
//
// precision=accurate, f32, 16 x f32 with AVX-512. act-expand writes tanh's
// gradient dy (1 - tanh(x)^2) as dy * (4 * (sigmoid(2x) * sigmoid(-2x))),
// and its routing (AccurateF32Routing.h) lets the product by 4 and dy's
// product follow the sigmoid' form. Here the whole product is one form:
//
//   dx = 2^(n + k) (m (h + l)) / (1 + E)^2,   E = exp(-|t|) = 2^n (h + l),
//
// with t = 2x, k = 2, m = dy. E comes from ExpF32.cpp's 32-entry table core
// (buildExpTablePairF32: h = 2^(j/32) rounded, l about 1% of h, h + l within
// 2^-30 of exp; a cubic instead of the degree-5 core and its renormalizing
// sums of AccurateF32Sigmoid.cpp's form), 2^n applied by vscalefps. 1 + E
// is a renormalized pair (five ops, renormalizedOnePlus), its square a pair
// (one exact product, 2 dh dl by FMA), m (h + l) a pair (exact product plus m
// l), the quotient one division and a residual step, and 2^(n + k) last: the
// result rounds once, plus q's own rounding where it is subnormal (at most
// 0.75 ULP there; the session-6 attempt scaled by 4 after a rounding on the
// subnormal grid: 2.5 ULP at x = -44.2). dy's product rounds inside the
// form, not after it (the former kernel rounded f' and then dy f').
//
// Specials: NaN t gives NaN; |t| is clamped to 150 (4 e^-150 underflows),
// so t = +-inf gives 0 (times a finite m); m = +-0 and +-inf return m (the
// residual step would give +0 and inf - inf; also where f' underflows,
// where IEEE's inf * 0 would be NaN). With t = 2x (tanh's), E = exp(-2|x|)
// comes from x itself (AccurateF32Tanh.cpp's core: |x| clamped to 75 by one
// vminps instead of 2x, -|2x| and a vmaxps), its tables halved (h < 1, E =
// 2^(n + 1) (h + l), 2^(n + k + 1) last): with h up to 2, m h overflowed
// for |m| > 1.7e38 where dx does not (NaN at m = -3e38, x = 3).
//
//===----------------------------------------------------------------------===//

#include "AccurateF32TanhGrad.h"
#include "../FastForms.h"
#include "Approx.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;
using namespace mlir::act::approx;

Pair mlir::act::approx::renormalizedOnePlus(Emitter &e, Value eh, Value el) {
  // s = eh + el rounded, dh = 1 + s, z = dh - 1 exact (dh in [1, 2]); eh
  // - z is exact (z is within 2% of eh where eh >= 2^-22, and a multiple
  // of 2^-23 below |eh| + 2^-23 otherwise), so dl is dh's rounding error
  // to ~2^-48. (Fast2Sum(1, eh) plus el leaves a low part ~1% of the high
  // one: a residual step on it is first order only, 1e-4 off.)
  Value s = e.add(eh, el);
  Value dh = e.add(e.c(1.0), s);
  Value z = e.sub(dh, e.c(1.0));
  return {dh, e.add(e.sub(eh, z), el)};
}

Pair mlir::act::approx::renormalizedOnePlusTwice(Emitter &e, Value eh,
                                                 Value el) {
  // renormalizedOnePlus(2 eh, 2 el) bit for bit, the doubling inside FMAs,
  // its low part doubled too: 2z = 2 dh - 2 and 2 dl = (4 eh - 2z) + 4 el
  // are the same roundings scaled by 2.
  Value s = e.add(eh, el);
  Value dh = e.fma(s, e.c(2.0), e.c(1.0));
  Value z2 = e.fma(dh, e.c(2.0), e.c(-2.0));
  return {dh, e.fma(el, e.c(4.0), e.fma(eh, e.c(4.0), e.neg(z2)))};
}

/// Below -150, 2^k E / (1 + E)^2 underflows for every k this form takes.
static constexpr double kClamp = 150.0;

/// True where m is +-0 or +-inf (m + m == m; two ops, as |m| == inf was,
/// where llvm.is.fpclass became four): there m 2^k sigmoid'(t) is m
/// itself (sigmoid' is finite and positive), which the residual step would
/// give as +0 (-0 + +0) or NaN (inf - inf).
static Value isZeroOrInfinite(Emitter &e, Value m) {
  return e.eq(e.add(m, m), m);
}

/// The clamped argument of the exp core (`clamped`: finite, NaN where the
/// input is NaN) as it marks a special m: m + `clamped` * `zero`, where
/// `zero` has the sign that makes the product -0, so that m stays m (-0
/// included) and a NaN input gives NaN, not m (docs/autodiff.md: a NaN x
/// gives NaN whatever dy is). One FMA.
static Value withNaNOfInput(Emitter &e, Value m, Value clamped, double zero) {
  return e.fma(clamped, e.c(zero), m);
}

/// m 2^k E / (1 + E)^2 from E = 2^n (h + l), unscaled; `halved`: E = 2^(n
/// + 1) (h + l) (h < 1, so that m h does not overflow where m does not).
/// `special` is what a special m (+-0, +-inf) gives: m, or NaN for a NaN
/// input (withNaNOfInput).
static Value buildQuotient(Emitter &e, Value m, Value special, Value h,
                           Value l, Value nf, int log2Scale, bool halved) {
  // E = 2^n (h + l), both parts exact where E is normal; below, 1 + E is 1
  // to 2^-100 whatever they round to.
  Value eh = e.scaleByFloat(h, Value(), nf);
  Value el = e.scaleByFloat(l, Value(), nf);
  // (1 + E)^2 = dh^2 + 2 dh dl (dl^2 < 2^-48 dropped), dh^2 exact; with
  // the halves, 2 dl comes out of the renormalization (one op fewer).
  Pair square;
  if (halved) {
    Pair d = renormalizedOnePlusTwice(e, eh, el);
    square = e.twoProd(d.hi, d.hi);
    square.lo = e.fma(d.hi, d.lo, square.lo);
  } else {
    Pair d = renormalizedOnePlus(e, eh, el);
    square = e.twoProd(d.hi, d.hi);
    square.lo = e.fma(e.add(d.hi, d.hi), d.lo, square.lo);
  }
  // m (h + l): m h exact, m l rounded (l is ~1% of h).
  Pair numerator = e.twoProd(m, h);
  numerator.lo = e.fma(m, l, numerator.lo);
  Value q = e.divPair(numerator, square);
  Value y =
      e.scaleByFloat(q, Value(), e.add(nf, e.c(log2Scale + (halved ? 1 : 0))));
  return e.select(isZeroOrInfinite(e, m), special, y);
}

Value mlir::act::approx::buildAccurateScaledSigmoidPrimeProductF32(
    Emitter &e, Value m, Pair t, int log2Scale) {
  assert(e.hasAVX512() && "the table exp core needs AVX-512");
  // u = -|t| as a pair (the form is even in t), clamped; a NaN stays.
  Value u = e.max(e.neg(e.abs(t.hi)), e.c(-kClamp));
  Value ul;
  if (t.lo)
    ul = e.select(e.lt(t.hi, e.c(0.0)), t.lo, e.neg(t.lo));
  ExpSplit x = buildExpTablePairF32(e, u, ul);
  // u <= 0: u * +0 is -0.
  return buildQuotient(e, m, withNaNOfInput(e, m, u, 0.0), x.h, x.l, x.nf,
                       log2Scale, /*halved=*/false);
}

Value mlir::act::approx::buildAccurateScaledTanhPrimeProductF32(Emitter &e,
                                                                Value m,
                                                                Value x,
                                                                int log2Scale) {
  assert(e.hasAVX512() && "the table exp core needs AVX-512");
  Value clamped = e.min(e.abs(x), e.c(kClamp / 2));
  TableExp E = buildTableExpOfMinusTwiceF32(e, clamped, /*halved=*/true);
  // clamped >= 0: clamped * -0 is -0.
  return buildQuotient(e, m, withNaNOfInput(e, m, clamped, -0.0), E.h, E.l,
                       E.nf, log2Scale, /*halved=*/true);
}

/// x where t is x * 2, 2 * x or x + x (exact), else null.
static Value getHalfOf(Value t) {
  if (auto add = t.getDefiningOp<arith::AddFOp>())
    return add.getLhs() == add.getRhs() ? add.getLhs() : Value();
  auto mul = t.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return {};
  for (unsigned i = 0; i < 2; ++i)
    if (getFloatConstant(mul->getOperand(i)) == 2.0)
      return mul->getOperand(1 - i);
  return {};
}

std::optional<ScaledSigmoidPrimeMatch>
mlir::act::matchScaledSigmoidPrime(arith::MulFOp scaled) {
  for (unsigned i = 0; i < 2; ++i) {
    auto mul = scaled->getOperand(i).getDefiningOp<arith::MulFOp>();
    std::optional<double> c = getFloatConstant(scaled->getOperand(1 - i));
    int exponent;
    if (!mul || !mul->hasOneUse() || !c || !std::isfinite(*c) || *c <= 0 ||
        std::frexp(*c, &exponent) != 0.5 || exponent < 2)
      continue;
    auto a = mul.getLhs().getDefiningOp<SigmoidOp>();
    auto b = mul.getRhs().getDefiningOp<SigmoidOp>();
    if (!a || !b)
      continue;
    for (auto [s, other] : {std::pair(a, b), std::pair(b, a)}) {
      auto neg = other.getOperand().getDefiningOp<arith::NegFOp>();
      if (neg && neg.getOperand() == s.getOperand())
        return ScaledSigmoidPrimeMatch{s, exponent - 1};
    }
  }
  return std::nullopt;
}

namespace {
/// m * (2^k * (sigmoid(t) * sigmoid(-t))), rooted at the product by 2^k
/// (ScaledSigmoidPrime's root, which this pattern outranks) so that it
/// sees the whole product before the sigmoid' form takes it.
struct ScaledSigmoidPrimeProduct : public OpRewritePattern<arith::MulFOp> {
  ScaledSigmoidPrimeProduct(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx, /*benefit=*/2), avx512(avx512) {}
  LogicalResult matchAndRewrite(arith::MulFOp scaled,
                                PatternRewriter &rewriter) const override {
    if (!avx512 || !getElementTypeOrSelf(scaled.getType()).isF32() ||
        !scaled->hasOneUse())
      return failure();
    auto outer = dyn_cast<arith::MulFOp>(*scaled->getUsers().begin());
    if (!outer)
      return failure();
    Value m =
        outer.getLhs() == scaled.getResult() ? outer.getRhs() : outer.getLhs();
    if (m == scaled.getResult() || matchPattern(m, m_Constant()))
      return failure();
    std::optional<ScaledSigmoidPrimeMatch> match =
        matchScaledSigmoidPrime(scaled);
    if (!match)
      return failure();
    Emitter e(rewriter, outer.getLoc(), outer.getType());
    e.setAVX512(avx512);
    if (!e.hasAVX512()) // not 16 x f32: the sigmoid' form's path
      return failure();
    rewriter.setInsertionPoint(outer);
    // t = 2x (tanh'): E = exp(-2|x|) from x itself.
    Value t = match->sigmoid->getOperand(0);
    Value half = getHalfOf(t);
    Value dx = half ? buildAccurateScaledTanhPrimeProductF32(
                          e, m, half, match->log2Scale)
                    : buildAccurateScaledSigmoidPrimeProductF32(
                          e, m, evaluatePairF32(e, t), match->log2Scale);
    rewriter.replaceOp(outer, dx);
    rewriter.eraseOp(scaled);
    return success();
  }
  bool avx512;
};
} // namespace

void mlir::act::populateAccurateTanhGradPatterns(RewritePatternSet &patterns,
                                                 bool avx512) {
  patterns.add<ScaledSigmoidPrimeProduct>(patterns.getContext(), avx512);
}
