//===- WideF64.cpp - f64 cores for results rounded to f32 -----------------===//
//
// exp, expm1, log, log1p and tanh in f64 arithmetic to about 2^-40 relative
// error (exp 2^-43.6, log 2^-42; a precise exp to 2^-52, for a result
// that cancels afterwards): what an f32 result needs when the whole
// expression is evaluated in f64 and rounded once (act-expand's widened
// kernels), with room for the cancellation of a derivative near its zero.
// f64 rounding makes every intermediate step exact enough, so no pairs are
// needed.
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

static constexpr double kLog2e = 1.4426950408889634;
static constexpr double kLn2 = 0.6931471805599453;
/// fdlibm's split of ln 2: the head has 32 significant bits.
static constexpr double kLn2Head = 6.93147180369123816490e-01;
static constexpr double kLn2Tail = 1.90821492927058770002e-10;
/// (exp(r) - 1 - r) / r^2, |r| <= 0.3467 (2^-43.6: a derivative that
/// cancels near its zero, gelu' at -0.75, needs more than the 2^-32 its
/// forward kernel does).
static constexpr double kExpQ7[] = {
    0.49999999999954975,    0.16666666666662575,   0.04166666678652787,
    0.008333333344226802,   0.0013888839037847843, 0.0001984122453356812,
    2.4867918601290165e-05, 2.7617608788569917e-06};
/// (exp(r) - 1 - r) / r^2 by Taylor's 1 / (k + 2)!, k <= 10: |r|^11 / 13!
/// <= 2^-52.4 on |r| <= 0.3467, for an exp whose result cancels afterwards
/// (buildWidePreciseExp).
static constexpr double kExpTaylor10[] = {
    1.0 / 2,       1.0 / 6,        1.0 / 24,       1.0 / 120,
    1.0 / 720,     1.0 / 5040,     1.0 / 40320,    1.0 / 362880,
    1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600};
/// (2 atanh(s) - 2 s) / s^3 as a polynomial in s^2, |s| <= 0.1717 (2^-42).
static constexpr double kAtanhR4[] = {
    6.6666666667379284e-1, 3.9999998791627387e-1, 2.8571755701113074e-1,
    2.2191326895051423e-1, 1.9364089418904244e-1};

namespace {
/// exp(x) = 2^n (1 + r + p), p = r^2 q(r).
struct WideExpParts {
  Value n, r, p;
};
} // namespace

static WideExpParts reduceWideExp(Emitter &e, Value x,
                                  ArrayRef<double> q = kExpQ7) {
  // |x| <= 1400 keeps 2^(n/2) a normal f64; exp underflows or overflows
  // long before.
  Value clamped = e.clamp(x, -1400.0, 1400.0);
  Value shifter = e.c(0x1.8p52);
  Value t = e.fma(clamped, e.c(kLog2e), shifter);
  Value nf = e.sub(t, shifter);
  Value minusN = e.neg(nf);
  Value r = e.fma(minusN, e.c(kLn2Head), clamped);
  r = e.fma(minusN, e.c(kLn2Tail), r);
  Value p = e.mul(e.mul(r, r), e.poly(r, q));
  return {e.isub(e.toBits(t), e.toBits(shifter)), r, p};
}

/// 2^n (1 + r + p) with p = r^2 q(r).
static Value wideExp(Emitter &e, Value x, ArrayRef<double> q) {
  WideExpParts parts = reduceWideExp(e, x, q);
  return e.scale(e.add(e.c(1.0), e.add(parts.r, parts.p)), parts.n);
}

Value mlir::act::approx::buildWideExp(Emitter &e, Value x) {
  return wideExp(e, x, kExpQ7);
}

Value mlir::act::approx::buildWidePreciseExp(Emitter &e, Value x) {
  return wideExp(e, x, kExpTaylor10);
}

Value mlir::act::approx::buildWideExpm1(Emitter &e, Value x) {
  WideExpParts parts = reduceWideExp(e, x);
  Value small = e.add(parts.r, parts.p); // n == 0: r == x exactly
  Value big = e.sub(e.scale(e.add(e.c(1.0), e.add(parts.r, parts.p)), parts.n),
                    e.c(1.0));
  Value y = e.select(e.ieq(parts.n, e.ci(0)), small, big);
  return e.select(e.eq(x, e.c(0.0)), x, y);
}

/// log(u) + correction for a positive finite u.
static Value wideLogCore(Emitter &e, Value u, Value correction) {
  Value subnormal = e.lt(u, e.c(0x1p-1022));
  Value scaled = e.select(subnormal, e.mul(u, e.c(0x1p52)), u);
  Value bits = e.toBits(scaled);
  Value k = e.ashr(e.isub(bits, e.ci(0x3fe6a09e667f3bcdll)), 52);
  Value m = e.fromBits(e.isub(bits, e.shl(k, 52)));
  Value f = e.sub(m, e.c(1.0));
  k = e.iadd(k, e.select(subnormal, e.ci(-52), e.ci(0)));
  Value s = e.div(f, e.add(f, e.c(2.0)));
  Value z = e.mul(s, s);
  Value log1pF = e.fma(e.mul(s, z), e.poly(z, kAtanhR4), e.add(s, s));
  if (correction)
    log1pF = e.add(log1pF, correction);
  return e.fma(e.toFloat(k), e.c(kLn2), log1pF);
}

Value mlir::act::approx::buildWideLog(Emitter &e, Value x) {
  double inf = std::numeric_limits<double>::infinity();
  Value arg = e.select(e.gt(x, e.c(0.0)), x, e.c(1.0));
  Value y = wideLogCore(e, arg, Value());
  y = e.select(e.eq(x, e.c(inf)), x, y);
  y = e.select(e.eq(x, e.c(0.0)), e.c(-inf), y);
  y = e.select(e.lt(x, e.c(0.0)), e.c(std::nan("")), y);
  return e.select(e.isNaN(x), x, y);
}

Value mlir::act::approx::buildWideLog1p(Emitter &e, Value x) {
  double inf = std::numeric_limits<double>::infinity();
  Pair u = e.twoSum(e.c(1.0), x);
  Value arg = e.select(e.gt(u.hi, e.c(0.0)), u.hi, e.c(1.0));
  Value y = wideLogCore(e, arg, e.div(u.lo, arg));
  y = e.select(e.eq(x, e.c(inf)), x, y);
  y = e.select(e.eq(x, e.c(-1.0)), e.c(-inf), y);
  y = e.select(e.lt(x, e.c(-1.0)), e.c(std::nan("")), y);
  y = e.select(e.eq(x, e.c(0.0)), x, y);
  return e.select(e.isNaN(x), x, y);
}

Value mlir::act::approx::buildWideTanh(Emitter &e, Value x) {
  // tanh(a) = -expm1(-2a) / (2 + expm1(-2a)); tanh(20) rounds to 1.
  Value a = e.min(e.abs(x), e.c(20.0));
  Value em = buildWideExpm1(e, e.mul(a, e.c(-2.0)));
  return e.copySign(e.div(e.neg(em), e.add(em, e.c(2.0))), x);
}
