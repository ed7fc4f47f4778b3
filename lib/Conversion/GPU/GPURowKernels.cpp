//===- GPURowKernels.cpp - the GPU kernels of the row activations ---------===//
//
// Part of act-gpu-kernels: the device side of ABI.md's row activations
// (specs using act.rowsum/act.rowmax, e.g. softmax), as func.func marked
// `act.gpu_kernel`:
//
//   "row"       NAME_T(x, y: !llvm.ptr, rows, cols: i64)
//   "row_grad"  NAME_grad_T(y, dy, dx: !llvm.ptr, rows, cols: i64), for an
//               activation act-autodiff marked act.row_grad (softmax:
//               dx = y * (dy - sum(dy * y)); log_softmax:
//               dx = dy - exp(y) * sum(dy)).
//
// One warp per row: warp w of the grid (32 consecutive threads) takes rows
// w, w + warps, ... (a grid-stride loop over rows); its lanes stride the
// columns by 32, so a warp's loads of a row are coalesced. Each
// act.rowsum/act.rowmax, in body order, is a loop over the lane's columns
// (partial sum or max from 0 or -inf) and then a butterfly of five
// `gpu.shuffle xor` steps (offsets 16, 8, 4, 2, 1) after which every lane
// holds the row's value; f64 values are shuffled as two 32-bit halves. No
// shared memory and no barrier: the lanes of a warp share their row loop,
// so all 32 reach every shuffle. A last loop over the lane's columns
// stores the output. The body is split by level as act-kernels splits it
// for the CPU: constants (once per kernel), row values (the reductions and
// what depends on them alone; once per row) and element values (per
// element). bf16 and f16 rows are loaded and extended to f32, rounded back
// (RNE) on store, like the elementwise kernels.
//
// When every pointer is 16-byte aligned and cols is a multiple of the lanes
// of a 128-bit vector (4 f32, 2 f64, 8 bf16/f16), so that every row starts
// aligned, each loop over the lane's columns is a loop over the lane's
// 128-bit vectors instead (vectors lane, lane + 32, ... of the row): one
// 128-bit load per input (PTX ld.global.v4/v2), the element values computed
// per element of the vector in order (the reductions add them in that
// order), and one 128-bit store. Otherwise the scalar loops run. The two
// paths add a row's terms in different orders, so their results can differ
// in the last bits.
//
//===----------------------------------------------------------------------===//

#include "GPURowKernels.h"

#include "actc/Dialect/Act/GPUKernelABI.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

#include <limits>

using namespace mlir;
using namespace mlir::act;

namespace {

/// Where a body value is computed.
enum class Level { Kernel = 0, Row = 1, Element = 2 };

/// Builds the row kernels of one activation at one element type.
class RowKernelBuilder {
public:
  RowKernelBuilder(OpBuilder &builder, ActivationOp activation,
                   const KernelDType &dtype)
      : builder(builder), activation(activation), dtype(dtype),
        loc(activation.getLoc()),
        ptrType(LLVM::LLVMPointerType::get(builder.getContext())),
        i64Type(builder.getI64Type()), i32Type(builder.getI32Type()) {}

  LogicalResult buildForward();
  void buildGradient();

private:
  /// `func.func @name(ptrs..., rows, cols)` marked `kind`; the builder at
  /// the start of its body.
  func::FuncOp createKernel(StringRef name, StringRef kind,
                            unsigned numPointers);
  /// The row loop: warp w of the grid over rows w, w + warps, ...; `bodyFn`
  /// gets the row's first element index and this thread's lane (i64).
  void buildRowLoop(Value rows, Value cols,
                    function_ref<void(OpBuilder &, Value, Value)> bodyFn);
  /// `scf.for %j = lane to cols step 32`.
  scf::ForOp buildColumnLoop(
      OpBuilder &b, Value lane, Value cols, ValueRange inits,
      function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> bodyFn);
  /// The loop over this lane's elements of the row at `rowStart`: scalar,
  /// columns lane, lane + 32, ... (buildColumnLoop); `vector`, the 128-bit
  /// vectors lane, lane + 32, ... of the row, element by element in order.
  /// Per element, `fn` gets the inputs' values there (the compute type) and
  /// the carried values (updated in place) and returns the value to store
  /// in `output` (when given).
  using ElementFn =
      function_ref<Value(OpBuilder &, ValueRange, SmallVectorImpl<Value> &)>;
  scf::ForOp buildElementLoop(OpBuilder &b, bool vector, Value rowStart,
                              Value lane, Value cols, ArrayRef<Value> inputs,
                              Value output, ValueRange inits, ElementFn fn);
  /// Whether the vector loops can run: every pointer 16-byte aligned and
  /// cols a multiple of the lanes.
  Value isVectorizable(OpBuilder &b, Value cols, ArrayRef<Value> pointers);
  /// Builds `bodyFn(vector)` in both branches of `scf.if aligned`.
  void buildPaths(OpBuilder &b, Value aligned,
                  function_ref<void(OpBuilder &, bool)> bodyFn);
  /// The type sums are added in: f64 for the f32 compute type (so a
  /// row's sum is not rounded to f32 per term: log_softmax's
  /// z - log(sum) near 0 needs sum - 1 to more than f32's 2^-24), else the
  /// compute type.
  FloatType getSumType() const {
    if (FloatType(dtype.type).getWidth() == 32)
      return Float64Type::get(dtype.type.getContext());
    return dtype.type;
  }
  Value toSumType(OpBuilder &b, Value value) {
    if (value.getType() == getSumType())
      return value;
    return arith::ExtFOp::create(b, loc, getSumType(), value);
  }
  /// `sum` (getSumType()) as the compute type for the body: rounded, with
  /// the mark of act-expand's roundings (act.wide), so that a body it
  /// computes in f64 (accurate mode: log_softmax's log, softmax's division)
  /// reads the f64 sum instead.
  Value fromSumType(OpBuilder &b, Value sum) {
    if (sum.getType() == dtype.type)
      return sum;
    auto trunc = arith::TruncFOp::create(b, loc, dtype.type, sum);
    trunc->setAttr(kWideAttrName, b.getUnitAttr());
    return trunc;
  }
  int64_t getLanes() const { return 128 / FloatType(dtype.storage).getWidth(); }
  /// `value` combined over the 32 lanes of the warp (sum or max); every lane
  /// gets the result.
  Value reduceWarp(OpBuilder &b, Value value, bool isSum);
  Value shuffleXor(OpBuilder &b, Value value, int32_t offset);
  Value combine(OpBuilder &b, Value a, Value c, bool isSum) {
    if (isSum)
      return arith::AddFOp::create(b, loc, a, c);
    return arith::MaximumFOp::create(b, loc, a, c);
  }
  Value constant(OpBuilder &b, int64_t value) {
    return arith::ConstantIntOp::create(b, loc, i64Type, value);
  }
  Value load(OpBuilder &b, Value base, Value index) {
    Value address = LLVM::GEPOp::create(b, loc, ptrType, dtype.storage, base,
                                        ValueRange{index});
    Value value = LLVM::LoadOp::create(b, loc, dtype.storage, address);
    if (dtype.storage != dtype.type)
      value = arith::ExtFOp::create(b, loc, dtype.type, value);
    return value;
  }
  void store(OpBuilder &b, Value value, Value base, Value index) {
    if (dtype.storage != dtype.type)
      value = arith::TruncFOp::create(b, loc, dtype.storage, value);
    Value address = LLVM::GEPOp::create(b, loc, ptrType, dtype.storage, base,
                                        ValueRange{index});
    LLVM::StoreOp::create(b, loc, value, address);
  }

  Value loadVector(OpBuilder &b, Value base, Value index) {
    Value address = LLVM::GEPOp::create(b, loc, ptrType, dtype.storage, base,
                                        ValueRange{index});
    Value value = LLVM::LoadOp::create(
        b, loc, VectorType::get({getLanes()}, dtype.storage), address,
        /*alignment=*/16);
    if (dtype.storage != dtype.type)
      value = arith::ExtFOp::create(
          b, loc, VectorType::get({getLanes()}, dtype.type), value);
    return value;
  }
  void storeVector(OpBuilder &b, Value value, Value base, Value index) {
    if (dtype.storage != dtype.type)
      value = arith::TruncFOp::create(
          b, loc, VectorType::get({getLanes()}, dtype.storage), value);
    Value address = LLVM::GEPOp::create(b, loc, ptrType, dtype.storage, base,
                                        ValueRange{index});
    LLVM::StoreOp::create(b, loc, value, address, /*alignment=*/16);
  }

  // The activation's body, by level.
  Level getLevel(Value value) const { return levels.lookup(value); }
  LogicalResult analyze();
  void cloneRetyped(OpBuilder &b, Operation *op, IRMapping &mapping);
  /// Clones the element-level ops `root` depends on. A division in
  /// `reciprocals` (an element value by a row value) becomes a product by
  /// the row's reciprocal given there.
  Value
  cloneElementSlice(OpBuilder &b, Value root, IRMapping &mapping,
                    const DenseMap<Operation *, Value> *reciprocals = nullptr);

  OpBuilder &builder;
  ActivationOp activation;
  const KernelDType &dtype;
  Location loc;
  Type ptrType, i64Type, i32Type;
  DenseMap<Value, Level> levels;
};

} // namespace

static constexpr int64_t kWarpSize = 32;

func::FuncOp RowKernelBuilder::createKernel(StringRef name, StringRef kind,
                                            unsigned numPointers) {
  SmallVector<Type> types(numPointers, ptrType);
  types.append(2, i64Type);
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType(types, {}));
  func->setAttr(kGPUKernelAttrName, builder.getStringAttr(kind));
  builder.setInsertionPointToStart(func.addEntryBlock());
  return func;
}

void RowKernelBuilder::buildRowLoop(
    Value rows, Value cols,
    function_ref<void(OpBuilder &, Value, Value)> bodyFn) {
  auto toI64 = [&](Value index) -> Value {
    return arith::IndexCastUIOp::create(builder, loc, i64Type, index);
  };
  Value block = toI64(gpu::BlockIdOp::create(builder, loc, gpu::Dimension::x));
  Value blocks =
      toI64(gpu::GridDimOp::create(builder, loc, gpu::Dimension::x));
  Value threads =
      toI64(gpu::BlockDimOp::create(builder, loc, gpu::Dimension::x));
  Value thread =
      toI64(gpu::ThreadIdOp::create(builder, loc, gpu::Dimension::x));
  // The launcher's blocks are whole warps (256 threads).
  Value global = arith::AddIOp::create(
      builder, loc, arith::MulIOp::create(builder, loc, block, threads),
      thread);
  Value warp =
      arith::DivUIOp::create(builder, loc, global, constant(builder, kWarpSize));
  Value lane =
      arith::RemUIOp::create(builder, loc, thread, constant(builder, kWarpSize));
  Value warps = arith::DivUIOp::create(
      builder, loc, arith::MulIOp::create(builder, loc, blocks, threads),
      constant(builder, kWarpSize));
  scf::ForOp::create(builder, loc, warp, rows, warps, ValueRange{},
                     [&](OpBuilder &b, Location, Value r, ValueRange) {
                       bodyFn(b, arith::MulIOp::create(b, loc, r, cols), lane);
                       scf::YieldOp::create(b, loc);
                     });
}

scf::ForOp RowKernelBuilder::buildColumnLoop(
    OpBuilder &b, Value lane, Value cols, ValueRange inits,
    function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> bodyFn) {
  return scf::ForOp::create(
      b, loc, lane, cols, constant(b, kWarpSize), inits,
      [&](OpBuilder &nested, Location nestedLoc, Value j, ValueRange args) {
        scf::YieldOp::create(nested, nestedLoc, bodyFn(nested, j, args));
      });
}

scf::ForOp RowKernelBuilder::buildElementLoop(
    OpBuilder &b, bool vector, Value rowStart, Value lane, Value cols,
    ArrayRef<Value> inputs, Value output, ValueRange inits, ElementFn fn) {
  int64_t lanes = vector ? getLanes() : 1;
  Value count =
      vector ? arith::DivUIOp::create(b, loc, cols, constant(b, lanes)) : cols;
  return buildColumnLoop(
      b, lane, count, inits, [&](OpBuilder &nb, Value j, ValueRange args) {
        SmallVector<Value> carried(args);
        if (!vector) {
          Value i = arith::AddIOp::create(nb, loc, rowStart, j);
          SmallVector<Value> loaded;
          for (Value input : inputs)
            loaded.push_back(load(nb, input, i));
          Value value = fn(nb, loaded, carried);
          if (output)
            store(nb, value, output, i);
          return carried;
        }
        Value i = arith::AddIOp::create(
            nb, loc, rowStart,
            arith::MulIOp::create(nb, loc, j, constant(nb, lanes)));
        SmallVector<Value> vectors;
        for (Value input : inputs)
          vectors.push_back(loadVector(nb, input, i));
        auto vectorType = VectorType::get({lanes}, dtype.type);
        Value result;
        if (output)
          result = arith::ConstantOp::create(
              nb, loc, vectorType,
              DenseElementsAttr::get(vectorType,
                                     nb.getFloatAttr(dtype.type, 0.0)));
        for (int64_t k = 0; k < lanes; ++k) {
          Value position = arith::ConstantIntOp::create(nb, loc, i32Type, k);
          SmallVector<Value> loaded;
          for (Value v : vectors)
            loaded.push_back(
                LLVM::ExtractElementOp::create(nb, loc, v, position));
          Value value = fn(nb, loaded, carried);
          if (output)
            result =
                LLVM::InsertElementOp::create(nb, loc, result, value, position);
        }
        if (output)
          storeVector(nb, result, output, i);
        return carried;
      });
}

Value RowKernelBuilder::isVectorizable(OpBuilder &b, Value cols,
                                       ArrayRef<Value> pointers) {
  Value bits = LLVM::PtrToIntOp::create(b, loc, i64Type, pointers.front());
  for (Value pointer : pointers.drop_front())
    bits = arith::OrIOp::create(
        b, loc, bits, LLVM::PtrToIntOp::create(b, loc, i64Type, pointer));
  Value low = arith::OrIOp::create(
      b, loc, arith::AndIOp::create(b, loc, bits, constant(b, 15)),
      arith::AndIOp::create(b, loc, cols, constant(b, getLanes() - 1)));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, low,
                               constant(b, 0));
}

void RowKernelBuilder::buildPaths(
    OpBuilder &b, Value aligned, function_ref<void(OpBuilder &, bool)> bodyFn) {
  scf::IfOp::create(
      b, loc, aligned,
      [&](OpBuilder &nb, Location) {
        bodyFn(nb, true);
        scf::YieldOp::create(nb, loc);
      },
      [&](OpBuilder &nb, Location) {
        bodyFn(nb, false);
        scf::YieldOp::create(nb, loc);
      });
}

Value RowKernelBuilder::shuffleXor(OpBuilder &b, Value value, int32_t offset) {
  auto shuffle = [&](Value word) -> Value {
    return gpu::ShuffleOp::create(b, loc, word, offset, kWarpSize,
                                  gpu::ShuffleMode::XOR)
        .getShuffleResult();
  };
  if (value.getType().getIntOrFloatBitWidth() == 32)
    return shuffle(value);
  // f64: the two 32-bit halves.
  Value bits = arith::BitcastOp::create(b, loc, i64Type, value);
  Value low = arith::TruncIOp::create(b, loc, i32Type, bits);
  Value high = arith::TruncIOp::create(
      b, loc, i32Type, arith::ShRUIOp::create(b, loc, bits, constant(b, 32)));
  Value newLow = arith::ExtUIOp::create(b, loc, i64Type, shuffle(low));
  Value newHigh = arith::ShLIOp::create(
      b, loc, arith::ExtUIOp::create(b, loc, i64Type, shuffle(high)),
      constant(b, 32));
  return arith::BitcastOp::create(
      b, loc, value.getType(), arith::OrIOp::create(b, loc, newHigh, newLow));
}

Value RowKernelBuilder::reduceWarp(OpBuilder &b, Value value, bool isSum) {
  for (int32_t offset = kWarpSize / 2; offset > 0; offset /= 2) {
    value = combine(b, value, shuffleXor(b, value, offset), isSum);
    // Each step's value is rounded to its type, the value the other lanes
    // receive: act-expand computes an f32 body that reaches a division or a
    // transcendental in f64 and would otherwise keep a lane's own partial
    // in f64 but the others' as shuffled (f32), so the lanes' sums would
    // differ. A bitcast pair (folded after act-expand) hides the steps
    // from it.
    if (value.getType().isF32()) {
      Value bits = arith::BitcastOp::create(b, loc, i32Type, value);
      value = arith::BitcastOp::create(b, loc, value.getType(), bits);
    }
  }
  return value;
}

LogicalResult RowKernelBuilder::analyze() {
  levels[activation.getInput()] = Level::Element;
  for (Operation &op : activation.getBody().front().without_terminator()) {
    if (op.getNumRegions() != 0 || isa<CallOp>(op))
      return op.emitOpError(
          "must be inlined or simplified before act-gpu-kernels");
    Level level = Level::Kernel;
    if (isa<RowSumOp, RowMaxOp>(op))
      level = Level::Row;
    else
      for (Value operand : op.getOperands())
        level = std::max(level, getLevel(operand));
    for (Value result : op.getResults())
      levels[result] = level;
  }
  return success();
}

void RowKernelBuilder::cloneRetyped(OpBuilder &b, Operation *op,
                                    IRMapping &mapping) {
  FloatType source = activation.getElementType();
  auto retype = [&](Type type) -> Type {
    return type == source ? Type(dtype.type) : type;
  };
  if (auto param = dyn_cast<ParamOp>(op)) {
    // Row activations have compile-time parameters only (ABI.md).
    ParamAttr attr = activation.lookupParam(param.getName());
    mapping.map(param.getResult(),
                arith::ConstantOp::create(
                    b, loc,
                    b.getFloatAttr(retype(param.getType()),
                                   attr.getDefaultValue().convertToDouble())));
    return;
  }
  if (auto constant = dyn_cast<arith::ConstantOp>(op))
    if (auto attr = dyn_cast<FloatAttr>(constant.getValue())) {
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(
                      b, loc,
                      b.getFloatAttr(retype(attr.getType()),
                                     attr.getValueAsDouble())));
      return;
    }
  Operation *clone = b.clone(*op, mapping);
  for (OpResult result : clone->getResults())
    result.setType(retype(result.getType()));
}

Value RowKernelBuilder::cloneElementSlice(
    OpBuilder &b, Value root, IRMapping &mapping,
    const DenseMap<Operation *, Value> *reciprocals) {
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> worklist = {root};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    Operation *def = value.getDefiningOp();
    if (!def || getLevel(value) != Level::Element || !slice.insert(def))
      continue;
    llvm::append_range(worklist, def->getOperands());
  }
  SmallVector<Operation *> ops = slice.takeVector();
  llvm::sort(ops,
             [](Operation *a, Operation *c) { return a->isBeforeInBlock(c); });
  for (Operation *op : ops) {
    if (Value reciprocal = reciprocals ? reciprocals->lookup(op) : Value()) {
      mapping.map(
          op->getResult(0),
          arith::MulFOp::create(
              b, loc, mapping.lookupOrDefault(op->getOperand(0)), reciprocal));
      continue;
    }
    cloneRetyped(b, op, mapping);
  }
  return mapping.lookupOrDefault(root);
}

LogicalResult RowKernelBuilder::buildForward() {
  if (failed(analyze()))
    return failure();
  OpBuilder::InsertionGuard guard(builder);
  func::FuncOp func = createKernel(
      getKernelName(activation.getSymName(), "", dtype.name), kGPURowKind, 2);
  Value xs = func.getArgument(0), ys = func.getArgument(1),
        cols = func.getArgument(3);
  Block &body = activation.getBody().front();
  IRMapping kernelMapping;
  for (Operation &op : body.without_terminator())
    if (op.getNumResults() != 0 && !isa<RowSumOp, RowMaxOp>(op) &&
        getLevel(op.getResult(0)) == Level::Kernel)
      cloneRetyped(builder, &op, kernelMapping);
  Value aligned = isVectorizable(builder, cols, {xs, ys});
  auto buildRow = [&](OpBuilder &b, Value rowStart, Value lane, bool vector) {
    IRMapping rowMapping = kernelMapping;
    auto evaluate = [&](OpBuilder &nested, Value x, Value root) {
      IRMapping mapping = rowMapping;
      mapping.map(activation.getInput(), x);
      return cloneElementSlice(nested, root, mapping);
    };
    for (Operation &op : body.without_terminator()) {
      if (op.getNumResults() == 0 || getLevel(op.getResult(0)) != Level::Row)
        continue;
      if (!isa<RowSumOp, RowMaxOp>(op)) {
        cloneRetyped(b, &op, rowMapping);
        continue;
      }
      // A sum is added in getSumType(), a max in the compute type (exact).
      bool isSum = isa<RowSumOp>(op);
      Value init = arith::ConstantOp::create(
          b, loc,
          isSum ? b.getFloatAttr(getSumType(), 0.0)
                : b.getFloatAttr(dtype.type,
                                 -std::numeric_limits<double>::infinity()));
      Value operand = op.getOperand(0);
      scf::ForOp partial = buildElementLoop(
          b, vector, rowStart, lane, cols, xs, nullptr, init,
          [&](OpBuilder &nested, ValueRange x, SmallVectorImpl<Value> &args) {
            Value value = evaluate(nested, x[0], operand);
            if (isSum)
              value = toSumType(nested, value);
            args[0] = combine(nested, args[0], value, isSum);
            return Value();
          });
      Value reduced = reduceWarp(b, partial.getResult(0), isSum);
      rowMapping.map(op.getResult(0),
                     isSum ? fromSumType(b, reduced) : reduced);
    }
    // The output loop divides by a row value (softmax: t / rowsum(t)) as a
    // product by its reciprocal, computed once per row: a division per
    // element is the costliest op of the loop (div.rn.f64 where act-expand
    // computes the body in f64; there the reciprocal and the product are
    // f64 too, two roundings of 2^-53 before the one to f32).
    DenseMap<Operation *, Value> reciprocals;
    for (Operation &op : body.without_terminator())
      if (auto div = dyn_cast<arith::DivFOp>(op))
        if (getLevel(div.getLhs()) == Level::Element &&
            getLevel(div.getRhs()) == Level::Row)
          reciprocals[div] = arith::DivFOp::create(
              b, loc,
              arith::ConstantOp::create(b, loc,
                                        b.getFloatAttr(dtype.type, 1.0)),
              rowMapping.lookup(div.getRhs()));
    buildElementLoop(
        b, vector, rowStart, lane, cols, xs, ys, {},
        [&](OpBuilder &nested, ValueRange x, SmallVectorImpl<Value> &) {
          IRMapping mapping = rowMapping;
          mapping.map(activation.getInput(), x[0]);
          return cloneElementSlice(nested, activation.getResult(), mapping,
                                   &reciprocals);
        });
  };
  buildRowLoop(func.getArgument(2), cols,
               [&](OpBuilder &b, Value rowStart, Value lane) {
                 buildPaths(b, aligned, [&](OpBuilder &nb, bool vector) {
                   buildRow(nb, rowStart, lane, vector);
                 });
               });
  func::ReturnOp::create(builder, loc);
  return success();
}

void RowKernelBuilder::buildGradient() {
  OpBuilder::InsertionGuard guard(builder);
  func::FuncOp func =
      createKernel(getKernelName(activation.getSymName(), "grad", dtype.name),
                   kGPURowGradKind, 3);
  Value ys = func.getArgument(0), dys = func.getArgument(1),
        dxs = func.getArgument(2), cols = func.getArgument(4);
  bool isSoftmax = getRowGradKind(activation) == kSoftmaxRowGrad;
  Value zero = arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(getSumType(), 0.0));
  // softmax:     s = sum(dy * y);  dx = y * (dy - s)
  // log_softmax: s = sum(dy);      dx = dy - exp(y) * s
  // s is added in getSumType() (dy * y of two f32 is exact in f64);
  // softmax's dx is computed in that type and rounded once, log_softmax's
  // reads s as the body reads a forward sum (fromSumType).
  // Each lane reads y[j] and dy[j] before it writes dx[j], so dx may be dy
  // or y.
  Value aligned = isVectorizable(builder, cols, {ys, dys, dxs});
  SmallVector<Value> summed = {dys};
  if (isSoftmax)
    summed.push_back(ys);
  auto buildRow = [&](OpBuilder &b, Value rowStart, Value lane, bool vector) {
    scf::ForOp partial = buildElementLoop(
        b, vector, rowStart, lane, cols, summed, nullptr, zero,
        [&](OpBuilder &nested, ValueRange in, SmallVectorImpl<Value> &args) {
          Value term = toSumType(nested, in[0]);
          if (isSoftmax)
            term = arith::MulFOp::create(nested, loc, term,
                                         toSumType(nested, in[1]));
          args[0] = arith::AddFOp::create(nested, loc, args[0], term);
          return Value();
        });
    Value s = reduceWarp(b, partial.getResult(0), /*isSum=*/true);
    Value bodySum = isSoftmax ? Value() : fromSumType(b, s);
    buildElementLoop(
        b, vector, rowStart, lane, cols, {ys, dys}, dxs, {},
        [&](OpBuilder &nested, ValueRange in, SmallVectorImpl<Value> &) {
          Value y = in[0], dy = in[1];
          if (isSoftmax) {
            Value dx = arith::MulFOp::create(
                nested, loc, toSumType(nested, y),
                arith::SubFOp::create(nested, loc, toSumType(nested, dy), s));
            if (dx.getType() == dtype.type)
              return dx;
            return Value(arith::TruncFOp::create(nested, loc, dtype.type, dx));
          }
          Value p = math::ExpOp::create(nested, loc, y);
          return Value(arith::SubFOp::create(
              nested, loc, dy, arith::MulFOp::create(nested, loc, p, bodySum)));
        });
  };
  buildRowLoop(func.getArgument(3), cols,
               [&](OpBuilder &b, Value rowStart, Value lane) {
                 buildPaths(b, aligned, [&](OpBuilder &nb, bool vector) {
                   buildRow(nb, rowStart, lane, vector);
                 });
               });
  func::ReturnOp::create(builder, loc);
}

LogicalResult mlir::act::buildGPURowKernels(OpBuilder &builder,
                                            ActivationOp activation,
                                            const KernelDType &dtype,
                                            bool forward, bool grad) {
  RowKernelBuilder kernels(builder, activation, dtype);
  if (forward && failed(kernels.buildForward()))
    return failure();
  if (grad && !getRowGradKind(activation).empty())
    kernels.buildGradient();
  return success();
}
