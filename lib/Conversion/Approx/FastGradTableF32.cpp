//===- FastGradTableF32.cpp - fast gradients from piecewise tables --------===//
//
// The fast silu and mish gradients for 16-lane f32 vectors with AVX-512,
// f'(x) evaluated directly, without exp or division, where it is not tiny:
// on the 32 unit segments [k - 1/2, k + 1/2], k = round(x), a polynomial
// in s = x - center_k (FastGradTable.def, scripts/fast-grad-table.py):
//
//   silu' = sigmoid(x) (1 + x (1 - sigmoid(x))), k = -11 .. 20, degree 7,
//   mish' = tanh(softplus(x)) + x sech^2(softplus(x)) sigmoid(x),
//           k = -20 .. 11, degree 8,
//
// 2^-23.4 relative or better with float coefficients. s is exact; on the
// segment of f''s zero (x0 = -1.278, -1.192) the center is x0 itself, so
// f' = c0 + s Q(s) keeps its relative accuracy right down to the zero
// (the general forms need pairs and a series there). x is clamped to the
// last segment's end, where f' rounds to 1.
//
// Below the first segment E = exp(x) is below 2^-16.5 (silu) or 2^-29.5
// (mish), and
//
//   silu' = E (1 + x + E) / (1 + E)^2 = E ((1 + x) - E (1 + 2x)) + O(E^3 x),
//   mish' = E (1 + x) + O(E^2 x),
//
// with E = 2^n h from the table exp core (cubic), 1 + x exact, and 2^n
// applied last so that a subnormal f' rounds once (f' is 0 only below
// -108). With dy, dy f' (the kernel's product, DyProduct.h) before that
// scaling: dy = +-inf gives +-inf where f' underflows. About 40 vector ops
// per 16 lanes where the general forms with pairs, a series and a
// reciprocal step took ~50 (silu) and ~77 (mish), most of them FMA-unit
// ops (docs/accuracy.md, "Fast gradients (session 12, fastgrad)").
//
// The tanh GELUs' f' = sigmoid(t) + m sigmoid'(t), t = k x (1 + a x^2),
// falls like exp(t) for x < 0, which no unit segment fits relatively near
// x = -5; it is f' = exp(T(min(x, 1/2))) H(x), T ~ t a cubic computed as
// an exact pair, with H on 16 unit segments (one register each: vpermps)
// and exp(T) from the table exp core (docs/accuracy.md, "Fast gelu_tanh
// gradient (session 13, fastgrad2)").
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act::approx;

namespace {
/// One FAST_GRAD_SEGMENT row: f'(center + s) = c[0] + c[1] s + ... on
/// [k - 1/2, k + 1/2].
struct Segment {
  int k;
  double center;
  double c[9];
};

/// A function's table and the ends of its segments.
struct GradTable {
  ArrayRef<Segment> segments;
  int degree;
  /// The largest float below the last segment's end: round() keeps it
  /// there, and f' rounds to 1 beyond.
  double upperClamp;
  /// The first segment's lower end: the tail form there and below.
  double tailBelow;
};
} // namespace

#define FAST_GRAD_SEGMENT(name, k, center, ...)                                \
  FAST_GRAD_SEGMENT_##name(k, center, __VA_ARGS__)
#define FAST_GRAD_SEGMENT_silu(k, center, ...) {k, center, {__VA_ARGS__}},
#define FAST_GRAD_SEGMENT_mish(...)
#define FAST_GRAD_SEGMENT_gelu_tanh(...)
static constexpr Segment kSiluSegments[] = {
#include "FastGradTable.def"
};
#undef FAST_GRAD_SEGMENT_silu
#undef FAST_GRAD_SEGMENT_mish
#define FAST_GRAD_SEGMENT_silu(...)
#define FAST_GRAD_SEGMENT_mish(k, center, ...) {k, center, {__VA_ARGS__}},
static constexpr Segment kMishSegments[] = {
#include "FastGradTable.def"
};
#undef FAST_GRAD_SEGMENT_silu
#undef FAST_GRAD_SEGMENT_mish
#define FAST_GRAD_SEGMENT_silu(...)
#define FAST_GRAD_SEGMENT_mish(...)
#undef FAST_GRAD_SEGMENT_gelu_tanh
#define FAST_GRAD_SEGMENT_gelu_tanh(k, center, ...) {k, center, {__VA_ARGS__}},
static constexpr Segment kGeluTanhSegments[] = {
#include "FastGradTable.def"
};
#undef FAST_GRAD_SEGMENT_silu
#undef FAST_GRAD_SEGMENT_mish
#undef FAST_GRAD_SEGMENT_gelu_tanh
#undef FAST_GRAD_SEGMENT
static_assert(std::size(kSiluSegments) == 32 && std::size(kMishSegments) == 32,
              "two zmm registers of 16 floats each");
static_assert(std::size(kGeluTanhSegments) == 16,
              "k = -9 .. 6, one zmm register of 16 floats");

static const GradTable kSiluTable = {kSiluSegments, 7, 0x1.47fffep+4, -11.5};
static const GradTable kMishTable = {kMishSegments, 8, 0x1.6ffffep+3, -20.5};
/// gelu_tanh's H = f' / exp(T(min(x, 1/2))): x clamped to [-14.5, 6.5),
/// the first segment (k = -9) reaching down to -14.5.
static const GradTable kGeluTanhTable = {kGeluTanhSegments, 8, 0x1.9ffffep+2,
                                         -14.5};
/// The index's clamp: round(x) stays in k = -9 .. 6.
static constexpr double kGeluTanhFirstSegment = -9.0;
/// The tanh GELUs' t = k x (1 + a x^2) that kGeluTanhTable was fitted to
/// (scripts/fast-grad-table.py): k = 2 sqrt(2 / pi), a = 0.044715.
static constexpr double kGeluTanhK = 1.5957691216057308;
static constexpr double kGeluTanhA = 0.044715;
/// The exp factor's T(a) = a (K' + (K a)' a^2): k rounded to a multiple of
/// 2^-20, so that K' - fl(K' + (K a)' a^2) is exact for every |a| <= 14.5,
/// and k a rounded to float (the table's H absorbs exp(t - T)).
static constexpr float kGeluTanhKF = 0x1.98845p+0f;
static constexpr float kGeluTanhKAF = 0x1.2444f2p-4f;
/// The exp factor's argument stops at T(1/2), a segment end (H is smooth
/// on each segment, and flat on [-1/2, 1/2]).
static constexpr double kGeluTanhKink = 0.5;

/// 1.5 * 2^23: adding it rounds to an integer held in the low bits.
static constexpr double kShifter = 0x1.8p23;
/// exp underflows well before; keeps the exp core's n finite.
static constexpr double kLowerClamp = -150.0;

/// Each lane's value of `field` for its segment round(x), whose low five
/// bits `index` holds: vpermt2ps reads entry round(x) mod 32, so the rows
/// are rotated to that order.
static Value pick(Emitter &e, const GradTable &table, Value index,
                  llvm::function_ref<double(const Segment &)> field) {
  SmallVector<double, 32> column(32);
  for (const Segment &row : table.segments)
    column[((row.k % 32) + 32) % 32] = field(row);
  return e.lookup32(column, index);
}

/// As pick, from a 16-entry table (one register; vpermps reads entry
/// round(x) mod 16 and leaves the table in place, no register copies).
static Value pick16(Emitter &e, const GradTable &table, Value index,
                    llvm::function_ref<double(const Segment &)> field) {
  SmallVector<double, 16> column(16);
  for (const Segment &row : table.segments)
    column[((row.k % 16) + 16) % 16] = field(row);
  return e.lookup16(column, index);
}

/// f'(x) on the table's segments (x above the first one's lower end, or
/// clamped to it first; NaN stays NaN through the clamp and s, +inf is
/// clamped).
static Value evaluateTable(Emitter &e, const GradTable &table, Value xc) {
  Value index = e.toBits(e.add(xc, e.c(kShifter)));
  Value s = e.sub(
      xc, pick(e, table, index, [](const Segment &r) { return r.center; }));
  int degree = table.degree;
  Value p =
      pick(e, table, index, [degree](const Segment &r) { return r.c[degree]; });
  for (int d = degree - 1; d >= 0; --d)
    p = e.fma(p, s,
              pick(e, table, index, [d](const Segment &r) { return r.c[d]; }));
  return p;
}

/// f' = 2^n h H from H (in a = max(x, -150) and E = 2^n h), times dy if
/// any before the scaling, below the table.
static Value buildGradTableF32(Emitter &e, const GradTable &table, Value x,
                               Value dy,
                               llvm::function_ref<Value(Value, Value)> tail) {
  Value p = evaluateTable(e, table, e.min(x, e.c(table.upperClamp)));
  Value a = e.max(x, e.c(kLowerClamp));
  ExpSplit ex = buildExpSplitF32(e, a, Value(), /*fast=*/true, /*pair=*/false,
                                 /*coarse=*/false, /*table=*/true);
  Value E = e.scaleByFloat(ex.h, ex.n, ex.nf);
  Value product = e.mul(ex.h, tail(a, E));
  if (dy) {
    p = e.mul(dy, p);
    product = e.mul(dy, product);
  }
  Value below = e.scaleByFloat(product, ex.n, ex.nf);
  // x = -11.5 itself rounds to k = -12 (ties to even), off the table.
  return e.select(e.le(x, e.c(table.tailBelow)), below, p);
}

bool mlir::act::approx::hasGradTable(Emitter &e) {
  auto vector = dyn_cast<VectorType>(e.getFloatType());
  return e.hasAVX512() && e.isF32() && vector && vector.getNumElements() == 16;
}

Value mlir::act::approx::buildSiluGradTableF32(Emitter &e, Value x, Value dy) {
  // (1 + a) - E (1 + 2a).
  return buildGradTableF32(e, kSiluTable, x, dy, [&](Value a, Value E) {
    return e.fma(E, e.fma(a, e.c(-2.0), e.c(-1.0)), e.add(a, e.c(1.0)));
  });
}

Value mlir::act::approx::buildMishGradTableF32(Emitter &e, Value x, Value dy) {
  // 1 + a (E unused: dead code).
  return buildGradTableF32(e, kMishTable, x, dy,
                           [&](Value a, Value) { return e.add(a, e.c(1.0)); });
}

bool mlir::act::approx::hasGeluTanhGradTable(double k, double a) {
  return std::fabs(k / kGeluTanhK - 1) < 0x1p-40 &&
         std::fabs(a / kGeluTanhA - 1) < 0x1p-40;
}

Value mlir::act::approx::buildGeluTanhGradTableF32(Emitter &e, Value x,
                                                   Value dy) {
  // f' = exp(T(a)) H(x), a = min(x, 1/2), T(a) ~ t(a): H from the table
  // (smooth on every segment; f' itself falls like exp(t) below -2, with
  // t cubic), exp(T) = 2^n h from the table exp core on T as a pair (T
  // reaches -17 where the counted f' ends, at x = -5.1). x clamped to
  // [-14.5, 6.5): below, dy f' underflows for every finite dy; above, f'
  // rounds to 1. dy times h H before 2^n: a subnormal dx rounds once, and
  // dy = +-inf gives +-inf where f' underflows. No select: NaN passes
  // through the clamps (arith.minimumf/maximumf) and s.
  const GradTable &table = kGeluTanhTable;
  Value xc = e.max(e.min(x, e.c(table.upperClamp)), e.c(table.tailBelow));
  Value index =
      e.toBits(e.add(e.max(xc, e.c(kGeluTanhFirstSegment)), e.c(kShifter)));
  auto field = [&](int d) {
    return pick16(e, table, index, [d](const Segment &r) { return r.c[d]; });
  };
  Value s = e.sub(
      xc, pick16(e, table, index, [](const Segment &r) { return r.center; }));
  Value p = field(table.degree);
  for (int d = table.degree - 1; d >= 0; --d)
    p = e.fma(p, s, field(d));
  // T = a Q, Q = K' + (K a)' a^2, as pairs: a^2 exact by twoProd, Q's
  // rounding by an FMA (K' - Qh exact), a Q by twoProd.
  Value a = e.min(xc, e.c(kGeluTanhKink));
  Pair a2 = e.twoProd(a, a);
  Value kf = e.c(kGeluTanhKF), kaf = e.c(kGeluTanhKAF);
  Value qh = e.fma(kaf, a2.hi, kf);
  Value ql = e.fma(kaf, a2.lo, e.fma(kaf, a2.hi, e.sub(kf, qh)));
  Pair t = e.twoProd(a, qh);
  t.lo = e.fma(a, ql, t.lo);
  // exp(T) = 2^n (h + l) to 2^-30 (buildExpTablePairF32; h alone, T_j
  // rounded to float and h rounded, cost ~1.5 ULP more).
  ExpSplit ex = buildExpTablePairF32(e, t.hi, t.lo);
  Value product = e.fma(ex.h, p, e.mul(ex.l, p));
  if (dy)
    product = e.mul(dy, product);
  return e.scaleByFloat(product, ex.n, ex.nf);
}
