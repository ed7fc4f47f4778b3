//===- AccurateF32Tanh.cpp - accurate tanh and pair division in f32 -------===//
//
// precision=accurate, f32, without f64:
//
//   tanh(a) = (1 - E) / (1 + E), E = exp(-2a) = 2^n (h + l), a = |x| <= 10,
//
// divided through by 2^n: (m - (h + l)) / (m + (h + l)) with m = 2^-n (n in
// [-29, 0], so m is a normal power of two and E is never scaled). h + l is
// the exp core's pair renormalized (|l| <= ulp(h) / 2, about 2^-28
// relative); m - h and m + h are exact pairs by Fast2Sum (m >= 1 >= h at
// n = 0, m >= 2 > h below), l joins their low parts, and the quotient is
// one reciprocal plus a residual step on the pair denominator. Near 0
// (n = 0) m - h = -r exactly, so 1 - E keeps r's relative accuracy without
// a separate polynomial (DESIGN.md's recipe). The former accurate tanh
// (TanhF32.cpp) scaled both parts of E by 2^n in two steps each and formed
// 1 - E with a full TwoSum: ten vector ops more.
//
// (Measured and not kept: 1 / dh as vrcp14ps plus a Newton step instead of
// vdivps made the sigmoid forms 0.92x as fast on this AVX-512 CPU.)
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

/// exp(w) / 2^n = h + l (renormalized, about 2^-28 relative to 1) and
/// m = 2^-n for an exact w in [-20, 0]: AccurateF32Exp.cpp's reduction
/// (|n ln2_tail| < 2^-14.5 here; n = 0: r = w, rl = 0) and core.
static Pair expOverPow2(Emitter &e, Value w, Value &m) {
  AccurateReduction p = reduceAccurateExpF32(e, w);
  m = e.pow2(e.isub(e.ci(0), p.n));
  Pair y = buildAccurateExpCoreF32(e, p);
  return e.fastTwoSum(y.hi, y.lo);
}

Value mlir::act::approx::buildAccurateTanhF32(Emitter &e, Value x) {
  Value a = e.min(e.abs(x), e.c(10.0));
  Value m;
  Pair E = expOverPow2(e, e.mul(a, e.c(-2.0)), m);
  // m >= 1 >= E.hi at n = 0 (w >= -ln 2 / 2), m >= 2 > E.hi below: both
  // sums exact by Fast2Sum.
  Pair num = e.fastTwoSum(m, e.neg(E.hi));
  num.lo = e.sub(num.lo, E.lo);
  Pair den = e.fastTwoSum(m, E.hi);
  den.lo = e.add(den.lo, E.lo);
  Value y = e.copySign(e.divPair(num, den), x);
  // |x| < 2^-13: x (x^3 / 3 is below half an ULP), -0 included. (Without
  // it, 1 - E's low part, rounded once more by the renormalization, is 1
  // ULP off below |x| ~ 2^-20: measured, 1.0000 ULP at 0x1.254002p-26.)
  return e.select(e.lt(e.abs(x), e.c(0x1p-13)), x, y);
}
