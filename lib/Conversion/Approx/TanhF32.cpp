//===- TanhF32.cpp - tanh in f32 ------------------------------------------===//
//
// accurate: AccurateF32Tanh.cpp. The pair form below (tanhshrink's):
// tanh(|x|) = (1 - E) / (1 + E), E = exp(-2|x|) from the exp core as a pair;
// 1 - E and 1 + E are formed exactly as pairs and divided with one
// reciprocal and a residual step, so no separate polynomial is needed near
// 0 (E's pair keeps 1 - E's relative accuracy). |x| >= 10 gives 1.
// fast: -M / (2 + M) with M = expm1(-2|x|) from the fast exp core (see
// below): one polynomial, one division. (Not the degree-5 core:
// tanhshrink' = tanh^2 doubles its error, 5 ULP.)
// fast, 16 x f32 with AVX-512: tanh(a) itself, a = min(|x|, 10), from a
// piecewise table (FastTanhTable.def, scripts/fast-tanh-table.py): 14
// segments indexed by a's exponent and top significand bit, a degree-6
// polynomial in s = a - center on each, every coefficient picked by one
// vpermps from one register: 8 picks and 6 FMAs, no exp, no division,
// 1.35 ULP where the quotient form measures 2.0 (docs/accuracy.md, "Fast
// tanh, sigmoid and silu speed (session 15, fastgrad)").
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

namespace {
/// One FAST_TANH_SEGMENT row: tanh(center + s) = c[0] + c[1] s + ...
struct TanhSegment {
  int k;
  double center;
  double c[7];
};
} // namespace

#define FAST_TANH_SEGMENT(k, center, ...) {k, center, {__VA_ARGS__}},
static constexpr TanhSegment kTanhSegments[] = {
#include "FastTanhTable.def"
};
#undef FAST_TANH_SEGMENT
static_assert(std::size(kTanhSegments) <= 16, "one zmm register of 16 floats");

/// The first segment's index is a's bits >> 22 for a = 1/8 (2^-3: biased
/// exponent 124, top significand bit 0), less 1.
static constexpr int kTanhIndexBase = (124 << 1) - 1;

/// The table form (AVX-512): segment 0 is [0, 1/8) around 0 (c0 = 0, c1 =
/// 1: a tiny or subnormal a gives a itself, -0 by copysign), then two
/// segments per binade up to [8, 10] around 10 (c0 = 1: a clamped to 10,
/// +-inf included, gives +-1 exactly). s = a - center is exact (a within
/// a factor 1.25 of a midpoint). A NaN stays NaN through s.
static Value buildTanhTableF32(Emitter &e, Value x) {
  Value a = e.min(e.abs(x), e.c(10.0));
  Value index =
      e.imax(e.isub(e.ashr(e.toBits(a), 22), e.ci(kTanhIndexBase)), e.ci(0));
  auto column = [&](int d) {
    SmallVector<double, 16> values(16, 0.0);
    for (const TanhSegment &segment : kTanhSegments)
      values[segment.k] = d < 0 ? segment.center : segment.c[d];
    return e.lookup16(values, index);
  };
  Value s = e.sub(a, column(-1));
  Value y = column(6);
  for (int d = 5; d >= 0; --d)
    y = e.fma(y, s, column(d));
  return e.copySign(y, x);
}

Value mlir::act::approx::buildTanhF32(Emitter &e, Value x, bool fast) {
  if (!fast) // AccurateF32Tanh.cpp: the same quotient, E never scaled.
    return buildAccurateTanhF32(e, x);
  if (e.hasAVX512() && e.isF32())
    return buildTanhTableF32(e, x);
  Value a = e.min(e.abs(x), e.c(10.0));
  // tanh(a) = -M / (2 + M), M = expm1(-2a) = 2^n (1 + p) - 1 with p =
  // r + r^2 q(r) (the fast exp core's polynomial less its 1), formed as
  // 2^n p + (2^n - 1) in one FMA (2^n - 1 exact for n >= -24; -1 below,
  // where tanh rounds to 1 anyway). No cancellation near 0 (n = 0: M = p,
  // and r = -2a exactly there), 2 + M in [1, 2]: one exp core, one
  // division, no second polynomial. 1.35x the speed of the former
  // polynomial-below-0.5625 plus exp form.
  // The core gives g = -p/2 (no product by -2), so -M = 2^(n+1) g +
  // (1 - 2^n) and 2 + M = -2^(n+1) g + (1 + 2^n) (2^n + 1 exact for
  // n >= -23, so M's rounding is not added to it), both powers from n's
  // bits (n in [-29, 0]): the same bits as the M form, three vector ops
  // fewer (the -2a product, vscalef, the negation).
  ExpSplit s = buildHalfExpm1OfMinusTwiceF32(e, a);
  Value bits = e.shl(s.n, 23);
  Value pow2n = e.fromBits(e.iadd(bits, e.ci(127 << 23)));
  Value twice = e.fromBits(e.iadd(bits, e.ci(128 << 23)));
  Value num = e.fma(twice, s.h, e.sub(e.c(1.0), pow2n));
  Value den = e.fma(e.neg(twice), s.h, e.add(pow2n, e.c(1.0)));
  // A tiny or subnormal x: M = r = -2a exactly, y = a; -0 by copysign.
  return e.copySign(e.div(num, den), x);
}

Pair mlir::act::approx::buildTanhPairF32(Emitter &e, Value x) {
  Value a = e.min(e.abs(x), e.c(10.0));
  Pair ex = buildExpPairF32(e, e.mul(a, e.c(-2.0)));
  Pair num = e.twoSum(e.c(1.0), e.neg(ex.hi));
  num.lo = e.sub(num.lo, ex.lo);
  Pair den = e.fastTwoSum(e.c(1.0), ex.hi);
  den.lo = e.add(den.lo, ex.lo);
  Pair y = e.divPairToPair(num, den);
  // tanh(10) rounds to 1 in f32 and in the pair's sum alike.
  Value big = e.ge(a, e.c(10.0));
  y.hi = e.select(big, e.c(1.0), y.hi);
  y.lo = e.select(big, e.c(0.0), y.lo);
  Value negative = e.lt(x, e.c(0.0));
  return {e.copySign(y.hi, x), e.select(negative, e.neg(y.lo), y.lo)};
}

Value mlir::act::approx::buildTanhShrinkF32(Emitter &e, Value x) {
  // A NaN x keeps its NaN through x - hi; +-inf - +-1 is +-inf.
  Pair t = buildTanhPairF32(e, x);
  return e.sub(e.sub(x, t.hi), t.lo);
}
