//===- Emitter.cpp - arithmetic on a value's (vector) type ----------------===//

#include "Emitter.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

Emitter::Emitter(OpBuilder &builder, Location loc, Type floatType)
    : builder(builder), loc(loc), floatType(floatType) {
  width = getElementTypeOrSelf(floatType).getIntOrFloatBitWidth();
  Type element = builder.getIntegerType(width);
  if (auto vector = dyn_cast<VectorType>(floatType))
    intType = vector.clone(element);
  else
    intType = element;
}

Value Emitter::c(double value) {
  auto attr = builder.getFloatAttr(getElementTypeOrSelf(floatType), value);
  if (auto shaped = dyn_cast<ShapedType>(floatType))
    return arith::ConstantOp::create(builder, loc, floatType,
                                     DenseElementsAttr::get(shaped, attr));
  return arith::ConstantOp::create(builder, loc, floatType, attr);
}

Value Emitter::ci(int64_t value) {
  auto attr = builder.getIntegerAttr(getElementTypeOrSelf(intType), value);
  if (auto shaped = dyn_cast<ShapedType>(intType))
    return arith::ConstantOp::create(builder, loc, intType,
                                     DenseElementsAttr::get(shaped, attr));
  return arith::ConstantOp::create(builder, loc, intType, attr);
}

Value Emitter::add(Value a, Value b) {
  return arith::AddFOp::create(builder, loc, a, b);
}
Value Emitter::sub(Value a, Value b) {
  return arith::SubFOp::create(builder, loc, a, b);
}
Value Emitter::mul(Value a, Value b) {
  return arith::MulFOp::create(builder, loc, a, b);
}
Value Emitter::div(Value a, Value b) {
  return arith::DivFOp::create(builder, loc, a, b);
}
Value Emitter::fma(Value a, Value b, Value c) {
  return math::FmaOp::create(builder, loc, a, b, c);
}
Value Emitter::neg(Value a) { return arith::NegFOp::create(builder, loc, a); }
Value Emitter::abs(Value a) { return math::AbsFOp::create(builder, loc, a); }
Value Emitter::copySign(Value magnitude, Value sign) {
  return math::CopySignOp::create(builder, loc, magnitude, sign);
}
Value Emitter::min(Value a, Value b) {
  return arith::MinimumFOp::create(builder, loc, a, b);
}
Value Emitter::max(Value a, Value b) {
  return arith::MaximumFOp::create(builder, loc, a, b);
}
Value Emitter::roundEven(Value a) {
  return math::RoundEvenOp::create(builder, loc, a);
}

Value Emitter::cmp(arith::CmpFPredicate predicate, Value a, Value b) {
  return arith::CmpFOp::create(builder, loc, predicate, a, b);
}
Value Emitter::select(Value condition, Value a, Value b) {
  return arith::SelectOp::create(builder, loc, condition, a, b);
}
Value Emitter::andI1(Value a, Value b) {
  return arith::AndIOp::create(builder, loc, a, b);
}

Value Emitter::toBits(Value a) {
  return arith::BitcastOp::create(builder, loc, intType, a);
}
Value Emitter::fromBits(Value bits) {
  return arith::BitcastOp::create(builder, loc, floatType, bits);
}
Value Emitter::iadd(Value a, Value b) {
  return arith::AddIOp::create(builder, loc, a, b);
}
Value Emitter::isub(Value a, Value b) {
  return arith::SubIOp::create(builder, loc, a, b);
}
Value Emitter::shl(Value a, int64_t amount) {
  return arith::ShLIOp::create(builder, loc, a, ci(amount));
}
Value Emitter::ashr(Value a, int64_t amount) {
  return arith::ShRSIOp::create(builder, loc, a, ci(amount));
}
Value Emitter::toFloat(Value i) {
  return arith::SIToFPOp::create(builder, loc, floatType, i);
}
Value Emitter::toInt(Value f) {
  return arith::FPToSIOp::create(builder, loc, intType, f);
}
Value Emitter::ieq(Value a, Value b) {
  return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq, a, b);
}

Value Emitter::iand(Value a, Value b) {
  return arith::AndIOp::create(builder, loc, a, b);
}
Value Emitter::ior(Value a, Value b) {
  return arith::OrIOp::create(builder, loc, a, b);
}

Value Emitter::imul(Value a, int64_t b) {
  return arith::MulIOp::create(builder, loc, a, ci(b));
}

Value Emitter::imax(Value a, Value b) {
  return arith::MaxSIOp::create(builder, loc, a, b);
}

Value Emitter::imin(Value a, Value b) {
  return arith::MinSIOp::create(builder, loc, a, b);
}
Value Emitter::igt(Value a, Value b) {
  return arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sgt, a, b);
}

Value Emitter::pow2(Value n) {
  int fraction = mantissaBits() - 1;
  int bias = isF32() ? 127 : 1023;
  return fromBits(shl(iadd(n, ci(bias)), fraction));
}

Value Emitter::scale(Value a, Value n) {
  Value half = ashr(n, 1);
  return mul(mul(a, pow2(half)), pow2(isub(n, half)));
}

void Emitter::setAVX512(bool enabled) {
  auto vector = dyn_cast<VectorType>(floatType);
  avx512 = enabled && vector && !vector.isScalable() &&
           vector.getRank() == 1 && vector.getNumElements() * width == 512;
}

Value Emitter::scaleByFloat(Value a, Value n, Value nf) {
  if (!avx512)
    return scale(a, n);
  // vscalefps/pd: a * 2^floor(nf), rounded once (subnormal results too);
  // all lanes (mask -1), the current rounding mode (4).
  StringRef name = isF32() ? "llvm.x86.avx512.mask.scalef.ps.512"
                           : "llvm.x86.avx512.mask.scalef.pd.512";
  Value all = LLVM::ConstantOp::create(
      builder, loc, builder.getIntegerType(isF32() ? 16 : 8),
      builder.getIntegerAttr(builder.getIntegerType(isF32() ? 16 : 8), -1));
  Value rounding = LLVM::ConstantOp::create(builder, loc, builder.getI32Type(),
                                            builder.getI32IntegerAttr(4));
  return LLVM::CallIntrinsicOp::create(builder, loc, floatType,
                                       builder.getStringAttr(name),
                                       ValueRange{a, nf, a, all, rounding})
      ->getResult(0);
}

Value Emitter::lookup32(ArrayRef<double> table, Value index) {
  assert(avx512 && isF32() && table.size() == 32 && "lookup32: 16 x f32");
  auto shaped = cast<ShapedType>(floatType);
  Type element = shaped.getElementType();
  auto half = [&](ArrayRef<double> values) -> Value {
    SmallVector<Attribute, 16> attrs;
    for (double value : values)
      attrs.push_back(builder.getFloatAttr(element, value));
    return arith::ConstantOp::create(builder, loc, floatType,
                                     DenseElementsAttr::get(shaped, attrs));
  };
  Value low = half(table.take_front(16)), high = half(table.drop_front(16));
  return LLVM::CallIntrinsicOp::create(
             builder, loc, floatType,
             builder.getStringAttr("llvm.x86.avx512.vpermi2var.ps.512"),
             ValueRange{low, index, high})
      ->getResult(0);
}

Value Emitter::lookup16(ArrayRef<double> table, Value index) {
  assert(avx512 && isF32() && table.size() == 16 && "lookup16: 16 x f32");
  auto shaped = cast<ShapedType>(floatType);
  SmallVector<Attribute, 16> attrs;
  for (double value : table)
    attrs.push_back(builder.getFloatAttr(shaped.getElementType(), value));
  Value values = arith::ConstantOp::create(
      builder, loc, floatType, DenseElementsAttr::get(shaped, attrs));
  return LLVM::CallIntrinsicOp::create(
             builder, loc, floatType,
             builder.getStringAttr("llvm.x86.avx512.permvar.sf.512"),
             ValueRange{values, index})
      ->getResult(0);
}

Value Emitter::immediate(int32_t value) {
  return LLVM::ConstantOp::create(builder, loc, builder.getI32Type(),
                                  builder.getI32IntegerAttr(value));
}

Value Emitter::callMaskedPs512(StringRef name, ValueRange operands) {
  SmallVector<Value, 6> all(operands);
  // Every lane written; the current rounding mode (4).
  all.push_back(LLVM::ConstantOp::create(builder, loc, builder.getI16Type(),
                                         builder.getI16IntegerAttr(-1)));
  all.push_back(immediate(4));
  return LLVM::CallIntrinsicOp::create(builder, loc, floatType,
                                       builder.getStringAttr(name), all)
      ->getResult(0);
}

Value Emitter::fixupByClass(Value a, Value b, int64_t tokens) {
  assert(avx512 && isF32() && "fixupByClass: 16 x f32");
  // No exception reporting (imm 0).
  return callMaskedPs512("llvm.x86.avx512.mask.fixupimm.ps.512",
                         {a, b, ci(tokens), immediate(0)});
}

Value Emitter::negatedMinMagnitude(Value a, Value b) {
  assert(avx512 && isF32() && "negatedMinMagnitude: 16 x f32");
  // imm 0b1110: the operand of the smaller magnitude (bits 1:0 = 2), its
  // sign bit set (bits 3:2 = 3); a passes through the (unused) mask.
  return callMaskedPs512("llvm.x86.avx512.mask.range.ps.512",
                         {a, b, immediate(0b1110), a});
}

Value Emitter::poly(Value x, ArrayRef<double> coefficients) {
  Value result = c(coefficients.back());
  for (double coefficient : llvm::reverse(coefficients.drop_back()))
    result = fma(result, x, c(coefficient));
  return result;
}

Pair Emitter::twoSum(Value a, Value b) {
  Value s = add(a, b);
  Value bb = sub(s, a);
  Value error = add(sub(a, sub(s, bb)), sub(b, bb));
  return {s, error};
}

Pair Emitter::fastTwoSum(Value a, Value b) {
  Value s = add(a, b);
  return {s, sub(b, sub(s, a))};
}

Pair Emitter::twoProd(Value a, Value b) {
  Value p = mul(a, b);
  return {p, fma(a, b, neg(p))};
}

Pair Emitter::negPair(Pair a) {
  return {neg(a.hi), a.lo ? neg(a.lo) : Value()};
}

Pair Emitter::sumPair(Pair a, Pair b, bool subtract) {
  Pair s = twoSum(a.hi, subtract ? neg(b.hi) : b.hi);
  if (a.lo)
    s.lo = add(s.lo, a.lo);
  if (b.lo)
    s.lo = subtract ? sub(s.lo, b.lo) : add(s.lo, b.lo);
  return s;
}

Pair Emitter::productPair(Pair a, Pair b) {
  Pair p = twoProd(a.hi, b.hi);
  if (b.lo)
    p.lo = fma(a.hi, b.lo, p.lo);
  if (a.lo)
    p.lo = fma(a.lo, b.hi, p.lo);
  return p;
}

Pair Emitter::zeroLowWhereNotFinite(Pair a) {
  if (!a.lo)
    return a;
  Value finite = lt(abs(a.hi), c(std::numeric_limits<double>::infinity()));
  return {a.hi, select(finite, a.lo, c(0.0))};
}

Pair Emitter::divPairToPair(Pair numerator, Pair denominator) {
  Value reciprocal = div(c(1.0), denominator.hi);
  Value q = mul(numerator.hi, reciprocal);
  Value residual = fma(neg(q), denominator.hi, numerator.hi);
  residual = add(residual, fma(neg(q), denominator.lo, numerator.lo));
  return fastTwoSum(q, mul(residual, reciprocal));
}

Value Emitter::reciprocalEstimate(Value a) {
  assert(avx512 && isF32() && "reciprocalEstimate: 16 x f32");
  Value all = LLVM::ConstantOp::create(builder, loc, builder.getIntegerType(16),
                                       builder.getIntegerAttr(
                                           builder.getIntegerType(16), -1));
  return LLVM::CallIntrinsicOp::create(
             builder, loc, floatType,
             builder.getStringAttr("llvm.x86.avx512.rcp14.ps.512"),
             ValueRange{a, a, all})
      ->getResult(0);
}

Value Emitter::divPair(Pair numerator, Pair denominator, bool estimate) {
  Value reciprocal = estimate ? reciprocalEstimate(denominator.hi)
                              : div(c(1.0), denominator.hi);
  Value q = mul(numerator.hi, reciprocal);
  // The residual numerator - q * denominator, its first part exact by FMA.
  Value residual = fma(neg(q), denominator.hi, numerator.hi);
  if (numerator.lo)
    residual = add(residual, fma(neg(q), denominator.lo, numerator.lo));
  else // one more FMA, rounding ~2^-24 of a residual that is ~2^-14 of q
    residual = fma(neg(q), denominator.lo, residual);
  return fma(residual, reciprocal, q);
}
