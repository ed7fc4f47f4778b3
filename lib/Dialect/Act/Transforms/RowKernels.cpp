//===- RowKernels.cpp - act-kernels' kernels of the row activations -------===//
//
// The forward kernel NAME_T(x, y, rows, cols) of a row activation and, for
// one that act-autodiff recognized as softmax or log_softmax
// (act.row_grad), the closed-form VJP from y and dy, NAME_grad_T(y, dy, dx,
// rows, cols): per row, reduction loops over the columns, then an element
// loop that stores the output.
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

/// A row kernel's sizes and its arrays viewed as rows x cols memrefs.
struct RowArrays {
  Value rows, cols;
  SmallVector<Value> views;
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

void KernelBuilder::buildRow(OpBuilder &builder, func::FuncOp func) {
  RowArrays arrays = viewRowArrays(builder, func, 2);
  Value rows = arrays.rows, cols = arrays.cols;
  Value xs = arrays.views[0], ys = arrays.views[1];

  RowSchedule schedule = scheduleRow();
  Value result = activation.getResult();
  IRMapping kernelMapping;
  cloneLevel(builder, Level::Kernel, kernelMapping);
  scf::ForOp::create(
      builder, loc, zero, rows, one, ValueRange{},
      [&](OpBuilder &b, Location, Value r, ValueRange) {
        IRMapping rowMapping = kernelMapping;
        // The unrounded (f64) row sums of f32 kernels, by reduction; the
        // (hi, lo) pairs of f64 kernels' compensated sums.
        DenseMap<Value, Value> wideSums;
        DenseMap<Value, std::pair<Value, Value>> pairSums;
        bool compensated = hasCompensatedSums();
        for (auto [index, rowLoop] : llvm::enumerate(schedule.loops)) {
          const RowLoop &loop = rowLoop;
          bool storing = schedule.stored && index + 1 == schedule.loops.size();
          // Each reduction's first iteration argument; a compensated sum
          // has its error next.
          // A compensated sum's term with a double-double form adds its
          // low part to the error (RowPairForms.cpp: exp(x - m) as a pair).
          SmallVector<Value> inits;
          SmallVector<unsigned> firstArgs;
          SmallVector<int64_t> pairArgs;
          SmallVector<bool> pairTerms, scaledTerms, wideTerms;
          for (Operation *op : loop.reductions) {
            bool isSum = isa<RowSumOp>(op);
            firstArgs.push_back(inits.size());
            inits.push_back(arith::ConstantOp::create(
                b, op->getLoc(),
                isSum ? b.getFloatAttr(getSumType(), 0.0)
                      : b.getFloatAttr(
                            elementType,
                            -std::numeric_limits<double>::infinity())));
            bool paired =
                isSum && compensated && !isIntegerChoice(op->getOperand(0));
            if (paired) {
              pairArgs.push_back(inits.size() - 1);
              pairArgs.push_back(inits.size());
              inits.push_back(inits.back());
            }
            pairTerms.push_back(paired && hasPairForm(op->getOperand(0)));
            scaledTerms.push_back(pairTerms.back() &&
                                  isScaledSumTerm(op->getOperand(0)));
            // f32 kernels: a sum's terms that nothing stores computed in
            // f64 (log_softmax's exp(x - m): in f32 its subnormal terms
            // keep a few bits, and -log1p(t) of their sum is the result;
            // each f32 term's rounding, up to 1.03 ULP in the results).
            // precision=accurate: in every row (with act.wide's f64 exp,
            // 2^-43.6, it costs nothing measurable; with the f64 kernels'
            // exp it cost half the speed). fast: f32 terms, and a row
            // whose sum is below 2^-100 summed again with f64 terms.
            llvm::SetVector<Operation *> slice;
            wideTerms.push_back(isSum && !storing &&
                                !isIntegerChoice(op->getOperand(0)) &&
                                collectWideSlice(op->getOperand(0),
                                                 /*elementLevel=*/true, slice));
          }
          auto buildLoop = [&](OpBuilder &lb, bool widen) {
            SmallVector<Value> operands;
            for (auto [op, paired, widenable] :
                 llvm::zip(loop.reductions, pairTerms, wideTerms))
              if (!paired && !(widen && widenable))
                operands.push_back(op->getOperand(0));
            if (storing)
              operands.push_back(schedule.stored);
            scf::ForOp forOp = buildElementLoop(
                lb, cols, inits,
                [&](OpBuilder &nested, Value j, ValueRange args) {
                  IRMapping mapping = rowMapping;
                  Value element =
                      loadElement(nested, loc, xs, ValueRange{r, j});
                  mapping.map(activation.getInput(), element);
                  SmallVector<Value> plain =
                      cloneElementSlice(nested, operands, mapping);
                  if (storing)
                    storeElement(nested, loc, plain.back(), ys,
                                 ValueRange{r, j});
                  SmallVector<Value> values, lows;
                  RowPairs termPairs;
                  Value wideElement;
                  auto nextPlain = plain.begin();
                  for (auto [op, paired, scaled, widened] :
                       llvm::zip(loop.reductions, pairTerms, scaledTerms,
                                 wideTerms)) {
                    RowPair term;
                    if (scaled) {
                      term = buildScaledSumTerm(nested, op->getOperand(0),
                                                mapping);
                    } else if (paired) {
                      term = buildPairValue(nested, op->getOperand(0), mapping,
                                            termPairs);
                    } else if (widened && widen) {
                      if (!wideElement)
                        wideElement = arith::ExtFOp::create(
                            nested, loc, getSumType(), element);
                      term.hi =
                          buildWideRowValue(nested, op->getOperand(0), wideSums,
                                            rowMapping, wideElement);
                    } else {
                      term.hi = *nextPlain++;
                    }
                    values.push_back(term.hi);
                    lows.push_back(term.lo);
                  }
                  SmallVector<Value> combined;
                  for (auto [op, first, value, low] :
                       llvm::zip(loop.reductions, firstArgs, values, lows)) {
                    Value acc = args[first];
                    if (isa<RowMaxOp>(op)) {
                      combined.push_back(arith::MaximumFOp::create(
                          nested, op->getLoc(), acc, value));
                      continue;
                    }
                    // A choice between constants (log_softmax's count of
                    // maxima) is chosen in the sum's type: no conversion.
                    auto select = value.getDefiningOp<arith::SelectOp>();
                    FloatAttr trueAttr, falseAttr;
                    if (select && acc.getType() != value.getType() &&
                        matchPattern(select.getTrueValue(),
                                     m_Constant(&trueAttr)) &&
                        matchPattern(select.getFalseValue(),
                                     m_Constant(&falseAttr))) {
                      Type sumType = acc.getType();
                      auto constant = [&](FloatAttr attr) {
                        return arith::ConstantOp::create(
                            nested, loc,
                            nested.getFloatAttr(sumType,
                                                attr.getValueAsDouble()));
                      };
                      value = arith::SelectOp::create(
                          nested, loc, select.getCondition(),
                          constant(trueAttr), constant(falseAttr));
                    }
                    Value sum = addToSum(nested, acc, value);
                    combined.push_back(sum);
                    if (!llvm::is_contained(pairArgs,
                                            static_cast<int64_t>(first)))
                      continue;
                    Value error =
                        buildTwoSumError(nested, loc, acc, value, sum);
                    if (low)
                      error = arith::AddFOp::create(nested, loc, error, low);
                    combined.push_back(arith::AddFOp::create(
                        nested, loc, args[first + 1], error));
                  }
                  return combined;
                });
            if (!pairArgs.empty())
              forOp->setAttr(kCompensatedSumsAttrName,
                             lb.getDenseI64ArrayAttr(pairArgs));
            return forOp;
          };
          scf::ForOp firstLoop = buildLoop(b, /*widen=*/accurate);
          SmallVector<Value> results(firstLoop.getResults());
          Value tiny;
          for (auto [first, widenable] : llvm::zip(firstArgs, wideTerms)) {
            if (!widenable || accurate)
              continue;
            Value small = arith::CmpFOp::create(
                b, loc, arith::CmpFPredicate::OLT,
                math::AbsFOp::create(b, loc, results[first]),
                arith::ConstantOp::create(
                    b, loc, b.getFloatAttr(getSumType(), 0x1p-100)));
            tiny = tiny ? arith::OrIOp::create(b, loc, tiny, small) : small;
          }
          if (tiny) {
            auto redo = scf::IfOp::create(
                b, loc, tiny,
                [&](OpBuilder &then, Location) {
                  scf::YieldOp::create(
                      then, loc, buildLoop(then, /*widen=*/true).getResults());
                },
                [&](OpBuilder &otherwise, Location) {
                  scf::YieldOp::create(otherwise, loc, firstLoop.getResults());
                });
            results.assign(redo.getResults().begin(), redo.getResults().end());
          }
          for (auto [op, first, scaled] :
               llvm::zip_equal(loop.reductions, firstArgs, scaledTerms)) {
            Value value = results[first];
            bool isSum = isa<RowSumOp>(op);
            if (llvm::is_contained(pairArgs, static_cast<int64_t>(first))) {
              auto pair = finishCompensatedSum(b, value, results[first + 1]);
              if (scaled)
                pair = unscaleSum(b, pair);
              pairSums[op->getResult(0)] = pair;
              value = pair.first;
            }
            if (isSum)
              wideSums[op->getResult(0)] = value;
            rowMapping.map(op->getResult(0),
                           isSum ? roundToElementType(b, value) : value);
          }
          for (Operation *op : loop.after)
            cloneRetyped(b, op, rowMapping);
        }

        // (x - m) - l with m a row maximum and l a row value (log_softmax's
        // log1p of the sum less one): in f32 kernels, l from the unrounded
        // f64 sums in f64 and x - m exact in f64, rounded once (was: x - m
        // and l each rounded to f32 first, then the subtraction).
        Value wideOffset, wideMax;
        if (auto outer = result.getDefiningOp<arith::SubFOp>()) {
          auto inner = outer.getLhs().getDefiningOp<arith::SubFOp>();
          if (!schedule.stored && inner &&
              inner.getLhs() == activation.getInput() &&
              inner.getRhs().getDefiningOp<RowMaxOp>() &&
              getLevel(outer.getRhs()) == Level::Row) {
            wideOffset =
                buildWideRowValue(b, outer.getRhs(), wideSums, rowMapping);
            if (wideOffset)
              wideMax =
                  arith::ExtFOp::create(b, loc, wideOffset.getType(),
                                        rowMapping.lookup(inner.getRhs()));
          }
        }

        // e / s where s is a row sum of a narrower type: y = e * (1 / s)
        // with 1 / s from the unrounded sum, in its type, rounded once.
        // Max-shifted softmax (s = rowsum(e), e = exp(x - rowmax(x)), so
        // 1 <= s <= cols and 1 / s is a normal f32): 1 / s as an f32 pair,
        // y = fma(e, r_hi, e * r_lo), rounded once from e / s to 2^-47.
        Value reciprocal, reciprocalHi, reciprocalLo;
        Operation *resultOp = result.getDefiningOp();
        if (schedule.stored && isa<arith::DivFOp>(resultOp)) {
          Value wide = wideSums.lookup(resultOp->getOperand(1));
          if (wide && wide.getType() != elementType)
            reciprocal = arith::DivFOp::create(
                b, loc,
                arith::ConstantOp::create(b, loc,
                                          b.getFloatAttr(wide.getType(), 1.0)),
                wide);
          if (reciprocal && elementType.isF32() && isShiftedSoftmax(resultOp)) {
            reciprocalHi =
                arith::TruncFOp::create(b, loc, elementType, reciprocal);
            Value rest = arith::SubFOp::create(
                b, loc, reciprocal,
                arith::ExtFOp::create(b, loc, reciprocal.getType(),
                                      reciprocalHi));
            reciprocalLo = arith::TruncFOp::create(b, loc, elementType, rest);
          }
        }
        // Accurate f32 kernels' e / s (or e * s): the row's scale 1 / s (or
        // s) in f64 from the unrounded sums, e in f64 per element (its exp
        // act.wide), their product rounded once.
        Value wideScale;
        if (schedule.widened) {
          Value scale = resultOp->getOperand(0) == schedule.widened
                            ? resultOp->getOperand(1)
                            : resultOp->getOperand(0);
          wideScale = buildWideRowValue(b, scale, wideSums, rowMapping);
          if (wideScale && isa<arith::DivFOp>(resultOp))
            wideScale = arith::DivFOp::create(
                b, loc,
                arith::ConstantOp::create(
                    b, loc, b.getFloatAttr(wideScale.getType(), 1.0)),
                wideScale);
        }
        // f64: the output in double-double, rounded once (RowPairForms.cpp).
        RowPairs outputPairs;
        bool pairOutput = compensated && hasPairForm(result);
        if (pairOutput) {
          for (auto [sum, pair] : pairSums)
            std::tie(outputPairs.values[sum].hi, outputPairs.values[sum].lo) =
                pair;
          IRMapping mapping = rowMapping;
          buildRowPairs(b, result, mapping, outputPairs);
        }
        buildElementLoop(
            b, cols, {}, [&](OpBuilder &nested, Value j, ValueRange) {
              IRMapping mapping = rowMapping;
              Value value;
              if (pairOutput) {
                mapping.map(activation.getInput(),
                            loadElement(nested, loc, xs, ValueRange{r, j}));
                RowPairs pairs = outputPairs;
                value = roundPair(
                    nested, buildPairValue(nested, result, mapping, pairs));
              } else if (wideScale) {
                Value element = arith::ExtFOp::create(
                    nested, loc, wideScale.getType(),
                    loadElement(nested, loc, xs, ValueRange{r, j}));
                Value wide = buildWideRowValue(nested, schedule.widened,
                                               wideSums, rowMapping, element);
                value = roundToElementType(
                    nested,
                    arith::MulFOp::create(nested, loc, wide, wideScale));
              } else if (schedule.stored) {
                // y holds e: only the scaling is left.
                Value stored = loadElement(nested, loc, ys, ValueRange{r, j});
                if (reciprocalHi) {
                  Value low =
                      arith::MulFOp::create(nested, loc, stored, reciprocalLo);
                  value = math::FmaOp::create(nested, loc, stored, reciprocalHi,
                                              low);
                } else if (reciprocal) {
                  Value wide = arith::ExtFOp::create(
                      nested, loc, reciprocal.getType(), stored);
                  value = roundToElementType(
                      nested,
                      arith::MulFOp::create(nested, loc, wide, reciprocal));
                } else {
                  mapping.map(schedule.stored, stored);
                  cloneRetyped(nested, resultOp, mapping);
                  value = mapping.lookup(result);
                }
              } else if (wideOffset) {
                Value element = arith::ExtFOp::create(
                    nested, loc, wideOffset.getType(),
                    loadElement(nested, loc, xs, ValueRange{r, j}));
                Value shifted =
                    arith::SubFOp::create(nested, loc, element, wideMax);
                value = roundToElementType(
                    nested,
                    arith::SubFOp::create(nested, loc, shifted, wideOffset));
              } else {
                Value element = loadElement(nested, loc, xs, ValueRange{r, j});
                mapping.map(activation.getInput(), element);
                value = cloneElementSlice(nested, result, mapping);
              }
              storeElement(nested, loc, value, ys, ValueRange{r, j});
              return SmallVector<Value>();
            });
        scf::YieldOp::create(b, loc);
      });
}

func::FuncOp KernelBuilder::buildRowGradient(OpBuilder &builder) {
  MLIRContext *ctx = builder.getContext();
  Type ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64Type = builder.getI64Type();
  auto func = func::FuncOp::create(
      builder, loc, getKernelName(activation.getSymName(), "grad", dtype),
      builder.getFunctionType({ptrType, ptrType, ptrType, i64Type, i64Type},
                              {}));
  Block *entry = func.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(entry);
  zero = arith::ConstantIndexOp::create(builder, loc, 0);
  one = arith::ConstantIndexOp::create(builder, loc, 1);
  RowArrays arrays = viewRowArrays(builder, func, 3);
  Value rows = arrays.rows, cols = arrays.cols;
  Value ys = arrays.views[0], dys = arrays.views[1], dxs = arrays.views[2];
  bool isSoftmax = getRowGradKind(activation) == kSoftmaxRowGrad;
  Value zeroSum = arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(getSumType(), 0.0));

  // softmax:     s = sum(dy * y);  dx = y * (dy - s)
  // log_softmax: s = sum(dy);      dx = dy - exp(y) * s
  // The second loop reads y[j] and dy[j] before it writes dx[j], so dx may
  // be dy or y.
  // f64 kernels: s is a compensated pair (hi, lo), the error of each
  // product dy * y (FMA) added to lo's with each addition's (TwoSum).
  bool compensated = hasCompensatedSums();
  SmallVector<Value> inits{zeroSum};
  if (compensated)
    inits.push_back(zeroSum);
  scf::ForOp::create(
      builder, loc, zero, rows, one, ValueRange{},
      [&](OpBuilder &b, Location, Value r, ValueRange) {
        scf::ForOp sum = buildElementLoop(
            b, cols, inits, [&](OpBuilder &nested, Value j, ValueRange args) {
              Value dy = loadElement(nested, loc, dys, ValueRange{r, j});
              Value term = dy, productError;
              if (isSoftmax) {
                // dy * y, exact in the accumulator's type when that is f64.
                Value y = loadElement(nested, loc, ys, ValueRange{r, j});
                Type sumType = args[0].getType();
                if (sumType != elementType) {
                  dy = arith::ExtFOp::create(nested, loc, sumType, dy);
                  y = arith::ExtFOp::create(nested, loc, sumType, y);
                }
                term = arith::MulFOp::create(nested, loc, dy, y);
                if (compensated)
                  productError = math::FmaOp::create(
                      nested, loc, dy, y,
                      arith::NegFOp::create(nested, loc, term));
              }
              Value next = addToSum(nested, args[0], term);
              if (!compensated)
                return SmallVector<Value>{next};
              Value error = buildTwoSumError(nested, loc, args[0], term, next);
              if (productError)
                error = arith::AddFOp::create(nested, loc, error, productError);
              return SmallVector<Value>{
                  next, arith::AddFOp::create(nested, loc, args[1], error)};
            });
        // dx in the sum's type (f64 for f32), rounded once: dy - s cancels
        // where the row's largest y is near 1. f64: dy - hi is exact there
        // (Sterbenz), then lo.
        Value s = sum.getResult(0), sLo;
        if (compensated) {
          sum->setAttr(kCompensatedSumsAttrName,
                       b.getDenseI64ArrayAttr({0, 1}));
          std::tie(s, sLo) = finishCompensatedSum(b, s, sum.getResult(1));
        }
        buildElementLoop(
            b, cols, {}, [&](OpBuilder &nested, Value j, ValueRange) {
              Value y = loadElement(nested, loc, ys, ValueRange{r, j});
              Value dy = loadElement(nested, loc, dys, ValueRange{r, j});
              if (s.getType() != elementType) {
                y = arith::ExtFOp::create(nested, loc, s.getType(), y);
                dy = arith::ExtFOp::create(nested, loc, s.getType(), dy);
              }
              Value dx;
              if (isSoftmax && sLo) {
                // dy - (hi + lo) as a pair (TwoSum), then one rounding:
                // y * c_hi + y * c_lo.
                Value centered = arith::SubFOp::create(nested, loc, dy, s);
                Value minusS = arith::NegFOp::create(nested, loc, s);
                Value centeredLo = arith::SubFOp::create(
                    nested, loc,
                    buildTwoSumError(nested, loc, dy, minusS, centered), sLo);
                // An infinite dy or s: y * (dy - s) itself (the TwoSum of
                // an infinity is NaN).
                Value finite = buildIsFinite(nested, loc, centered);
                centeredLo = arith::SelectOp::create(
                    nested, loc, finite, centeredLo,
                    arith::ConstantOp::create(
                        nested, loc, nested.getFloatAttr(s.getType(), 0.0)));
                dx = math::FmaOp::create(
                    nested, loc, y, centered,
                    arith::MulFOp::create(nested, loc, y, centeredLo));
              } else if (isSoftmax) {
                Value centered = arith::SubFOp::create(nested, loc, dy, s);
                dx = arith::MulFOp::create(nested, loc, y, centered);
              } else if (sLo) {
                dx = buildLogSoftmaxGradOfPairs(nested, y, dy, s, sLo);
              } else {
                Value p = math::ExpOp::create(nested, loc, y);
                Value scaled = arith::MulFOp::create(nested, loc, p, s);
                dx = arith::SubFOp::create(nested, loc, dy, scaled);
              }
              storeElement(nested, loc, roundToElementType(nested, dx), dxs,
                           ValueRange{r, j});
              return SmallVector<Value>();
            });
        scf::YieldOp::create(b, loc);
      });
  func::ReturnOp::create(builder, loc);
  return func;
}
