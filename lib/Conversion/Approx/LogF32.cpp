//===- LogF32.cpp - log and log1p in f32 ----------------------------------===//
//
// x = 2^k m with m in [sqrt(1/2), sqrt(2)) (subnormals scaled by 2^23
// first), f = m - 1 exact, log1p(f) = f + f^2 (-1/2 + f P(f)) with P a
// degree-8 (fast: 6) Chebyshev fit on f in [-0.2929, 0.4143]. k ln 2 + f is
// summed exactly as a pair (ln 2's 16-bit head times k is exact), so the
// only large rounding is the last one. log1p(x) computes 1 + x as a pair
// and adds the lost part back as (error / (1 + x)).
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

/// kLog1pP8's degree-6 counterpart (fast).
static constexpr double kLog1pP6[] = {
    3.333341555882707e-1,  -2.5000704389460294e-1, 1.9984202611442988e-1,
    -1.660260626105297e-1, 1.4704149643804265e-1,  -1.4032241614702928e-1,
    9.0496693536896582e-2};

/// log(u) + correction for a positive finite u (subnormals too); special
/// values are the callers'.
static Value logCore(Emitter &e, Value u, Value correction, bool fast) {
  Value subnormal = e.lt(u, e.c(0x1p-126));
  Value scaled = e.select(subnormal, e.mul(u, e.c(0x1p23)), u);
  Value bits = e.toBits(scaled);
  // The exponent of u / sqrt(1/2), and m = u / 2^k in [sqrt(1/2), sqrt(2)).
  Value k = e.ashr(e.isub(bits, e.ci(0x3f3504f3)), 23);
  Value m = e.fromBits(e.isub(bits, e.shl(k, 23)));
  Value f = e.sub(m, e.c(1.0));
  k = e.iadd(k, e.select(subnormal, e.ci(-23), e.ci(0)));
  Value kf = e.toFloat(k);
  Value p = e.poly(f, fast ? ArrayRef<double>(kLog1pP6)
                           : ArrayRef<double>(kLog1pP8));
  Value t = e.mul(e.mul(f, f), e.fma(f, p, e.c(-0.5)));
  if (correction)
    t = e.add(t, correction);
  if (fast)
    return e.fma(kf, e.c(0.6931471805599453), e.add(f, t));
  Pair head = e.twoSum(e.mul(kf, e.c(kLogLn2Head)), f);
  Value tail = e.mul(kf, e.c(kLogLn2Tail));
  return e.add(head.hi, e.add(e.add(head.lo, t), tail));
}

Value mlir::act::approx::buildLogF32(Emitter &e, Value x, bool fast) {
  double inf = std::numeric_limits<double>::infinity();
  Value y = logCore(e, x, Value(), fast);
  y = e.select(e.eq(x, e.c(inf)), x, y);
  y = e.select(e.eq(x, e.c(0.0)), e.c(-inf), y);
  y = e.select(e.lt(x, e.c(0.0)), e.c(std::nan("")), y);
  return e.select(e.isNaN(x), x, y);
}

Value mlir::act::approx::buildLog1pF32(Emitter &e, Value x, bool fast) {
  double inf = std::numeric_limits<double>::infinity();
  Pair u = e.twoSum(e.c(1.0), x);
  // Keep the logarithm's argument finite and positive for the lanes the
  // selects below replace.
  Value arg = e.select(e.gt(u.hi, e.c(0.0)), u.hi, e.c(1.0));
  Value correction = e.div(u.lo, arg);
  Value y = logCore(e, arg, correction, fast);
  y = e.select(e.eq(x, e.c(inf)), x, y);
  y = e.select(e.eq(x, e.c(-1.0)), e.c(-inf), y);
  y = e.select(e.lt(x, e.c(-1.0)), e.c(std::nan("")), y);
  y = e.select(e.eq(x, e.c(0.0)), x, y);
  return e.select(e.isNaN(x), x, y);
}
