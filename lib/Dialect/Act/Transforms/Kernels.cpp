//===- Kernels.cpp - instantiate the ABI kernels of each activation -------===//
//
// act-kernels: for every public act.activation and every requested element
// type, builds the forward kernel of ABI.md as a func.func over C pointers:
//
//   elementwise:  NAME_T(x: !llvm.ptr, y: !llvm.ptr, n: i64, params: f32...)
//   row:          NAME_T(x: !llvm.ptr, y: !llvm.ptr, rows: i64, cols: i64)
//   gradient:     NAME_grad_T(x, dy, dx: !llvm.ptr, n: i64, params: f32...,
//                             dparams: !llvm.ptr...)
//   from y:       NAME_grad_from_y_T(y, dy, dx, n, params..., dparams...)
//   row gradient: NAME_grad_T(y, dy, dx: !llvm.ptr, rows: i64, cols: i64)
//
// A gradient activation (`grad_of = @NAME`, from act-autodiff) returns
// df/dx and df/dp per runtime parameter p: its kernel stores
// dx = dy * df/dx and sets each *dp to the sum of dy * df/dp, accumulated by
// the element loop itself. A gradient from the output (act.from_y) is the
// same kernel with y in place of x. A row activation that act-autodiff
// recognized as softmax or log_softmax (act.row_grad) also gets the
// closed-form VJP from y and dy: a reduction loop, then an element loop,
// per row.
//
// The pointers are viewed as memrefs (act.view) and walked by scalar scf.for
// loops; every loop over elements carries `act.vectorize` for act-vectorize.
// The activation's scalar body is cloned into the loops, retyped from its own
// element type to the kernel's.
//
// Each body value gets a level: kernel (computed once, before any loop: the
// constants and parameters), row (computed once per row: the row reductions
// and what depends on them alone) or element (depends on the input element).
// A row activation evaluates each act.rowsum/act.rowmax, in body order, with
// a reduction loop over the columns, then stores the output in a last loop.
// Row sums of f32 (and 16-bit) kernels accumulate in f64 and are rounded
// once, so a long row's sum is as accurate as one rounding.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/CompensatedSums.h"
#include "actc/Dialect/Act/FusedKernels.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/StorageTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cmath>

namespace mlir::act {
#define GEN_PASS_DEF_ACTKERNELS
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

/// Where a body value is computed in the kernel's loop nest.
enum class Level { Kernel = 0, Row = 1, Element = 2 };

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
};

/// Builds the forward kernel of one activation for one element type.
class KernelBuilder {
public:
  /// `storageType` is the arrays' element type, `elementType` the one the
  /// kernel computes in: the same, except f32 for the 16-bit storage types.
  KernelBuilder(ActivationOp activation, FloatType elementType,
                FloatType storageType, StringRef dtype)
      : activation(activation), sourceType(activation.getElementType()),
        elementType(elementType), storageType(storageType), dtype(dtype) {}

  /// Checks the body and computes the level of each of its values.
  LogicalResult analyze();
  /// Creates the kernel at the builder's insertion point.
  func::FuncOp build(OpBuilder &builder);
  /// Creates `NAME_grad_T(y, dy, dx, rows, cols)` of a row activation marked
  /// with a closed-form VJP (act.row_grad).
  func::FuncOp buildRowGradient(OpBuilder &builder);

private:
  Level getLevel(Value value) const {
    auto it = levels.find(value);
    return it == levels.end() ? Level::Kernel : it->second;
  }
  Type retype(Type type) const {
    return type == sourceType ? Type(elementType) : type;
  }
  /// An array element, widened to the element type (exactly).
  Value loadElement(OpBuilder &builder, Location loc, Value array,
                    ValueRange indices) const {
    return act::loadElement(builder, loc, elementType, storageType, array,
                            indices);
  }
  /// Stores `value`, rounded to the storage type (to nearest even).
  void storeElement(OpBuilder &builder, Location loc, Value value, Value array,
                    ValueRange indices) const {
    act::storeElement(builder, loc, value, storageType, array, indices);
  }
  /// The type row sums accumulate in: f64 for f32 (and the 16-bit types,
  /// computed in f32), so that a row of thousands of terms rounds once, when
  /// the sum is converted back; the element type otherwise.
  FloatType getSumType() {
    return elementType.getWidth() <= 32 ? Float64Type::get(elementType.getContext())
                                        : elementType;
  }
  /// `acc + term` with `term` extended to the accumulator's type.
  Value addToSum(OpBuilder &builder, Value acc, Value term) {
    if (term.getType() != acc.getType())
      term = arith::ExtFOp::create(builder, loc, acc.getType(), term);
    return arith::AddFOp::create(builder, loc, acc, term);
  }
  /// Whether row sums are compensated pairs (CompensatedSums.h): when they
  /// accumulate in the element type itself (f64 kernels).
  bool hasCompensatedSums() {
    return getSumType() == elementType && elementType.isF64();
  }
  /// The row sum (hi, lo) of a compensated pair's final (sum, error): hi
  /// rounded from sum + error, lo the rest; a sum that is not finite (a NaN
  /// or an overflow in the row) is itself, error 0.
  std::pair<Value, Value> finishCompensatedSum(OpBuilder &builder, Value sum,
                                               Value error);
  /// The row value `value` computed again in the sum's type (f64 for f32
  /// kernels) from the unrounded sums `wideSums` and the row maxima of
  /// `rowMapping`: its row-level ops, cloned in the formula's own type (f64).
  /// Null when it reads anything but arith and math ops, constants, sums and
  /// maxima, or when it is of the element type already.
  Value buildWideRowValue(OpBuilder &builder, Value value,
                          const DenseMap<Value, Value> &wideSums,
                          const IRMapping &rowMapping);
  /// A value of the sum's type (a finished row sum, or what is computed
  /// from it), rounded once to the element type.
  Value roundToElementType(OpBuilder &builder, Value sum) {
    if (sum.getType() == elementType)
      return sum;
    return arith::TruncFOp::create(builder, loc, elementType, sum);
  }
  void buildElementwise(OpBuilder &builder, func::FuncOp func);
  void buildGradient(OpBuilder &builder, func::FuncOp func);
  void buildRow(OpBuilder &builder, func::FuncOp func);
  /// The row-level values the element slice of `root` reads.
  SmallVector<Value> getRowInputs(Value root) const;
  /// The loops of a row activation's reductions, and what each row stores
  /// in y before the output loop.
  RowSchedule scheduleRow();
  /// Clones every body op of `level` (not the reductions), in body order.
  void cloneLevel(OpBuilder &builder, Level level, IRMapping &mapping);
  /// Clones the element-level ops `roots` depend on and returns their
  /// values.
  SmallVector<Value> cloneElementSlice(OpBuilder &builder, ValueRange roots,
                                       IRMapping &mapping);
  Value cloneElementSlice(OpBuilder &builder, Value root, IRMapping &mapping) {
    return cloneElementSlice(builder, ValueRange{root}, mapping).front();
  }
  /// Clones one body op, retyped to the kernel's element type.
  void cloneRetyped(OpBuilder &builder, Operation *op, IRMapping &mapping);
  /// Builds `scf.for %i = 0 to %size` marked `act.vectorize`; `bodyFn` gets
  /// the induction variable and the iteration arguments and returns the
  /// yielded values.
  scf::ForOp buildElementLoop(
      OpBuilder &builder, Value size, ValueRange inits,
      function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> bodyFn);

  ActivationOp activation;
  /// The type the formula is written in, the kernel's element type and the
  /// arrays' element type.
  FloatType sourceType, elementType, storageType;
  StringRef dtype;
  Location loc = activation.getLoc();
  DenseMap<Value, Level> levels;
  /// The kernel arguments of the runtime parameters, by name.
  llvm::StringMap<Value> paramArgs;
  /// The index constants 0 and 1 of every loop.
  Value zero, one;
};

} // namespace

/// `NAME_T` for an activation, `NAME_grad_T` for the gradient of @NAME and
/// `NAME_grad_from_y_T` for its gradient from the output.
static std::string getForwardOrGradName(ActivationOp activation,
                                        StringRef dtype) {
  if (std::optional<StringRef> gradOf = activation.getGradOf())
    return getKernelName(*gradOf,
                         isGradientFromY(activation) ? "grad_from_y" : "grad",
                         dtype);
  return getKernelName(activation.getSymName(), "", dtype);
}

LogicalResult KernelBuilder::analyze() {
  Block &body = activation.getBody().front();
  if (activation.getGradOf() && activation.isRowActivation())
    return activation.emitOpError(
        "a row activation's gradient comes from act.row_grad on the "
        "activation (act-autodiff), not from a grad_of activation");
  levels[activation.getInput()] = Level::Element;
  for (Operation &op : body.without_terminator()) {
    if (op.getNumRegions() != 0 || isa<CallOp>(op))
      return op.emitOpError("must be inlined or simplified before act-kernels");
    Level level = Level::Kernel;
    if (isa<RowSumOp, RowMaxOp>(op)) {
      level = Level::Row;
    } else {
      for (Value operand : op.getOperands())
        level = std::max(level, getLevel(operand));
    }
    for (Value result : op.getResults())
      levels[result] = level;
  }
  return success();
}

std::pair<Value, Value> KernelBuilder::finishCompensatedSum(OpBuilder &builder,
                                                           Value sum,
                                                           Value error) {
  auto [hi, lo] = buildFastTwoSum(builder, loc, sum, error);
  Value inf = arith::ConstantOp::create(
      builder, loc,
      builder.getFloatAttr(sum.getType(),
                           std::numeric_limits<double>::infinity()));
  Value finite = arith::CmpFOp::create(
      builder, loc, arith::CmpFPredicate::OLT,
      math::AbsFOp::create(builder, loc, sum), inf);
  Value zeroError = arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(sum.getType(), 0.0));
  return {arith::SelectOp::create(builder, loc, finite, hi, sum),
          arith::SelectOp::create(builder, loc, finite, lo, zeroError)};
}

Value KernelBuilder::buildWideRowValue(OpBuilder &builder, Value value,
                                      const DenseMap<Value, Value> &wideSums,
                                      const IRMapping &rowMapping) {
  Type wideType = getSumType();
  if (wideType == elementType || sourceType != wideType)
    return Value();
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || !slice.insert(def))
      continue;
    if (isa<RowSumOp, RowMaxOp>(def))
      continue;
    if (!isa<arith::ArithDialect, math::MathDialect>(def->getDialect()) ||
        getLevel(def->getResult(0)) == Level::Element)
      return Value();
    llvm::append_range(worklist, def->getOperands());
  }
  IRMapping wide;
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
      builder.clone(op, wide);
    }
  }
  return wide.lookup(value);
}

void KernelBuilder::cloneRetyped(OpBuilder &builder, Operation *op,
                                 IRMapping &mapping) {
  if (auto param = dyn_cast<ParamOp>(op)) {
    Type type = retype(param.getType());
    ParamAttr attr = activation.lookupParam(param.getName());
    Value value;
    if (attr.getRuntime()) {
      // Runtime parameters are `float` arguments, even in f64 kernels.
      value = paramArgs.lookup(param.getName());
      unsigned width = cast<FloatType>(type).getWidth();
      if (width > 32)
        value = arith::ExtFOp::create(builder, loc, type, value);
      else if (width < 32)
        value = arith::TruncFOp::create(builder, loc, type, value);
    } else {
      // act-canonicalize normally folds these already.
      value = arith::ConstantOp::create(
          builder, param.getLoc(),
          builder.getFloatAttr(type, attr.getDefaultValue().convertToDouble()));
    }
    mapping.map(param.getResult(), value);
    return;
  }
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    if (auto attr = dyn_cast<FloatAttr>(constant.getValue())) {
      Type type = retype(attr.getType());
      Value value = arith::ConstantOp::create(
          builder, constant.getLoc(),
          builder.getFloatAttr(type, attr.getValueAsDouble()));
      mapping.map(constant.getResult(), value);
      return;
    }
  }
  Operation *clone = builder.clone(*op, mapping);
  for (OpResult result : clone->getResults())
    result.setType(retype(result.getType()));
}

void KernelBuilder::cloneLevel(OpBuilder &builder, Level level,
                               IRMapping &mapping) {
  for (Operation &op : activation.getBody().front().without_terminator()) {
    if (isa<RowSumOp, RowMaxOp>(op) || op.getNumResults() == 0 ||
        getLevel(op.getResult(0)) != level)
      continue;
    cloneRetyped(builder, &op, mapping);
  }
}

SmallVector<Value> KernelBuilder::cloneElementSlice(OpBuilder &builder,
                                                    ValueRange roots,
                                                    IRMapping &mapping) {
  // Collect the element-level ops `roots` depend on, stopping at values of
  // the outer levels (already in `mapping`) and at the input element.
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> worklist(roots);
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    Operation *def = value.getDefiningOp();
    if (!def || getLevel(value) != Level::Element || !slice.insert(def))
      continue;
    llvm::append_range(worklist, def->getOperands());
  }
  SmallVector<Operation *> ops = slice.takeVector();
  llvm::sort(ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  for (Operation *op : ops)
    cloneRetyped(builder, op, mapping);
  return llvm::map_to_vector(roots,
                             [&](Value root) { return mapping.lookup(root); });
}

scf::ForOp KernelBuilder::buildElementLoop(
    OpBuilder &builder, Value size, ValueRange inits,
    function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> bodyFn) {
  auto loop = scf::ForOp::create(
      builder, loc, zero, size, one, inits,
      [&](OpBuilder &nested, Location nestedLoc, Value iv, ValueRange args) {
        SmallVector<Value> yielded = bodyFn(nested, iv, args);
        scf::YieldOp::create(nested, nestedLoc, yielded);
      });
  loop->setAttr(kVectorizeAttrName, builder.getUnitAttr());
  return loop;
}

void KernelBuilder::buildElementwise(OpBuilder &builder, func::FuncOp func) {
  Value x = func.getArgument(0), y = func.getArgument(1);
  Value n = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                       func.getArgument(2));
  auto memrefType =
      MemRefType::get({ShapedType::kDynamic}, getArrayElementType(storageType));
  Value xs = ViewOp::create(builder, loc, memrefType, x, ValueRange{n});
  Value ys = ViewOp::create(builder, loc, memrefType, y, ValueRange{n});

  IRMapping kernelMapping;
  cloneLevel(builder, Level::Kernel, kernelMapping);
  Value result = activation.getResult();
  scf::ForOp loop = buildElementLoop(builder, n, {}, [&](OpBuilder &b, Value i,
                                                         ValueRange) {
    IRMapping mapping = kernelMapping;
    Value element = loadElement(b, loc, xs, ValueRange{i});
    mapping.map(activation.getInput(), element);
    Value value = cloneElementSlice(b, result, mapping);
    storeElement(b, loc, value, ys, ValueRange{i});
    return SmallVector<Value>();
  });
  loop->setAttr(kStreamStoresAttrName, builder.getUnitAttr());
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
  Operation *result = activation.getResult().getDefiningOp();
  if (storageType != elementType || !result ||
      !isa<arith::DivFOp, arith::MulFOp>(result))
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
    if (inLastLoop && transcendental) {
      schedule.stored = element;
      return schedule;
    }
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
  return select &&
         matchPattern(select.getTrueValue(), m_Constant(&trueAttr)) &&
         matchPattern(select.getFalseValue(), m_Constant(&falseAttr)) &&
         isInteger(trueAttr) && isInteger(falseAttr);
}

/// True for `exp(a - rowmax(a)) / rowsum(exp(a - rowmax(a)))` (act-stabilize's
/// softmax): the sum is at least 1 (the row's maxima give exp(0)) and at
/// most the row's length, unless the row holds a NaN or an infinity, which
/// makes it NaN either way.
static bool isShiftedSoftmax(Operation *divide) {
  auto exp = divide->getOperand(0).getDefiningOp<math::ExpOp>();
  auto sum = divide->getOperand(1).getDefiningOp<RowSumOp>();
  auto shift =
      exp ? exp.getOperand().getDefiningOp<arith::SubFOp>() : arith::SubFOp();
  auto max = shift ? shift.getRhs().getDefiningOp<RowMaxOp>() : RowMaxOp();
  return sum && max && sum.getOperand() == exp.getResult() &&
         max.getOperand() == shift.getLhs();
}

void KernelBuilder::buildRow(OpBuilder &builder, func::FuncOp func) {
  Value x = func.getArgument(0), y = func.getArgument(1);
  Value rows = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                          func.getArgument(2));
  Value cols = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                          func.getArgument(3));
  auto memrefType =
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                      getArrayElementType(storageType));
  Value xs =
      ViewOp::create(builder, loc, memrefType, x, ValueRange{rows, cols});
  Value ys =
      ViewOp::create(builder, loc, memrefType, y, ValueRange{rows, cols});

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
          SmallVector<Value> inits, operands;
          SmallVector<unsigned> firstArgs;
          SmallVector<int64_t> pairArgs;
          for (Operation *op : loop.reductions) {
            bool isSum = isa<RowSumOp>(op);
            firstArgs.push_back(inits.size());
            inits.push_back(arith::ConstantOp::create(
                b, op->getLoc(),
                isSum ? b.getFloatAttr(getSumType(), 0.0)
                      : b.getFloatAttr(
                            elementType,
                            -std::numeric_limits<double>::infinity())));
            if (isSum && compensated && !isIntegerChoice(op->getOperand(0))) {
              pairArgs.push_back(inits.size() - 1);
              pairArgs.push_back(inits.size());
              inits.push_back(inits.back());
            }
            operands.push_back(op->getOperand(0));
          }
          if (storing)
            operands.push_back(schedule.stored);
          scf::ForOp forOp = buildElementLoop(
              b, cols, inits, [&](OpBuilder &nested, Value j, ValueRange args) {
                IRMapping mapping = rowMapping;
                Value element = loadElement(nested, loc, xs, ValueRange{r, j});
                mapping.map(activation.getInput(), element);
                SmallVector<Value> values =
                    cloneElementSlice(nested, operands, mapping);
                if (storing)
                  storeElement(nested, loc, values.back(), ys,
                               ValueRange{r, j});
                SmallVector<Value> combined;
                for (auto [op, first, value] :
                     llvm::zip(loop.reductions, firstArgs, values)) {
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
                        nested, loc, select.getCondition(), constant(trueAttr),
                        constant(falseAttr));
                  }
                  Value sum = addToSum(nested, acc, value);
                  combined.push_back(sum);
                  if (llvm::is_contained(pairArgs, static_cast<int64_t>(first)))
                    combined.push_back(arith::AddFOp::create(
                        nested, loc, args[first + 1],
                        buildTwoSumError(nested, loc, acc, value, sum)));
                }
                return combined;
              });
          if (!pairArgs.empty())
            forOp->setAttr(kCompensatedSumsAttrName,
                           b.getDenseI64ArrayAttr(pairArgs));
          for (auto [op, first] : llvm::zip_equal(loop.reductions, firstArgs)) {
            Value value = forOp.getResult(first);
            bool isSum = isa<RowSumOp>(op);
            if (llvm::is_contained(pairArgs, static_cast<int64_t>(first))) {
              auto pair =
                  finishCompensatedSum(b, value, forOp.getResult(first + 1));
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
              wideMax = arith::ExtFOp::create(
                  b, loc, wideOffset.getType(),
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
          // f64: 1 / (hi + lo) of the compensated sum as a pair, from
          // r_hi = 1 / hi and the exact remainder fma(-r_hi, hi, 1).
          auto pair = pairSums.find(resultOp->getOperand(1));
          if (pair != pairSums.end() && isShiftedSoftmax(resultOp)) {
            auto [hi, lo] = pair->second;
            Value oneValue = arith::ConstantOp::create(
                b, loc, b.getFloatAttr(elementType, 1.0));
            reciprocalHi = arith::DivFOp::create(b, loc, oneValue, hi);
            Value remainder = math::FmaOp::create(
                b, loc, arith::NegFOp::create(b, loc, reciprocalHi), hi,
                oneValue);
            remainder = arith::SubFOp::create(
                b, loc, remainder,
                arith::MulFOp::create(b, loc, reciprocalHi, lo));
            reciprocalLo =
                arith::MulFOp::create(b, loc, remainder, reciprocalHi);
          }
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
        buildElementLoop(
            b, cols, {}, [&](OpBuilder &nested, Value j, ValueRange) {
              IRMapping mapping = rowMapping;
              Value value;
              if (schedule.stored) {
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

void KernelBuilder::buildGradient(OpBuilder &builder, func::FuncOp func) {
  Value n = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                       func.getArgument(3));
  auto memrefType =
      MemRefType::get({ShapedType::kDynamic}, getArrayElementType(storageType));
  Value xs = ViewOp::create(builder, loc, memrefType, func.getArgument(0),
                            ValueRange{n});
  Value dys = ViewOp::create(builder, loc, memrefType, func.getArgument(1),
                             ValueRange{n});
  Value dxs = ViewOp::create(builder, loc, memrefType, func.getArgument(2),
                             ValueRange{n});

  IRMapping kernelMapping;
  cloneLevel(builder, Level::Kernel, kernelMapping);
  auto terminator =
      cast<ReturnOp>(activation.getBody().front().getTerminator());
  // df/dx, then df/dp for each runtime parameter.
  SmallVector<Value> partials(terminator.getValues());
  Value zeroSum = arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(elementType, 0.0));
  SmallVector<Value> inits(partials.size() - 1, zeroSum);
  scf::ForOp loop = buildElementLoop(
      builder, n, inits, [&](OpBuilder &b, Value i, ValueRange sums) {
        IRMapping mapping = kernelMapping;
        Value element = loadElement(b, loc, xs, ValueRange{i});
        Value dy = loadElement(b, loc, dys, ValueRange{i});
        mapping.map(activation.getInput(), element);
        SmallVector<Value> values = cloneElementSlice(b, partials, mapping);
        Value dx = arith::MulFOp::create(b, loc, dy, values.front());
        storeElement(b, loc, dx, dxs, ValueRange{i});
        SmallVector<Value> next;
        for (auto [sum, partial] :
             llvm::zip_equal(sums, ArrayRef(values).drop_front())) {
          Value term = arith::MulFOp::create(b, loc, dy, partial);
          next.push_back(arith::AddFOp::create(b, loc, sum, term));
        }
        return next;
      });
  loop->setAttr(kStreamStoresAttrName, builder.getUnitAttr());

  // Each parameter gradient is one float, set to the sum.
  Type f32 = builder.getF32Type();
  auto scalarType = MemRefType::get({ShapedType::kDynamic}, f32);
  for (auto [index, sum] : llvm::enumerate(loop.getResults())) {
    Value dp = func.getArgument(func.getNumArguments() - inits.size() + index);
    Value dps = ViewOp::create(builder, loc, scalarType, dp, ValueRange{one});
    Value value = sum;
    if (elementType.getWidth() > 32)
      value = arith::TruncFOp::create(builder, loc, f32, value);
    else if (elementType.getWidth() < 32)
      value = arith::ExtFOp::create(builder, loc, f32, value);
    memref::StoreOp::create(builder, loc, value, dps, ValueRange{zero});
  }
}

func::FuncOp KernelBuilder::build(OpBuilder &builder) {
  bool isRow = activation.isRowActivation();
  std::optional<StringRef> gradOf = activation.getGradOf();
  MLIRContext *ctx = builder.getContext();
  Type ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64Type = builder.getI64Type();
  SmallVector<Type> argTypes = {ptrType, ptrType};
  if (gradOf)
    argTypes.push_back(ptrType);
  argTypes.push_back(i64Type);
  SmallVector<ParamAttr> runtimeParams;
  if (isRow)
    argTypes.push_back(i64Type);
  else
    runtimeParams = activation.getRuntimeParams();
  unsigned firstParam = argTypes.size();
  argTypes.append(runtimeParams.size(), builder.getF32Type());
  if (gradOf)
    argTypes.append(runtimeParams.size(), ptrType);

  std::string name = getForwardOrGradName(activation, dtype);
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [index, param] : llvm::enumerate(runtimeParams))
    paramArgs[param.getName()] = func.getArgument(firstParam + index);

  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(entry);
  zero = arith::ConstantIndexOp::create(builder, loc, 0);
  one = arith::ConstantIndexOp::create(builder, loc, 1);
  if (gradOf)
    buildGradient(builder, func);
  else if (isRow)
    buildRow(builder, func);
  else
    buildElementwise(builder, func);
  func::ReturnOp::create(builder, loc);
  return func;
}

func::FuncOp KernelBuilder::buildRowGradient(OpBuilder &builder) {
  MLIRContext *ctx = builder.getContext();
  Type ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64Type = builder.getI64Type();
  auto func = func::FuncOp::create(
      builder, loc,
      getKernelName(activation.getSymName(), "grad", dtype),
      builder.getFunctionType({ptrType, ptrType, ptrType, i64Type, i64Type},
                              {}));
  Block *entry = func.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(entry);
  zero = arith::ConstantIndexOp::create(builder, loc, 0);
  one = arith::ConstantIndexOp::create(builder, loc, 1);
  Value rows = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                          func.getArgument(3));
  Value cols = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                          func.getArgument(4));
  auto memrefType =
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                      getArrayElementType(storageType));
  auto view = [&](unsigned index) -> Value {
    return ViewOp::create(builder, loc, memrefType, func.getArgument(index),
                          ValueRange{rows, cols});
  };
  Value ys = view(0), dys = view(1), dxs = view(2);
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
                Value inf = arith::ConstantOp::create(
                    nested, loc,
                    nested.getFloatAttr(s.getType(),
                                        std::numeric_limits<double>::infinity()));
                Value finite = arith::CmpFOp::create(
                    nested, loc, arith::CmpFPredicate::OLT,
                    math::AbsFOp::create(nested, loc, centered), inf);
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
                // dy - p (hi + lo): fma(-p, hi, dy) rounds once, then p lo.
                Value p = math::ExpOp::create(nested, loc, y);
                Value minusP = arith::NegFOp::create(nested, loc, p);
                dx = math::FmaOp::create(nested, loc, minusP, s, dy);
                dx = math::FmaOp::create(nested, loc, minusP, sLo, dx);
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

namespace {
struct ActKernelsPass : public act::impl::ActKernelsBase<ActKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<SmallVector<KernelDType>> types = parseKernelDTypes(
        module, SmallVector<std::string>(dtypes.begin(), dtypes.end()),
        "act-kernels: ");
    if (failed(types))
      return signalPassFailure();
    FailureOr<SmallVector<std::string>> selected = parseKernelKinds(
        module, SmallVector<std::string>(kinds.begin(), kinds.end()),
        "act-kernels: ");
    if (failed(selected))
      return signalPassFailure();
    auto getKind = [](ActivationOp activation) -> StringRef {
      if (!activation.getGradOf())
        return "forward";
      return isGradientFromY(activation) ? "grad_from_y" : "grad";
    };

    SymbolTable symbols(module);
    SmallVector<ActivationOp> activations(module.getOps<ActivationOp>());
    for (ActivationOp activation : activations) {
      if (activation.isPrivate())
        continue;
      bool buildMain = isKernelKindSelected(*selected, getKind(activation));
      bool buildRowGrad = !getRowGradKind(activation).empty() &&
                          isKernelKindSelected(*selected, "grad");
      if (!buildMain && !buildRowGrad)
        continue;
      OpBuilder builder(activation);
      for (const KernelDType &kernelType : *types) {
        const std::string &dtype = kernelType.name;
        KernelBuilder kernel(activation, kernelType.type, kernelType.storage,
                             dtype);
        if (failed(kernel.analyze()))
          return signalPassFailure();
        if (buildMain) {
          std::string name = getForwardOrGradName(activation, dtype);
          if (symbols.lookup(name)) {
            activation.emitOpError("kernel @") << name << " already exists";
            return signalPassFailure();
          }
          symbols.insert(kernel.build(builder));
        }
        if (!buildRowGrad)
          continue;
        std::string gradName =
            getKernelName(activation.getSymName(), "grad", dtype);
        if (symbols.lookup(gradName)) {
          activation.emitOpError("kernel @") << gradName << " already exists";
          return signalPassFailure();
        }
        symbols.insert(kernel.buildRowGradient(builder));
      }
    }
    for (ActivationOp activation : activations)
      activation.erase();
  }
};
} // namespace
