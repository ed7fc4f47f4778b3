//===- GeluAccurateF32.cpp - x Phi(x) from a 16-row table of G ------------===//
//
// The accurate erf GELU for 16-lane f32 vectors with AVX-512, where the
// kernel's x is known (gelu itself, its bias and matmul epilogue kernels),
// on GeluF32.cpp's factorization: with t = min(|x|, 14.5)
//
//   Phi(-t) = exp(-t^2 / 2) G(t),   G(t) = erfc(t / sqrt 2) exp(t^2 / 2) / 2,
//
// gelu(x) = x Phi(-t) for x < 0 and x (1 - Phi(-t)) for x >= 0.
//
// G's table has 16 rows, so that each coefficient's column is one register
// and vpermps picks from it in place: GeluF32.cpp's 32 rows need two
// registers per column and vpermt2ps, which overwrites one of them, and
// with ~20 table registers the loop reloaded a table before every pick.
// The segments follow the bits of u = t + 1 in [1, 16): its exponent and
// two leading mantissa bits (u's bits >> 21; vpermps reads 4 bits), 4 per
// binade, so that they widen with t (1/4 on [0, 1), 2 on [7, 15)) as G's
// scale does (GeluAccurateTable.def, made by scripts/gelu-accurate-table.py;
// degree 6, 2^-27.05 relative). The center is u's bits with the next
// mantissa bit set, less 1; s = t - center is exact (Sterbenz) but for t <
// 1/16, where it is within 2^-28.
//
// G = gh + gl: gh = c0 hi has 12 significant bits and so has the exp
// table's head h, so gh h is exact and no twoProd forms Phi(-t) 2^-n = ph
// + plo; gl = c0 lo + c1 s + s^2 q(s) is rounded once (c1 s exact inside
// the last FMA; |gl| <= 0.14 G: the segments are narrow enough for that).
// The rows hold 2^32 G and 2^n is taken as 2^(n - 32), so that xc plo
// stays normal for subnormal x (a subnormal xc plo would round on its own
// by up to 0.5 ULP of the result). x >= 0 takes 1 - Phi(-t) as the pair
// qh + ql as GeluF32.cpp's form does; one rounding at the end (two for a
// subnormal result).
//
//===----------------------------------------------------------------------===//

#include "GeluAccurateF32.h"

#include "Approx.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

namespace {
/// One row of GeluAccurateTable.def: 2^32 G(center + s) = (c0 + c0lo) +
/// c1 s + ... + c6 s^6.
struct Segment {
  float c0, c0Lo, c1, c2, c3, c4, c5, c6;
};
} // namespace

static constexpr Segment kSegments[] = {
#define GELU_ACCURATE_SEGMENT(i, ...) {__VA_ARGS__},
#include "GeluAccurateTable.def"
};
static_assert(sizeof(kSegments) / sizeof(kSegments[0]) == 16,
              "16 rows: one zmm register of 16 floats");
/// The table's rows are 2^kRowScale G.
static constexpr double kRowScale = 32;

/// |x| beyond which gelu(x) is x or rounds to -0: 14.5 Phi(-14.5) < 2^-152;
/// u = t + 1 stays below 16 (the table's 4 binades).
static constexpr double kTLimit = 14.5;
/// u's bits: the exponent and two leading mantissa bits, and the next bit.
static constexpr int32_t kSegmentMask = static_cast<int32_t>(0xffe00000u);
static constexpr int32_t kCenterBit = 0x00100000;

/// The column of one coefficient, picked per lane by `index` (its low 4
/// bits; Emitter::lookup16, one vpermps).
static Value pick(Emitter &e, Value index, float Segment::*field) {
  SmallVector<double, 16> column;
  for (const Segment &row : kSegments)
    column.push_back(row.*field);
  return e.lookup16(column, index);
}

/// 2^(j/32) = head + tail, head rounded to 12 significant bits (so that
/// its product by a c0 hi is exact), tail the rest as a float.
static void getExp2Table32Head12(SmallVectorImpl<double> &head,
                                 SmallVectorImpl<double> &tail) {
  for (int j = 0; j < 32; ++j) {
    double value = std::exp2(j / 32.0);
    double rounded = std::ldexp(std::nearbyint(std::ldexp(value, 11)), -11);
    head.push_back(rounded);
    tail.push_back((float)(value - rounded));
  }
}


Value mlir::act::approx::buildAccurateGeluF32(Emitter &e, Value x) {
  // x's sign bit (an integer test: -0 and a NaN with the sign bit take the
  // x < 0 side), t clamped (a NaN stays one), xc = copysign(t, x).
  Value negative = e.igt(e.ci(0), e.toBits(x));
  Value t = e.min(e.abs(x), e.c(kTLimit));
  Value xc = e.copySign(t, x);

  // The segment of u = t + 1 (u may round up to the next one's start: s
  // is then -width/2 less at most 2^-20, within the fit's reach).
  Value uBits = e.toBits(e.add(t, e.c(1.0)));
  Value center = e.sub(
      e.fromBits(e.ior(e.iand(uBits, e.ci(kSegmentMask)), e.ci(kCenterBit))),
      e.c(1.0));
  Value s = e.sub(t, center);
  Value index = e.ashr(uBits, 21);
  auto c = [&](float Segment::*field) { return pick(e, index, field); };

  // 2^32 G = gh + gl, q(s) = c2 + ... + c6 s^4 by Estrin's scheme (the
  // loop is partly latency-bound: 3% over Horner's rule).
  Value s2 = e.mul(s, s);
  Value low = e.fma(c(&Segment::c3), s, c(&Segment::c2));
  Value mid = e.fma(c(&Segment::c5), s, c(&Segment::c4));
  Value q = e.fma(s2, e.fma(s2, c(&Segment::c6), mid), low);
  Value gh = c(&Segment::c0);
  Value gl = e.fma(c(&Segment::c1), s, e.fma(s2, q, c(&Segment::c0Lo)));

  // exp(-t^2 / 2) = 2^nf (h + l), t^2 an exact pair; Phi(-t) 2^(32 - nf)
  // = ph + plo, ph = gh h exact (12 bits each), plo = gl h + gh l + gl l
  // rounded once at the end (|plo| <= 0.15 ph).
  Value uh = e.mul(t, t);
  Value ul = e.fma(t, t, e.neg(uh));
  SmallVector<double, 32> head, tail;
  getExp2Table32Head12(head, tail);
  ExpSplit ex = buildExpMinusHalfF32(e, uh, ul, head, tail, /*shortHead=*/true);
  Value ph = e.mul(gh, ex.h);
  Value plo = e.fma(gl, ex.h, e.fma(gh, ex.l, e.mul(gl, ex.l)));
  Value nf = e.add(ex.nf, e.c(-kRowScale));

  // x >= 0: 1 - Phi(-t) = qh + ql, qh = 1 - 2^nf ph rounded on the 2^-24
  // grid (Phi(-t) <= 1/2), 1 - qh - 2^nf ph exact.
  Value scale = e.scaleByFloat(e.c(1.0), Value(), nf);
  Value qh = e.fma(e.neg(ph), scale, e.c(1.0));
  Value ql = e.fma(e.neg(ph), scale, e.sub(e.c(1.0), qh)); // exact
  ql = e.fma(e.neg(plo), scale, ql);

  // One FMA rounds either side: x hi + xc lo, x itself for the high
  // product where x >= 0 (x > 14.5 and +inf give x: qh = 1, ql = 0
  // there), xc where x < 0 (x < -14.5 underflows to -0 from xc); then 2^nf
  // for x < 0. vfixupimmps gives x for +-0 (the two zero products' sum can
  // take the other sign) and +0 for -inf (the prelude's gelu(-inf)):
  // tokens 1 for class 2, 8 for class 4.
  Value r = e.fma(e.select(negative, xc, x), e.select(negative, ph, qh),
                  e.mul(xc, e.select(negative, plo, ql)));
  r = e.select(negative, e.scaleByFloat(r, Value(), nf), r);
  return e.fixupByClass(r, x, (1 << 8) | (8 << 16));
}
