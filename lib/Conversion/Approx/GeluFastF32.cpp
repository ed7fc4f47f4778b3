//===- GeluFastF32.cpp - fast Phi(-t) and the erf GELU with AVX-512 -------===//
//
// The fast erf GELU's core for 16-lane f32 vectors with AVX-512, on
// GeluF32.cpp's factorization: for t >= 0
//
//   Phi(-t) = exp(-t^2 / 2) G(t),   G(t) = erfc(t / sqrt 2) exp(t^2 / 2) / 2.
//
// G is a degree-5 polynomial on each of the 32 segments [i/2 - 1/4, i/2 +
// 1/4] of t (GeluTable.def's GELU_FAST_SEGMENT rows, scripts/gelu-table.py),
// in s = t - i/2, which is exact: 6 vpermt2ps picks and 5 FMAs. exp(-t^2
// / 2) comes from t^2 as an exact pair through the 32-entry table core with
// the -1/2 folded into its constants (GeluF32.cpp's accurate core without
// its low table): one pick and 9 ops with the square. The kernel's loop
// runs ~40 vector ops per 16 lanes where the degree-7 form with the
// single-chain exp core ran ~60 (docs/accuracy.md, "Fast gelu and
// gelu_tanh speed (session 11, fastgelu)").
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

namespace {
/// One GELU_FAST_SEGMENT row: G(i/2 + s) = c0 + c1 s + ... + c5 s^5 (c0 a
/// float pair; the fast form reads c0's high part alone).
struct FastSegment {
  float c0, c0Lo, c1, c2, c3, c4, c5;
};
} // namespace

static constexpr FastSegment kFastSegments[] = {
#define GELU_SEGMENT(...)
#define GELU_GRAD_SEGMENT(...)
#define GELU_GRAD_PAIR(...)
#define GELU_FAST_SEGMENT(i, ...) {__VA_ARGS__},
#include "GeluTable.def"
#undef GELU_GRAD_PAIR
#undef GELU_GRAD_SEGMENT
#undef GELU_SEGMENT
};
static constexpr int kNumSegments =
    sizeof(kFastSegments) / sizeof(kFastSegments[0]);
static_assert(kNumSegments == 32, "two zmm registers of 16 floats each");

/// 1.5 * 2^22: adding it rounds to a multiple of 1/2 held in the low bits.
static constexpr double kHalfShifter = 0x1.8p22;
/// 1.5 * 2^18: adding it rounds to a multiple of 1/32 held in the low bits.
static constexpr double kShifter32 = 0x1.8p18;
/// ln 2 rounded to f32 and the rest, doubled; log2(e) / 2.
static constexpr double kTwoLn2F32 = 2 * 0x1.62e430p-1;
static constexpr double kTwoLn2F32Rest =
    2 * (double)(float)(0.6931471805599453 - 0x1.62e430p-1);
static constexpr double kLog2eHalf = 0.5 * 1.4426950408889634;

/// Each lane's coefficient `field` of its segment (the low 5 bits of
/// `index`): one vpermt2ps from two constant registers.
static Value pickFast(Emitter &e, Value index, float FastSegment::*field) {
  SmallVector<double, 32> column;
  for (const FastSegment &row : kFastSegments)
    column.push_back(row.*field);
  return e.lookup32(column, index);
}

/// G(t + tl) on segment i = round(2t) by Horner's rule in f32.
static Value buildFastG(Emitter &e, Value t, Value tl) {
  Value shifter = e.c(kHalfShifter);
  Value y = e.add(t, shifter);
  Value index = e.toBits(y);
  // t - i/2 is exact (segment 0 is centered on 0, the others within a
  // factor 2 of t); a rebuilt t's low part joins it (|tl| <= 2^-24 t).
  Value s = e.sub(t, e.sub(y, shifter));
  if (tl)
    s = e.add(s, tl);
  Value q = pickFast(e, index, &FastSegment::c5);
  for (float FastSegment::*field :
       {&FastSegment::c4, &FastSegment::c3, &FastSegment::c2,
        &FastSegment::c1, &FastSegment::c0Lo})
    q = e.fma(q, s, pickFast(e, index, field));
  // c0 as a pair: c0's own rounding (up to 2^-24 of G) would otherwise be
  // the largest error of the later segments.
  return e.add(pickFast(e, index, &FastSegment::c0), q);
}

/// exp(-(uh + ul) / 2) = 2^nf h for u = t^2 as an exact pair: -u/2 = (n +
/// j/32) ln 2 + r, |r| <= ln(2) / 64, rp = -2r = u + 2 (n + j/32) ln 2 (its
/// first step exact), h = T_j (1 + r + r^2/2 + r^3/6) = T_j + T_j rp (-1/2 +
/// rp/8 - rp^2/48) rounded once: T_j's rounding (2^-25) and h's.
static ExpSplit buildFastExpMinusHalfF32(Emitter &e, Value uh, Value ul) {
  Value shifter = e.c(kShifter32);
  Value y = e.fma(uh, e.c(-kLog2eHalf), shifter);
  SmallVector<double, 32> head, tail;
  getExp2Table32(head, tail);
  Value th = e.lookup32(head, e.toBits(y));
  Value nf = e.sub(y, shifter);
  Value rp = e.fma(nf, e.c(kTwoLn2F32), uh); // exact
  rp = e.fma(nf, e.c(kTwoLn2F32Rest), e.add(rp, ul));
  Value p = e.fma(rp, e.fma(rp, e.c(-1.0 / 48), e.c(0.125)), e.c(-0.5));
  return {Value(), e.fma(e.mul(th, rp), p, th), Value(), nf};
}

FastPhi mlir::act::approx::buildFastPhiOfMinusF32(Emitter &e, Value t,
                                                  Value tl) {
  Value g = buildFastG(e, t, tl);
  // (t + tl)^2 = uh + ul, t^2 exact as a pair plus 2 t tl.
  Value uh = e.mul(t, t);
  Value ul = e.fma(t, t, e.neg(uh));
  if (tl)
    ul = e.fma(e.add(t, t), tl, ul);
  ExpSplit ex = buildFastExpMinusHalfF32(e, uh, ul);
  return {e.mul(g, ex.h), ex.nf};
}

Value mlir::act::approx::buildFastGeluF32(Emitter &e, Value x) {
  // Clamped to the table (t <= 15.74, round(2t) <= 31), Phi(-t) 2^-nf
  // stays in [2^-10, 1/2] and 2^nf below 2^-178, so |xc| Phi(-t) rounds
  // to 0 beyond the table: no selects for the tails or the infinities.
  Value xc = e.clamp(x, -kFastGeluLimit, kFastGeluLimit);
  FastPhi phi = buildFastPhiOfMinusF32(e, e.abs(xc), Value());
  // x <= 0 (+-0 keep their sign): x Phi(-|x|) = 2^nf (xc a), the scaling
  // last so that a subnormal result rounds once; x > 0: x - that, with
  // x Phi(-x) <= x / 2 (no cancellation; a NaN takes the other side).
  Value below = e.scaleByFloat(e.mul(xc, phi.a), Value(), phi.nf);
  return e.select(e.gt(x, e.c(0.0)), e.sub(x, below), below);
}
