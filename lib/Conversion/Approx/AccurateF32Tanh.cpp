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
// With AVX-512 (16 x f32) a shorter form, ~38 vector ops per 16 lanes
// instead of ~57: E = exp(-2a) = 2^n (th + l) from the 32-entry table core
// (th = 2^(j/32) from a table, l ~1% of th, a cubic: h + l within 2^-30),
// 2^n by vscalefps on both parts, and
//
//   tanh(a) = 2 / (1 + E) - 1 = (2 rcp - 1) + 2 rcp eps,
//
// rcp = RN(1 / RN(1 + E)), eps = 1 - rcp (1 + E) by a subtraction and two
// FMAs: 2 rcp - 1 is exact, so tanh rounds once; E's absolute error (2^-30) is
// small next to tanh only away from 0, so |x| < 1/16 takes the series x +
// x^3 s(x^2) (Taylor to x^5, rounded once by its last FMA). (1 - E) / (1 + E)
// with the table core would need 1 - E near 0 to E's relative accuracy, which
// its n = 0 lanes do not keep.
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "AccurateF32TanhGrad.h"
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

/// ln 2 rounded to f32 (a + nf ln2 / 2 is exact for a <= 75) and the rest.
static constexpr double kLn2F32 = 0x1.62e430p-1;
static constexpr double kLn2F32Rest =
    (double)(float)(0.6931471805599453 - 0x1.62e430p-1);
/// 1.5 * 2^18: adding it rounds to a multiple of 1/32 held in the low bits.
static constexpr double kShifter32 = 0x1.8p18;
/// Below it the series, above it 2 / (1 + E) - 1. (1/8 with one term more:
/// 0.6255 ULP instead of 0.6909 over all 2^32, where E's error is larger
/// next to tanh, for one FMA, 0.97x as fast; measured.)
static constexpr double kSeriesBound = 0.0625;
/// (tanh(x) - x) / x^3 = -1/3 + 2/15 x^2 (Taylor; the next term, -17/315
/// x^4, is below 2^-18.5 of it for |x| < 1/16, 2^-28 of tanh).
static constexpr double kTanhSeries[] = {-1.0 / 3, 2.0 / 15};

TableExp mlir::act::approx::buildTableExpOfMinusTwiceF32(Emitter &e, Value a,
                                                         bool halved) {
  // -2a = (n + j/32) ln 2 + r, r = -2v: v = a + nf ln2 / 2 (exact with
  // ln2's f32 head: |v| <= ln 2 / 128 is a multiple of 2^-31 or of a's
  // ULP) plus the tail's product, rounded (2^-24 of |v|).
  Value shifter = e.c(kShifter32);
  Value k = e.fma(a, e.c(-2.0 * 1.4426950408889634), shifter);
  SmallVector<double, 32> head, tail;
  getExp2Table32(head, tail);
  if (halved) // exact: the same values, one binade down
    for (SmallVector<double, 32> *table : {&head, &tail})
      for (double &value : *table)
        value *= 0.5;
  Value bits = e.toBits(k);
  TableExp x;
  x.h = e.lookup32(head, bits);
  Value tl = e.lookup32(tail, bits);
  x.nf = e.sub(k, shifter); // n + j/32: vscalefps floors it
  Value v = e.fma(x.nf, e.c(kLn2F32 / 2), a);
  v = e.fma(x.nf, e.c(kLn2F32Rest / 2), v);
  // exp(r) - 1 = r (1 + r/2 + r^2/6) (r^4/24 < 2^-30.7) = v p2(v), p2 =
  // -2 (1 - v + 2/3 v^2): E / 2^n = h + l, l = h v p2 + tl (~1% of h).
  Value p2 = e.fma(v, e.fma(v, e.c(-4.0 / 3), e.c(2.0)), e.c(-2.0));
  x.l = e.fma(e.mul(x.h, v), p2, tl);
  return x;
}

/// AVX-512: tanh(a) = 2 / (1 + E) - 1, E = exp(-2a) from the 32-entry
/// table core, and the series near 0 (the file comment; docs/accuracy.md,
/// "Accurate tanh speed (session 9, tanhacc)").
static Value buildTableTanhF32(Emitter &e, Value x) {
  Value absX = e.abs(x);
  // The halved tables: eh + el = E / 2, so that 2 rcp comes from one
  // division and multiplies them directly (one op fewer, the same values).
  TableExp E = buildTableExpOfMinusTwiceF32(e, e.min(absX, e.c(10.0)),
                                            /*halved=*/true);
  // E <= 1 as 2 (eh + el), exact (E >= e^-20 is normal). rcp = RN(1 / dh),
  // dh = RN(1 + 2 RN(eh + el)), and R = 1 / (1 + E) = rcp (1 + eps) to
  // 2^-46 with eps = 1 - rcp (1 + E) ~ 2^-24: 1 - rcp is exact (rcp in
  // [1/2, 1]), minus 2 rcp eh rounds at 2^-32 (the sum is ~rcp E's low
  // part, below 2^-7.5), minus 2 rcp el; no renormalized 1 + E needed (two
  // ops fewer than renormalizedOnePlus and the residual on its pair: 0.6255
  // ULP instead of 0.5988 with the series below 1/8, measured). tanh = 2R - 1 =
  // (2 rcp - 1) + 2 rcp eps: 2 rcp = RN(2 / dh) (exactly twice RN(1 / dh)) and
  // 2 rcp - 1 are exact (2 rcp in [1, 2]), so the sum rounds once.
  Value eh = e.scaleByFloat(E.h, Value(), E.nf);
  Value el = e.scaleByFloat(E.l, Value(), E.nf);
  Value twice = e.div(e.c(2.0), e.fma(e.add(eh, el), e.c(2.0), e.c(1.0)));
  Value eps = e.fma(e.neg(twice), el,
                    e.fma(e.neg(twice), eh, e.fma(twice, e.c(-0.5), e.c(1.0))));
  Value y = e.fma(twice, eps, e.sub(twice, e.c(1.0)));
  // |x| < 1/16: x + x^3 s(x^2), rounded once by the last FMA (x^3 s is
  // below 1/760 of x); x itself where x^2 underflows.
  Value x2 = e.mul(x, x);
  Value series = e.fma(x, e.mul(x2, e.poly(x2, kTanhSeries)), x);
  // x's sign last: the series has it, but for -0 (x^2 s(x^2) is -0, so
  // x + x (-0) is +0).
  return e.copySign(e.select(e.lt(absX, e.c(kSeriesBound)), series, y), x);
}

Value mlir::act::approx::buildAccurateTanhF32(Emitter &e, Value x) {
  if (e.hasAVX512())
    return buildTableTanhF32(e, x);
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
