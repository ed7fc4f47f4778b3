//===- GeluTanhF32.cpp - x sigmoid(k x (1 + a x^2)) with AVX-512 ----------===//
//
// The tanh GELUs' fast forward (gelu_tanh, new_gelu: k = 2 sqrt(2 / pi),
// a = 0.044715) on 16-lane f32 vectors with AVX-512. With t = k x (1 + a
// x^2), E = exp(-|t|) = 2^n h and S = h / (1 + E) (so that 2^n S =
// sigmoid(-|t|)):
//
//   x sigmoid(t) = 2^n (x S)        x <= 0
//                = x - 2^n (x S)    x > 0, 2^n x S <= x / 2
//
// the erf GELU's ending (GeluFastF32.cpp): one product, the power of two
// last (a subnormal result rounds once), no cancellation. x is clamped to
// +-kClamp first, where exp(-|t|) |x| underflows, so that neither the
// tails nor the infinities need a select. |t| = |x| Q with Q = k (1 + a
// x^2) > 0, as pairs from x^2's (2^-40 relative: exp multiplies t's
// absolute error into the result), the table exp core, one division.
// (vrcp14ps with a residual step instead of vdivps was measured slower:
// 1.20x of the former form against 1.31x; these loops are bound by their
// FMA-unit ops, which the division does not take.)
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

/// |x| beyond which exp(-|t|) |x| underflows for every prelude tanh GELU
/// (t(11) = 112.5 there: e^-112.5 11 < 2^-158) while x sigmoid(t) rounds to
/// x on the other side.
static constexpr double kClamp = 11.0;

/// v as a float pair (hi, lo) of constants.
static Pair splitConstant(Emitter &e, double v) {
  float hi = (float)v;
  return {e.c(hi), e.c((double)(float)(v - hi))};
}

/// |t| = |x| k (1 + a x^2) as a pair for |x| <= kClamp: Q = k + (k a) s
/// with s = x^2 exact as a pair and the sum by TwoSum, then |x| Q.
static Pair buildAbsCubicArgument(Emitter &e, Value absX, double k, double a) {
  Pair s = e.twoProd(absX, absX);
  Pair c = splitConstant(e, k * a), kp = splitConstant(e, k);
  Pair p = e.twoProd(c.hi, s.hi);
  Pair q = e.twoSum(kp.hi, p.hi);
  // The rest: p's and k's low parts, c's low part and s's (each below
  // 2^-23 of Q), rounded once at ~2^-47 of Q.
  Value rest = e.add(e.fma(c.hi, s.lo, p.lo), e.fma(c.lo, s.hi, kp.lo));
  q.lo = e.add(q.lo, rest);
  Pair t = e.twoProd(absX, q.hi);
  t.lo = e.fma(absX, q.lo, t.lo);
  return t;
}

Value mlir::act::approx::buildCubicSigmoidProductF32(Emitter &e, Value x,
                                                     double k, double a) {
  assert(e.hasAVX512() && "the table exp core and vscalefps");
  if (!(k * kClamp * (1 + a * kClamp * kClamp) >= 104 + std::log(kClamp)))
    return Value(); // exp(-|t|) |x| would not underflow beyond the clamp
  Value xc = e.clamp(x, -kClamp, kClamp);
  Pair t = buildAbsCubicArgument(e, e.abs(xc), k, a);
  // exp(-|t|) = 2^nf h (the table core with a cubic, as the other sigmoid
  // products), E = 2^nf h for 1 + E (a subnormal E is below its rounding).
  ExpSplit ex = buildExpSplitF32(e, e.neg(t.hi), e.neg(t.lo), /*fast=*/true,
                                 /*pair=*/false, /*coarse=*/false,
                                 /*table=*/true);
  Value d = e.add(e.c(1.0), e.scaleByFloat(ex.h, ex.n, ex.nf));
  Value s = e.div(ex.h, d);
  Value below = e.scaleByFloat(e.mul(xc, s), ex.n, ex.nf);
  // x > 0 (x itself: x = +inf gives inf - 0); +-0 and NaN take `below`.
  return e.select(e.gt(x, e.c(0.0)), e.sub(x, below), below);
}
