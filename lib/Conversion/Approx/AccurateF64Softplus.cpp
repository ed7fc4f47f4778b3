//===- AccurateF64Softplus.cpp - softplus(t) in f64 pairs -----------------===//
//
// softplus(t) = max(t, 0) + log1p(E), E = exp(-|t|) = 2^n (h + l) as a
// pair (ExpLogF64.cpp's core with t's low part): log1p(E) is the log core
// of 1 + E as a pair (its low part as a correction u_lo / u), kept as the
// pair of the core's last sum, and max(t, 0) joins that sum, so the result
// rounds once (the formula rounded -|t|, exp, log1p and the sum, and exp
// amplified the rounding of its argument). Below E = 2^-30, log1p(E) is
// E - E^2 / 2 to 2^-61 instead: the log core of 1 + E is only as good as
// 2^-106 or so next to 1, 1.14 ULP of log1p(E) at E = 2^-52.7 (t = -36.5,
// session 17's dense sample). Below E = 2^-60, log1p(E) = E to 2^-61:
// 2^n (h + l) itself, which keeps subnormal results.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"

using namespace mlir;
using namespace mlir::act::approx;

Value mlir::act::approx::buildAccurateSoftplusF64(Emitter &e, Pair t) {
  Value zero = e.c(0.0);
  Value tl = t.lo ? t.lo : zero;
  // E = exp(-|t|), 0 below the clamp.
  ExpOfNegatedAbsF64 start = buildExpOfNegatedAbsF64(e, t);
  const ExpOfPairF64 &ex = start.exp;
  Value negative = start.negative;
  // log(1 + E) with 1 + E as a pair (E <= 1).
  Pair big = buildExpNextToOneF64(e, ex);
  Pair u = e.fastTwoSum(e.c(1.0), big.hi);
  Value ulo = e.add(u.lo, big.lo);
  Pair log = buildLogPairF64(e, u.hi, e.div(ulo, u.hi));
  Value series = e.lt(big.hi, e.c(0x1p-30));
  log.hi = e.select(series, big.hi, log.hi);
  log.lo = e.select(series, e.fma(e.mul(big.hi, e.c(-0.5)), big.hi, big.lo),
                    log.lo);
  // max(t, 0) + log, rounded once.
  Value a = e.select(negative, zero, t.hi);
  Value al = e.select(negative, zero, tl);
  Pair s = e.twoSum(a, log.hi);
  Value y = e.add(s.hi, e.add(s.lo, e.add(log.lo, al)));
  // E alone below 2^-60 (t < -41.6).
  Value tiny = e.andI1(negative, e.igt(e.ci(-60), ex.n));
  y = e.select(tiny, scaleRoundedOnceF64(e, e.add(ex.y.hi, ex.y.lo), ex.n),
               y);
  // t itself above 800 (+inf included: inf - inf in the sum).
  return e.select(e.gt(t.hi, e.c(800.0)), t.hi, y);
}
