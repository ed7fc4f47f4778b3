//===- AccurateF32Softplus.cpp - accurate softplus in f32 pairs -----------===//
//
// precision=accurate without f64: softplus(t) = max(t, 0) + log1p(E) with
// E = exp(-|t|) = 2^n (h + l) from the exp core (about 2^-28 relative).
//
//   log1p(E), |t| <= 7: u = 1 + E as an exact pair (Fast2Sum, FMA for l),
//     u = 2^k (1 + g) with k = (u >= sqrt 2), g = u / 2^k - 1 = gh + gl
//     (the high part's subtraction exact, the pair by TwoSum), and
//     log1p(E) = k ln 2 + gh - gh^2 / 2 + gh^3 P(gh) + gl (1 - gh + gh^2)
//     with P LogF32.cpp's degree-8 fit, k ln 2 (16-bit head) + gh and
//     gh^2 (TwoProd) exact, the sum kept as a pair.
//   log1p(E), |t| > 7 (E < 2^-10.09): 2^n ((h + l)(1 + r)) with
//     r = -E/2 + E^2/3 - E^3/4 (the next term below 2^-42), 2^n last: a
//     subnormal result (t < -87.3) rounds once more at most, as in
//     AccurateF32Sigmoid.cpp.
//
// t >= 0 adds t's pair to log1p(E)'s and rounds once; t < 0 rounds the
// pair (or the scaled series) once. With AVX-512 (f32),
// buildSoftplusAtanhF32 below replaces all of this (log1p(E) = 2 atanh(E /
// (2 + E)) on the table exp core: ~72 vector ops in the loop instead of
// ~115). The f64 route (act-expand's widening) evaluated the same max(t, 0)
// + log1p(exp(-|t|)) in f64 on two registers per 16 lanes.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

/// The series takes |t| > 7 (E < 2^-10.09).
static constexpr double kSeriesAbove = 7.0;
/// log1p(E) / E - 1 = E (-1/2 + E (1/3 - E / 4)) + O(E^4).
static constexpr double kSeries[] = {-0.5, 1.0 / 3.0, -0.25};
/// Beyond |t| = 150, exp(-|t|) is below every pair's precision (AVX-512 form).
static constexpr double kClamp = 150.0;

/// log1p(d.hi + d.lo) for the exact pair d = 1 + E (E in [0, 1]), as a
/// pair about 2^-27 relative.
static Pair log1pOfOnePlus(Emitter &e, Pair d) {
  Value high = e.ge(d.hi, e.c(M_SQRT2));
  Value half = e.select(high, e.c(0.5), e.c(1.0));
  Value kf = e.select(high, e.c(1.0), e.c(0.0));
  // d / 2^k in [sqrt(1/2), sqrt(2)]: minus 1 is exact (Sterbenz).
  Value f = e.sub(e.mul(d.hi, half), e.c(1.0));
  Pair g = e.twoSum(f, e.mul(d.lo, half));
  Value gh = g.hi;
  Pair square = e.twoProd(gh, gh);
  Value cubic = e.mul(e.mul(gh, square.hi), e.poly(gh, kLog1pP8));
  // log1p(gh + gl) - log1p(gh) = gl / (1 + gh) to gl gh^3.
  Value lowTerm = e.mul(g.lo, e.fma(gh, e.sub(gh, e.c(1.0)), e.c(1.0)));
  Pair head = e.fastTwoSum(e.mul(kf, e.c(kLogLn2Head)), gh); // |gh| < 0.42
  Pair sum = e.fastTwoSum(head.hi, e.mul(square.hi, e.c(-0.5)));
  Value rest = e.add(e.mul(kf, e.c(kLogLn2Tail)), e.add(lowTerm, cubic));
  rest = e.fma(square.lo, e.c(-0.5), rest);
  return {sum.hi, e.add(e.add(head.lo, sum.lo), rest)};
}

/// (atanh(s) / s - 1) / s^2 in w = s^2 on [0, 1/9] (s = E / (2 + E) <= 1/3),
/// f32 coefficients, a weighted least-squares fit of 1/3 + w/5 + w^2/7 +
/// ...: w P(w) within 2^-30.3 of the function there.
static constexpr double kAtanhP4[] = {0x1.555558p-2, 0x1.9996aap-3,
                                      0x1.250924p-3, 0x1.b6de5ap-4,
                                      0x1.f18f7ep-4};

/// AVX-512: log1p(E) = 2 atanh(s), s = E / (2 + E), with E = 2^n (h + l)
/// from the 32-entry table pair core (buildExpTablePairF32, 2^-30): with
/// D = 1 + E / 2 (an exact pair, E/2 <= 1/2) and q = (h + l) / D (one
/// division for 1 / Dh, one residual step on h + l renormalized),
/// s = 2^(n-1) q and log1p(E) = 2^n (qh + (ql + qh w P(w))), w = s^2. No
/// branch for small E: 2^n is applied last (the t < 0 side's vscalefps;
/// a subnormal result rounds once more at most), and the quotient keeps
/// E's relative precision at any size. About 2^-28 relative before the
/// last rounding (E's 2^-30, P's 2^-30, the tail's 2^-29),
/// with about half the operations of the log1p(1 + E) form below.
static Value buildSoftplusAtanhF32(Emitter &e, Pair t) {
  Value negative = e.lt(t.hi, e.c(0.0));
  Value a = e.neg(e.abs(t.hi));
  Value clamped = e.lt(a, e.c(-kClamp));
  Value al;
  if (t.lo)
    al = e.select(clamped, e.c(0.0), e.select(negative, t.lo, e.neg(t.lo)));
  ExpSplit x = buildExpTablePairF32(e, e.max(a, e.c(-kClamp)), al);
  // Renormalized (|l| <= 0.011 h before): the residual step below divides
  // by dh alone, which needs dl (l's share) near ulp(dh).
  Pair hl = e.fastTwoSum(x.h, x.l);
  x.h = hl.hi;
  x.l = hl.lo;
  // 2^(n-1), n >= -126 standing for the smaller ones (below 2^-150 of 1).
  Value half = e.pow2(e.iadd(e.imax(x.n, e.ci(-126)), e.ci(-1)));
  Pair d = e.fastTwoSum(e.c(1.0), e.mul(x.h, half)); // exact: E/2 <= 1/2
  d.lo = e.fma(x.l, half, d.lo);
  Value reciprocal = e.div(e.c(1.0), d.hi);
  Value qh = e.mul(x.h, reciprocal);
  // h - qh dh is exact (qh faithful); the rest to about 2^-24 of itself.
  Value residual = e.add(e.fma(e.neg(qh), d.hi, x.h), x.l);
  residual = e.fma(e.neg(qh), d.lo, residual);
  Value ql = e.mul(residual, reciprocal);
  Value s = e.mul(qh, half); // exact (s >= 2^-127 where it matters)
  // w from qh + ql: qh alone (two roundings) is off by up to 2^-23, which
  // moved w P by 2^-25.5 of the result (0.75 ULP at x = 0.0026).
  Value sr = e.mul(e.add(qh, ql), half);
  Value w = e.mul(sr, sr);
  Value tail = e.fma(e.mul(qh, w), e.poly(w, kAtanhP4), ql);
  // t < 0: log1p(E) = 2^n (qh + tail), rounded, then scaled.
  Value yNeg = e.scaleByFloat(e.add(qh, tail), x.n, x.nf);
  // t >= 0: t + 2 (s + tail 2^(n-1)), the pair sum rounded once.
  Pair sum = e.twoSum(t.hi, e.add(s, s));
  Value low = e.fma(e.mul(tail, half), e.c(2.0), sum.lo);
  if (t.lo)
    low = e.add(low, t.lo);
  Value y = e.select(negative, yNeg, e.add(sum.hi, low));
  // +inf (the pair sum gives inf - inf); NaN through.
  y = e.select(e.eq(t.hi, e.c(INFINITY)), t.hi, y);
  return e.select(e.isNaN(t.hi), t.hi, y);
}

Value mlir::act::approx::buildAccurateSoftplusF32(Emitter &e, Pair t) {
  if (e.hasAVX512() && e.isF32())
    return buildSoftplusAtanhF32(e, t);
  AccurateExp x = buildAccurateExpOfMinusAbsF32(e, t);
  Value scaledE = e.mul(x.h, x.scale);

  Pair d = e.fastTwoSum(e.c(1.0), scaledE); // exact: E <= 1
  d.lo = e.fma(x.l, x.scale, d.lo);
  Pair logPair = log1pOfOnePlus(e, d);

  // The series, unscaled: (h + l)(1 + r) = h + (l + h r).
  Value r = e.mul(scaledE, e.poly(scaledE, kSeries));
  Pair series = {x.h, e.fma(x.h, r, x.l)};
  Value small = e.gt(e.abs(t.hi), e.c(kSeriesAbove));

  // t < 0: log1p(E) alone, the series scaled last.
  Value negSeries = e.scaleByFloat(e.add(series.hi, series.lo), x.n, x.nf);
  Value yNeg = e.select(small, negSeries, e.add(logPair.hi, logPair.lo));
  // t >= 0: t + log1p(E), both pairs, rounded once.
  Pair log = {e.select(small, scaledE, logPair.hi),
              e.select(small, e.mul(series.lo, x.scale), logPair.lo)};
  Pair sum = e.twoSum(t.hi, log.hi);
  Value low = e.add(sum.lo, log.lo);
  if (t.lo)
    low = e.add(low, t.lo);
  Value yPos = e.add(sum.hi, low);

  Value y = e.select(x.negative, yNeg, yPos);
  // +inf (the pair sum gives inf - inf); NaN through.
  y = e.select(e.eq(t.hi, e.c(INFINITY)), t.hi, y);
  return e.select(e.isNaN(t.hi), t.hi, y);
}
