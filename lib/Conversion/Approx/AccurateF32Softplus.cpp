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
// pair (or the scaled series) once. The f64 route (act-expand's widening)
// evaluated the same max(t, 0) + log1p(exp(-|t|)) in f64 on two registers
// per 16 lanes.
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

Value mlir::act::approx::buildAccurateSoftplusF32(Emitter &e, Pair t) {
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
