//===- AccurateF32Exp.cpp - accurate f32 exp with a cheaper reduction -----===//
//
// precision=accurate, f32: exp(x) = 2^n (h + l), ExpF32.cpp's degree-5 core
// (kExpQ5, 1 + r kept as a pair), with two changes that keep its accuracy:
//
//  - the reduced argument's pair r + rl by three FMAs: r1 = x - n ln2_head
//    (exact: ln2_head has 16 bits), r = r1 - n ln2_tail rounded once, rl =
//    (r1 - r) - n ln2_tail. |n ln2_tail| < 2^-12 for |x| <= 104, so r1 - r
//    is exact but where r1 and r are both below ~2^-11, and rl is r's
//    rounding error to about 2^-35 absolute (ExpF32.cpp: a TwoSum and two
//    products, nine ops, for the same pair);
//  - 2^n applied by one vscalefps where AVX-512 is enabled (rounded once,
//    subnormal results too), by Emitter::scale's two exact factors
//    otherwise.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

AccurateReduction mlir::act::approx::reduceAccurateExpF32(Emitter &e,
                                                          Value x) {
  AccurateReduction p;
  Value shifter = e.c(0x1.8p23);
  Value t = e.fma(x, e.c(1.4426950408889634), shifter);
  p.nf = e.sub(t, shifter);
  p.n = e.isub(e.toBits(t), e.toBits(shifter));
  Value minusN = e.neg(p.nf);
  Value tail = e.c((float)kLogLn2Tail);
  Value r1 = e.fma(minusN, e.c(kLogLn2Head), x);
  p.r = e.fma(minusN, tail, r1);
  p.rl = e.fma(minusN, tail, e.sub(r1, p.r));
  return p;
}

Pair mlir::act::approx::buildAccurateExpCoreF32(Emitter &e,
                                                const AccurateReduction &p) {
  // exp(r + rl) = 1 + r + r^2 q(r) + rl (1 + r), 1 + r as a pair.
  Value r = p.r;
  Value poly = e.mul(r, e.mul(r, e.poly(r, kExpQ5)));
  Pair head = e.fastTwoSum(e.c(1.0), r);
  return {head.hi, e.add(head.lo, e.add(poly, e.fma(p.rl, r, p.rl)))};
}

Value mlir::act::approx::buildAccurateExpF32(Emitter &e, Value x) {
  // exp(89) overflows and exp(-104) rounds to 0; a NaN passes the clamp.
  Value clamped = e.clamp(x, -104.0, 89.0);
  AccurateReduction p = reduceAccurateExpF32(e, clamped);
  Pair y = buildAccurateExpCoreF32(e, p);
  return e.scaleByFloat(e.add(y.hi, y.lo), p.n, p.nf);
}

/// (exp(r) - 1 - r - r^2 / 2) / r^2 = q(r) - 1/2 (kExpQ5's fit).
static constexpr double kExpm1SAccurate[] = {kExpQ5[0] - 0.5, kExpQ5[1],
                                             kExpQ5[2],       kExpQ5[3],
                                             kExpQ5[4],       kExpQ5[5]};

Pair mlir::act::approx::buildAccurateExpm1NonPositivePairF32(Emitter &e,
                                                             Value x,
                                                             bool fineTail) {
  // x <= 0 (and NaN; the caller's select drops the other lanes). Below
  // -17.33 expm1 rounds to -1: the clamp at -18 keeps that. n is held at
  // -24 or above (the shifter's sum clamped), so 2^n - 1 is exact; below
  // x = -16.98 that leaves |r1| up to 1.36, where the polynomial is coarse
  // but its term is 2^-24 (e^r1 - 1 - r1), far below the result's ULP.
  Value a = e.max(x, e.c(-18.0));
  Value shifter = e.c(0x1.8p23);
  Value t = e.max(e.fma(a, e.c(1.4426950408889634), shifter),
                  e.c(0x1.8p23 - 24));
  Value minusN = e.sub(shifter, t);
  // a = n ln 2 + r1 + c: r1 = a - n ln2_head exact (16-bit head), c = -n
  // ln2_tail (|c| < 2^-14.7, rounded far below the result's ULP).
  Value r1 = e.fma(minusN, e.c(kLogLn2Head), a);
  Value c = e.mul(minusN, e.c((float)kLogLn2Tail));
  // exp(r1 + c) - 1 = r1 + w, w = c + X^2 q(X), X = r1 + c, and the
  // polynomial term from r = X rounded: its error |X - r| (e^r - 1) is
  // below 2^-27 absolute, 2^n times that on the result (measured ~0.1 ULP
  // at most; carrying X - r costs three ops, c (1 + r1) without it was
  // 2.1 ULP off).
  Value r = e.add(r1, c);
  Value w;
  if (fineTail) {
    // X^2 q(X) = r^2 / 2 + r^2 s(r), s = q - 1/2: r^2 / 2 exact inside
    // the last FMA, so only the smaller r^2 s(r) + c (|.| < r^3 / 5) and
    // the sum round. Two ops more than r^2 q(r) in three roundings, which
    // is up to 0.35 ULP of expm1 near x = -0.33 (elu's exhaustive 0.8484)
    // and 0.9992 ULP for selu, whose k expm1 magnifies it 1.76 times.
    Value tail = e.fma(e.mul(r, r), e.poly(r, kExpm1SAccurate), c);
    w = e.fma(r, e.mul(r, e.c(0.5)), tail);
  } else {
    w = e.fma(e.mul(r, e.poly(r, kExpQ5)), r, c);
  }
  // expm1 = (2^n - 1) + 2^n r1 + 2^n w, 2^n from t's bits (its shifter
  // bits shift out), 2^n - 1 exact (n >= -24). The first sum is an exact
  // pair by Fast2Sum (|2^n - 1| >= |2^n r1| but at n = 0, where 2^n - 1 =
  // 0), 2^n r1 exact inside both FMAs: hi = 2^n r1 + (2^n - 1) rounded,
  // hi - (2^n - 1) exact, and 2^n r1 minus that exact. Then 2^n w joins
  // the low part and the sum rounds once. n = 0 gives r1 + w in one
  // rounding (r1 = x: tiny x keeps its relative accuracy; a subnormal x
  // returns x).
  Value m = e.fromBits(e.iadd(e.shl(e.toBits(t), 23), e.ci(127 << 23)));
  Value mMinusOne = e.sub(m, e.c(1.0));
  Value hi = e.fma(m, r1, mMinusOne);
  Value lo = e.fma(m, r1, e.neg(e.sub(hi, mMinusOne)));
  return {hi, e.fma(m, w, lo)};
}

Value mlir::act::approx::buildAccurateExpm1NonPositiveF32(Emitter &e,
                                                          Value x) {
  Pair y = buildAccurateExpm1NonPositivePairF32(e, x);
  return e.add(y.hi, y.lo);
}

/// c as an f32 pair: c = hi + lo to about 2^-48 relative, hi rounded
/// toward zero so that lo has c's sign (x = +inf: fma(x, hi, x lo) is inf,
/// not inf - inf).
static Pair splitConstant(Emitter &e, double c) {
  float hi = (float)c;
  if (std::fabs((double)hi) > std::fabs(c))
    hi = std::nextafter(hi, 0.0f);
  return {e.c(hi), e.c((float)(c - hi))};
}

Value mlir::act::approx::buildAccurateEluF32(Emitter &e, Value x,
                                             double alpha, double scale) {
  double k = alpha * scale;
  Value nonNegative = e.ge(x, e.c(0.0)); // both zeros take x's side
  if (k == 1.0 && scale == 1.0) // elu, celu: x >= 0 ? x : expm1(x)
    return e.select(nonNegative, x, buildAccurateExpm1NonPositiveF32(e, x));
  // x < 0: k (hi + lo), k = scale alpha = kh + kl, as kh hi (an exact pair
  // by one FMA) plus kh lo + kl hi, rounded once at the end.
  Pair y = buildAccurateExpm1NonPositivePairF32(e, x, /*fineTail=*/true);
  Pair kp = splitConstant(e, k);
  Pair p = e.twoProd(kp.hi, y.hi);
  Value negative = e.add(p.hi, e.fma(kp.hi, y.lo, e.fma(kp.lo, y.hi, p.lo)));
  // x >= 0: scale x = x sh + x sl, rounded once by the FMA.
  Pair sp = splitConstant(e, scale);
  Value positive = x;
  if (scale != 1.0)
    positive = e.fma(x, sp.hi, e.mul(x, sp.lo));
  Value result = e.select(nonNegative, positive, negative);
  // Near the subnormal range the error terms (x sl, kl hi, the exact
  // product's) round on the subnormal grid: up to 1.5 ULP. Below |x| =
  // 2^-100 (where expm1(x) = x to 2^-100), c x with c = scale or k by
  // sign is taken on x 2^48 and scaled back: exact but for a subnormal
  // result, which rounds once more (at most 0.75 ULP). Off the main
  // chain: it costs about nine independent ops.
  Value xs = e.mul(x, e.c(0x1p48));
  Value ch = e.select(nonNegative, sp.hi, kp.hi);
  Value cl = e.select(nonNegative, sp.lo, kp.lo);
  Value tiny = e.mul(e.fma(xs, ch, e.mul(xs, cl)), e.c(0x1p-48));
  return e.select(e.lt(e.abs(x), e.c(0x1p-100)), tiny, result);
}

Value mlir::act::approx::buildAccurateScaledExpF32(Emitter &e, Value x,
                                                   double k, Value dy) {
  // k exp(x) = 2^n (k (h + l)) with k = kh + kl: kh h as an exact pair by
  // one FMA, kh l + kl h added, rounded once, then 2^n (vscalefps with
  // AVX-512: one rounding for a subnormal result too; Emitter::scale's
  // two exact factors otherwise). Below -104 - ln max(|k|, 1) - 1 the
  // result rounds to 0 (selu' at -inf: 0, not 2^-149 from k exp(-104)); a
  // NaN passes the max; above 0 the caller's select drops the lanes.
  double lowest = -105.0 - std::log(std::max(std::fabs(k), 1.0));
  Value clamped = e.max(x, e.c(std::floor(lowest)));
  AccurateReduction p = reduceAccurateExpF32(e, clamped);
  Pair y = buildAccurateExpCoreF32(e, p);
  Pair kp = splitConstant(e, k);
  if (dy) {
    // dy k = a + al (an exact pair by one FMA, plus dy kl; k = 1: dy
    // itself), then the same product with (h + l); dy = +-inf keeps only
    // a h (buildProductByPairF32's guard).
    Pair a = {dy, Value()};
    if (k != 1.0) {
      a = e.twoProd(dy, kp.hi);
      a.lo = e.fma(dy, kp.lo, a.lo);
    }
    Pair q = e.twoProd(a.hi, y.hi);
    Value low = e.fma(a.hi, y.lo, q.lo);
    if (a.lo)
      low = e.fma(a.lo, y.hi, low);
    Value s = e.add(q.hi, dropLowForSpecialDy(e, dy, low));
    return e.scaleByFloat(s, p.n, p.nf);
  }
  Pair q = e.twoProd(kp.hi, y.hi);
  Value s = e.add(q.hi, e.fma(kp.hi, y.lo, e.fma(kp.lo, y.hi, q.lo)));
  return e.scaleByFloat(s, p.n, p.nf);
}

Value mlir::act::approx::buildAccurateConstantTimesF32(Emitter &e, Value dy,
                                                       double c) {
  Pair cp = splitConstant(e, c);
  if ((double)(float)c == c)
    return e.mul(dy, e.c(c));
  return buildProductByPairF32(e, dy, cp);
}
