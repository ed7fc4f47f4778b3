//===- RowPairForms.cpp - f64 row kernels in double-double ----------------===//
//
// f64 row kernels have no wider type to compute in, so act-kernels
// evaluates their row sums' terms and their outputs in double-double:
// a + b and a - b by TwoSum, exp and log1p of pairs as pairs
// (act.exp_pair, act.log1p_pair, lowered by act-math-approx), the row
// sums as compensated pairs (CompensatedSums.h), and the output rounded
// once:
//
//  - softmax: e / s = exp((x - m) - log(s)) with x - m exact as a pair and
//    log(s) = log1p(s - 1) a pair computed once per row: one exp per
//    element in the output loop (none stored in y: y rounds), subnormal
//    results rounded once;
//  - log_softmax: (x - m) - log1p(t), t the row's sum less its ones as a
//    pair, rounded once; that sum (of the rest: it can fall below the
//    normal range, where subnormal terms lose bits) summed times 2^512,
//    exp(z + 512 ln 2), and scaled back once per row;
//  - log_softmax's gradient: dy - exp(y) s with exp(y) and the compensated
//    sum s of dy as pairs, rounded once.
//
// Was: exp(x - m) rounded into y, then y * (1 / s) rounded again (1.5
// ULP), and x - m, log1p(t) and their difference each rounded (1.7 ULP);
// the gradient rounded exp(y) before dy - exp(y) s cancelled (3.8e4 ULP);
// log_softmax's subnormal results summed subnormal terms (3.4 ULP).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "actc/Dialect/Act/CompensatedSums.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <type_traits>

using namespace mlir;
using namespace mlir::act;

bool KernelBuilder::hasPairForm(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def || isa<arith::ConstantOp, RowMaxOp, RowSumOp>(def))
    return true;
  if (isa<arith::DivFOp>(def))
    return isShiftedSoftmax(def) &&
           hasPairForm(def->getOperand(0).getDefiningOp()->getOperand(0));
  if (auto select = dyn_cast<arith::SelectOp>(def))
    return hasPairForm(select.getTrueValue()) &&
           hasPairForm(select.getFalseValue());
  if (!isa<arith::AddFOp, arith::SubFOp, arith::NegFOp, math::ExpOp,
           math::LogOp, math::Log1pOp>(def))
    return false;
  return llvm::all_of(def->getOperands(),
                      [&](Value operand) { return hasPairForm(operand); });
}

/// a + b (or a - b) of pairs: TwoSum of the heads, the low parts added to
/// its error.
static RowPair buildPairSum(OpBuilder &builder, Location loc, RowPair a,
                            RowPair b, bool subtract) {
  Value hi, bHi = b.hi;
  if (subtract) {
    hi = arith::SubFOp::create(builder, loc, a.hi, b.hi);
    bHi = arith::NegFOp::create(builder, loc, b.hi);
  } else {
    hi = arith::AddFOp::create(builder, loc, a.hi, b.hi);
  }
  Value lo = buildTwoSumError(builder, loc, a.hi, bHi, hi);
  if (a.lo)
    lo = arith::AddFOp::create(builder, loc, lo, a.lo);
  if (b.lo)
    lo = subtract ? arith::SubFOp::create(builder, loc, lo, b.lo).getResult()
                  : arith::AddFOp::create(builder, loc, lo, b.lo).getResult();
  return {hi, lo};
}

/// lo, or 0 where it is null.
static Value getLow(OpBuilder &builder, Location loc, const RowPair &pair) {
  if (pair.lo)
    return pair.lo;
  return arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(pair.hi.getType(), 0.0));
}

template <typename PairOpTy>
static RowPair buildPairOp(OpBuilder &builder, Location loc, RowPair x) {
  auto op = PairOpTy::create(builder, loc, x.hi, getLow(builder, loc, x));
  return {op.getResultHi(), op.getResultLo(),
          std::is_same_v<PairOpTy, ExpPairOp>};
}

/// Sums that can fall below the normal range are summed times 2^kSumScale
/// (RowKernels.cpp): their terms' subnormal exps keep all their bits.
static constexpr int kSumScale = 512;

/// kSumScale ln 2 as a pair (ln 2's f64 head and tail, times 2^9: exact).
static RowPair getScaleShift(OpBuilder &builder, Location loc, Value like) {
  static_assert(kSumScale == 512, "the constants below are 512 ln 2");
  Type type = like.getType();
  return {arith::ConstantOp::create(
              builder, loc, builder.getFloatAttr(type, 0x1.62e42fefa39efp+8)),
          arith::ConstantOp::create(
              builder, loc, builder.getFloatAttr(type, 0x1.abc9e3b39803fp-47))};
}

/// log(a) = log1p(a - 1) of a pair: a row sum s >= 1 keeps its digits in
/// s - 1 as a pair.
static RowPair buildLogOfPair(OpBuilder &builder, Location loc, RowPair a) {
  RowPair one;
  one.hi = arith::ConstantOp::create(builder, loc,
                                     builder.getFloatAttr(a.hi.getType(), 1.0));
  return buildPairOp<Log1pPairOp>(
      builder, loc, buildPairSum(builder, loc, a, one, /*subtract=*/true));
}

RowPair KernelBuilder::buildPairValue(OpBuilder &builder, Value value,
                                      IRMapping &mapping, RowPairs &pairs) {
  auto known = pairs.values.find(value);
  if (known != pairs.values.end())
    return known->second;
  Operation *def = value.getDefiningOp();
  auto pairOf = [&](Value operand) {
    return buildPairValue(builder, operand, mapping, pairs);
  };
  RowPair pair;
  if (!def || isa<arith::ConstantOp, RowMaxOp, RowSumOp>(def)) {
    // Exact: the input, a constant, a maximum, a sum that is no pair (a
    // count).
    pair.hi = mapping.lookupOrNull(value);
    if (!pair.hi)
      pair.hi = cloneElementSlice(builder, value, mapping);
  } else if (auto add = dyn_cast<arith::AddFOp>(def)) {
    pair = buildPairSum(builder, loc, pairOf(add.getLhs()),
                        pairOf(add.getRhs()), /*subtract=*/false);
  } else if (auto sub = dyn_cast<arith::SubFOp>(def)) {
    pair = buildPairSum(builder, loc, pairOf(sub.getLhs()),
                        pairOf(sub.getRhs()), /*subtract=*/true);
  } else if (auto neg = dyn_cast<arith::NegFOp>(def)) {
    RowPair a = pairOf(neg.getOperand());
    pair.hi = arith::NegFOp::create(builder, loc, a.hi);
    if (a.lo)
      pair.lo = arith::NegFOp::create(builder, loc, a.lo);
  } else if (auto select = dyn_cast<arith::SelectOp>(def)) {
    Value condition = mapping.lookupOrNull(select.getCondition());
    if (!condition)
      condition = cloneElementSlice(builder, select.getCondition(), mapping);
    RowPair a = pairOf(select.getTrueValue());
    RowPair b = pairOf(select.getFalseValue());
    pair.hi = arith::SelectOp::create(builder, loc, condition, a.hi, b.hi);
    if (a.lo || b.lo)
      pair.lo = arith::SelectOp::create(builder, loc, condition,
                                        getLow(builder, loc, a),
                                        getLow(builder, loc, b));
  } else if (isa<math::ExpOp>(def)) {
    RowPair argument = pairOf(def->getOperand(0));
    if (scaleExps)
      argument = buildPairSum(builder, loc, argument,
                              getScaleShift(builder, loc, argument.hi),
                              /*subtract=*/false);
    pair = buildPairOp<ExpPairOp>(builder, loc, argument);
  } else if (isa<math::LogOp>(def)) {
    pair = buildLogOfPair(builder, loc, pairOf(def->getOperand(0)));
  } else if (isa<math::Log1pOp>(def)) {
    pair = buildPairOp<Log1pPairOp>(builder, loc, pairOf(def->getOperand(0)));
  } else {
    // The shifted softmax e / s = exp((x - m) - log(s)), log(s) from
    // buildRowPairs: no division, and 2^n applied once, at the end.
    assert(isShiftedSoftmax(def) && "no pair form (see hasPairForm)");
    Value shift = def->getOperand(0).getDefiningOp()->getOperand(0);
    pair = buildPairOp<ExpPairOp>(
        builder, loc,
        buildPairSum(builder, loc, pairOf(shift),
                     pairs.logs.lookup(def->getOperand(1)),
                     /*subtract=*/true));
  }
  pairs.values[value] = pair;
  return pair;
}

void KernelBuilder::buildRowPairs(OpBuilder &builder, Value result,
                                  IRMapping &mapping, RowPairs &pairs) {
  for (Value input : getRowInputs(result))
    buildPairValue(builder, input, mapping, pairs);
  SmallVector<Value> worklist{result};
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || getLevel(def->getResult(0)) != Level::Element)
      continue;
    if (isa<arith::DivFOp>(def) && isShiftedSoftmax(def)) {
      Value sum = def->getOperand(1);
      pairs.logs[sum] = buildLogOfPair(builder, loc, pairs.values[sum]);
    }
    llvm::append_range(worklist, def->getOperands());
  }
}

Value KernelBuilder::roundPair(OpBuilder &builder, const RowPair &pair) {
  if (!pair.lo || pair.rounded)
    return pair.hi;
  // An infinite hi (x = -inf) has a NaN lo.
  Value sum = arith::AddFOp::create(builder, loc, pair.hi, pair.lo);
  return arith::SelectOp::create(
      builder, loc, buildIsFinite(builder, loc, pair.hi), sum, pair.hi);
}

Value KernelBuilder::buildLogSoftmaxGradOfPairs(OpBuilder &builder, Value y,
                                                Value dy, Value sHi,
                                                Value sLo) {
  Value zero = arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(y.getType(), 0.0));
  auto p = ExpPairOp::create(builder, loc, y, zero);
  Value pHi = p.getResultHi(), pLo = p.getResultLo();
  // pHi sHi = product + productError exactly; dy - product = t + tError
  // exactly; the rest of p s (pHi sLo + pLo sHi) is ~2^-53 of it.
  Value product = arith::MulFOp::create(builder, loc, pHi, sHi);
  Value minusProduct = arith::NegFOp::create(builder, loc, product);
  Value productError =
      math::FmaOp::create(builder, loc, pHi, sHi, minusProduct);
  Value t = arith::AddFOp::create(builder, loc, dy, minusProduct);
  Value tError = buildTwoSumError(builder, loc, dy, minusProduct, t);
  Value rest = math::FmaOp::create(
      builder, loc, pHi, sLo, arith::MulFOp::create(builder, loc, pLo, sHi));
  rest = arith::AddFOp::create(builder, loc, productError, rest);
  Value dx = arith::AddFOp::create(
      builder, loc, t, arith::SubFOp::create(builder, loc, tError, rest));
  // An infinity anywhere (dy, s, exp(y), or y = -inf's low part) makes the
  // error terms NaN: there dy - pHi sHi, rounded once, is the result.
  Value plain = math::FmaOp::create(
      builder, loc, arith::NegFOp::create(builder, loc, pHi), sHi, dy);
  return arith::SelectOp::create(builder, loc, buildIsFinite(builder, loc, dx),
                                 dx, plain);
}

bool KernelBuilder::isScaledSumTerm(Value term) {
  return isa_and_nonnull<arith::SelectOp>(term.getDefiningOp()) &&
         hasPairForm(term);
}

RowPair KernelBuilder::buildScaledSumTerm(OpBuilder &builder, Value term,
                                          IRMapping &mapping) {
  RowPairs scaled;
  scaleExps = true;
  RowPair pair = buildPairValue(builder, term, mapping, scaled);
  scaleExps = false;
  return pair;
}

std::pair<Value, Value> KernelBuilder::unscaleSum(OpBuilder &builder,
                                                  std::pair<Value, Value> sum) {
  // A power of two: exact, except that a subnormal hi rounds once there
  // (the sum's only rounding to the subnormal grid). Where lo would reach
  // the subnormal grid (|hi| below 2^(-1022 + 53 + kSumScale)), it is
  // dropped: rounded there, hi + lo would round twice (0.65 ULP just above
  // 2^-1022), while hi alone is the sum rounded once, and the sum, below
  // 2^-969, is its own log1p to far more than f64's precision.
  Type type = sum.first.getType();
  Value factor = arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(type, std::ldexp(1.0, -kSumScale)));
  Value tiny = arith::CmpFOp::create(
      builder, loc, arith::CmpFPredicate::OLT,
      math::AbsFOp::create(builder, loc, sum.first),
      arith::ConstantOp::create(
          builder, loc,
          builder.getFloatAttr(type, std::ldexp(1.0, -1022 + 53 + kSumScale))));
  Value lo = arith::SelectOp::create(
      builder, loc, tiny,
      arith::ConstantOp::create(builder, loc, builder.getFloatAttr(type, 0.0)),
      arith::MulFOp::create(builder, loc, sum.second, factor));
  return {arith::MulFOp::create(builder, loc, sum.first, factor), lo};
}
