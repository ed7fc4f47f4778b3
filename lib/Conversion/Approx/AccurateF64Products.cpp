//===- AccurateF64Products.cpp - products by pair constants in f64 --------===//
//
// selu's scale (x > 0 ? x : alpha expm1(x)): the formula rounded alpha's
// and scale's 32-digit decimals (0.48 and 0.36 ULP away), the product by
// alpha and the product by scale (2.4 ULPs). Here a constant is a pair
// (PairArgumentF64.h's getConstantTailF64), scale alpha one pair, expm1(x)
// the pair of ExpLogF64.cpp's core, and each side's product rounds once.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"

#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

/// hi + lo rounded, hi itself where it is not finite (twoProd's low part
/// is a NaN there).
static Value roundFinite(Emitter &e, Pair p) {
  Value finite =
      e.lt(e.abs(p.hi), e.c(std::numeric_limits<double>::infinity()));
  return e.select(finite, e.add(p.hi, p.lo), p.hi);
}

/// Below this, c a's twoProd error can fall under the subnormal grid: a
/// is scaled by 2^kUp first, the rounded product by 2^-kUp after.
static constexpr double kTiny = 0x1p-900;
static constexpr double kUp = 0x1p64, kDown = 0x1p-64;

Value mlir::act::approx::buildConstantProductF64(Emitter &e, Pair c, Value a) {
  Value tiny = e.lt(e.abs(a), e.c(kTiny));
  Value scaled = e.mul(a, e.select(tiny, e.c(kUp), e.c(1.0)));
  Pair p = e.twoProd(c.hi, scaled);
  if (c.lo)
    p.lo = e.fma(c.lo, scaled, p.lo);
  Value y = roundFinite(e, p);
  // -0 and +0 products keep their sign (p.lo is +0 there).
  y = e.select(e.eq(p.hi, e.c(0.0)), p.hi, y);
  return e.mul(y, e.select(tiny, e.c(kDown), e.c(1.0)));
}

Value mlir::act::approx::buildConstantExpm1ProductF64(Emitter &e, Pair c,
                                                      Value t) {
  Pair m = buildExpm1PairF64(e, e.clamp(t, -40.0, 709.79));
  Pair p = e.productPair(c, m);
  Value y = roundFinite(e, p);
  // expm1(t) = t to 2^-900 below 2^-900 (and -0 stays -0): c t there.
  Value tiny = e.lt(e.abs(t), e.c(kTiny));
  return e.select(tiny, buildConstantProductF64(e, c, t), y);
}
