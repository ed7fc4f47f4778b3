//===- RowKernels.cpp - act-kernels' kernels of the row activations -------===//
//
// The forward kernel NAME_T(x, y, rows, cols) of a row activation: per row,
// reduction loops over the columns, then an element loop that stores the
// output (the closed-form VJP from y: RowGradientKernels.cpp).
//
// A row activation evaluates each act.rowsum/act.rowmax, in body order, with
// a reduction loop over the columns, then stores the output in a last loop.
// Row sums of f32 (and 16-bit) kernels accumulate in f64 and are rounded
// once, so a long row's sum is as accurate as one rounding; those of f64
// kernels are compensated pairs (CompensatedSums.h).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "actc/Dialect/Act/CompensatedSums.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::act;

namespace mlir::act {

/// The reduction loops of a row kernel, in order: each runs its reductions
/// together, then the row-level ops that need them (`after`).
struct RowLoop {
  SmallVector<Operation *> reductions;
  SmallVector<Operation *> after;
};
struct RowSchedule {
  SmallVector<RowLoop> loops;
  /// An element value the last loop computes and stores in y, so that the
  /// output loop only scales it (softmax's exp(x - m)); null otherwise.
  Value stored;
  /// Instead, in accurate f32 kernels: that element value, which the output
  /// loop computes again in f64 and scales by the row value in f64, rounded
  /// once (the stored e would be rounded, then scaled: 1.5 ULP).
  Value widened;
};

} // namespace mlir::act

RowArrays KernelBuilder::viewRowArrays(OpBuilder &builder, func::FuncOp func,
                                       unsigned numArrays) {
  RowArrays arrays;
  arrays.rows = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                           func.getArgument(numArrays));
  arrays.cols = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                           func.getArgument(numArrays + 1));
  auto memrefType =
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                      getArrayElementType(storageType));
  for (unsigned index = 0; index < numArrays; ++index)
    arrays.views.push_back(
        ViewOp::create(builder, loc, memrefType, func.getArgument(index),
                       ValueRange{arrays.rows, arrays.cols}));
  return arrays;
}

FloatType KernelBuilder::getSumType() {
  return elementType.getWidth() <= 32
             ? Float64Type::get(elementType.getContext())
             : elementType;
}

Value KernelBuilder::addToSum(OpBuilder &builder, Value acc, Value term) {
  if (term.getType() != acc.getType())
    term = arith::ExtFOp::create(builder, loc, acc.getType(), term);
  return arith::AddFOp::create(builder, loc, acc, term);
}

bool KernelBuilder::hasCompensatedSums() {
  return getSumType() == elementType && elementType.isF64();
}

Value KernelBuilder::roundToElementType(OpBuilder &builder, Value sum) {
  if (sum.getType() == elementType)
    return sum;
  return arith::TruncFOp::create(builder, loc, elementType, sum);
}

std::pair<Value, Value> KernelBuilder::finishCompensatedSum(OpBuilder &builder,
                                                            Value sum,
                                                            Value error) {
  auto [hi, lo] = buildFastTwoSum(builder, loc, sum, error);
  Value finite = buildIsFinite(builder, loc, sum);
  Value zeroError = arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(sum.getType(), 0.0));
  return {arith::SelectOp::create(builder, loc, finite, hi, sum),
          arith::SelectOp::create(builder, loc, finite, lo, zeroError)};
}

bool KernelBuilder::collectWideSlice(Value value, bool elementLevel,
                                     llvm::SetVector<Operation *> &slice) {
  Type wideType = getSumType();
  if (wideType == elementType || sourceType != wideType)
    return false;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value next = worklist.pop_back_val();
    if (next == activation.getInput() && !elementLevel)
      return false;
    Operation *def = next.getDefiningOp();
    if (!def || !slice.insert(def))
      continue;
    if (isa<RowSumOp, RowMaxOp>(def))
      continue;
    if (!isa<arith::ArithDialect, math::MathDialect>(def->getDialect()) ||
        (getLevel(def->getResult(0)) == Level::Element && !elementLevel))
      return false;
    llvm::append_range(worklist, def->getOperands());
  }
  return true;
}

Value KernelBuilder::buildWideRowValue(OpBuilder &builder, Value value,
                                       const DenseMap<Value, Value> &wideSums,
                                       const IRMapping &rowMapping,
                                       Value wideInput) {
  Type wideType = getSumType();
  llvm::SetVector<Operation *> slice;
  if (!collectWideSlice(value, static_cast<bool>(wideInput), slice))
    return Value();
  IRMapping wide;
  if (wideInput)
    wide.map(activation.getInput(), wideInput);
  for (Operation &op : activation.getBody().front().without_terminator()) {
    if (!slice.contains(&op))
      continue;
    Value result = op.getResult(0);
    if (isa<RowSumOp>(op)) {
      Value sum = wideSums.lookup(result);
      if (!sum || sum.getType() != wideType)
        return Value();
      wide.map(result, sum);
    } else if (isa<RowMaxOp>(op)) {
      wide.map(result, arith::ExtFOp::create(builder, loc, wideType,
                                             rowMapping.lookup(result)));
    } else {
      Operation *clone = builder.clone(op, wide);
      // An element's terms need f32's precision only: act-math-approx's
      // cheaper f64 cores for results rounded to f32 (WideF64.cpp).
      if (wideInput && isa<math::MathDialect>(clone->getDialect()))
        clone->setAttr(kWideAttrName, builder.getUnitAttr());
    }
  }
  return wide.lookup(value);
}

/// The row-level values the element slice of `root` reads.
SmallVector<Value> KernelBuilder::getRowInputs(Value root) const {
  SmallVector<Value> inputs, worklist{root};
  llvm::SmallPtrSet<Operation *, 16> visited;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    if (getLevel(value) == Level::Row) {
      if (!llvm::is_contained(inputs, value))
        inputs.push_back(value);
      continue;
    }
    Operation *def = value.getDefiningOp();
    if (getLevel(value) != Level::Element || !def ||
        !visited.insert(def).second)
      continue;
    llvm::append_range(worklist, def->getOperands());
  }
  return inputs;
}

RowSchedule KernelBuilder::scheduleRow() {
  // A reduction runs in the loop after the last one it needs (ASAP), so
  // independent reductions share a loop; a row-level op follows the loop
  // of its last operand.
  RowSchedule schedule;
  DenseMap<Value, unsigned> stages;
  auto stageOf = [&](Value value) {
    return getLevel(value) == Level::Row ? stages.lookup(value) : 0u;
  };
  for (Operation &op : activation.getBody().front().without_terminator()) {
    if (op.getNumResults() == 0 || getLevel(op.getResult(0)) != Level::Row)
      continue;
    unsigned stage = 0;
    if (isa<RowSumOp, RowMaxOp>(op)) {
      for (Value input : getRowInputs(op.getOperand(0)))
        stage = std::max(stage, stageOf(input));
      ++stage;
      if (schedule.loops.size() < stage)
        schedule.loops.resize(stage);
      schedule.loops[stage - 1].reductions.push_back(&op);
    } else {
      for (Value operand : op.getOperands())
        stage = std::max(stage, stageOf(operand));
      schedule.loops[stage - 1].after.push_back(&op);
    }
    stages[op.getResult(0)] = stage;
  }
  if (schedule.loops.empty())
    return schedule;

  // result = e / s (or e * s, s * e) with s row-level and e an element
  // value of the last loop that holds a transcendental (exp(x - m)): that
  // loop stores e in y and the output loop scales y in place, so e is
  // computed once. Not for 16-bit storage, where y would round e.
  // Nor for the double-double forms of f64 kernels (RowPairForms.cpp),
  // whose output needs e as a pair.
  Operation *result = activation.getResult().getDefiningOp();
  if (storageType != elementType || !result ||
      !isa<arith::DivFOp, arith::MulFOp>(result) ||
      (hasCompensatedSums() && hasPairForm(activation.getResult())))
    return schedule;
  for (unsigned side = 0; side < 2; ++side) {
    if (side == 1 && isa<arith::DivFOp>(result))
      break;
    Value element = result->getOperand(side);
    Value scale = result->getOperand(1 - side);
    if (getLevel(element) != Level::Element ||
        getLevel(scale) == Level::Element)
      continue;
    // e must be computed in the last loop: it reads no later row value, and
    // one of that loop's reductions reads it.
    unsigned last = schedule.loops.size();
    if (llvm::any_of(getRowInputs(element),
                     [&](Value input) { return stageOf(input) >= last; }))
      continue;
    bool inLastLoop = false, transcendental = false;
    SmallVector<Value> worklist;
    for (Operation *reduction : schedule.loops.back().reductions)
      worklist.push_back(reduction->getOperand(0));
    llvm::SmallPtrSet<Operation *, 16> visited;
    while (!worklist.empty()) {
      Value value = worklist.pop_back_val();
      inLastLoop |= value == element;
      Operation *def = value.getDefiningOp();
      if (getLevel(value) == Level::Element && def &&
          visited.insert(def).second)
        llvm::append_range(worklist, def->getOperands());
    }
    SmallVector<Value> slice{element};
    visited.clear();
    while (!slice.empty()) {
      Operation *def = slice.pop_back_val().getDefiningOp();
      if (!def || !visited.insert(def).second)
        continue;
      transcendental |= isa<math::MathDialect>(def->getDialect());
      for (Value operand : def->getOperands())
        if (getLevel(operand) == Level::Element)
          slice.push_back(operand);
    }
    if (!inLastLoop || !transcendental)
      continue;
    llvm::SetVector<Operation *> elementSlice, scaleSlice;
    if (accurate &&
        collectWideSlice(element, /*elementLevel=*/true, elementSlice) &&
        collectWideSlice(scale, /*elementLevel=*/false, scaleSlice))
      schedule.widened = element;
    else
      schedule.stored = element;
    return schedule;
  }
  return schedule;
}

/// True for a choice between two integer constants (log_softmax's count of
/// maxima): its row sum is exact in f64, no compensation needed.
static bool isIntegerChoice(Value value) {
  auto select = value.getDefiningOp<arith::SelectOp>();
  FloatAttr trueAttr, falseAttr;
  auto isInteger = [](FloatAttr attr) {
    double v = attr.getValueAsDouble();
    return v == std::trunc(v) && std::abs(v) <= 1.0;
  };
  return select && matchPattern(select.getTrueValue(), m_Constant(&trueAttr)) &&
         matchPattern(select.getFalseValue(), m_Constant(&falseAttr)) &&
         isInteger(trueAttr) && isInteger(falseAttr);
}

/// True for `exp(a - rowmax(a)) / rowsum(exp(a - rowmax(a)))` (act-stabilize's
/// softmax): the sum is at least 1 (the row's maxima give exp(0)) and at
/// most the row's length, unless the row holds a NaN or an infinity, which
/// makes it NaN either way.
bool mlir::act::isShiftedSoftmax(Operation *divide) {
  auto exp = divide->getOperand(0).getDefiningOp<math::ExpOp>();
  auto sum = divide->getOperand(1).getDefiningOp<RowSumOp>();
  auto shift =
      exp ? exp.getOperand().getDefiningOp<arith::SubFOp>() : arith::SubFOp();
  auto max = shift ? shift.getRhs().getDefiningOp<RowMaxOp>() : RowMaxOp();
  return sum && max && sum.getOperand() == exp.getResult() &&
         max.getOperand() == shift.getLhs();
}

namespace mlir::act {

/// What one row of a row kernel has built so far: the clones of the body's
/// kernel- and row-level values, and its row sums before rounding.
struct RowState {
  Value row;
  IRMapping mapping;
  /// The unrounded (f64) row sums of f32 kernels, by reduction; the
  /// (hi, lo) pairs of f64 kernels' compensated sums.
  DenseMap<Value, Value> wideSums;
  DenseMap<Value, std::pair<Value, Value>> pairSums;
};

/// How one reduction loop accumulates. Each reduction's first iteration
/// argument is `firstArgs[i]`; a compensated sum has its error next.
struct ReductionPlan {
  SmallVector<Value> inits;
  SmallVector<unsigned> firstArgs;
  /// The iteration arguments of the compensated sums, (sum, error) each.
  SmallVector<int64_t> pairArgs;
  /// Per reduction: a compensated sum whose term has a double-double form
  /// (RowPairForms.cpp: exp(x - m) as a pair, its low part added to the
  /// error); such a sum summed times 2^512; a sum whose terms can be
  /// computed in f64 (f32 kernels: buildWideRowValue).
  SmallVector<bool> pairTerms, scaledTerms, wideTerms;
  /// An element value the loop also stores in y (RowSchedule::stored).
  Value stored;
};

/// The row-level values the output loop reads, built once per row.
struct RowOutput {
  /// (x - m) - l in f64: l and m widened; or in the element type, l
  /// rounded once from f64 (precision=fast).
  Value wideOffset, wideMax, narrowOffset, narrowMax;
  /// e / s from a stored e: 1 / s in the sum's type, and as an f32 pair.
  Value reciprocal, reciprocalHi, reciprocalLo;
  /// e * scale with e computed again in f64 (RowSchedule::widened).
  Value wideScale;
  /// f64 kernels' double-double output: the row values as pairs.
  bool pairOutput = false;
  RowPairs pairs;
};

} // namespace mlir::act

/// `value` chosen in `type` where it is a choice between two constants
/// (log_softmax's count of maxima): no conversion per element.
static Value chooseInType(OpBuilder &builder, Location loc, Value value,
                          Type type) {
  auto select = value.getDefiningOp<arith::SelectOp>();
  FloatAttr trueAttr, falseAttr;
  if (!select || value.getType() == type ||
      !matchPattern(select.getTrueValue(), m_Constant(&trueAttr)) ||
      !matchPattern(select.getFalseValue(), m_Constant(&falseAttr)))
    return value;
  auto constant = [&](FloatAttr attr) {
    return arith::ConstantOp::create(
        builder, loc, builder.getFloatAttr(type, attr.getValueAsDouble()));
  };
  return arith::SelectOp::create(builder, loc, select.getCondition(),
                                 constant(trueAttr), constant(falseAttr));
}

ReductionPlan KernelBuilder::planReductions(OpBuilder &builder,
                                            const RowLoop &loop, Value stored) {
  ReductionPlan plan;
  plan.stored = stored;
  bool compensated = hasCompensatedSums();
  for (Operation *op : loop.reductions) {
    bool isSum = isa<RowSumOp>(op);
    Value term = op->getOperand(0);
    plan.firstArgs.push_back(plan.inits.size());
    plan.inits.push_back(arith::ConstantOp::create(
        builder, op->getLoc(),
        isSum ? builder.getFloatAttr(getSumType(), 0.0)
              : builder.getFloatAttr(
                    elementType, -std::numeric_limits<double>::infinity())));
    bool paired = isSum && compensated && !isIntegerChoice(term);
    if (paired) {
      plan.pairArgs.push_back(plan.inits.size() - 1);
      plan.pairArgs.push_back(plan.inits.size());
      plan.inits.push_back(plan.inits.back());
    }
    plan.pairTerms.push_back(paired && hasPairForm(term));
    plan.scaledTerms.push_back(plan.pairTerms.back() && isScaledSumTerm(term));
    // f32 kernels: a sum's terms that nothing stores computed in f64
    // (log_softmax's exp(x - m): in f32 its subnormal terms keep a few
    // bits, and -log1p(t) of their sum is the result; each f32 term's
    // rounding, up to 1.03 ULP in the results). precision=accurate: in
    // every row (with act.wide's f64 exp, 2^-43.6, it costs nothing
    // measurable; with the f64 kernels' exp it cost half the speed). fast:
    // f32 terms, and a row whose sum is below 2^-100 summed again with f64
    // terms (buildReductions).
    llvm::SetVector<Operation *> slice;
    plan.wideTerms.push_back(
        isSum && !stored && !isIntegerChoice(term) &&
        collectWideSlice(term, /*elementLevel=*/true, slice));
  }
  return plan;
}

SmallVector<Value>
KernelBuilder::accumulate(OpBuilder &builder, const RowLoop &loop,
                          const ReductionPlan &plan, ValueRange args,
                          ArrayRef<Value> terms, ArrayRef<Value> lows) {
  SmallVector<Value> next;
  for (auto [op, first, term, low] :
       llvm::zip(loop.reductions, plan.firstArgs, terms, lows)) {
    Value acc = args[first];
    if (isa<RowMaxOp>(op)) {
      next.push_back(
          arith::MaximumFOp::create(builder, op->getLoc(), acc, term));
      continue;
    }
    Value value = chooseInType(builder, loc, term, acc.getType());
    Value sum = addToSum(builder, acc, value);
    next.push_back(sum);
    if (!llvm::is_contained(plan.pairArgs, static_cast<int64_t>(first)))
      continue;
    Value error = buildTwoSumError(builder, loc, acc, value, sum);
    if (low)
      error = arith::AddFOp::create(builder, loc, error, low);
    next.push_back(arith::AddFOp::create(builder, loc, args[first + 1], error));
  }
  return next;
}

scf::ForOp KernelBuilder::buildReductionLoop(OpBuilder &builder,
                                             const RowArrays &arrays,
                                             const RowLoop &loop,
                                             const ReductionPlan &plan,
                                             const RowState &row, bool widen) {
  // The terms built as the formula says, cloned together (they may share
  // ops), and the stored value last.
  SmallVector<Value> plainRoots;
  for (auto [op, paired, widenable] :
       llvm::zip(loop.reductions, plan.pairTerms, plan.wideTerms))
    if (!paired && !(widen && widenable))
      plainRoots.push_back(op->getOperand(0));
  if (plan.stored)
    plainRoots.push_back(plan.stored);
  scf::ForOp forOp = buildElementLoop(
      builder, arrays.cols, plan.inits,
      [&](OpBuilder &nested, Value j, ValueRange args) {
        SmallVector<Value, 2> indices{row.row, j};
        IRMapping mapping = row.mapping;
        Value element = loadElement(nested, loc, arrays.views[0], indices);
        mapping.map(activation.getInput(), element);
        SmallVector<Value> plain =
            cloneElementSlice(nested, plainRoots, mapping);
        if (plan.stored)
          storeElement(nested, loc, plain.back(), arrays.views[1], indices);
        SmallVector<Value> terms, lows;
        RowPairs termPairs;
        Value wideElement;
        auto nextPlain = plain.begin();
        for (auto [op, paired, scaled, widenable] :
             llvm::zip(loop.reductions, plan.pairTerms, plan.scaledTerms,
                       plan.wideTerms)) {
          RowPair term;
          if (scaled) {
            term = buildScaledSumTerm(nested, op->getOperand(0), mapping);
          } else if (paired) {
            term =
                buildPairValue(nested, op->getOperand(0), mapping, termPairs);
          } else if (widen && widenable) {
            if (!wideElement)
              wideElement =
                  arith::ExtFOp::create(nested, loc, getSumType(), element);
            term.hi = buildWideRowValue(nested, op->getOperand(0), row.wideSums,
                                        row.mapping, wideElement);
          } else {
            term.hi = *nextPlain++;
          }
          terms.push_back(term.hi);
          lows.push_back(term.lo);
        }
        return accumulate(nested, loop, plan, args, terms, lows);
      });
  if (!plan.pairArgs.empty())
    forOp->setAttr(kCompensatedSumsAttrName,
                   builder.getDenseI64ArrayAttr(plan.pairArgs));
  return forOp;
}

void KernelBuilder::buildReductions(OpBuilder &builder, const RowArrays &arrays,
                                    const RowLoop &loop, Value stored,
                                    RowState &row) {
  ReductionPlan plan = planReductions(builder, loop, stored);
  scf::ForOp firstLoop =
      buildReductionLoop(builder, arrays, loop, plan, row, /*widen=*/accurate);
  SmallVector<Value> results(firstLoop.getResults());
  // precision=fast: a row whose f32-term sum is below 2^-100 (its terms
  // may be subnormal) is summed again with f64 terms.
  Value tiny;
  for (auto [first, widenable] : llvm::zip(plan.firstArgs, plan.wideTerms)) {
    if (!widenable || accurate)
      continue;
    Value small = arith::CmpFOp::create(
        builder, loc, arith::CmpFPredicate::OLT,
        math::AbsFOp::create(builder, loc, results[first]),
        arith::ConstantOp::create(
            builder, loc, builder.getFloatAttr(getSumType(), 0x1p-100)));
    tiny = tiny ? arith::OrIOp::create(builder, loc, tiny, small) : small;
  }
  if (tiny) {
    auto redo = scf::IfOp::create(
        builder, loc, tiny,
        [&](OpBuilder &then, Location) {
          scf::YieldOp::create(then, loc,
                               buildReductionLoop(then, arrays, loop, plan, row,
                                                  /*widen=*/true)
                                   .getResults());
        },
        [&](OpBuilder &otherwise, Location) {
          scf::YieldOp::create(otherwise, loc, firstLoop.getResults());
        });
    results.assign(redo.getResults().begin(), redo.getResults().end());
  }
  for (auto [op, first, scaled] :
       llvm::zip_equal(loop.reductions, plan.firstArgs, plan.scaledTerms)) {
    Value value = results[first];
    bool isSum = isa<RowSumOp>(op);
    if (llvm::is_contained(plan.pairArgs, static_cast<int64_t>(first))) {
      auto pair = finishCompensatedSum(builder, value, results[first + 1]);
      if (scaled)
        pair = unscaleSum(builder, pair);
      row.pairSums[op->getResult(0)] = pair;
      value = pair.first;
    }
    if (isSum)
      row.wideSums[op->getResult(0)] = value;
    row.mapping.map(op->getResult(0),
                    isSum ? roundToElementType(builder, value) : value);
  }
  for (Operation *op : loop.after)
    cloneRetyped(builder, op, row.mapping);
}

RowOutput KernelBuilder::prepareRowOutput(OpBuilder &builder,
                                          const RowSchedule &schedule,
                                          RowState &row) {
  RowOutput output;
  Value result = activation.getResult();
  Operation *resultOp = result.getDefiningOp();

  // (x - m) - l with m a row maximum and l a row value (log_softmax's
  // log1p of the sum less one): in f32 kernels, l from the unrounded f64
  // sums in f64 and x - m exact in f64, rounded once (was: x - m and l each
  // rounded to f32 first, then the subtraction: 1.26 ULP). precision=fast:
  // l rounded to f32 once per row, the rest in f32 (x - m <= 0 and -l <= 0
  // do not cancel: 1.18 -> 1.25 ULP, 11-14% faster).
  if (auto outer = dyn_cast_or_null<arith::SubFOp>(resultOp)) {
    auto inner = outer.getLhs().getDefiningOp<arith::SubFOp>();
    if (!schedule.stored && inner && inner.getLhs() == activation.getInput() &&
        inner.getRhs().getDefiningOp<RowMaxOp>() &&
        getLevel(outer.getRhs()) == Level::Row) {
      Value max = row.mapping.lookup(inner.getRhs());
      Value offset =
          buildWideRowValue(builder, outer.getRhs(), row.wideSums, row.mapping);
      if (offset && accurate) {
        output.wideOffset = offset;
        output.wideMax =
            arith::ExtFOp::create(builder, loc, offset.getType(), max);
      } else if (offset) {
        output.narrowOffset = roundToElementType(builder, offset);
        output.narrowMax = max;
      }
    }
  }

  // e / s where s is a row sum of a narrower type: y = e * (1 / s) with
  // 1 / s from the unrounded sum, in its type, rounded once. Max-shifted
  // softmax (s = rowsum(e), e = exp(x - rowmax(x)), so 1 <= s <= cols and
  // 1 / s is a normal f32): 1 / s as an f32 pair, y = fma(e, r_hi, e *
  // r_lo), rounded once from e / s to 2^-47.
  if (schedule.stored && isa<arith::DivFOp>(resultOp)) {
    Value wide = row.wideSums.lookup(resultOp->getOperand(1));
    if (wide && wide.getType() != elementType)
      output.reciprocal = arith::DivFOp::create(
          builder, loc,
          arith::ConstantOp::create(builder, loc,
                                    builder.getFloatAttr(wide.getType(), 1.0)),
          wide);
    if (output.reciprocal && elementType.isF32() &&
        isShiftedSoftmax(resultOp)) {
      output.reciprocalHi =
          arith::TruncFOp::create(builder, loc, elementType, output.reciprocal);
      Value rest = arith::SubFOp::create(
          builder, loc, output.reciprocal,
          arith::ExtFOp::create(builder, loc, output.reciprocal.getType(),
                                output.reciprocalHi));
      output.reciprocalLo =
          arith::TruncFOp::create(builder, loc, elementType, rest);
    }
  }

  // Accurate f32 kernels' e / s (or e * s): the row's scale 1 / s (or s) in
  // f64 from the unrounded sums, e in f64 per element (its exp act.wide),
  // their product rounded once.
  if (schedule.widened) {
    Value scale = resultOp->getOperand(0) == schedule.widened
                      ? resultOp->getOperand(1)
                      : resultOp->getOperand(0);
    output.wideScale =
        buildWideRowValue(builder, scale, row.wideSums, row.mapping);
    if (output.wideScale && isa<arith::DivFOp>(resultOp))
      output.wideScale = arith::DivFOp::create(
          builder, loc,
          arith::ConstantOp::create(
              builder, loc,
              builder.getFloatAttr(output.wideScale.getType(), 1.0)),
          output.wideScale);
  }

  // f64: the output in double-double, rounded once (RowPairForms.cpp).
  output.pairOutput = hasCompensatedSums() && hasPairForm(result);
  if (output.pairOutput) {
    for (auto [sum, pair] : row.pairSums)
      std::tie(output.pairs.values[sum].hi, output.pairs.values[sum].lo) = pair;
    IRMapping mapping = row.mapping;
    buildRowPairs(builder, result, mapping, output.pairs);
  }
  return output;
}

Value KernelBuilder::buildOutputElement(OpBuilder &builder,
                                        const RowArrays &arrays,
                                        const RowSchedule &schedule,
                                        const RowOutput &output,
                                        const RowState &row, Value j) {
  SmallVector<Value, 2> indices{row.row, j};
  Value result = activation.getResult();
  IRMapping mapping = row.mapping;
  if (output.pairOutput) {
    mapping.map(activation.getInput(),
                loadElement(builder, loc, arrays.views[0], indices));
    RowPairs pairs = output.pairs;
    return roundPair(builder, buildPairValue(builder, result, mapping, pairs));
  }
  if (output.wideScale) {
    Value element = arith::ExtFOp::create(
        builder, loc, output.wideScale.getType(),
        loadElement(builder, loc, arrays.views[0], indices));
    Value wide = buildWideRowValue(builder, schedule.widened, row.wideSums,
                                   row.mapping, element);
    return roundToElementType(
        builder, arith::MulFOp::create(builder, loc, wide, output.wideScale));
  }
  if (schedule.stored) {
    // y holds e: only the scaling is left.
    Value stored = loadElement(builder, loc, arrays.views[1], indices);
    if (output.reciprocalHi) {
      Value low =
          arith::MulFOp::create(builder, loc, stored, output.reciprocalLo);
      return math::FmaOp::create(builder, loc, stored, output.reciprocalHi,
                                 low);
    }
    if (output.reciprocal) {
      Value wide = arith::ExtFOp::create(builder, loc,
                                         output.reciprocal.getType(), stored);
      return roundToElementType(
          builder,
          arith::MulFOp::create(builder, loc, wide, output.reciprocal));
    }
    mapping.map(schedule.stored, stored);
    cloneRetyped(builder, result.getDefiningOp(), mapping);
    return mapping.lookup(result);
  }
  if (output.wideOffset) {
    Value element = arith::ExtFOp::create(
        builder, loc, output.wideOffset.getType(),
        loadElement(builder, loc, arrays.views[0], indices));
    Value shifted =
        arith::SubFOp::create(builder, loc, element, output.wideMax);
    return roundToElementType(
        builder,
        arith::SubFOp::create(builder, loc, shifted, output.wideOffset));
  }
  Value element = loadElement(builder, loc, arrays.views[0], indices);
  if (output.narrowOffset) {
    Value shifted =
        arith::SubFOp::create(builder, loc, element, output.narrowMax);
    return arith::SubFOp::create(builder, loc, shifted, output.narrowOffset);
  }
  mapping.map(activation.getInput(), element);
  return cloneElementSlice(builder, result, mapping);
}

void KernelBuilder::buildRow(OpBuilder &builder, func::FuncOp func) {
  RowArrays arrays = viewRowArrays(builder, func, 2);
  RowSchedule schedule = scheduleRow();
  IRMapping kernelMapping;
  cloneLevel(builder, Level::Kernel, kernelMapping);
  scf::ForOp::create(
      builder, loc, zero, arrays.rows, one, ValueRange{},
      [&](OpBuilder &b, Location, Value r, ValueRange) {
        RowState row;
        row.row = r;
        row.mapping = kernelMapping;
        for (auto [index, loop] : llvm::enumerate(schedule.loops)) {
          bool last = index + 1 == schedule.loops.size();
          buildReductions(b, arrays, loop, last ? schedule.stored : Value(),
                          row);
        }
        RowOutput output = prepareRowOutput(b, schedule, row);
        buildElementLoop(
            b, arrays.cols, {}, [&](OpBuilder &nested, Value j, ValueRange) {
              Value value =
                  buildOutputElement(nested, arrays, schedule, output, row, j);
              storeElement(nested, loc, value, arrays.views[1],
                           ValueRange{r, j});
              return SmallVector<Value>();
            });
        scf::YieldOp::create(b, loc);
      });
}
