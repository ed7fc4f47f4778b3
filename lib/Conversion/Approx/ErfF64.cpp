//===- ErfF64.cpp - erf and erfc as f64 cores -----------------------------===//
//
// erf(a) = a P(a^2) for a = |x| < 1 (degree 8 in a^2, 2^-40), and
// erfc(a) = exp(-a^2) t h(t), t = 2 / (2 + a), for 1 <= a <= 28 (h of degree
// 13 in t, 2^-38; above 28 the exp underflows f64). Each side gives the
// other without cancellation: 1 - erf(a) >= 0.157 below 1, and 1 - erfc(a)
// >= 0.84 above. f64 arithmetic, for results rounded to f32: erf and erfc
// have no exact leading term to carry the rounding errors of an f32
// evaluation, so f32 kernels call these through f64 too.
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

using namespace mlir;
using namespace mlir::act::approx;

/// erf(sqrt(z)) / sqrt(z) on [0, 1].
static constexpr double kErfP8[] = {
    1.1283791670946767,     -3.7612638889635307e-1, 1.1283791308604581e-1,
    -2.6866133235095592e-2, 5.2237834771892481e-3,  -8.5426379970872296e-4,
    1.195656256820733e-4,   -1.3909340021874599e-5, 1.0589380641075019e-6};
/// erfc(a) exp(a^2) / t, t = 2 / (2 + a), t in [2/30, 2/3].
static constexpr double kErfcH13[] = {
    2.8209479003649062e-1,  2.8209490363032448e-1,  2.468298225296236e-1,
    1.7635907738794464e-1,  8.3240083518247482e-2,  -9.6299261827035237e-4,
    -7.2624601613928217e-2, -4.9106668558828141e-3, -9.2625068892365584e-2,
    1.0252829766881873e-1,  2.1483437856198224e-1,  -4.3572458775993433e-1,
    2.8914141041007631e-1,  -7.0331380917284152e-2};

namespace {
/// erf(a) for a < 1 and erfc(a) for a >= 1, a = |x|.
struct ErfParts {
  Value a, small, erfSmall, erfcLarge;
};
} // namespace

static ErfParts erfParts(Emitter &e, Value x) {
  Value a = e.abs(x);
  Value erfSmall = e.mul(a, e.poly(e.mul(a, a), kErfP8));
  Value b = e.clamp(a, 1.0, 28.0);
  Value t = e.div(e.c(2.0), e.add(b, e.c(2.0)));
  Value q = e.mul(t, e.poly(t, kErfcH13));
  Value erfcLarge = e.mul(buildWideExp(e, e.neg(e.mul(b, b))), q);
  return {a, e.lt(a, e.c(1.0)), erfSmall, erfcLarge};
}

Value mlir::act::approx::buildWideErf(Emitter &e, Value x) {
  ErfParts parts = erfParts(e, x);
  Value y = e.select(parts.small, parts.erfSmall,
                     e.sub(e.c(1.0), parts.erfcLarge));
  return e.copySign(y, x);
}

Value mlir::act::approx::buildWideErfc(Emitter &e, Value x) {
  ErfParts parts = erfParts(e, x);
  Value positive =
      e.select(parts.small, e.sub(e.c(1.0), parts.erfSmall), parts.erfcLarge);
  Value negative =
      e.select(parts.small, e.add(e.c(1.0), parts.erfSmall),
               e.sub(e.c(2.0), parts.erfcLarge));
  return e.select(e.ge(x, e.c(0.0)), positive, negative);
}
