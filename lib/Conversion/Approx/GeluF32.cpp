//===- GeluF32.cpp - m * erfc(w) from a table of Phi(-t) e^(t^2 / 2) ------===//
//
// The erf GELU's core for 16-lane f32 vectors with AVX-512, both modes.
// With v = -sqrt(2) w (v = x in gelu's 0.5 x erfc(-x / sqrt 2)), t = |v|:
//
//   m erfc(w) = 2m Phi(v),   Phi(-t) = exp(-t^2 / 2) G(t),
//
// G(t) = erfc(t / sqrt 2) exp(t^2 / 2) / 2 a degree-7 polynomial on each
// of 32 half-unit segments of t in [0, 16] (GeluTable.def, made by
// scripts/gelu-table.py, 2^-30.4 relative): one vpermt2ps per coefficient
// picks each lane's segment from two zmm registers, so nothing divides and
// nothing is gathered. t^2 / 2 is an exact pair (twoProd) fed to the exp
// core with its low part; v < 0 gives 2m exp(-t^2/2) G scaled by 2^n last
// (a subnormal result rounds once with vscalefps), v >= 0 gives
// 2m (1 - Phi(-t)), Phi(-t) <= 1/2 (no cancellation).
//
// fast: G by Horner's rule in f32 (the pairs' high parts), the single-chain
// exp core (3.74 ULP over all 2^32 inputs, ~2.7 elements/ns in L1; with
// exp's 1 + r kept as a pair 3.06 ULP but 10% slower). accurate: G's constant and linear terms as pairs (c0 + c1 s
// exact, s^2 q(s) rounded, below 2^-28 of G), the pair exp core, the
// products as pairs, one rounding at the end (two for subnormal results).
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::act::approx;

namespace {
/// One row of GeluTable.def: G(i/2 + 1/4 + s) = c0 + c1 s + ... + c7 s^7.
struct Segment {
  float c0, c0Lo, c1, c1Lo, c2, c3, c4, c5, c6, c7;
};
} // namespace

static constexpr Segment kSegments[] = {
#define GELU_SEGMENT(i, ...) {__VA_ARGS__},
#define GELU_GRAD_SEGMENT(...)
#define GELU_GRAD_PAIR(...)
#include "GeluTable.def"
#undef GELU_GRAD_PAIR
#undef GELU_GRAD_SEGMENT
#undef GELU_SEGMENT
};

namespace {
/// One row of GeluTable.def's gradient part: D(ch + cl + s) = d0 + d1 s +
/// ... + d7 s^7, D(t) = G(t) - t / sqrt(2 pi).
struct GradSegment {
  float ch, cl, d0, d1, d2, d3, d4, d5, d6, d7;
};
} // namespace

static constexpr GradSegment kGradSegments[] = {
#define GELU_SEGMENT(...)
#define GELU_GRAD_SEGMENT(i, ...) {__VA_ARGS__},
#define GELU_GRAD_PAIR(...)
#include "GeluTable.def"
#undef GELU_GRAD_PAIR
#undef GELU_GRAD_SEGMENT
#undef GELU_SEGMENT
};
static_assert(sizeof(kGradSegments) == sizeof(kSegments), "32 rows each");

namespace {
/// The low parts that make a gradient row's d0 and d1 float pairs (the
/// accurate gradient; 2^-29.9 relative with them).
struct GradPair {
  float d0Lo, d1Lo;
};
} // namespace

static constexpr GradPair kGradPairs[] = {
#define GELU_SEGMENT(...)
#define GELU_GRAD_SEGMENT(...)
#define GELU_GRAD_PAIR(i, ...) {__VA_ARGS__},
#include "GeluTable.def"
#undef GELU_GRAD_PAIR
#undef GELU_GRAD_SEGMENT
#undef GELU_SEGMENT
};
static_assert(sizeof(kGradPairs) / sizeof(kGradPairs[0]) == 32, "32 rows");
static constexpr int kNumSegments = sizeof(kSegments) / sizeof(kSegments[0]);
static_assert(kNumSegments == 32, "two zmm registers of 16 floats each");

/// |w| beyond which m erfc(w) is 0 or 2m (t = sqrt(2) |w| <= 15.98, inside
/// the table; erfc(11.3) < 2^-186, so |m| < 2^30 times it underflows).
static constexpr double kWLimit = 11.3;
/// sqrt(2) = kSqrt2Hi + kSqrt2Lo to 2^-48.
static constexpr float kSqrt2Hi = 0x1.6a09e6p+0f;
static constexpr double kSqrt2Lo = 1.4142135623730951 - (double)kSqrt2Hi;
/// 1.5 * 2^23: adding it rounds to an integer held in the low bits.
static constexpr double kShifter = 0x1.8p23;

bool mlir::act::approx::hasGeluTable(Emitter &e) {
  auto vector = dyn_cast<VectorType>(e.getFloatType());
  return e.hasAVX512() && e.isF32() && vector &&
         vector.getNumElements() == kNumSegments / 2;
}

/// The 32 values of one coefficient as two 16-lane constants, and each
/// lane's own picked by `index` (low 5 bits): vpermt2ps.
template <typename Row>
static Value pick(Emitter &e, Value index, const Row (&rows)[kNumSegments],
                  float Row::*field) {
  OpBuilder &b = e.getBuilder();
  auto type = cast<VectorType>(e.getFloatType());
  SmallVector<float, 16> lo, hi;
  for (int i = 0; i < kNumSegments; ++i)
    (i < kNumSegments / 2 ? lo : hi).push_back(rows[i].*field);
  auto constant = [&](ArrayRef<float> values) -> Value {
    return arith::ConstantOp::create(
        b, e.getLoc(), type,
        DenseElementsAttr::get(type, llvm::ArrayRef<float>(values)));
  };
  return LLVM::CallIntrinsicOp::create(
             b, e.getLoc(), type,
             b.getStringAttr("llvm.x86.avx512.vpermi2var.ps.512"),
             ValueRange{constant(lo), index, constant(hi)})
      ->getResult(0);
}

/// |x| beyond which gelu's m erfc(-x / sqrt 2) is 0 or 2m (sqrt 2 kWLimit).
static constexpr double kTLimit = 15.98;

/// Segment i = floor(2t) of t in [0, kTLimit] (either neighbour at a
/// boundary: both fits hold there) as i + 1.5 * 2^23, so that the index is
/// bits (the low 5 are i) and never poison.
static Value segmentOf(Emitter &e, Value t) {
  return e.add(e.fma(t, e.c(2.0), e.c(-0.5)), e.c(kShifter));
}

Value mlir::act::approx::buildErfcProductTableF32(Emitter &e, Value m, Pair w,
                                                  bool fast, Value x) {
  // t + tl = |v|, v = -sqrt(2) (w + wl) (the erfc argument's own x where
  // the caller found it: t exact, nothing to reconstruct).
  Value beyond, negative, t, tl;
  if (x) {
    t = e.abs(x);
    beyond = e.gt(t, e.c(kTLimit));
    negative = e.lt(x, e.c(0.0));
    t = e.min(t, e.c(kTLimit));
  } else {
    // v as a pair, w clamped (a NaN passes).
    beyond = e.gt(e.abs(w.hi), e.c(kWLimit));
    Value wc = e.clamp(w.hi, -kWLimit, kWLimit);
    Pair p = e.twoProd(wc, e.c(-(double)kSqrt2Hi));
    Value pl = e.fma(wc, e.c(-kSqrt2Lo), p.lo);
    if (w.lo)
      pl = e.fma(e.select(beyond, e.c(0.0), w.lo), e.c(-(double)kSqrt2Hi),
                 pl);
    Pair v = e.fastTwoSum(p.hi, pl);
    negative = e.lt(v.hi, e.c(0.0));
    t = e.abs(v.hi);
    tl = e.select(negative, e.neg(v.lo), v.lo);
  }

  // s = t - (i/2 + 1/4), exact for i >= 1 and kept as s + sl for i = 0.
  Value shifter = e.c(kShifter);
  Value y = segmentOf(e, t);
  Value index = e.toBits(y);
  Value center = e.fma(e.sub(y, shifter), e.c(0.5), e.c(0.25));
  Value s = e.sub(t, center);
  auto c = [&](float Segment::*field) {
    return pick(e, index, kSegments, field);
  };

  // G = (gh + gl), fast: gl null.
  Value q = e.fma(c(&Segment::c7), s, c(&Segment::c6));
  q = e.fma(q, s, c(&Segment::c5));
  q = e.fma(q, s, c(&Segment::c4));
  q = e.fma(q, s, c(&Segment::c3));
  q = e.fma(q, s, c(&Segment::c2));
  Value gh, gl;
  if (fast) {
    gh = e.fma(e.fma(q, s, c(&Segment::c1)), s, c(&Segment::c0));
  } else {
    // c0 + c1 s exact as a pair plus c0Lo, c1Lo s, c1 sl and s^2 q, which
    // are below 2^-4 of G (s^2 q rounds at 2^-28 of G).
    Value sl = e.sub(t, e.add(s, center)); // Fast2Sum(-center, t)
    Value c1 = c(&Segment::c1);
    Pair lin = e.twoProd(c1, s);
    Pair head = e.fastTwoSum(c(&Segment::c0), lin.hi);
    Value low = e.fma(c(&Segment::c1Lo), s, lin.lo);
    low = e.fma(c1, sl, e.add(low, c(&Segment::c0Lo)));
    low = e.fma(e.mul(s, s), q, low);
    gh = head.hi;
    gl = e.add(head.lo, low);
  }

  // exp(-(t + tl)^2 / 2) = 2^n (h + l), t^2 / 2 an exact pair.
  Pair half = e.twoProd(t, e.mul(t, e.c(0.5)));
  Value halfLo = tl ? e.fma(t, tl, half.lo) : half.lo;
  ExpSplit ex =
      buildExpSplitF32(e, e.neg(half.hi), e.neg(halfLo), fast, /*pair=*/false);
  Value m2 = e.add(m, m);
  Value below, above;
  if (fast) {
    Value a = e.mul(gh, ex.h);
    below = e.scaleByFloat(e.mul(m2, a), ex.n, ex.nf);
    Value phi = e.scaleByFloat(a, ex.n, ex.nf);
    above = e.fma(e.neg(m2), phi, m2);
  } else {
    // Phi(-t) 2^-n = ph + plo. Neither pair is normalized (gl holds
    // s^2 q, up to 2^-4 of G; l holds r^2 q(r), up to 2^-4 of h), so gl
    // multiplies h + l, not h (gl l alone is 2^-16 of the result).
    Pair ph = e.twoProd(gh, ex.h);
    Value plo = e.fma(gh, ex.l, e.fma(gl, e.add(ex.h, ex.l), ph.lo));
    Pair yb = e.twoProd(m2, ph.hi);
    below = e.scaleByFloat(e.add(yb.hi, e.fma(m2, plo, yb.lo)), ex.n, ex.nf);
    // 2m (1 - Phi(-t)), 1 - ph exact as a pair (ph <= 1/2).
    Value phiHi = e.scaleByFloat(ph.hi, ex.n, ex.nf);
    Value phiLo = e.scaleByFloat(plo, ex.n, ex.nf);
    Pair d = e.fastTwoSum(e.c(1.0), e.neg(phiHi));
    above = e.fma(m2, d.hi, e.mul(m2, e.sub(d.lo, phiLo)));
  }
  Value result = e.select(negative, below, above);
  result = e.select(beyond, e.select(negative, e.c(0.0), m2), result);
  // erfc > 0: the sign is m's (-0 for m = -0 too).
  return e.copySign(result, m);
}

/// gelu'(x) under 1 ULP (precision=accurate): D = d0 + d1 (s + sl) + s^2
/// q(s) with d0 and d1 float pairs and s + sl the exact t - center (the
/// root segment's center is a pair; segment 0's t - 1/4 rounds, Fast2Sum
/// keeps its error), D E as pairs from the accurate exp core, one rounding
/// at the end (x < 0: E D; x >= 0: 1 - E D with 1 - (E D)hi exact).
static Value buildAccurateGeluGrad(Emitter &e, Value t, Value index,
                                   Value negative) {
  auto d = [&](float GradSegment::*field) {
    return pick(e, index, kGradSegments, field);
  };
  auto lo = [&](float GradPair::*field) {
    return pick(e, index, kGradPairs, field);
  };
  Value ch = d(&GradSegment::ch);
  Value s = e.sub(t, ch);
  Value sl = e.sub(e.sub(t, e.add(s, ch)), d(&GradSegment::cl));
  Value sr = e.add(s, sl);
  Value q = e.fma(d(&GradSegment::d7), sr, d(&GradSegment::d6));
  q = e.fma(q, sr, d(&GradSegment::d5));
  q = e.fma(q, sr, d(&GradSegment::d4));
  q = e.fma(q, sr, d(&GradSegment::d3));
  q = e.fma(q, sr, d(&GradSegment::d2));
  // d0 + d1 s exact as a pair (|d1 s| <= |d0| but at the root, where d0
  // = 0), the rest below 2^-3 of D.
  Value d1 = d(&GradSegment::d1);
  Pair lin = e.twoProd(d1, s);
  Pair head = e.fastTwoSum(d(&GradSegment::d0), lin.hi);
  Value low = e.fma(lo(&GradPair::d1Lo), sr, lin.lo);
  low = e.fma(d1, sl, e.add(low, lo(&GradPair::d0Lo)));
  low = e.fma(e.mul(sr, sr), q, low);
  Value dh = head.hi;
  Value dl = e.add(head.lo, low);
  // E = exp(-t^2 / 2) = 2^n (h + l), t^2 / 2 an exact pair; D E as pairs
  // (neither normalized: dl multiplies h + l, as in the forward).
  Pair half = e.twoProd(t, e.mul(t, e.c(0.5)));
  ExpSplit ex = buildExpSplitF32(e, e.neg(half.hi), e.neg(half.lo),
                                 /*fast=*/false, /*pair=*/false);
  Pair ph = e.twoProd(dh, ex.h);
  Value plo = e.fma(dh, ex.l, e.fma(dl, e.add(ex.h, ex.l), ph.lo));
  Value below = e.scaleByFloat(e.add(ph.hi, plo), ex.n, ex.nf);
  // 1 - E D, |E D| <= 1/2: 1 - (E D)hi exact as a pair.
  Value edHi = e.scaleByFloat(ph.hi, ex.n, ex.nf);
  Value edLo = e.scaleByFloat(plo, ex.n, ex.nf);
  Pair one = e.fastTwoSum(e.c(1.0), e.neg(edHi));
  Value above = e.add(one.hi, e.sub(one.lo, edLo));
  return e.select(negative, below, above);
}

Value mlir::act::approx::buildGeluGradTableF32(Emitter &e, Value x,
                                               bool fast) {
  // gelu'(x) = Phi(x) + x phi(x) = E D(t) for x < 0, 1 - E D(t) for x >= 0,
  // t = |x|, E = exp(-t^2 / 2), D(t) = G(t) - t / sqrt(2 pi): the sum's
  // cancellation next to gelu's zero at x = -0.7518 is D's zero, and the
  // table's segment there is centered on it (d0 = 0, s = t - t0 as the
  // difference of t and the pair t0), so D = s R(s) keeps its digits.
  Value t = e.abs(x);
  Value beyond = e.gt(t, e.c(kTLimit));
  Value negative = e.lt(x, e.c(0.0));
  t = e.min(t, e.c(kTLimit));
  Value index = e.toBits(segmentOf(e, t));
  // Beyond the table f' is 1, or -0 (D < 0 there: E D underflows to -0).
  if (!fast)
    return e.select(beyond, e.select(negative, e.c(-0.0), e.c(1.0)),
                    buildAccurateGeluGrad(e, t, index, negative));
  auto d = [&](float GradSegment::*field) {
    return pick(e, index, kGradSegments, field);
  };
  // t - ch is exact (ch within a factor 2 of t), its rounding minus cl is
  // relative to s.
  Value s = e.sub(e.sub(t, d(&GradSegment::ch)), d(&GradSegment::cl));
  Value q = e.fma(d(&GradSegment::d7), s, d(&GradSegment::d6));
  q = e.fma(q, s, d(&GradSegment::d5));
  q = e.fma(q, s, d(&GradSegment::d4));
  q = e.fma(q, s, d(&GradSegment::d3));
  q = e.fma(q, s, d(&GradSegment::d2));
  q = e.fma(q, s, d(&GradSegment::d1));
  Value dv = e.fma(q, s, d(&GradSegment::d0));
  // E with exp's 1 + r as a pair (the single chain's ~2^-24 would add
  // ~1 ULP to every result); with AVX-512 the table core's pair (2^-30,
  // six ops fewer: ExpF32.cpp buildExpTablePairF32).
  Pair half = e.twoProd(t, e.mul(t, e.c(0.5)));
  ExpSplit ex =
      e.hasAVX512()
          ? buildExpTablePairF32(e, e.neg(half.hi), e.neg(half.lo))
          : buildExpSplitF32(e, e.neg(half.hi), e.neg(half.lo),
                             /*fast=*/true, /*pair=*/true);
  Value ed = e.scaleByFloat(e.fma(dv, ex.h, e.mul(dv, ex.l)), ex.n, ex.nf);
  Value result = e.select(negative, ed, e.sub(e.c(1.0), ed));
  return e.select(beyond, e.select(negative, e.c(0.0), e.c(1.0)), result);
}
