//===- AccurateF32Mish.cpp - accurate mish in f32 pairs (AVX-512) ---------===//
//
// precision=accurate, f32, without f64: with E = exp(x),
//
//   mish(x) = x tanh(log(1 + E)) = x ((1 + E)^2 - 1) / ((1 + E)^2 + 1)
//           = 2^n (x N (E + 2)) / (E (E + 2) + 2),      E = 2^n N,
//
// E from the 32-entry table core with T_j's tail (ExpF32.cpp
// buildExpTablePairF32, 2^-30 relative), E + 2, N (E + 2), E (E + 2) + 2 and the product by x as
// pairs, one division with a residual step, and 2^n by vscalefps last, so
// that a result on the subnormal grid (x below about -87) rounds once.
// tanh(softplus(x)) has relative condition at most 1 in E (it is E (E +
// 2) / (E (E + 2) + 2)), so E's error passes through unamplified: no
// exp(-x) side is needed above 0. x is clamped to [-150, 16]: below,
// mish rounds to -0; above, the quotient is 1 to 2^-44 and mish(x) = x
// (+inf too). The sign is x's (mish(-0) = -0; the residual step would
// give +0).
//
//===----------------------------------------------------------------------===//

#include "AccurateF32.h"
#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

static constexpr double kLow = -150.0, kHigh = 16.0;

/// A product of pairs, the low parts' product dropped.
static Pair mulPair(Emitter &e, Pair a, Pair b) {
  Pair p = e.twoProd(a.hi, b.hi);
  p.lo = e.fma(a.hi, b.lo, e.fma(a.lo, b.hi, p.lo));
  return p;
}

/// a + c for a constant c > 0 as a pair (Fast2Sum on the larger first).
static Pair addConstant(Emitter &e, Pair a, double c) {
  Value k = e.c(c);
  Pair s = e.fastTwoSum(e.max(a.hi, k), e.min(a.hi, k));
  s.lo = e.add(s.lo, a.lo);
  return s;
}

Value mlir::act::approx::buildAccurateMishF32(Emitter &e, Value x) {
  // Clamped by selects that keep a NaN.
  Value high = e.gt(x, e.c(kHigh));
  Value v = e.select(high, e.c(kHigh), x);
  v = e.select(e.lt(v, e.c(kLow)), e.c(kLow), v);
  ExpSplit t = buildExpTablePairF32(e, v, Value());
  // N renormalized: l is up to 1% of h there, and the pair products below
  // drop the product of the low parts.
  Pair N = e.fastTwoSum(t.h, t.l);
  Pair E = {e.scaleByFloat(N.hi, Value(), t.nf),
            e.scaleByFloat(N.lo, Value(), t.nf)};
  Pair p = addConstant(e, E, 2.0);                // E + 2
  Pair d = addConstant(e, mulPair(e, E, p), 2.0); // E (E + 2) + 2
  Pair np = mulPair(e, N, p);                     // N (E + 2)
  Pair num = e.twoProd(v, np.hi);
  num.lo = e.fma(v, np.lo, num.lo);
  Value q = e.divPair(num, d);
  Value y = e.copySign(e.scaleByFloat(q, Value(), t.nf), x);
  return e.select(high, x, y);
}
