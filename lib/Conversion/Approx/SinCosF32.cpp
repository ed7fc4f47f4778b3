//===- SinCosF32.cpp - sin and cos of f32 inputs, in f64 ------------------===//
//
// Range reduction without a table and without a branch, exact for every
// float32 x: 2/pi is split into eight chunks D_i of 28 bits (224 bits, the
// truncation below 2^-220), so each product x * D_i (24 x 28 bits) is exact
// in f64. A product that can reach 2 (i <= 4: x < 2^128) is reduced modulo
// 4 exactly (k = round(p / 4), p - 4 k), so y = x * 2/pi mod 4 is a sum of
// small exact terms, added with error-free sums into (s, c): accurate to
// about 2^-100 absolutely, where the closest float32 to a multiple of pi/2
// still leaves ~2^-30. The quadrant is round(s) (low two bits by the 1.5 *
// 2^52 shifter, no float-to-int conversion), the fraction f = (s - q) + c,
// and r = f * pi/2 in [-pi/4, pi/4] (relative error 2^-52). sin and cos of
// r are FreeBSD's kernel polynomials (k_sin.c, k_cos.c: 2^-58 on |r| <=
// pi/4), chosen and negated per quadrant with selects. The result is
// rounded once to f32: 0.5 ULP + 2^-28.
//
// Cost: ~90 f64 ops per element, the same for every x (the vector loop
// stays one path); Cody-Waite alone would be cheaper for |x| < 2^20 but,
// branch-free, would add this path rather than replace it.
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

/// 2/pi = sum D_i + O(2^-224), each D_i 28 significant bits.
static constexpr double kTwoOverPiChunks28[] = {
    0x1.45f306cp-1,  0x1.c9c882ap-29, 0x1.4fe13a8p-59, 0x1.f47d4d0p-86,
    0x1.bb81b6cp-113, 0x1.4acc9e0p-143, 0x1.0e4107cp-170, 0x1.ca2c756p-197};
/// The chunks whose product with a float32 can reach 2 (|x| < 2^128).
static constexpr int kReducedChunks = 5;

Value mlir::act::approx::buildSinCosOfF32(Emitter &e, Value x, bool cosine) {
  // inf and NaN give NaN at the end; their lanes compute on 0 meanwhile.
  double inf = std::numeric_limits<double>::infinity();
  Value finite = e.lt(e.abs(x), e.c(inf));
  Value xs = e.select(finite, x, e.c(0.0));

  Value s, c;
  Value small = e.c(0.0);
  for (int i = 0; i < 8; ++i) {
    Value p = e.mul(xs, e.c(kTwoOverPiChunks28[i])); // exact
    if (i >= kReducedChunks) {
      small = e.add(small, p);
      continue;
    }
    Value k = e.roundEven(e.mul(p, e.c(0.25)));
    Value t = e.fma(k, e.c(-4.0), p); // exact, in [-2, 2]
    if (i == 0) {
      s = t;
      c = e.c(0.0);
      continue;
    }
    Pair sum = e.twoSum(s, t);
    s = sum.hi;
    c = e.add(c, sum.lo);
  }
  c = e.add(c, small);

  ReducedAngle reduced = reduceQuadrant(e, s, c, Value());
  return sinCosOfReduced(e, reduced, cosine, x, finite);
}

ReducedAngle mlir::act::approx::reduceQuadrant(Emitter &e, Value s, Value c,
                                               Value d) {
  // q = round(s) in the shifter's low bits; s - q is exact.
  Value shifter = e.c(0x1.8p52);
  Value t = e.add(s, shifter);
  Value q = e.sub(t, shifter);
  Value quadrant = e.isub(e.toBits(t), e.toBits(shifter));
  Pair f = e.twoSum(e.sub(s, q), c);
  if (d)
    f.lo = e.add(f.lo, d);
  f = e.fastTwoSum(f.hi, f.lo);
  // r = f * pi/2 as a pair: (fh + fl)(P + Pl), P = pi/2 rounded.
  Pair r = e.twoProd(f.hi, e.c(0x1.921fb54442d18p+0));
  r.lo = e.fma(f.hi, e.c(0x1.1a62633145c07p-54),
               e.fma(f.lo, e.c(0x1.921fb54442d18p+0), r.lo));
  return {e.fastTwoSum(r.hi, r.lo), quadrant};
}

/// FreeBSD's k_sin.c: sin(x + y), |x| <= pi/4, |y| < ulp(x) / 2.
static constexpr double kSinS[] = {
    -1.66666666666666324348e-01, 8.33333333332248946124e-03,
    -1.98412698298579493134e-04, 2.75573137070700676789e-06,
    -2.50507602534068634195e-08, 1.58969099521155010221e-10};
/// FreeBSD's k_cos.c.
static constexpr double kCosC[] = {
    4.16666666666666019037e-02,  -1.38888888888741095749e-03,
    2.48015872894767294178e-05,  -2.75573143513906633035e-07,
    2.08757232129817482790e-09,  -1.13596475577881948265e-11};

static Value kernelSin(Emitter &e, Pair r) {
  Value x = r.hi, y = r.lo;
  Value z = e.mul(x, x);
  Value v = e.mul(z, x);
  Value p = e.poly(z, ArrayRef<double>(kSinS).drop_front());
  // x - ((z (y/2 - v p) - y) - v S1)
  Value inner = e.sub(e.mul(z, e.sub(e.mul(y, e.c(0.5)), e.mul(v, p))), y);
  return e.sub(x, e.sub(inner, e.mul(v, e.c(kSinS[0]))));
}

static Value kernelCos(Emitter &e, Pair r) {
  Value x = r.hi, y = r.lo;
  Value z = e.mul(x, x);
  Value p = e.mul(z, e.poly(z, kCosC));
  Value hz = e.mul(z, e.c(0.5));
  Value w = e.sub(e.c(1.0), hz);
  // w + (((1 - w) - hz) + (z p - x y))
  Value tail = e.add(e.sub(e.sub(e.c(1.0), w), hz),
                     e.sub(e.mul(z, p), e.mul(x, y)));
  return e.add(w, tail);
}

Value mlir::act::approx::sinCosOfReduced(Emitter &e, ReducedAngle reduced,
                                         bool cosine, Value x, Value finite) {
  Value sinR = kernelSin(e, reduced.r);
  Value cosR = kernelCos(e, reduced.r);
  // sin(r + q pi/2): q = 0 sin, 1 cos, 2 -sin, 3 -cos; cos: one quadrant on.
  Value q = reduced.quadrant;
  if (cosine)
    q = e.iadd(q, e.ci(1));
  Value odd = e.ieq(e.iand(q, e.ci(1)), e.ci(1));
  Value negate = e.ieq(e.iand(q, e.ci(2)), e.ci(2));
  Value y = e.select(odd, cosR, sinR);
  y = e.select(negate, e.neg(y), y);
  if (!cosine)
    y = e.select(e.eq(x, e.c(0.0)), x, y); // sin(-0) = -0
  return e.select(finite, y, e.c(std::nan("")));
}
