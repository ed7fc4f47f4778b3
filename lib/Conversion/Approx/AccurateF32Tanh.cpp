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
/// m = 2^-n for an exact w in [-20, 0]: ExpF32.cpp's core with its
/// reduced argument r + rl from three FMAs instead of a TwoSum. r1 = w -
/// n ln2_head is exact; r = r1 - n ln2_tail rounded once, and rl = (r1 -
/// r) - n ln2_tail by one more FMA: |n ln2_tail| < 2^-14.5, so rl is r's
/// rounding error up to about 2^-37 (n = 0: r = w, rl = 0).
static Pair expOverPow2(Emitter &e, Value w, Value &m) {
  Value shifter = e.c(0x1.8p23);
  Value t = e.fma(w, e.c(1.4426950408889634), shifter);
  Value minusN = e.sub(shifter, t);
  Value n = e.isub(e.toBits(t), e.toBits(shifter));
  m = e.pow2(e.isub(e.ci(0), n));
  Value tail = e.c((float)kLogLn2Tail);
  Value r1 = e.fma(minusN, e.c(kLogLn2Head), w);
  Value r = e.fma(minusN, tail, r1);
  Value rl = e.fma(minusN, tail, e.sub(r1, r));
  // exp(r + rl) = 1 + r + r^2 q(r) + rl (1 + r), 1 + r as a pair.
  Value p = e.mul(r, e.mul(r, e.poly(r, kExpQ5)));
  Pair head = e.fastTwoSum(e.c(1.0), r);
  Value l = e.add(head.lo, e.add(p, e.fma(rl, r, rl)));
  return e.fastTwoSum(head.hi, l);
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
