//===- AccurateF32TanhGrad.h - tanh' times dy in f32 pairs ------*- C++ -*-===//
//
// precision=accurate, f32, AVX-512: tanh's gradient dy * 4 sigmoid(2x)
// sigmoid(-2x) (act-expand's 1 - tanh^2) as one form, dy inside the
// quotient, rounded about once (AccurateF32TanhGrad.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_ACCURATEF32TANHGRAD_H
#define ACTC_CONVERSION_APPROX_ACCURATEF32TANHGRAD_H

#include "Emitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::act {

namespace approx {
/// m 2^k sigmoid(t) sigmoid(-t) = m 2^k E / (1 + E)^2, E = exp(-|t|), on
/// 16 x f32 with AVX-512 (hasAVX512()): the table exp core's pair, m
/// multiplied into the numerator pair, one quotient, 2^(n + k) last, so
/// that the result rounds about once, on the subnormal grid too.
Value buildAccurateScaledSigmoidPrimeProductF32(Emitter &e, Value m, Pair t,
                                                int log2Scale);
/// exp(-2a) = 2^n (h + l) for 0 <= a <= 75 (not clamped here) from the
/// 32-entry table core, AVX-512 only: h = 2^(j/32) rounded (exact times
/// 2^n), l about 1% of h, h + l within 2^-30; nf = n + j/32, which
/// vscalefps floors (AccurateF32Tanh.cpp). `halved`: h and l are half
/// those (exp(-2a) = 2^(n + 1) (h + l); tables of 2^(j/32) / 2).
struct TableExp {
  Value h, l, nf;
};
TableExp buildTableExpOfMinusTwiceF32(Emitter &e, Value a, bool halved = false);
/// m 2^k tanh'(x) = m 2^(k + 2) E / (1 + E)^2, E = exp(-2|x|): the form
/// above with t = 2x, from x (|x| clamped to 75; one op fewer).
Value buildAccurateScaledTanhPrimeProductF32(Emitter &e, Value m, Value x,
                                             int log2Scale);
/// 1 + E as a renormalized pair (|lo| <= ulp(hi)) for E = eh + el in [0,
/// 1], |el| <= eh / 32 (the table exp core's scaled pair): the residual
/// step of a division by 1 + E needs the low part that small.
Pair renormalizedOnePlus(Emitter &e, Value eh, Value el);
/// The same for 1 + 2 (eh + el) (E given halved), bit for bit, but the low
/// part doubled: {dh, 2 dl} (the square's 2 dh dl takes it as it is).
Pair renormalizedOnePlusTwice(Emitter &e, Value eh, Value el);
} // namespace approx

/// 2^k sigmoid(t) sigmoid(-t), k >= 1, its inner product used once: the
/// sigmoid of t and k (the root of tanh' after act-expand's 1 - tanh^2).
struct ScaledSigmoidPrimeMatch {
  Operation *sigmoid;
  int log2Scale;
};
std::optional<ScaledSigmoidPrimeMatch>
matchScaledSigmoidPrime(arith::MulFOp scaled);

/// Rewrites m * (2^k * (sigmoid(t) * sigmoid(-t))), k >= 1, m the leaf
/// act-expand's routing let follow the form (dy), where the type is 16 x
/// f32 and `avx512`; before AccurateF32Forms.cpp's ScaledSigmoidPrime.
void populateAccurateTanhGradPatterns(RewritePatternSet &patterns, bool avx512);

} // namespace mlir::act

#endif // ACTC_CONVERSION_APPROX_ACCURATEF32TANHGRAD_H
