//===- Approx.h - vectorizable elementary functions -------------*- C++ -*-===//
//
// The builders of act-math-approx, one file per function family. Every
// builder is branch-free (selects only) and works on scalars and vectors.
//
// f32: exp, exp2, expm1, log, log1p and tanh in f32 arithmetic,
// `fast = false` under 1 ULP over every input (see docs/accuracy.md), `fast`
// a few ULPs with fewer ops; both keep subnormal results, +-inf, NaN and -0.
//
// Wide cores: f64 code accurate to about 2^-32 relative, enough for a result
// that is rounded to f32 once at the end (0.5 ULP + 2^-8). They evaluate the
// f32 functions with no exact leading term (erf, erfc) and the f32 kernels
// that act-expand widens to f64, never f64 kernels (those have their own,
// 1 ULP of f64: ExpLogF64.cpp, ErfF64.cpp, SinCosF64.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_APPROX_H
#define ACTC_CONVERSION_APPROX_APPROX_H

#include "Emitter.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::act::approx {

/// ln 2 for the f32 logs' k ln 2: a 16-bit head (k times it is exact) and
/// the rest (LogF32.cpp, AccurateF32Softplus.cpp).
inline constexpr double kLogLn2Head = 0x1.62e4p-1;
inline constexpr double kLogLn2Tail = 0.6931471805599453 - 0x1.62e4p-1;
/// (log1p(f) - f + f^2 / 2) / f^3 on [-0.2930, 0.4143], the accurate f32
/// logs' degree-8 fit (LogF32.cpp, AccurateF32Softplus.cpp).
inline constexpr double kLog1pP8[] = {
    3.333333117427613e-1,   -2.4999996925400272e-1, 2.0000717213085337e-1,
    -1.6667807132962643e-1, 1.4249007240593694e-1,  -1.2425523359933803e-1,
    1.1685784721037067e-1,  -1.1481212058518441e-1, 6.9725186338795458e-2};

/// (exp(r) - 1 - r) / r^2, |r| <= 0.3467: the accurate f32 exp cores'
/// degree-5 fit (ExpF32.cpp, AccurateF32Tanh.cpp).
inline constexpr double kExpQ5[] = {
    5.000000013481058e-1,  1.6666666681640166e-1, 4.1666464772966814e-2,
    8.3333109085654533e-3, 1.3933666900006932e-3, 1.9891009596308316e-4};

// exp family (ExpF32.cpp).
Value buildExpF32(Emitter &e, Value x, bool fast);
Value buildExp2F32(Emitter &e, Value x, bool fast);
Value buildExpm1F32(Emitter &e, Value x, bool fast);
/// Fast expm1 for x <= 0 and NaN only (any value, no trap, elsewhere; +0 at
/// x = -0): the ELU family's x > 0 ? x : c expm1(x) (FastForms.cpp).
Value buildExpm1NonPositiveF32(Emitter &e, Value x);
/// exp(x) for x in [-104, 0] (no clamping) as 2^n (hi + lo) scaled to
/// (hi, lo): the pair tanh and the composed forms divide with.
Pair buildExpPairF32(Emitter &e, Value x);
/// exp(x + xl) = 2^n (h + l), unscaled (h + l in [0.7, 1.5], |xl| tiny or
/// null, x not clamped): the composed forms multiply before they scale, so
/// that a subnormal result rounds once. `fast`: a shorter polynomial and l
/// null (h = h + l), unless `pair` (then 1 + r is kept as h + l). nf is n
/// as a float (null where a builder does not give it). `coarse` (fast, not
/// pair): a degree-5 polynomial (one FMA fewer, 2^-23.35 relative instead
/// of 2^-28), for forms whose fast bound has the room (sigmoid, tanh);
/// with AVX-512 the table core (ExpF32.cpp) instead, with a degree-2 fit.
/// `table` (fast, not pair, AVX-512 only): the table core with a cubic,
/// for the sigmoid products (its Horner chain is 4 FMAs shorter than the
/// degree-6 core's; elsewhere the degree-6 core stays).
struct ExpSplit {
  Value n, h, l, nf;
};
ExpSplit buildExpSplitF32(Emitter &e, Value x, Value xl, bool fast,
                          bool pair = false, bool coarse = false,
                          bool table = false);
/// The 32-entry table cores' T_j = 2^(j/32), j = 0..31, as f32 pairs:
/// head[j] rounded to f32, tail[j] the rest rounded to f32.
void getExp2Table32(SmallVectorImpl<double> &head,
                    SmallVectorImpl<double> &tail);
/// AVX-512 only: exp(x + xl) = 2^n (h + l) from the 32-entry table core
/// with T_j's rounding error from a second table: h = T_j rounded (exact
/// times 2^n), l about 1% of h, h + l within 2^-30 of exp (|x| <= 150, not
/// clamped here). nf = n + j/32 (vscalef floors it).
ExpSplit buildExpTablePairF32(Emitter &e, Value x, Value xl);
/// exp(x) = 2^n (1 + h) for fast callers that need expm1 (x not clamped):
/// h = r + r^2 q(r), the fast core's polynomial without its 1; l null.
ExpSplit buildExpm1SplitF32(Emitter &e, Value x);
/// The same for x = -2a, scaled by -1/2: exp(-2a) = 2^n (1 - 2h), h =
/// -(r + r^2 q(r)) / 2 bit for bit (no product by -2; tanh's fast form).
ExpSplit buildHalfExpm1OfMinusTwiceF32(Emitter &e, Value a);

// log family (LogF32.cpp).
Value buildLogF32(Emitter &e, Value x, bool fast);
Value buildLog1pF32(Emitter &e, Value x, bool fast);

// tanh (TanhF32.cpp).
Value buildTanhF32(Emitter &e, Value x, bool fast);
/// tanh(x) as a pair accurate to about 2^-30 relative.
Pair buildTanhPairF32(Emitter &e, Value x);
/// x - tanh(x) for |x| >= 1/2 (act-stabilize's series takes the rest):
/// x minus the tanh pair, the first subtraction exact below 1.9.
Value buildTanhShrinkF32(Emitter &e, Value x);

// Composed f32 forms (ComposedF32.cpp). An argument given as a Pair is the
// double-float value of an f32 expression (its `lo` may be null): exp
// amplifies an argument's rounding by its size, so a sigmoid(1.702 x) or
// erfc(x / sqrt 2) in the tails needs the argument's low part. `m` (null
// for 1) multiplies the result before the final power-of-two scaling, so a
// product whose factor is subnormal (silu at -100) rounds once. Products
// assume |m| exp(-150) underflows (m and the argument from the same x, as
// in every prelude activation).
/// m * sigmoid(t).
Value buildSigmoidProductF32(Emitter &e, Value m, Pair t, bool fast);
/// sigmoid(t) * sigmoid(-t) = sigmoid'(t), one exp and one division.
Value buildSigmoidPrimeF32(Emitter &e, Pair t, bool fast);
/// sigmoid(t) and sigmoid'(t) from one exp (the derivatives of the sigmoid
/// products use both).
std::pair<Value, Value> buildSigmoidAndPrimeF32(Emitter &e, Pair t, bool fast);
/// A zero of G = 1 + m + exp(t) (below) and the series of G / (v - v0)
/// around it, for |v - v0| <= delta, v = t or x (FastGradRoots.def, made by
/// scripts/fast-grad-roots.py).
struct GradRoot {
  const char *name;
  /// The series' variable: t (silu's, for every m == t) or x.
  bool inArgument;
  /// v0 = head + tail.
  double head, tail, delta;
  ArrayRef<double> series;
};
ArrayRef<GradRoot> getGradRoots();
/// sigmoid(t) + m * sigmoid'(t) (the derivative of m' sigmoid(t) forms:
/// silu, swish, quick_gelu, the tanh GELUs) without cancellation next to
/// its zero: sigmoid'(t) G, G = 1 + m + exp(t) as pairs, one exp and one
/// division; next to `root` (if any) G is its series in v (t or x).
Value buildSigmoidGradSumF32(Emitter &e, Pair t, Pair m, const GradRoot *root,
                             Pair v);
/// The tanh GELUs' sigmoid argument t = k x (1 + a x^2) and its m = x t'(x)
/// = k x (1 + 3 a x^2), k and a doubles, as pairs from x^2 = twoProd(x, x)
/// (about 2^-44 relative where they are finite; a non-finite hi may have a
/// NaN lo).
std::pair<Pair, Pair> buildCubicArgumentsF32(Emitter &e, Value x, double k,
                                             double a);
/// x sigmoid(k x (1 + a x^2)) (the tanh GELUs, fast, AVX-512): t as a
/// pair from x^2's (2^-40 relative), the table exp core, x clamped so that
/// the tails need no selects (GeluTanhF32.cpp); null where k and a are too
/// small for that clamp (none of the prelude's).
Value buildCubicSigmoidProductF32(Emitter &e, Value x, double k, double a);
/// mish'(x) = tanh(softplus(x)) + x sech^2(softplus(x)) sigmoid(x) without
/// cancellation next to its zero: E G / A^2 (x < 0) with the series of
/// `root` (if any) for G next to x0, one exp and one division.
Value buildMishGradF32(Emitter &e, Value x, const GradRoot *root);
/// silu'(x) and mish'(x) from FastGradTableF32.cpp's piecewise tables
/// (fast, AVX-512, 16 x f32 only: hasGradTable): no exp or division where
/// |x| is moderate; +inf gives 1, NaN NaN (-inf is the caller's). With
/// `dy`, dy f'(x) (the kernel's product: DyProduct.h).
bool hasGradTable(Emitter &e);
Value buildSiluGradTableF32(Emitter &e, Value x, Value dy = Value());
Value buildMishGradTableF32(Emitter &e, Value x, Value dy = Value());
/// The tanh GELUs' f' (fast, AVX-512, 16 x f32: hasGradTable) as exp(t)
/// times a piecewise table, for the t = k x (1 + a x^2) it was fitted to.
bool hasGeluTanhGradTable(double k, double a);
Value buildGeluTanhGradTableF32(Emitter &e, Value x, Value dy = Value());
/// sigmoid(2 softplus(s)) * sigmoid(-2 softplus(s)) = sech^2(softplus(s)) / 4
/// (mish' after act-expand), from the same exp(-|s|) as mish's forms.
Value buildSechSquaredOfSoftplusQuarterF32(Emitter &e, Pair s, bool fast);
/// m * tanh(softplus(s)) (mish), without tanh or log; m null for 1.
Value buildMishProductF32(Emitter &e, Value m, Pair s, bool fast);
/// softplus(x) = max(x, 0) + log1p(exp(-|x|)).
Value buildSoftplusF32(Emitter &e, Value x, bool fast);

// erf and erfc in f32 (ErfF32.cpp), a few ULPs.
Value buildErfF32(Emitter &e, Pair w);
/// m * erfc(w).
Value buildErfcProductF32(Emitter &e, Value m, Pair w);
/// m * erfc(w) from the erf GELU's table (GeluF32.cpp): fast a few ULPs,
/// otherwise under 1 ULP; assumes |m| erfc(11.3) underflows (|m| < 2^30
/// where |w| > 11.3). Only where hasGeluTable(e) (16 x f32 with AVX-512).
/// `x`, where not null, is v = -sqrt(2) w itself (GeluGradient.h's
/// getGeluArgument).
bool hasGeluTable(Emitter &e);
Value buildErfcProductTableF32(Emitter &e, Value m, Pair w, bool fast,
                               Value x = Value());
/// True where buildErfcProductTableF32(e, m, w, /*fast=*/false, x) is gelu
/// itself (m = x * 0.5): its value at x = -inf is +0, the prelude's guard's.
bool isAccurateGeluTableForm(Value m, Value x);
/// Phi(-(t + tl)) = 2^nf a for t in [0, kFastGeluLimit] (tl null, or the
/// low part of a rebuilt t), fast (GeluFastF32.cpp: the degree-5 table and
/// the table exp core; only where hasGeluTable(e)).
struct FastPhi {
  Value a, nf;
};
FastPhi buildFastPhiOfMinusF32(Emitter &e, Value t, Value tl);
/// |x| up to which buildFastPhiOfMinusF32 takes t (round(2t) <= 31).
constexpr double kFastGeluLimit = 15.74;
/// x Phi(x) (the erf GELU, fast), from x alone: the tails and infinities
/// without selects.
Value buildFastGeluF32(Emitter &e, Value x);
/// gelu'(x) = Phi(x) + x phi(x) from the same table's D = G - t / sqrt(2 pi)
/// (no cancellation next to its zero at x = -0.7518); `fast`: a few ULPs,
/// otherwise with D's d0 and d1 as pairs and the products as pairs, under
/// 1 ULP. With `dy` (accurate only): dy gelu'(x), the product by dy inside
/// the last rounding (one rounding, not two).
Value buildGeluGradTableF32(Emitter &e, Value x, bool fast = true,
                            Value dy = Value());

// sin and cos (SinCosF32.cpp, SinCosF64.cpp).
/// r + quadrant * pi/2 is the argument; r is a pair with |r| <~ pi/4.
struct ReducedAngle {
  Pair r;
  Value quadrant;
};
/// sin(x) or cos(x) for x an f32 value extended to f64 (e on f64): exact
/// reduction by 28-bit chunks of 2/pi, for the result rounded to f32.
Value buildSinCosOfF32(Emitter &e, Value x, bool cosine);
/// The quadrant round(s) and r = (s + c + d - quadrant) pi/2, for
/// y = s + c + d = x 2/pi reduced modulo 4 (|s| < 2^50; d may be null).
ReducedAngle reduceQuadrant(Emitter &e, Value s, Value c, Value d);
/// sin or cos of the reduced angle by quadrant (f64 kernel polynomials);
/// x's sign for sin(-0), NaN where `finite` is false.
Value sinCosOfReduced(Emitter &e, ReducedAngle reduced, bool cosine, Value x,
                      Value finite);
/// sin(x) or cos(x) in f64 for any f64 x (e on f64): Cody-Waite below
/// 2^20, Payne-Hanek with a table read by gathers above.
Value buildSinCosF64(Emitter &e, Value x, bool cosine);
/// The table buildSinCosF64 reads: a private memref.global that
/// declareTwoOverPiTable adds to the module (once) before it is used.
extern StringRef kTwoOverPiTableName;
void declareTwoOverPiTable(ModuleOp module);

// f64 kernels' own functions (ExpLogF64.cpp): 1 ULP of f64.
Value buildExpF64(Emitter &e, Value x);
/// exp(a - b) with hi = fl(a - b) given: the difference's rounding error
/// (TwoSum) taken into the result, which exp would amplify by |a - b|
/// (softmax's exp(x - rowmax) in f64 kernels).
Value buildExpOfDifferenceF64(Emitter &e, Value a, Value b, Value hi);
Value buildExp2F64(Emitter &e, Value x);
Value buildExpm1F64(Emitter &e, Value x);
Value buildLogF64(Emitter &e, Value x);
Value buildLog1pF64(Emitter &e, Value x);
Value buildTanhF64(Emitter &e, Value x);
/// exp(x) = 2^n (h + l) unscaled (h + l = 1 + O(0.35), to about 2^-100),
/// for any x with |x| < 1400.
ExpSplit buildExpSplitF64(Emitter &e, Value x);
// erf and erfc of the f64 kernels (ErfF64.cpp): 1 ULP of f64.
Value buildErfF64(Emitter &e, Value x);
Value buildErfcF64(Emitter &e, Value x);

// Wide cores (WideF64.cpp, ErfF64.cpp): f64 in, f64 out.
Value buildWideExp(Emitter &e, Value x);
/// exp to about 2^-52 (two roundings), for a result that cancels afterwards
/// (act.wide_precise).
Value buildWidePreciseExp(Emitter &e, Value x);
Value buildWideExpm1(Emitter &e, Value x);
Value buildWideLog(Emitter &e, Value x);
Value buildWideLog1p(Emitter &e, Value x);
Value buildWideTanh(Emitter &e, Value x);
Value buildWideErf(Emitter &e, Value x);
Value buildWideErfc(Emitter &e, Value x);

/// erf(u) as an unrounded pair for a pair u with 0 <= u.hi < 1/2 (2^-58
/// relative; u.lo to first order; ErfF64.cpp). u.lo may be null.
Pair buildErfSmallPairF64(Emitter &e, Pair u);
/// erfcx(u) = erfc(u) exp(u^2) as an unrounded pair for a pair u with u.hi
/// in [1/2, 28] (ErfF64.cpp's segments, 2^-58.5 relative; u.lo to first
/// order). u.lo may be null.
Pair buildErfcxPairF64(Emitter &e, Pair u);

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_APPROX_H
