//===- FastForms.h - act-math-approx's f32 forms of composed ops -*- C++
//-*-===//
//
// Patterns of act-math-approx for f32 kernels that act-expand left whole
// (precision=fast): products m * sigmoid(t), m * tanh(softplus(s)),
// m * erfc(w), x - tanh(x), tanh(x)^2, and the lone act.sigmoid, act.softplus,
// erf and erfc. Arguments are evaluated as double-floats from their defining
// arithmetic (see FastForms.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_FASTFORMS_H
#define ACTC_CONVERSION_FASTFORMS_H

#include "Approx/Emitter.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::act {

/// The derivatives' sums that cancel next to a zero of f' (sigmoid(t) +
/// sigmoid'(t) m), which must be matched before the products' patterns.
void populateFastGradSumPatterns(RewritePatternSet &patterns, bool avx512);
/// precision=accurate: the same sums, only where FastGradRoots.def has
/// their zero's series, in AccurateF32SigmoidGrad.cpp's pair form; with
/// AVX-512 mish' too (AccurateF32Mish.cpp).
void populateAccurateGradSumPatterns(RewritePatternSet &patterns, bool avx512);
/// The erf GELU's gradient Phi(x) + x phi(x) as one form on 16 x f32 with
/// AVX-512 (GeluGradForm.cpp); with the sums above.
void populateFastGeluGradPatterns(RewritePatternSet &patterns, bool avx512);
/// Its accurate twin (the table form with pairs), where act-expand kept the
/// f32 sum (AccurateF32Routing.h, getAccurateGeluGradForms).
void populateAccurateGeluGradPatterns(RewritePatternSet &patterns,
                                      bool avx512);
/// The products and differences, which must be matched before their
/// factors are rewritten alone. `avx512`: see Emitter::setAVX512.
void populateFastProductPatterns(RewritePatternSet &patterns, bool avx512);
/// The f32 products by a constant |c| > 1 that f32 rounds (act.exact), as
/// fma(v, c_hi, v * c_lo), which overflow where c v does; after every other
/// f32 form (fast only); with the f32 and f64 divisions by a constant, as
/// products by its reciprocal.
void populateFastExactProductPatterns(RewritePatternSet &patterns);
/// act.sigmoid and act.softplus on f32 (any precision), erf and erfc on f32
/// (fast only: accurate ones use f64 cores).
void populateFastLonePatterns(RewritePatternSet &patterns, bool fast,
                              bool avx512);

/// `value` (an f32 expression) as the double-float its defining arithmetic
/// gives (the pair argument of the forms above; AccurateF32Forms.h's too).
approx::Pair evaluatePairF32(approx::Emitter &e, Value value);

/// `t` = k x (1 + a x^2), a >= 0 (the tanh GELUs' sigmoid argument; k x
/// for a = 0: swish's, quick_gelu's, silu's), x its one leaf: (k, a) fitted
/// from t(1) and t(2) and checked at 8 more points to 2^-45 (long double), as
/// the gradients' matcher does; nullopt for any other t.
struct CubicArgument {
  Value x;
  double k, a;
};
std::optional<CubicArgument> matchCubicArgument(Value t);

} // namespace mlir::act

#endif // ACTC_CONVERSION_FASTFORMS_H
