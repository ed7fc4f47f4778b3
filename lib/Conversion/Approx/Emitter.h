//===- Emitter.h - arithmetic on a value's (vector) type --------*- C++ -*-===//
//
// The approximations of act-math-approx are written against `Emitter`: one
// call per arith/math op, built on the float type of the value being
// approximated (a scalar or a vector of f32 or f64) and its same-shaped
// integer type. Nothing here carries fast-math flags: error-free
// transformations (twoSum, twoProd) rely on each op rounding exactly once.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_EMITTER_H
#define ACTC_CONVERSION_APPROX_EMITTER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

namespace mlir::act::approx {

/// An unevaluated sum hi + lo with |lo| <= ulp(hi) / 2 (double-float).
struct Pair {
  Value hi, lo;
};

class Emitter {
public:
  /// Emits at `builder`'s insertion point, on `floatType` (f32 or f64,
  /// scalar or vector).
  Emitter(OpBuilder &builder, Location loc, Type floatType);

  OpBuilder &getBuilder() const { return builder; }
  Location getLoc() const { return loc; }
  Type getFloatType() const { return floatType; }
  Type getIntType() const { return intType; }
  /// True for f32 elements, false for f64.
  bool isF32() const { return width == 32; }
  /// Bits of the element type's significand (24 or 53).
  int mantissaBits() const { return isF32() ? 24 : 53; }

  /// Lets scaleByFloat() use AVX-512's vscalef where the type is a 512-bit
  /// vector (16 x f32, 8 x f64); other types keep the portable code. Only
  /// for x86 targets with AVX-512F.
  void setAVX512(bool enabled);
  /// True where setAVX512 enabled vscalef for this type: scaleByFloat then
  /// rounds a subnormal result once, whatever the integer n.
  bool hasAVX512() const { return avx512; }

  /// Constants of the float and the integer type (splats for vectors).
  Value c(double value);
  Value ci(int64_t value);

  // Floating-point arithmetic, one rounding each.
  Value add(Value a, Value b);
  Value sub(Value a, Value b);
  Value mul(Value a, Value b);
  Value div(Value a, Value b);
  Value fma(Value a, Value b, Value c);
  Value neg(Value a);
  Value abs(Value a);
  Value copySign(Value magnitude, Value sign);
  /// NaN-propagating minimum and maximum.
  Value min(Value a, Value b);
  Value max(Value a, Value b);
  /// Clamps to [lo, hi], a NaN stays a NaN.
  Value clamp(Value a, double lo, double hi) {
    return min(max(a, c(lo)), c(hi));
  }
  Value roundEven(Value a);

  // Comparisons (ordered: false on NaN) and choice.
  Value cmp(arith::CmpFPredicate predicate, Value a, Value b);
  Value lt(Value a, Value b) { return cmp(arith::CmpFPredicate::OLT, a, b); }
  Value le(Value a, Value b) { return cmp(arith::CmpFPredicate::OLE, a, b); }
  Value gt(Value a, Value b) { return cmp(arith::CmpFPredicate::OGT, a, b); }
  Value ge(Value a, Value b) { return cmp(arith::CmpFPredicate::OGE, a, b); }
  Value eq(Value a, Value b) { return cmp(arith::CmpFPredicate::OEQ, a, b); }
  Value isNaN(Value a) { return cmp(arith::CmpFPredicate::UNO, a, a); }
  Value select(Value condition, Value a, Value b);
  Value andI1(Value a, Value b);

  // Integers and bits.
  Value toBits(Value a);
  Value fromBits(Value bits);
  Value iadd(Value a, Value b);
  Value isub(Value a, Value b);
  Value shl(Value a, int64_t amount);
  Value ashr(Value a, int64_t amount);
  Value toFloat(Value i);
  /// The integer of an integral float (arith.fptosi).
  Value toInt(Value f);
  Value ieq(Value a, Value b);
  Value iand(Value a, Value b);
  Value ior(Value a, Value b);
  Value imul(Value a, int64_t b);
  Value imax(Value a, Value b);
  Value imin(Value a, Value b);
  /// Signed a > b.
  Value igt(Value a, Value b);

  /// 2^n for integer n in the normal exponent range of the type.
  Value pow2(Value n);
  /// a * 2^n rounded once for any integer n with |n| < 2 * max exponent:
  /// two exact power-of-two factors, so only the last product rounds.
  Value scale(Value a, Value n);
  /// The same with nf, n as a float (an integral one): one vscalefps where
  /// AVX-512 is enabled, scale(a, n) otherwise.
  Value scaleByFloat(Value a, Value n, Value nf);

  /// AVX-512 only (hasAVX512()): table[index & 31] per lane from two
  /// registers of constants (one vpermt2ps); `index` is an integer vector,
  /// only its low five bits are read. `table` has 32 entries.
  Value lookup32(ArrayRef<double> table, Value index);
  /// The same from one register of 16 constants (one vpermps, which leaves
  /// the table in its register); only `index`'s low four bits are read.
  Value lookup16(ArrayRef<double> table, Value index);

  /// AVX-512 only (hasAVX512(), 16 x f32): vfixupimmps. Per lane, b's class
  /// (0 QNaN, 1 SNaN, 2 +-0, 3 +1, 4 -inf, 5 +inf, 6 negative, 7 positive)
  /// picks a 4-bit token of `tokens` (class c at bits 4c..4c+3): 0 keeps a,
  /// 1 gives b, 8 gives +0; the others as Intel's manual lists them.
  Value fixupByClass(Value a, Value b, int64_t tokens);

  /// AVX-512 only (hasAVX512(), 16 x f32): -min(|a|, |b|) per lane in one
  /// vrangeps. A quiet NaN in one operand gives the other operand's value.
  Value negatedMinMagnitude(Value a, Value b);

  /// Horner's rule with FMAs; `coefficients` from degree 0 up.
  Value poly(Value x, ArrayRef<double> coefficients);

  // Error-free transformations (exact with round-to-nearest, no FMA
  // contraction of the individual ops).
  /// a + b = hi + lo for any a, b (Knuth).
  Pair twoSum(Value a, Value b);
  /// a + b = hi + lo where |a| >= |b| or a == 0 (Dekker).
  Pair fastTwoSum(Value a, Value b);
  /// a * b = hi + lo (one FMA for the error).
  Pair twoProd(Value a, Value b);

  // Double-float arithmetic of pairs whose lo may be null (0): what the
  // pair evaluators of an expression's arithmetic (FastForms.h's
  // evaluatePairF32, PairArgumentF64.h's evaluatePairF64) do per op.
  /// -a.
  Pair negPair(Pair a);
  /// a + b, or a - b with `subtract`: twoSum of the heads, the low parts
  /// added to its error (not renormalized).
  Pair sumPair(Pair a, Pair b, bool subtract);
  /// a * b: twoProd of the heads, the low parts' products to first order.
  Pair productPair(Pair a, Pair b);
  /// `a` with lo 0 wherever hi is not finite (twoProd and twoSum give a
  /// NaN low part there); `a` itself when lo is null.
  Pair zeroLowWhereNotFinite(Pair a);
  /// (nh + nl) / (dh + dl) rounded about once: one division for 1 / dh, then
  /// one residual step on the double-float denominator. `estimate` (AVX-512
  /// only): vrcp14ps's 1 / dh (2^-14) instead of the division; the residual
  /// step squares its error (2^-28 of the quotient, before the rounding).
  /// A null numerator.lo is 0.
  Value divPair(Pair numerator, Pair denominator, bool estimate = false);
  /// AVX-512 only (hasAVX512()): 1 / a within 2^-14 relative (vrcp14ps).
  Value reciprocalEstimate(Value a);
  /// The same quotient as a pair (q, residual / dh).
  Pair divPairToPair(Pair numerator, Pair denominator);

private:
  /// A scalar i32 constant (an intrinsic's immediate operand).
  Value immediate(int32_t value);
  /// The 16 x f32 AVX-512 intrinsic `name` on `operands`, then a mask with
  /// every lane set and the current rounding mode.
  Value callMaskedPs512(StringRef name, ValueRange operands);

  OpBuilder &builder;
  Location loc;
  Type floatType, intType;
  unsigned width;
  bool avx512 = false;
};

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_EMITTER_H
