//===- AccurateF64Tanh.cpp - tanhshrink and mish in f64 pairs -------------===//
//
// tanhshrink(x) = x - tanh(x) cancels by 3 / x^2 near 0: below |x| = 1/2
// it is x^3 g(x^2), g the Taylor series of (x - tanh(x)) / x^3 to x^34
// (its first omitted term is 2^-59 of g at 1/2), with x^3 and g's leading
// 1/3 + x^2 P(x^2) as pairs; above, x minus tanh's pair (buildTanhPairF64,
// whose exp core goes to r^16 / 16! for this: the cancellation multiplies
// its error by up to 12). act-stabilize's series (to x^21, branch at 1/2)
// lost 2^19 ULPs just below 1/2.
//
// mish: with E = exp(t) = 2^n N, tanh(log(1 + E)) = E (E + 2) / (E (E +
// 2) + 2), so m tanh(softplus(t)) = 2^n (m N (E + 2)) / (E (E + 2) + 2)
// (AccurateF32Mish.cpp's form, in f64 pairs): E + 2, the products and the
// sum as pairs, one division with a residual step, 2^n last (one
// vscalefpd with AVX-512: subnormal results round once). The quotient has
// relative condition at most 1 in E, so exp's pair error is not
// amplified. t is clamped to [-1400, 20]: below, the product has
// underflowed (m * 0); above, tanh(softplus(t)) is 1 to 2^-56 and the
// product is m.
//
//===----------------------------------------------------------------------===//

#include "AccurateF64.h"

#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

/// (x - tanh(x)) / x^3 - 1/3 = x^2 P(x^2): P's coefficients, of x^0 to
/// x^32 (2^2n (2^2n - 1) B_2n / (2n)!, n = 3..19, negated).
static constexpr double kTanhshrinkP[] = {
    -0x1.1111111111111p-3,  0x1.ba1ba1ba1ba1cp-5,   -0x1.664f4882c10fap-6,
    0x1.226e355e6c23dp-7,   -0x1.d6d3d0e157de0p-9,  0x1.7da36452b75e3p-10,
    -0x1.3558248036744p-11, 0x1.f57d7734d1664p-13,  -0x1.967e18afcafadp-14,
    0x1.497d8eea25259p-15,  -0x1.0b132d39a6050p-16, 0x1.b0f72d3ee24e9p-18,
    -0x1.5ef2da474e5b7p-19, 0x1.1c77df95c1c0dp-20,  -0x1.cd299de4ae6bbp-22,
    0x1.75cde6563fed9p-23,  -0x1.2efe8db3aff1fp-24};
/// 1/3 as a pair.
static constexpr double kThirdHi = 0x1.5555555555555p-2;
static constexpr double kThirdLo = 0x1.5555555555555p-56;

Value mlir::act::approx::buildAccurateTanhshrinkF64(Emitter &e, Value x) {
  Value zero = e.c(0.0);
  // Below 1/2: x^3 (1/3 + z P(z)), z = x^2; below 2^-100, x scaled by
  // 2^100 and x^3 by 2^-300 after the rounding (the pairs' low parts
  // would fall under the subnormal grid).
  Value tiny = e.lt(e.abs(x), e.c(0x1p-100));
  Value xs = e.mul(x, e.select(tiny, e.c(0x1p100), e.c(1.0)));
  Pair cube = e.productPair({xs, Value()}, e.twoProd(xs, xs));
  Pair z = e.twoProd(x, x);
  Pair zp = e.productPair(z, {e.poly(z.hi, kTanhshrinkP), Value()});
  Pair g = e.fastTwoSum(e.c(kThirdHi), zp.hi);
  g.lo = e.add(g.lo, e.add(zp.lo, e.c(kThirdLo)));
  Pair series = e.productPair(cube, g);
  // Above: x - tanh(x), tanh as a pair (x - tanh's head is exact up to
  // |x| = 1.9 and a twoSum beyond).
  Pair tanh = buildTanhPairF64(e, x);
  Pair direct = e.twoSum(x, e.neg(tanh.hi));
  direct.lo = e.sub(direct.lo, tanh.lo);
  Value small = e.lt(e.abs(x), e.c(0.5));
  Value hi = e.select(small, series.hi, direct.hi);
  Value lo = e.select(small, series.lo, direct.lo);
  // +-inf: x - tanh(x) (twoSum's low part is a NaN); +-0 and products that
  // underflow to zero keep their sign.
  Value inf = e.c(std::numeric_limits<double>::infinity());
  Value y = e.select(e.lt(e.abs(hi), inf), e.add(hi, lo), hi);
  y = e.select(e.eq(hi, zero), hi, y);
  return e.mul(y, e.select(tiny, e.c(0x1p-300), e.c(1.0)));
}

Value mlir::act::approx::buildAccurateMishProductF64(Emitter &e, Value m,
                                                     Pair t) {
  Value zero = e.c(0.0);
  Value under = e.lt(t.hi, e.c(-1400.0));
  Value over = e.gt(t.hi, e.c(20.0));
  // t clamped (a NaN passes), its low part dropped where it was.
  Value th = e.clamp(t.hi, -1400.0, 20.0);
  Value tl =
      t.lo ? e.select(e.andI1(e.ge(t.hi, e.c(-1400.0)), e.le(t.hi, e.c(20.0))),
                      t.lo, zero)
           : zero;
  ExpOfPairF64 ex = buildExpOfPairF64(e, {th, tl});
  // E (2^n N with 2^n applied, n >= -1022: next to 2, E's value below
  // stops mattering), E + 2, E (E + 2) + 2.
  Pair big = buildExpNextToOneF64(e, ex);
  Pair plusTwo = e.twoSum(big.hi, e.c(2.0));
  plusTwo.lo = e.add(plusTwo.lo, big.lo);
  Pair den = e.productPair(big, plusTwo);
  den = e.sumPair(den, {e.c(2.0), Value()}, /*subtract=*/false);
  // m N (E + 2).
  Pair num = e.productPair({m, Value()}, e.productPair(ex.y, plusTwo));
  Value q = e.divPair(num, den);
  Value y = scaleRoundedOnceF64(e, q, ex.n);
  // tanh(softplus(t)) > 0: the product has m's sign (mish(-0) = -0, where
  // the residual step gives +0).
  y = e.copySign(y, m);
  y = e.select(over, m, y);
  return e.select(under, e.mul(m, zero), y);
}
