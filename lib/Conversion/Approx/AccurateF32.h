//===- AccurateF32.h - accurate composed forms in f32 pairs --*- C++ -*-===//
//
// The precision=accurate forms of the sigmoid family and softplus
// evaluated in f32 double-float arithmetic instead of f64 (see
// AccurateF32Sigmoid.cpp, AccurateF32Softplus.cpp).
// Arguments as in Approx.h: `t` is the double-float value of an f32
// expression (lo may be null), `m` an exact f32 value (null for 1).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_ACCURATEF32_H
#define ACTC_CONVERSION_APPROX_ACCURATEF32_H

#include "Emitter.h"

namespace mlir::act::approx {

struct GradRoot; // Approx.h

/// E = exp(-|t|) = 2^n (h + l) from the exp core (h + l unscaled,
/// renormalized, about 2^-28 relative), -|t| clamped to -150 (`clamped`
/// where it was below), `negative` where t < 0, and scale = 2^max(n, -127)
/// for the sums where E meets numbers near 1 (AccurateF32Sigmoid.cpp).
struct AccurateExp {
  Value negative, clamped, n, nf, h, l, scale;
};
AccurateExp buildAccurateExpOfMinusAbsF32(Emitter &e, Pair t);

/// t = k x (1 + a x^2) = x (k + k a x^2) as a pair (Horner's rule in
/// pairs: x^2 and k a x^2 by FMA error terms, the sum by twoSum), about
/// 2^-44 relative: 17 ops where the generic pairs of its arithmetic take
/// about 30; a = 0: k x by twoProd (x itself for k = 1). The low part is
/// not zeroed where the high part is infinite (the forms below zero it
/// where |t| > 200) (AccurateF32Sigmoid.cpp).
Pair buildAccurateCubicArgumentF32(Emitter &e, Value x, double k, double a);
/// m * sigmoid(t), rounded about once (0.5 ULP + the exp core's 2^-28).
/// `independent`: m does not depend on t's input (a kernel's dy), so with
/// AVX-512 an infinite m gives +-inf also where sigmoid(t) underflows, and
/// NaN where t is NaN (m(t)'s own NaN otherwise; silu(-inf) = -0).
Value buildAccurateSigmoidProductF32(Emitter &e, Value m, Pair t,
                                     bool independent = false);
/// The tanh GELUs' x * sigmoid(k x (1 + a x^2)), k > 0 and a > 0, with
/// AVX-512: as buildAccurateSigmoidProductF32 on x clamped to +-11 first
/// (the argument -|t| as a pair from -|x|, no clamps or sign flips of its
/// own); null where the clamp does not fit k and a.
Value buildAccurateCubicSigmoidProductF32(Emitter &e, Value x, double k,
                                          double a);
/// 2^log2Scale sigmoid(t) * sigmoid(-t) = 2^log2Scale E / (1 + E)^2, E =
/// exp(-|t|), rounded about once (tanh' = 4 sigmoid(2x) sigmoid(-2x)).
/// With `dy`: dy times that, rounded about once with AVX-512 (dy joins the
/// numerator as a pair), a product after the form otherwise.
Value buildAccurateSigmoidPrimeF32(Emitter &e, Pair t, int log2Scale = 0,
                                   Value dy = Value());
/// sigmoid(t) + t sigmoid'(t) (the derivative of t sigmoid(t): silu,
/// swish, quick_gelu) as 2^n (h + l)(1 + u + E) / (1 + E)^2, u = -|t|, E =
/// exp(u), in pairs, and 1 minus that for t >= 0, rounded about once; next
/// to silu's zero `root` its series (AccurateF32SigmoidGrad.cpp). With
/// `dy`: dy times that, rounded about once (the kernel's dx = dy f').
Value buildAccurateSiluGradF32(Emitter &e, Pair t, const GradRoot &root,
                               Value dy = Value());
/// The tanh GELUs' derivative, f = x sigmoid(t), t = k x (1 + a x^2), m =
/// x t'(x): sigmoid(t) + m sigmoid'(t) as the form above with G = 1 + m +
/// E, t and m pairs at v = -|x| (buildCubicArgumentsF32), f'(x) = 1 -
/// f'(-x) for x >= 0, and next to `root` (in x) its series; `dy` as above.
Value buildAccurateCubicGeluGradF32(Emitter &e, Value x, double k, double a,
                                    const GradRoot &root, Value dy = Value());
/// softplus(t) = max(t, 0) + log1p(exp(-|t|)), rounded about once
/// (AccurateF32Softplus.cpp).
Value buildAccurateSoftplusF32(Emitter &e, Pair t);
/// exp's reduction x = n ln 2 + r + rl (AccurateF32Exp.cpp), n as an
/// integer and as a float.
struct AccurateReduction {
  Value n, nf, r, rl;
};
AccurateReduction reduceAccurateExpF32(Emitter &e, Value x);
/// exp(r + rl) = h + l (1 + r rounded, l not renormalized: up to 0.07).
Pair buildAccurateExpCoreF32(Emitter &e, const AccurateReduction &p);
/// exp(x) rounded about once (AccurateF32Exp.cpp).
Value buildAccurateExpF32(Emitter &e, Value x);
/// expm1(x) for x <= 0 or NaN, rounded about once: (2^n h - 1) + 2^n l
/// with the first sum an exact pair (garbage for x > 0: the caller
/// selects x there, elu's x >= 0 ? x : expm1(x)).
Value buildAccurateExpm1NonPositiveF32(Emitter &e, Value x);
/// The same before its last sum: expm1(x) = hi + lo, |lo| <= ulp(hi);
/// `fineTail` keeps x^2 / 2 exact (two ops more, for a product after it).
Pair buildAccurateExpm1NonPositivePairF32(Emitter &e, Value x,
                                          bool fineTail = false);
/// scale * (x > 0 ? x : alpha * expm1(x)) (elu, celu, selu) with the
/// constants' exact values, each side rounded about once; the test is
/// x >= 0 (both zeros take x's side).
Value buildAccurateEluF32(Emitter &e, Value x, double alpha, double scale);
/// k exp(x) for x <= 0 (elu's and selu's gradient: x > 0 ? c : k exp(x)),
/// k the constants' exact product, rounded about once; with `dy`, dy k
/// exp(x) rounded about once (the kernel's dx = dy f').
Value buildAccurateScaledExpF32(Emitter &e, Value x, double k,
                                Value dy = Value());
/// G(v) = d q(d) next to the zero v0 of `root` (d = v - v0, v within a
/// factor 2 of v0) from its series in FastGradRoots.def, as a pair: c0 d +
/// d^2 R(d), c0 a pair (AccurateF32SigmoidGrad.cpp).
Pair buildSeriesOfRootF32(Emitter &e, const GradRoot &root, Pair v);
/// dy (p.hi + p.lo) rounded once, fma(dy, hi, dy lo), the low product
/// dropped where dy = +-inf (dy hi there, not inf - inf or inf 0): the
/// gradient forms' dx = dy f' with f' as a pair (AccurateF32SigmoidGrad.cpp).
Value buildProductByPairF32(Emitter &e, Value dy, Pair p);
/// The low part `low` of a product dy (hi + lo) before it is added to dy hi,
/// replaced by -0 where dy = +-0: dy hi + -0 is dy hi, so the zero keeps
/// the sign of dy f' (-0 + +0 would be +0: softsign'(x) -0 gave +0).
Value keepZeroSignOfDy(Emitter &e, Value dy, Value low);
/// keepZeroSignOfDy, and -0 where dy = +-inf too (dy hi there, not inf -
/// inf or inf 0).
Value dropLowForSpecialDy(Emitter &e, Value dy, Value low);
/// dy c for a constant c (exact or not), rounded once (AccurateF32Exp.cpp).
Value buildAccurateConstantTimesF32(Emitter &e, Value dy, double c);

/// mish(x) = x tanh(softplus(x)) = x E (E + 2) / (E (E + 2) + 2), E =
/// exp(x), in f32 pairs, rounded about once (AVX-512 only:
/// AccurateF32Mish.cpp).
Value buildAccurateMishF32(Emitter &e, Value x);
/// mish'(x) = E w / d^2 with u = 1 + E, d = u^2 + 1, w = (u + 1) d + 4 x u
/// from the same exp pair, next to w's zero (`root`, x0 = -1.19) its
/// series; with `dy`, dy mish'(x) rounded about once (the kernel's dx = dy
/// f'), otherwise mish'(x) (AVX-512 only: AccurateF32Mish.cpp).
Value buildAccurateMishGradF32(Emitter &e, Value x, const GradRoot &root,
                               Value dy = Value());

/// tanh(x) = (m - E) / (m + E) with E = exp(-2|x|) / 2^n, m = 2^-n, rounded
/// about once (AccurateF32Tanh.cpp); with AVX-512, 2 / (1 + E) - 1 from the
/// table exp core and a series below |x| = 1/8.
Value buildAccurateTanhF32(Emitter &e, Value x);

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_ACCURATEF32_H
