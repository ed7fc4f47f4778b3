//===- BiasKernels.cpp - the bias epilogue kernels of ABI.md --------------===//
//
// act-bias-kernels: for every public elementwise activation @f (and its
// gradient @f_grad from act-autodiff) and every requested element type,
// builds
//
//   NAME_bias_T(x, bias, y, rows, cols, P...)
//       y[r,c] = f(x[r,c] + bias[c]), one pass over x;
//   NAME_bias_grad_T(x, bias, dy, dx, dbias, rows, cols, P..., dP...)
//       z = x + bias, dx = dy * f'(z), dbias[c] = sum over r of dx[r,c],
//       *dP = sum of dy * df/dP(z).
//
// Both are a loop over rows around a column loop marked `act.vectorize`, so
// act-vectorize widens the columns (full vectors, then one masked tail per
// row). The bias gradient keeps a row of column sums in dbias itself,
// zeroed first and updated by each row's vector loop: the sums are
// accumulated in the element type (f32 for f32) and vectorized along the
// row, with no reduction across lanes. The parameter sums are the column
// loop's reductions, carried from row to row.
//
// When `bias_grad_mt` is selected, each bias gradient also gets a private
// strided twin for act-threaded-kernels, which splits the columns:
//
//   NAME_bias_grad_strided_T(x, bias, dy, dx, dbias, rows, cols, ld, P...,
//                            dP...)
//
// the same loops over `cols` columns of rows `ld` elements apart, so a
// thread computes a block of whole columns (dx and dbias bit for bit the
// full kernel's: each column's sum is taken over the same rows in the same
// order).
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/FusedKernels.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/StorageTypes.h"
#include "actc/Dialect/Act/Widening.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTBIASKERNELS
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

/// column + dx, the column sum of dbias, marked kColumnSumAttrName (it adds
/// dx as computed: act-expand's f32 routing reads it as a store of dx).
static Value createColumnSum(OpBuilder &builder, Value column, Value dx) {
  auto sum = arith::AddFOp::create(builder, dx.getLoc(), column, dx);
  sum->setAttr(kColumnSumAttrName, builder.getUnitAttr());
  return sum;
}

/// `scf.for %i = 0 to %size` carrying `inits`; `bodyFn` returns the yielded
/// values. Marked for act-vectorize when `vectorize` is set.
static scf::ForOp buildLoop(
    OpBuilder &builder, Location loc, Value size, ValueRange inits,
    bool vectorize,
    function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> bodyFn) {
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  auto loop = scf::ForOp::create(
      builder, loc, zero, size, one, inits,
      [&](OpBuilder &nested, Location nestedLoc, Value iv, ValueRange args) {
        scf::YieldOp::create(nested, nestedLoc, bodyFn(nested, iv, args));
      });
  if (vectorize)
    loop->setAttr(kVectorizeAttrName, builder.getUnitAttr());
  return loop;
}

/// Creates `func.func @name(types...)` with an entry block, the builder at
/// its start.
static func::FuncOp createKernel(OpBuilder &builder, Location loc,
                                 StringRef name, ArrayRef<Type> types) {
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType(types, {}));
  builder.setInsertionPointToStart(func.addEntryBlock());
  return func;
}

static Value toIndex(OpBuilder &builder, Location loc, Value value) {
  return arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                    value);
}

/// NAME_bias_T: y = f(x + bias), computed in `type`, arrays of `storage`.
static void buildBias(OpBuilder &builder, ActivationOp activation,
                      FloatType type, FloatType storage, StringRef dtype) {
  Location loc = activation.getLoc();
  MLIRContext *ctx = builder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = builder.getI64Type();
  size_t numParams = activation.getRuntimeParams().size();
  SmallVector<Type> types = {ptr, ptr, ptr, i64, i64};
  types.append(numParams, builder.getF32Type());

  OpBuilder::InsertionGuard guard(builder);
  func::FuncOp func = createKernel(
      builder, loc, getKernelName(activation.getSymName(), "bias", dtype),
      types);
  Value rows = toIndex(builder, loc, func.getArgument(3));
  Value cols = toIndex(builder, loc, func.getArgument(4));
  auto matrixType =
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                      getArrayElementType(storage));
  auto rowType =
      MemRefType::get({ShapedType::kDynamic}, getArrayElementType(storage));
  Value xs = ViewOp::create(builder, loc, matrixType, func.getArgument(0),
                            ValueRange{rows, cols});
  Value bs = ViewOp::create(builder, loc, rowType, func.getArgument(1),
                            ValueRange{cols});
  Value ys = ViewOp::create(builder, loc, matrixType, func.getArgument(2),
                            ValueRange{rows, cols});
  ActivationCloner cloner(activation, type, /*width=*/0,
                          func.getArguments().take_back(numParams));

  buildLoop(
      builder, loc, rows, {}, false, [&](OpBuilder &b, Value r, ValueRange) {
        scf::ForOp colLoop = buildLoop(
            b, loc, cols, {}, true, [&](OpBuilder &nb, Value c, ValueRange) {
              Value x =
                  loadElement(nb, loc, type, storage, xs, ValueRange{r, c});
              Value bias = loadElement(nb, loc, type, storage, bs, c);
              Value z = createArgumentSum(nb, loc, x, bias);
              Value y = cloner.clone(nb, z).front();
              storeElement(nb, loc, y, storage, ys, ValueRange{r, c});
              return SmallVector<Value>();
            });
        colLoop->setAttr(kStreamStoresAttrName, b.getUnitAttr());
        return SmallVector<Value>();
      });
  func::ReturnOp::create(builder, loc);
}

namespace {
/// A bias gradient kernel's function and its arguments: rows, cols and the
/// row stride ld as indices (ld is cols unless strided), P... and dP....
struct BiasGradKernel {
  func::FuncOp func;
  Value rows, cols, ld;
  ValueRange params, paramGrads;
};
} // namespace

/// The empty NAME_bias_grad_T kernel (x, bias, dy, dx, dbias, rows, cols,
/// P..., dP...), its builder inside it; `strided`: the private
/// NAME_bias_grad_strided_T, with the row stride `ld` after cols.
static BiasGradKernel createBiasGradKernel(OpBuilder &builder,
                                           ActivationOp forward,
                                           ActivationOp grad, StringRef dtype,
                                           bool strided) {
  MLIRContext *ctx = builder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = builder.getI64Type();
  size_t numParams = grad.getRuntimeParams().size();
  SmallVector<Type> types = {ptr, ptr, ptr, ptr, ptr, i64, i64};
  if (strided)
    types.push_back(i64);
  types.append(numParams, builder.getF32Type());
  types.append(numParams, ptr);
  func::FuncOp func = createKernel(
      builder, grad.getLoc(),
      getKernelName(forward.getSymName(),
                    strided ? "bias_grad_strided" : "bias_grad", dtype),
      types);
  if (strided)
    func.setPrivate();
  Location loc = grad.getLoc();
  Value rows = toIndex(builder, loc, func.getArgument(5));
  Value cols = toIndex(builder, loc, func.getArgument(6));
  Value ld = strided ? toIndex(builder, loc, func.getArgument(7)) : cols;
  ValueRange params =
      func.getArguments().drop_front(strided ? 8 : 7).take_front(numParams);
  ValueRange paramGrads = func.getArguments().take_back(numParams);
  return {func, rows, cols, ld, params, paramGrads};
}

/// NAME_bias_grad_T from the gradient activation `grad` (df/dx, df/dP...).
/// `strided`: the private NAME_bias_grad_strided_T (rows `ld` apart).
static void buildBiasGrad(OpBuilder &builder, ActivationOp forward,
                          ActivationOp grad, FloatType type, StringRef dtype,
                          int64_t width, bool strided) {
  Location loc = grad.getLoc();
  size_t numParams = grad.getRuntimeParams().size();
  OpBuilder::InsertionGuard guard(builder);
  BiasGradKernel kernel =
      createBiasGradKernel(builder, forward, grad, dtype, strided);
  func::FuncOp func = kernel.func;
  Value rows = kernel.rows, cols = kernel.cols, ld = kernel.ld;
  auto matrixType =
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic}, type);
  auto rowType = MemRefType::get({ShapedType::kDynamic}, type);
  auto matrix = [&](unsigned index) -> Value {
    return ViewOp::create(builder, loc, matrixType, func.getArgument(index),
                          ValueRange{rows, ld});
  };
  Value xs = matrix(0), dys = matrix(2), dxs = matrix(3);
  Value bs = ViewOp::create(builder, loc, rowType, func.getArgument(1),
                            ValueRange{cols});
  Value dbs = ViewOp::create(builder, loc, rowType, func.getArgument(4),
                             ValueRange{cols});
  ActivationCloner cloner(grad, type, /*width=*/0, kernel.params);

  // dbias starts at zero: rows == 0 leaves it so. Masked stores, since LLVM
  // turns a loop of plain zero stores into a call to memset, which the
  // object may not need (only libm is allowed).
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getFloatAttr(type, 0.0));
  auto vectorType = VectorType::get({width}, type);
  Value zeros = arith::ConstantOp::create(
      builder, loc, vectorType,
      DenseElementsAttr::get(vectorType, builder.getFloatAttr(type, 0.0)));
  scf::ForOp::create(
      builder, loc, arith::ConstantIndexOp::create(builder, loc, 0), cols,
      arith::ConstantIndexOp::create(builder, loc, width), ValueRange{},
      [&](OpBuilder &b, Location, Value c, ValueRange) {
        Value rest = arith::SubIOp::create(b, loc, cols, c);
        rest = arith::MinSIOp::create(
            b, loc, rest, arith::ConstantIndexOp::create(b, loc, width));
        Value mask = vector::CreateMaskOp::create(
            b, loc, VectorType::get({width}, b.getI1Type()), ValueRange{rest});
        vector::MaskedStoreOp::create(b, loc, dbs, c, mask, zeros);
        scf::YieldOp::create(b, loc);
      });

  SmallVector<Value> inits(numParams, zero);
  scf::ForOp rowLoop = buildLoop(
      builder, loc, rows, inits, false,
      [&](OpBuilder &b, Value r, ValueRange rowSums) {
        scf::ForOp colLoop = buildLoop(
            b, loc, cols, rowSums, true,
            [&](OpBuilder &nb, Value c, ValueRange sums) {
              Value x = memref::LoadOp::create(nb, loc, xs, ValueRange{r, c});
              Value dy = memref::LoadOp::create(nb, loc, dys, ValueRange{r, c});
              Value bias = memref::LoadOp::create(nb, loc, bs, c);
              Value z = createArgumentSum(nb, loc, x, bias);
              SmallVector<Value> partials = cloner.clone(nb, z);
              Value dx = arith::MulFOp::create(nb, loc, dy, partials.front());
              memref::StoreOp::create(nb, loc, dx, dxs, ValueRange{r, c});
              Value column = memref::LoadOp::create(nb, loc, dbs, c);
              memref::StoreOp::create(nb, loc, createColumnSum(nb, column, dx),
                                      dbs, c);
              SmallVector<Value> next;
              for (auto [sum, partial] :
                   llvm::zip_equal(sums, ArrayRef(partials).drop_front())) {
                Value term = arith::MulFOp::create(nb, loc, dy, partial);
                next.push_back(arith::AddFOp::create(nb, loc, sum, term));
              }
              return next;
            });
        colLoop->setAttr(kStreamStoresAttrName, b.getUnitAttr());
        return SmallVector<Value>(colLoop.getResults());
      });

  // Each *dP is one float, set to the sum.
  Type f32 = builder.getF32Type();
  auto scalarType = MemRefType::get({ShapedType::kDynamic}, f32);
  Value first = arith::ConstantIndexOp::create(builder, loc, 0);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  for (auto [index, sum] : llvm::enumerate(rowLoop.getResults())) {
    Value dp = kernel.paramGrads[index];
    Value dps = ViewOp::create(builder, loc, scalarType, dp, ValueRange{one});
    Value value = sum;
    if (type.getWidth() > 32)
      value = arith::TruncFOp::create(builder, loc, f32, value);
    memref::StoreOp::create(builder, loc, value, dps, first);
  }
  func::ReturnOp::create(builder, loc);
}

/// NAME_bias_grad_T for a 16-bit storage type (bf16, f16): computed in f32
/// (`type`) like the forward kernels, with the column sums accumulated in
/// f32 too, in a stack row of kStorageChunk floats (kept as two i16 rows,
/// see below): the columns go in
/// chunks of that many, each a pass over the rows, then the chunk's sums
/// are rounded into dbias once. The chunk's arrays are views at the
/// chunk's first column, so the column loop indexes them by its induction
/// variable alone (what act-vectorize widens).
static constexpr int64_t kStorageChunk = 2048;
static void buildBiasGradStorage(OpBuilder &builder, ActivationOp forward,
                                 ActivationOp grad, FloatType type,
                                 FloatType storage, StringRef dtype,
                                 int64_t width, bool strided) {
  Location loc = grad.getLoc();
  size_t numParams = grad.getRuntimeParams().size();
  OpBuilder::InsertionGuard guard(builder);
  BiasGradKernel kernel =
      createBiasGradKernel(builder, forward, grad, dtype, strided);
  func::FuncOp func = kernel.func;
  Value rows = kernel.rows, cols = kernel.cols, ld = kernel.ld;
  Type ptr = LLVM::LLVMPointerType::get(builder.getContext());
  Type element = getArrayElementType(storage);
  auto matrixType =
      MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic}, element);
  auto rowType = MemRefType::get({ShapedType::kDynamic}, element);
  ActivationCloner cloner(grad, type, /*width=*/0, kernel.params);
  // act-vectorize takes one element type per loop (it sets the lanes), so
  // the f32 sums live as their upper and lower 16 bits in two i16 rows.
  auto halfRow = MemRefType::get({kStorageChunk}, element);
  Value sumsHigh = memref::AllocaOp::create(builder, loc, halfRow,
                                            builder.getI64IntegerAttr(64));
  Value sumsLow = memref::AllocaOp::create(builder, loc, halfRow,
                                           builder.getI64IntegerAttr(64));
  Type i32 = builder.getI32Type();
  auto loadSum = [&](OpBuilder &b, Value c) -> Value {
    Value high = arith::ExtUIOp::create(
        b, loc, i32, memref::LoadOp::create(b, loc, sumsHigh, c));
    Value low = arith::ExtUIOp::create(
        b, loc, i32, memref::LoadOp::create(b, loc, sumsLow, c));
    high = arith::ShLIOp::create(
        b, loc, high, arith::ConstantIntOp::create(b, loc, 16, 32));
    return arith::BitcastOp::create(
        b, loc, type, arith::OrIOp::create(b, loc, high, low));
  };
  auto storeSum = [&](OpBuilder &b, Value sum, Value c) {
    Value bits = arith::BitcastOp::create(b, loc, i32, sum);
    Value high = arith::ShRUIOp::create(
        b, loc, bits, arith::ConstantIntOp::create(b, loc, 16, 32));
    memref::StoreOp::create(b, loc,
                            arith::TruncIOp::create(b, loc, element, high),
                            sumsHigh, c);
    memref::StoreOp::create(b, loc,
                            arith::TruncIOp::create(b, loc, element, bits),
                            sumsLow, c);
  };
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getFloatAttr(type, 0.0));
  auto vectorType = VectorType::get({width}, element);
  Value zeros = arith::ConstantOp::create(
      builder, loc, vectorType,
      DenseElementsAttr::get(vectorType, builder.getIntegerAttr(element, 0)));
  Value c0 = arith::ConstantIndexOp::create(builder, loc, 0);
  Value chunk = arith::ConstantIndexOp::create(builder, loc, kStorageChunk);

  SmallVector<Value> inits(numParams, zero);
  auto chunkLoop = scf::ForOp::create(
      builder, loc, c0, cols, chunk, inits,
      [&](OpBuilder &b, Location, Value first, ValueRange chunkSums) {
        Value count = arith::MinSIOp::create(
            b, loc, chunk, arith::SubIOp::create(b, loc, cols, first));
        Value offset =
            arith::IndexCastOp::create(b, loc, b.getI64Type(), first);
        // The chunk's views: element (r, c) is column first + c of row r.
        auto at = [&](unsigned index) -> Value {
          return LLVM::GEPOp::create(b, loc, ptr, element,
                                     func.getArgument(index),
                                     ValueRange{offset});
        };
        auto matrix = [&](unsigned index) -> Value {
          return ViewOp::create(b, loc, matrixType, at(index),
                                ValueRange{rows, ld});
        };
        Value xs = matrix(0), dys = matrix(2), dxs = matrix(3);
        Value bs = ViewOp::create(b, loc, rowType, at(1), ValueRange{count});
        Value dbs = ViewOp::create(b, loc, rowType, at(4), ValueRange{count});
        // The f32 sums start at zero (masked stores: no memset call).
        scf::ForOp::create(
            b, loc, c0, count, arith::ConstantIndexOp::create(b, loc, width),
            ValueRange{}, [&](OpBuilder &zb, Location, Value c, ValueRange) {
              Value rest = arith::SubIOp::create(zb, loc, count, c);
              rest = arith::MinSIOp::create(
                  zb, loc, rest, arith::ConstantIndexOp::create(zb, loc, width));
              Value mask = vector::CreateMaskOp::create(
                  zb, loc, VectorType::get({width}, zb.getI1Type()),
                  ValueRange{rest});
              vector::MaskedStoreOp::create(zb, loc, sumsHigh, c, mask, zeros);
              vector::MaskedStoreOp::create(zb, loc, sumsLow, c, mask, zeros);
              scf::YieldOp::create(zb, loc);
            });
        scf::ForOp rowLoop = buildLoop(
            b, loc, rows, chunkSums, false,
            [&](OpBuilder &rb, Value r, ValueRange rowSums) {
              scf::ForOp colLoop = buildLoop(
                  rb, loc, count, rowSums, true,
                  [&](OpBuilder &nb, Value c, ValueRange sums) {
                    Value x = loadElement(nb, loc, type, storage, xs,
                                          ValueRange{r, c});
                    Value dy = loadElement(nb, loc, type, storage, dys,
                                           ValueRange{r, c});
                    Value bias = loadElement(nb, loc, type, storage, bs, c);
                    Value z = createArgumentSum(nb, loc, x, bias);
                    SmallVector<Value> partials = cloner.clone(nb, z);
                    Value dx =
                        arith::MulFOp::create(nb, loc, dy, partials.front());
                    storeElement(nb, loc, dx, storage, dxs, ValueRange{r, c});
                    storeSum(nb, createColumnSum(nb, loadSum(nb, c), dx), c);
                    SmallVector<Value> next;
                    for (auto [sum, partial] : llvm::zip_equal(
                             sums, ArrayRef(partials).drop_front())) {
                      Value term = arith::MulFOp::create(nb, loc, dy, partial);
                      next.push_back(
                          arith::AddFOp::create(nb, loc, sum, term));
                    }
                    return next;
                  });
              colLoop->setAttr(kStreamStoresAttrName, rb.getUnitAttr());
              return SmallVector<Value>(colLoop.getResults());
            });
        // dbias = the sums, rounded once.
        buildLoop(b, loc, count, {}, true,
                  [&](OpBuilder &sb, Value c, ValueRange) {
                    storeElement(sb, loc, loadSum(sb, c), storage, dbs, c);
                    return SmallVector<Value>();
                  });
        scf::YieldOp::create(b, loc, rowLoop.getResults());
      });

  // Each *dP is one float, set to the sum (zero when cols == 0).
  Type f32 = builder.getF32Type();
  auto scalarType = MemRefType::get({ShapedType::kDynamic}, f32);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  for (auto [index, sum] : llvm::enumerate(chunkLoop.getResults())) {
    Value dp = kernel.paramGrads[index];
    Value dps = ViewOp::create(builder, loc, scalarType, dp, ValueRange{one});
    memref::StoreOp::create(builder, loc, sum, dps, c0);
  }
  func::ReturnOp::create(builder, loc);
}

namespace {
struct ActBiasKernelsPass
    : public act::impl::ActBiasKernelsBase<ActBiasKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<SmallVector<KernelDType>> types = parseKernelDTypes(
        module, SmallVector<std::string>(dtypes.begin(), dtypes.end()));
    if (failed(types))
      return signalPassFailure();
    FailureOr<SmallVector<std::string>> selected = parseKernelKinds(
        module, SmallVector<std::string>(kinds.begin(), kinds.end()),
        "act-bias-kernels: ");
    if (failed(selected))
      return signalPassFailure();
    bool withBias = isKernelKindSelected(*selected, "bias");
    bool withBiasGrad = isKernelKindSelected(*selected, "bias_grad");
    // The strided twins, for act-threaded-kernels' NAME_bias_grad_mt_T.
    bool withStrided = isKernelKindSelected(*selected, "bias_grad_mt");
    if (!withBias && !withBiasGrad)
      return;
    SmallVector<FusedActivation> activations = collectFusedActivations(module);
    for (const FusedActivation &entry : activations) {
      ActivationCloner forward(entry.forward, Float32Type::get(&getContext()),
                               0, {});
      if (failed(forward.verify()) ||
          (entry.grad &&
           failed(ActivationCloner(entry.grad, Float32Type::get(&getContext()),
                                   0, {})
                      .verify())))
        return signalPassFailure();
      OpBuilder builder(entry.forward);
      for (const KernelDType &dtype : *types) {
        if (withBias)
          buildBias(builder, entry.forward, dtype.type, dtype.storage,
                    dtype.name);
        if (!entry.grad || !withBiasGrad ||
            !isKernelKindAvailable("bias_grad", dtype.name))
          continue;
        int64_t width =
            std::max<int64_t>(1, vectorBits / FloatType(dtype.type).getWidth());
        for (bool strided : {false, true}) {
          if (strided && !withStrided)
            continue;
          if (dtype.storage != dtype.type)
            buildBiasGradStorage(builder, entry.forward, entry.grad, dtype.type,
                                 dtype.storage, dtype.name, width, strided);
          else
            buildBiasGrad(builder, entry.forward, entry.grad, dtype.type,
                          dtype.name, width, strided);
        }
      }
    }
  }
};
} // namespace
