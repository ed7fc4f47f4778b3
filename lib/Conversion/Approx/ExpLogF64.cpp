//===- ExpLogF64.cpp - exp, expm1, log, log1p and tanh for f64 kernels ----===//
//
// The f64 kernels' own functions (1 ULP of f64; the wide cores of
// WideF64.cpp are 2^-40, for f32 results only), branch-free so that an f64
// vector loop stays vector code instead of one libm call per lane:
//
//  - exp: n = round(x / ln 2), r = x - n ln 2 with fdlibm's 32-bit head of
//    ln 2 (exact) and its tail, kept as a pair (r, rl); exp(r) = 1 + r +
//    r^2/2 + r^3 Q3(r), Q3 the Taylor series to r^13 / 13! (2^-57.8 on
//    |r| <= 0.3466), r + r^2/2 and 1 + that as exact pairs; scaled by 2^n
//    in two exact steps (a subnormal result rounds twice: 1 ULP there);
//  - exp2: 2^n exp(f ln 2), f = x - round(x) exact, f ln 2 as a pair;
//  - expm1: r + tail itself for n = 0, else (2^n - 1) + 2^n (r + tail) by
//    error-free sums (exp's result above n = 60);
//  - log and log1p: fdlibm's e_log.c polynomial (s = f / (2 + f),
//    Lg1..Lg7), f - f^2/2 and k ln 2 added as pairs, the rounding error of
//    1 + x (an exact twoSum) added as u_lo / u;
//  - exp and log1p of a pair as pairs (act.exp_pair, act.log1p_pair: the
//    f64 row kernels'): exp's 2^n (y.hi + y.lo) with a subnormal result
//    rounded once from the pair; log's core on 1 + t as a pair, a series
//    below |t| = 2^-20;
//  - tanh: -E / (2 + E) with E = expm1(-2|x|) as a pair, divided with one
//    residual step (no cancellation: 2 + E is in [1, 2]).
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"
#include "Approx.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

static constexpr double kLog2e = 1.4426950408889634;
/// fdlibm's ln 2 = kLn2Hi + kLn2Lo, kLn2Hi with 32 significant bits.
static constexpr double kLn2Hi = 6.93147180369123816490e-01;
static constexpr double kLn2Lo = 1.90821492927058770002e-10;
/// 1 / k! for k = 2..13.
static constexpr double kExpQ[] = {
    1.0 / 2,         1.0 / 6,          1.0 / 24,          1.0 / 120,
    1.0 / 720,       1.0 / 5040,       1.0 / 40320,       1.0 / 362880,
    1.0 / 3628800,   1.0 / 39916800,   1.0 / 479001600,   1.0 / 6227020800};
/// 1 / k! for k = 2..16: the pairs of buildTanhPairF64, whose x - tanh(x)
/// cancels their error by up to 12 (2^-74 on |r| <= 0.3466).
static constexpr double kExpQLong[] = {
    1.0 / 2,           1.0 / 6,            1.0 / 24,
    1.0 / 120,         1.0 / 720,          1.0 / 5040,
    1.0 / 40320,       1.0 / 362880,       1.0 / 3628800,
    1.0 / 39916800,    1.0 / 479001600,    1.0 / 6227020800,
    1.0 / 87178291200, 1.0 / 1307674368000, 1.0 / 20922789888000};
/// fdlibm e_log.c: (log(1 + f) - 2 s) / s, s = f / (2 + f), in s^2.
static constexpr double kLg[] = {
    6.666666666666735130e-01, 3.999999999940941908e-01,
    2.857142874366239149e-01, 2.222219843214978396e-01,
    1.818357216161805012e-01, 1.531383769920937332e-01,
    1.479819860511658591e-01};

namespace {
/// exp(x) = 2^n (1 + e), e = r + tail as a pair (|e.lo| <= ulp(e.hi) / 2).
struct ExpF64Parts {
  Value n;
  Pair e;
};
} // namespace

static ExpF64Parts reduceExpF64(Emitter &e, Value x,
                                ArrayRef<double> taylor = kExpQ) {
  Value shifter = e.c(0x1.8p52);
  Value t = e.fma(x, e.c(kLog2e), shifter);
  Value nf = e.sub(t, shifter);
  Value n = e.isub(e.toBits(t), e.toBits(shifter));
  Value minusN = e.neg(nf);
  Value rh = e.fma(minusN, e.c(kLn2Hi), x); // exact
  Pair r = e.twoSum(rh, e.mul(minusN, e.c(kLn2Lo)));
  // exp(r + rl) - 1 = r + r^2/2 + r^3 Q3(r) + rl (1 + r) + O(2^-106), with
  // r + r^2/2 as an exact pair (rounding r^2 alone costs 0.12 ULP).
  Pair r2 = e.twoProd(r.hi, r.hi);
  Pair head = e.fastTwoSum(r.hi, e.mul(r2.hi, e.c(0.5)));
  Value q3 = e.poly(r.hi, taylor.drop_front());
  Value low = e.fma(e.mul(r2.hi, r.hi), q3, e.fma(r.lo, r.hi, r.lo));
  low = e.add(head.lo, e.fma(r2.lo, e.c(0.5), low));
  return {n, e.fastTwoSum(head.hi, low)};
}

Value mlir::act::approx::buildExpF64(Emitter &e, Value x) {
  // exp(710) overflows, exp(-746) rounds to 0; a NaN passes the clamp.
  Value clamped = e.clamp(x, -746.0, 710.0);
  ExpF64Parts parts = reduceExpF64(e, clamped);
  Pair y = e.fastTwoSum(e.c(1.0), parts.e.hi);
  return e.scale(e.add(y.hi, e.add(y.lo, parts.e.lo)), parts.n);
}

Value mlir::act::approx::buildExpOfDifferenceF64(Emitter &e, Value a, Value b,
                                                 Value hi) {
  // hi = fl(a - b); lo its error (TwoSum), zeroed where the core clamps
  // (|hi| >= 746, +-inf, NaN); exp(hi + lo) = 2^n (h + l) (1 + lo).
  Value bb = e.sub(hi, a);
  Value lo = e.sub(e.sub(a, e.sub(hi, bb)), e.add(b, bb));
  lo = e.select(e.lt(e.abs(hi), e.c(746.0)), lo, e.c(0.0));
  ExpSplit parts = buildExpSplitF64(e, e.clamp(hi, -746.0, 710.0));
  return e.scale(e.add(parts.h, e.fma(parts.h, lo, parts.l)), parts.n);
}

ExpSplit mlir::act::approx::buildExpSplitF64(Emitter &e, Value x) {
  ExpF64Parts parts = reduceExpF64(e, x);
  Pair one = e.fastTwoSum(e.c(1.0), parts.e.hi);
  return {parts.n, one.hi, e.add(one.lo, parts.e.lo), Value()};
}

Value mlir::act::approx::buildExp2F64(Emitter &e, Value x) {
  // 2^x = 2^n exp(f ln 2), f = x - n exact (|f| <= 1/2), f ln 2 as a pair
  // (ln 2's head and tail), exp(y + yl) = 2^m (h + l) (1 + yl); 2^-1080
  // rounds to 0 and 2^1025 overflows; a NaN passes the clamp.
  Value clamped = e.clamp(x, -1080.0, 1025.0);
  Value nf = e.roundEven(clamped);
  Value f = e.sub(clamped, nf);
  Pair y = e.twoProd(f, e.c(0.6931471805599453));
  Value yl = e.fma(f, e.c(2.3190468138462996e-17), y.lo);
  ExpSplit ex = buildExpSplitF64(e, y.hi);
  Value v = e.add(ex.h, e.fma(ex.h, yl, ex.l));
  return e.scale(e.scale(v, ex.n), e.toInt(nf));
}

/// expm1(x) as a pair, x in [-40, 709.79] (NaN passes).
static Pair expm1PairF64(Emitter &e, Value x,
                         ArrayRef<double> taylor = kExpQ) {
  ExpF64Parts parts = reduceExpF64(e, x, taylor);
  // (2^n - 1) + 2^n e by error-free sums; above n = 60 expm1 is exp
  // (2^n (1 + e), scaled in two steps: 2^1024 itself overflows).
  Value p = e.pow2(e.imin(parts.n, e.ci(60)));
  Pair pm1 = e.twoSum(p, e.c(-1.0));
  Pair far = e.twoSum(pm1.hi, e.mul(p, parts.e.hi));
  far.lo = e.add(e.fma(p, parts.e.lo, pm1.lo), far.lo);
  far = e.fastTwoSum(far.hi, far.lo);
  Pair one = e.fastTwoSum(e.c(1.0), parts.e.hi);
  Value big =
      e.scale(e.add(one.hi, e.add(one.lo, parts.e.lo)), parts.n);
  Value isBig = e.igt(parts.n, e.ci(60));
  far.hi = e.select(isBig, big, far.hi);
  far.lo = e.select(isBig, e.c(0.0), far.lo);
  Value nearZero = e.ieq(parts.n, e.ci(0));
  return {e.select(nearZero, parts.e.hi, far.hi),
          e.select(nearZero, parts.e.lo, far.lo)};
}

Pair mlir::act::approx::buildExpm1PairF64(Emitter &e, Value x) {
  return expm1PairF64(e, x);
}

Value mlir::act::approx::buildExpm1F64(Emitter &e, Value x) {
  // Below -40 expm1 rounds to -1; above 709.79 it overflows.
  Pair y = expm1PairF64(e, e.clamp(x, -40.0, 709.79));
  return e.select(e.eq(x, e.c(0.0)), x, e.add(y.hi, y.lo)); // -0 stays
}

/// log(u) + correction for a positive finite u (fdlibm's e_log.c), as the
/// unrounded pair of its last sum.
static Pair logCorePairF64(Emitter &e, Value u, Value correction) {
  Value subnormal = e.lt(u, e.c(0x1p-1022));
  Value scaled = e.select(subnormal, e.mul(u, e.c(0x1p54)), u);
  Value bits = e.toBits(scaled);
  Value k = e.ashr(e.isub(bits, e.ci(0x3fe6a09e667f3bcdll)), 52);
  Value m = e.fromBits(e.isub(bits, e.shl(k, 52))); // [sqrt2/2, sqrt2)
  k = e.iadd(k, e.select(subnormal, e.ci(-54), e.ci(0)));
  Value f = e.sub(m, e.c(1.0)); // exact
  Value s = e.div(f, e.add(f, e.c(2.0)));
  Value z = e.mul(s, s);
  Value w = e.mul(z, z);
  Value t1 = e.mul(w, e.poly(w, {kLg[1], kLg[3], kLg[5]}));
  Value t2 = e.mul(z, e.poly(w, {kLg[0], kLg[2], kLg[4], kLg[6]}));
  Value r = e.add(t2, t1);
  // log(1 + f) = f - f^2/2 + s (f^2/2 + R), the first two terms and k ln 2
  // summed as pairs (the result rounds about once: ~0.5 ULP).
  Pair ff = e.twoProd(f, f);
  Value hf = e.mul(ff.hi, e.c(0.5)), hfl = e.mul(ff.lo, e.c(0.5));
  Pair a = e.twoSum(f, e.neg(hf));
  Value dk = e.toFloat(k);
  Value tail = e.fma(s, e.add(hf, r), e.sub(a.lo, hfl));
  tail = e.fma(dk, e.c(kLn2Lo), tail);
  if (correction)
    tail = e.add(tail, correction);
  Pair b = e.twoSum(e.mul(dk, e.c(kLn2Hi)), a.hi); // k ln2_hi is exact
  return {b.hi, e.add(b.lo, tail)};
}

/// log(u) + correction for a positive finite u, rounded once.
static Value logCoreF64(Emitter &e, Value u, Value correction) {
  Pair y = logCorePairF64(e, u, correction);
  return e.add(y.hi, y.lo);
}

Pair mlir::act::approx::buildLogPairF64(Emitter &e, Value u, Value correction) {
  return logCorePairF64(e, u, correction);
}

ExpOfPairF64 mlir::act::approx::buildExpOfPairF64(Emitter &e, Pair x) {
  // exp(x + xl) = 2^n (1 + e) (1 + xl) to 2^-88: xl (up to 2^-44 at
  // |x| = 745) joins the low part as xl (1 + e), after the core, where
  // the reduction's own r + rl would take it only to first order.
  ExpF64Parts parts = reduceExpF64(e, x.hi);
  Pair one = e.fastTwoSum(e.c(1.0), parts.e.hi);
  Value low = e.add(one.lo, parts.e.lo);
  low = e.fma(x.lo, one.hi, low);
  return {parts.n, e.fastTwoSum(one.hi, low)};
}

Pair mlir::act::approx::buildExpNextToOneF64(Emitter &e,
                                             const ExpOfPairF64 &exp) {
  // One power of two: below 2^-1022, E's value no longer matters next to 1.
  Value p = e.pow2(e.imax(exp.n, e.ci(-1022)));
  return {e.mul(exp.y.hi, p), e.mul(exp.y.lo, p)};
}

/// exp(x) = 2^n (y.hi + y.lo) of a pair x whose lo may be null, lo joined
/// where the core does not clamp (|x.hi| < 746: not +-inf or NaN);
/// exp(-746) rounds to 0 and exp(710) overflows.
static ExpOfPairF64 clampedExpOfPairF64(Emitter &e, Pair x) {
  Value inRange = e.lt(e.abs(x.hi), e.c(746.0));
  Value lo = x.lo ? e.select(inRange, x.lo, e.c(0.0)) : e.c(0.0);
  return buildExpOfPairF64(e, {e.clamp(x.hi, -746.0, 710.0), lo});
}

Pair mlir::act::approx::buildExpPairF64(Emitter &e, Pair x) {
  ExpOfPairF64 exp = clampedExpOfPairF64(e, x);
  return {e.scaleByFloat(exp.y.hi, exp.n, e.toFloat(exp.n)),
          e.scale(exp.y.lo, exp.n)};
}

Value mlir::act::approx::buildExpOfPairRoundedF64(Emitter &e, Pair x) {
  ExpOfPairF64 exp = clampedExpOfPairF64(e, x);
  Value nf = e.toFloat(exp.n);
  Value hi = e.scaleByFloat(exp.y.hi, exp.n, nf);
  // Below 2^-1022, 2^n y.hi rounds again on the subnormal grid (a double
  // rounding of the pair, up to 0.75 ULP): the rest of that rounding in
  // y's scale, (y.hi - hi 2^-n) exact plus y.lo, moves hi by one step
  // where it passes half the grid's spacing, 2^(-1075 - n) in that scale.
  Value back = e.scaleByFloat(hi, e.isub(e.ci(0), exp.n), e.neg(nf));
  Value rest = e.add(e.sub(exp.y.hi, back), exp.y.lo);
  Value half = e.pow2(
      e.imax(e.imin(e.isub(e.ci(-1075), exp.n), e.ci(1000)), e.ci(-1000)));
  Value step = e.select(e.gt(rest, half), e.ci(1),
                        e.select(e.lt(rest, e.neg(half)), e.ci(-1), e.ci(0)));
  Value rounded = e.fromBits(e.iadd(e.toBits(hi), step));
  return e.select(e.lt(hi, e.c(0x1p-1022)), rounded, hi);
}

Pair mlir::act::approx::buildLog1pOfPairF64(Emitter &e, Pair t) {
  double inf = std::numeric_limits<double>::infinity();
  // Below |t| = 2^-20, t - t^2/2 + t^3/3 - t^4/4 (to 2^-80 relative): the
  // pair 1 + t would keep only 53 bits of t below 2^-53.
  Value square = e.mul(t.hi, t.hi);
  Pair series{t.hi, e.fma(square, e.poly(t.hi, {-0.5, 1.0 / 3, -0.25}), t.lo)};
  // Above, log(u) + log1p(c) for u = 1 + t as a pair, c = u.lo / u.hi:
  // c - c^2 / 2 (|c| <= 2^-52).
  Pair u = e.twoSum(e.c(1.0), t.hi);
  Value finite = e.andI1(e.gt(u.hi, e.c(0.0)), e.lt(u.hi, e.c(inf)));
  Value arg = e.select(finite, u.hi, e.c(1.0));
  Value c = e.div(e.select(finite, e.add(u.lo, t.lo), e.c(0.0)), arg);
  Pair y = logCorePairF64(e, arg, e.fma(e.mul(c, e.c(-0.5)), c, c));
  // Normalized: the core's lo holds its polynomial's whole term (~f^3),
  // which an exp of the pair would take only to first order.
  Value small = e.lt(e.abs(t.hi), e.c(0x1p-20));
  Pair z = e.fastTwoSum(
      e.select(small, series.hi, y.hi),
      e.select(small, series.lo, e.select(finite, y.lo, e.c(0.0))));
  Value hi = e.select(e.eq(t.hi, e.c(inf)), t.hi, z.hi);
  hi = e.select(e.eq(t.hi, e.c(-1.0)), e.c(-inf), hi);
  hi = e.select(e.lt(t.hi, e.c(-1.0)), e.c(std::nan("")), hi);
  hi = e.select(e.isNaN(t.hi), t.hi, hi);
  return {hi, z.lo};
}

Value mlir::act::approx::scaleRoundedOnceF64(Emitter &e, Value a, Value n) {
  if (e.hasAVX512())
    return e.scaleByFloat(a, n, e.toFloat(n));
  return e.scale(a, n);
}

Value mlir::act::approx::buildLogF64(Emitter &e, Value x) {
  double inf = std::numeric_limits<double>::infinity();
  Value arg = e.select(e.gt(x, e.c(0.0)), x, e.c(1.0));
  Value y = logCoreF64(e, arg, Value());
  y = e.select(e.eq(x, e.c(inf)), x, y);
  y = e.select(e.eq(x, e.c(0.0)), e.c(-inf), y);
  y = e.select(e.lt(x, e.c(0.0)), e.c(std::nan("")), y);
  return e.select(e.isNaN(x), x, y);
}

Value mlir::act::approx::buildLog1pF64(Emitter &e, Value x) {
  double inf = std::numeric_limits<double>::infinity();
  Pair u = e.twoSum(e.c(1.0), x);
  Value positive = e.gt(u.hi, e.c(0.0));
  Value arg = e.select(positive, u.hi, e.c(1.0));
  Value lo = e.select(positive, u.lo, e.c(0.0));
  Value y = logCoreF64(e, arg, e.div(lo, arg));
  y = e.select(e.eq(x, e.c(inf)), x, y);
  y = e.select(e.eq(x, e.c(-1.0)), e.c(-inf), y);
  y = e.select(e.lt(x, e.c(-1.0)), e.c(std::nan("")), y);
  y = e.select(e.eq(x, e.c(0.0)), x, y);
  return e.select(e.isNaN(x), x, y);
}

Value mlir::act::approx::buildTanhF64(Emitter &e, Value x) {
  // tanh(22) rounds to 1; below 2^-28, tanh(x) rounds to x (and keeps -0).
  Value a = e.min(e.abs(x), e.c(22.0));
  Pair em = expm1PairF64(e, e.mul(a, e.c(-2.0)));
  Pair num{e.neg(em.hi), e.neg(em.lo)};
  Pair den = e.fastTwoSum(e.c(2.0), em.hi);
  den.lo = e.add(den.lo, em.lo);
  den = e.fastTwoSum(den.hi, den.lo);
  Value y = e.copySign(e.divPair(num, den), x);
  return e.select(e.lt(e.abs(x), e.c(0x1p-28)), x, y);
}

Pair mlir::act::approx::buildTanhPairF64(Emitter &e, Value x) {
  // buildTanhF64's -E / (2 + E) with E's Taylor series to r^16 / 16! and
  // the quotient kept as a pair; tanh(22) is 1 to 2^-63.
  Value a = e.min(e.abs(x), e.c(22.0));
  Pair em = expm1PairF64(e, e.mul(a, e.c(-2.0)), kExpQLong);
  Pair den = e.fastTwoSum(e.c(2.0), em.hi);
  den.lo = e.add(den.lo, em.lo);
  den = e.fastTwoSum(den.hi, den.lo);
  Pair y = e.divPairToPair(e.negPair(em), den);
  Value negative = e.lt(x, e.c(0.0));
  return {e.select(negative, e.neg(y.hi), y.hi),
          e.select(negative, e.neg(y.lo), y.lo)};
}
