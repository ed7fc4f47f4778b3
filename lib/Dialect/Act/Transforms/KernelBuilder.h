//===- KernelBuilder.h - act-kernels' builder of one kernel -----*- C++ -*-===//
//
// The builder act-kernels runs per activation and element type. Kernels.cpp
// holds the pass, the elementwise kernels and the cloning both kinds share;
// RowKernels.cpp the row activations' kernels (their reductions, forward
// and gradient from y).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_TRANSFORMS_KERNELBUILDER_H
#define ACTC_DIALECT_ACT_TRANSFORMS_KERNELBUILDER_H

#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/StorageTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"

#include <utility>

namespace mlir::act {

/// Where a body value is computed in the kernel's loop nest.
enum class Level { Kernel = 0, Row = 1, Element = 2 };

/// The reduction loops of a row kernel, one row's values, how a reduction
/// loop accumulates and what the output loop reads (RowKernels.cpp).
struct RowSchedule;
struct RowLoop;
struct RowState;
struct ReductionPlan;
struct RowOutput;

/// A row kernel's sizes and its arrays viewed as rows x cols memrefs.
struct RowArrays {
  Value rows, cols;
  SmallVector<Value> views;
};

/// A value of an f64 row kernel as a double-double hi + lo, |lo| small
/// next to |hi| but not normalized; lo null for 0 (RowPairForms.cpp).
/// `rounded`: hi is the pair rounded to f64 already (act.exp_pair's).
struct RowPair {
  Value hi, lo;
  bool rounded = false;
};
/// The pairs built so far, by body value; `logs` holds log(s) of the row
/// sums s that a softmax output divides by.
struct RowPairs {
  DenseMap<Value, RowPair> values, logs;
};

/// e / s with e = exp(x - rowmax(x)) and s = rowsum(e): the max-shifted
/// softmax (RowKernels.cpp).
bool isShiftedSoftmax(Operation *divide);

/// Builds the forward kernel of one activation for one element type.
class KernelBuilder {
public:
  /// `storageType` is the arrays' element type, `elementType` the one the
  /// kernel computes in: the same, except f32 for the 16-bit storage types.
  /// `accurate`: precision=accurate (row sums' terms widened, see
  /// buildRow).
  KernelBuilder(ActivationOp activation, FloatType elementType,
                FloatType storageType, StringRef dtype, bool accurate = true)
      : activation(activation), sourceType(activation.getElementType()),
        elementType(elementType), storageType(storageType), dtype(dtype),
        accurate(accurate) {}

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
  void buildElementwise(OpBuilder &builder, func::FuncOp func);
  void buildGradient(OpBuilder &builder, func::FuncOp func);
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

  // The row kernels (RowKernels.cpp).

  void buildRow(OpBuilder &builder, func::FuncOp func);
  /// One reduction loop of a row and what follows it: the sums finished
  /// (rounded, unscaled) into `row`, then the loop's row-level ops.
  /// `stored`: an element value the loop also stores in y.
  void buildReductions(OpBuilder &builder, const RowArrays &arrays,
                       const RowLoop &loop, Value stored, RowState &row);
  /// The initial values and the kind of terms of `loop`'s reductions.
  ReductionPlan planReductions(OpBuilder &builder, const RowLoop &loop,
                               Value stored);
  /// The loop over the row's columns that accumulates `loop`'s reductions;
  /// `widen`: the terms the plan allows computed in f64.
  scf::ForOp buildReductionLoop(OpBuilder &builder, const RowArrays &arrays,
                                const RowLoop &loop, const ReductionPlan &plan,
                                const RowState &row, bool widen);
  /// The reductions' next values from `args` and one element's terms
  /// (and, for compensated sums, the terms' low parts or null).
  SmallVector<Value> accumulate(OpBuilder &builder, const RowLoop &loop,
                                const ReductionPlan &plan, ValueRange args,
                                ArrayRef<Value> terms, ArrayRef<Value> lows);
  /// The row-level values the output loop reads, built before it.
  RowOutput prepareRowOutput(OpBuilder &builder, const RowSchedule &schedule,
                             RowState &row);
  /// The output of column `j`, in the element type.
  Value buildOutputElement(OpBuilder &builder, const RowArrays &arrays,
                           const RowSchedule &schedule, const RowOutput &output,
                           const RowState &row, Value j);
  /// The first `numArrays` arguments of a row kernel viewed as rows x cols
  /// memrefs, rows and cols the two i64 arguments after them.
  RowArrays viewRowArrays(OpBuilder &builder, func::FuncOp func,
                          unsigned numArrays);
  /// The type row sums accumulate in: f64 for f32 (and the 16-bit types,
  /// computed in f32), so that a row of thousands of terms rounds once, when
  /// the sum is converted back; the element type otherwise.
  FloatType getSumType();
  /// `acc + term` with `term` extended to the accumulator's type.
  Value addToSum(OpBuilder &builder, Value acc, Value term);
  /// Whether row sums are compensated pairs (CompensatedSums.h): when they
  /// accumulate in the element type itself (f64 kernels).
  bool hasCompensatedSums();
  /// The row sum (hi, lo) of a compensated pair's final (sum, error): hi
  /// rounded from sum + error, lo the rest; a sum that is not finite (a NaN
  /// or an overflow in the row) is itself, error 0.
  std::pair<Value, Value> finishCompensatedSum(OpBuilder &builder, Value sum,
                                               Value error);
  /// The ops `value` is computed from back to the row sums and maxima, into
  /// `slice`; false where buildWideRowValue cannot widen them (see there;
  /// element-level ops only with `elementLevel`).
  bool collectWideSlice(Value value, bool elementLevel,
                        llvm::SetVector<Operation *> &slice);
  /// The row value `value` computed again in the sum's type (f64 for f32
  /// kernels) from the unrounded sums `wideSums` and the row maxima of
  /// `rowMapping`: its row-level ops, cloned in the formula's own type (f64).
  /// Null when it reads anything but arith and math ops, constants, sums and
  /// maxima, or when it is of the element type already. With `wideInput`
  /// (the element, widened) `value` may be an element value too.
  Value buildWideRowValue(OpBuilder &builder, Value value,
                          const DenseMap<Value, Value> &wideSums,
                          const IRMapping &rowMapping,
                          Value wideInput = Value());
  /// A value of the sum's type (a finished row sum, or what is computed
  /// from it), rounded once to the element type.
  Value roundToElementType(OpBuilder &builder, Value sum);
  /// The row-level values the element slice of `root` reads.
  SmallVector<Value> getRowInputs(Value root) const;
  /// The loops of a row activation's reductions, and what each row stores
  /// in y before the output loop.
  RowSchedule scheduleRow();

  // f64 row kernels in double-double (RowPairForms.cpp).

  /// Whether `value` has a double-double form in an f64 kernel (compensated
  /// sums): it is built of the input, constants, row maxima and sums, +, -,
  /// negation, choices, exp, log, log1p and the shifted softmax's division.
  bool hasPairForm(Value value);
  /// `value` as a pair, built at the builder (`mapping` holds the clones of
  /// the outer levels and of the input; row values must be in `pairs`
  /// already where the builder is inside an element loop: see
  /// buildRowPairs).
  RowPair buildPairValue(OpBuilder &builder, Value value, IRMapping &mapping,
                         RowPairs &pairs);
  /// The pairs of the row values the output `result` reads, and the logs
  /// of the sums it divides by, built once per row before the output loop.
  void buildRowPairs(OpBuilder &builder, Value result, IRMapping &mapping,
                     RowPairs &pairs);
  /// hi + lo rounded once (hi alone where it is not finite, or rounded).
  Value roundPair(OpBuilder &builder, const RowPair &pair);
  /// Whether a compensated sum of `term` is summed scaled by 2^512: terms
  /// chosen between exps and constants (log_softmax's rest, from which the
  /// maxima are chosen away), whose sum can fall below the normal range.
  bool isScaledSumTerm(Value term);
  /// `term` as a pair times 2^512: each exp(z) as exp(z + 512 ln 2).
  RowPair buildScaledSumTerm(OpBuilder &builder, Value term,
                             IRMapping &mapping);
  /// A scaled sum (hi, lo) times 2^-512.
  std::pair<Value, Value> unscaleSum(OpBuilder &builder,
                                     std::pair<Value, Value> sum);
  /// log_softmax's gradient dy - exp(y) (sHi + sLo) in double-double,
  /// rounded once: exp(y) as a pair, its product with the row sum of dy
  /// exact (FMA), the subtraction by TwoSum.
  Value buildLogSoftmaxGradOfPairs(OpBuilder &builder, Value y, Value dy,
                                   Value sHi, Value sLo);

  ActivationOp activation;
  /// The type the formula is written in, the kernel's element type and the
  /// arrays' element type.
  FloatType sourceType, elementType, storageType;
  StringRef dtype;
  bool accurate;
  /// Set while buildScaledSumTerm builds: exps take 512 ln 2 more.
  bool scaleExps = false;
  Location loc = activation.getLoc();
  DenseMap<Value, Level> levels;
  /// The kernel arguments of the runtime parameters, by name.
  llvm::StringMap<Value> paramArgs;
  /// The index constants 0 and 1 of every loop.
  Value zero, one;
};

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_TRANSFORMS_KERNELBUILDER_H
