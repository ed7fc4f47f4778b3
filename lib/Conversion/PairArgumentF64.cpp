//===- PairArgumentF64.cpp - f64 arithmetic as a double-double ------------===//
//
// See PairArgumentF64.h. Error-free sums and products keep the argument
// of exp to ~2^-100 relative where its f64 rounding alone, amplified by
// exp's |t|, cost up to hundreds of ULPs (x sigmoid(1.702 x) below -20).
//
//===----------------------------------------------------------------------===//

#include "PairArgumentF64.h"
#include "actc/Dialect/Act/OperandValues.h"
#include "actc/Dialect/Act/Passes.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::act;
using approx::Emitter;
using approx::Pair;

/// How deep an argument's arithmetic is followed (FastForms.cpp's).
static constexpr int kPairDepth = 8;

/// Constants the frontend folds from exact expressions: (f64 value, the
/// rest of the exact value), the rest to 2^-106.
static constexpr double kKnownConstants[][2] = {
    {0x1.6a09e667f3bcdp+0, -0x1.bdd3413b26456p-54},  // sqrt(2)
    {0x1.6a09e667f3bcdp-1, -0x1.bdd3413b26456p-55},  // 1 / sqrt(2)
    {0x1.9884533d43651p-1, -0x1.cbc0d30ebfd15p-55},  // sqrt(2 / pi)
    {0x1.2444f2a4d8b4bp-5, -0x1.6c843a29d1c70p-62},  // 0.044715 sqrt(2 / pi)
    // selu's alpha and scale (their 32-digit decimals in the prelude).
    {0x1.ac5afad782cf1p+0, 0x1.eb7a46c21f1dfp-54},
    {0x1.0cfabd6a91132p+0, 0x1.6fc7d272f2695p-55}};

double mlir::act::getConstantTailF64(double c) {
  if (!std::isfinite(c) || c == 0)
    return 0;
  for (const auto &known : kKnownConstants)
    if (std::fabs(c) == known[0])
      return c < 0 ? -known[1] : known[1];
  char text[40];
  for (int digits = 1; digits <= 12; ++digits) {
    std::snprintf(text, sizeof(text), "%.*e", digits - 1, c);
    if (std::strtod(text, nullptr) != c)
      continue;
    // The decimal minus c in quad precision (113 bits: c's rest to 2^-60).
    llvm::APFloat exact(llvm::APFloat::IEEEquad(), text);
    llvm::APFloat rounded(c);
    bool losesInfo;
    rounded.convert(llvm::APFloat::IEEEquad(),
                    llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    exact.subtract(rounded, llvm::APFloat::rmNearestTiesToEven);
    exact.convert(llvm::APFloat::IEEEdouble(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    return exact.convertToDouble();
  }
  return 0;
}

static Pair evaluate(Emitter &e, Value value, int depth);

static Pair evaluateOperand(Emitter &e, Operation *op, unsigned index,
                            int depth) {
  return evaluate(e, op->getOperand(index), depth);
}


static Pair evaluate(Emitter &e, Value value, int depth) {
  if (value.getType() != e.getFloatType())
    return {value, Value()};
  if (std::optional<double> constant = getFloatConstant(value)) {
    double tail = getConstantTailF64(*constant);
    return {value, tail != 0 ? e.c(tail) : Value()};
  }
  Operation *op = value.getDefiningOp();
  if (!op || depth == 0 || op->hasAttr(kLeafAttrName))
    return {value, Value()};
  if (isa<arith::NegFOp>(op))
    return e.negPair(evaluateOperand(e, op, 0, depth - 1));
  if (isa<arith::AddFOp, arith::SubFOp>(op)) {
    Pair a = evaluateOperand(e, op, 0, depth - 1);
    Pair b = evaluateOperand(e, op, 1, depth - 1);
    return e.sumPair(a, b, isa<arith::SubFOp>(op));
  }
  if (isa<arith::MulFOp>(op)) {
    // Named first: the order of a call's arguments is unspecified.
    Pair a = evaluateOperand(e, op, 0, depth - 1);
    Pair b = evaluateOperand(e, op, 1, depth - 1);
    return e.productPair(a, b);
  }
  if (isa<arith::DivFOp>(op)) {
    std::optional<double> divisor = getFloatConstant(op->getOperand(1));
    if (!divisor || *divisor == 0 || !std::isfinite(*divisor))
      return {value, Value()};
    // q = a / c rounded (an infinite a stays infinite), then the residual
    // a - q c (its first part exact by FMA) over c.
    Pair a = evaluateOperand(e, op, 0, depth - 1);
    Pair c = evaluateOperand(e, op, 1, depth - 1);
    Value q = e.div(a.hi, c.hi);
    Value residual = e.fma(e.neg(q), c.hi, a.hi);
    if (a.lo)
      residual = e.add(residual, a.lo);
    if (c.lo)
      residual = e.fma(e.neg(q), c.lo, residual);
    return {q, e.div(residual, c.hi)};
  }
  return {value, Value()};
}

approx::Pair mlir::act::evaluatePairF64(Emitter &e, Value value) {
  return e.zeroLowWhereNotFinite(evaluate(e, value, kPairDepth));
}
