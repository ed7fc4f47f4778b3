//===- GPUKernels.cpp - instantiate the GPU kernels of each activation ----===//
//
// act-gpu-kernels: for every public elementwise activation and element
// type, the device side of ABI.md's GPU kernels, as func.func marked
// `act.gpu_kernel` with the kernel's kind:
//
//   "elementwise"  NAME_T(x, y: !llvm.ptr, n: i64, P: f32...)
//   "grad"         NAME_grad_T(x, dy, dx: !llvm.ptr, n: i64, P: f32...,
//                              dP: !llvm.ptr...)
//   "bias"         NAME_bias_T(x, bias, y: !llvm.ptr, rows, cols: i64,
//                              P: f32...)
//
// They stay func.func here so that act-expand (which widens the composed
// f32 bodies of func.func kernels to f64) and act-math-approx treat them as
// they treat the CPU kernels; act-gpu-outline then moves them into the
// gpu.module.
//
// Each is a grid-stride loop: thread t of the grid handles elements t,
// t + gridDim.x * blockDim.x, ..., so any launch size covers any n and
// neighbouring threads touch neighbouring elements (coalesced). The forward
// kernel and a gradient without parameters first check that every pointer
// is 16-byte aligned; if so a grid-stride loop over 128-bit vectors (4 f32,
// 2 f64, 8 bf16/f16; the body cloned at that width) does all but the last n %
// lanes elements, and a scalar grid-stride loop the rest (all of them
// otherwise). A gradient with parameters does the same; its threads sum dy *
// df/dP over their elements (the vector loop in per-lane sums, added in lane
// order to the scalar loop's start value), the warp adds its 32 threads' sums
// with five shuffles, and lane 0 adds the warp's sum to *dP with one atomic
// add; the host launcher zeroes *dP before the launch, which makes *dP the
// sum (ABI.md: set, not added). The bias kernel strides rows along the
// grid's y dimension and columns along x, so no element needs a division by
// cols; when x, bias and y are 16-byte aligned and cols is a multiple of the
// lanes, each row is covered by 128-bit vectors (x[r * cols + c..],
// bias[c..]), else by scalars. It carries `act.gpu_lanes` (the lanes of its
// vectors) so that the launcher sizes the grid's x by vectors.
//
// bf16 and f16 (ABI.md: uint16_t arrays, arithmetic in f32) are loaded as
// bf16/f16, extended to f32 (exact) and computed as the f32 kernel; results
// are rounded back with arith.truncf (to nearest even; PTX cvt.rn.bf16.f32
// and cvt.rn.f16.f32), so they match the CPU kernels' integer RNE.
//
// Row activations (softmax, ...) get their kernels from GPURowKernels.cpp.
//
// The pointers are plain !llvm.ptr: loads and stores are llvm.getelementptr
// + llvm.load/store, which every later pass passes through unchanged.
//
//===----------------------------------------------------------------------===//

#include "GPURowKernels.h"

#include "actc/Dialect/Act/FusedKernels.h"
#include "actc/Dialect/Act/GPUKernelABI.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/Widening.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTGPUKERNELS
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

/// Builds the kernels of one activation at one element type.
class GPUKernelBuilder {
public:
  GPUKernelBuilder(OpBuilder &builder, FusedActivation entry, KernelDType dtype)
      : builder(builder), entry(entry), dtype(dtype),
        loc(entry.forward.getLoc()),
        ptrType(LLVM::LLVMPointerType::get(builder.getContext())),
        i64Type(builder.getI64Type()), f32Type(builder.getF32Type()) {}

  void buildForward();
  void buildGradient();
  void buildBias();

private:
  /// `func.func @name(types...)` marked with `kind`, the builder at the
  /// start of its body (restored by the caller's guard).
  func::FuncOp createKernel(StringRef name, StringRef kind,
                            ArrayRef<Type> types);
  /// This thread's first index and the grid's stride along `dim` (x: the
  /// global thread index, y: the block index), both i64.
  std::pair<Value, Value> getGridStride(OpBuilder &b, gpu::Dimension dim);
  /// `scf.for %i = start to size step stride` over i64.
  scf::ForOp buildGridStrideLoop(
      OpBuilder &b, Value size, gpu::Dimension dim, ValueRange inits,
      function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> bodyFn,
      Value offset = nullptr);
  /// The loops of a kernel that maps elements without a reduction:
  /// `output[i] = body(inputs[i]...)`. When every pointer is 16-byte aligned,
  /// a grid-stride loop over 128-bit vectors (`body` at `vectorType`) covers
  /// the first n - n % lanes elements; a scalar grid-stride loop covers the
  /// rest (all of them when a pointer is not aligned).
  void
  buildMapLoops(Value size, ArrayRef<Value> inputs, Value output,
                function_ref<Value(OpBuilder &, ValueRange, bool vector)> body);
  /// The number of 128-bit vectors a vector loop over `size` elements covers:
  /// size / lanes when every pointer is 16-byte aligned (and, with
  /// `whole`, size is a multiple of the lanes), else 0.
  Value getVectorCount(OpBuilder &b, Value size, ArrayRef<Value> pointers,
                       bool whole);
  Value constant(OpBuilder &b, int64_t value) {
    return arith::ConstantIntOp::create(b, loc, i64Type, value);
  }
  /// A 128-bit load at `index` (an element index), extended to the
  /// compute type; its store, rounded to the storage type.
  Value loadVector(OpBuilder &b, Value base, Value index) {
    return extend(b, LLVM::LoadOp::create(b, loc, getVectorType(dtype.storage),
                                          address(b, base, index),
                                          /*alignment=*/16));
  }
  void storeVector(OpBuilder &b, Value value, Value base, Value index) {
    LLVM::StoreOp::create(b, loc, round(b, value), address(b, base, index),
                          /*alignment=*/16);
  }
  /// Adds `sums` (f32) over the 32 lanes of each warp (five shuffles, xor
  /// 16, 8, 4, 2, 1), and lane 0 adds each to its *dP atomically.
  void buildWarpAtomicAdds(ArrayRef<Value> sums, ArrayRef<Value> dps);
  /// The lanes of a 128-bit access of the arrays' element type.
  int64_t getLanes() { return 128 / dtype.storage.getWidth(); }
  /// `type` (the compute type) with getLanes() lanes.
  VectorType getVectorType(Type type) {
    return VectorType::get({getLanes()}, type);
  }
  Value address(OpBuilder &b, Value base, Value index) {
    return LLVM::GEPOp::create(b, loc, ptrType, dtype.storage, base,
                               ValueRange{index});
  }
  /// The compute type's value of `stored` (exact: bf16/f16 extended to f32).
  Value extend(OpBuilder &b, Value stored) {
    if (dtype.storage == dtype.type)
      return stored;
    Type type = dtype.type;
    if (auto vector = dyn_cast<VectorType>(stored.getType()))
      type = getVectorType(type);
    return arith::ExtFOp::create(b, loc, type, stored);
  }
  /// `value` rounded to the storage type (to nearest even: PTX cvt.rn).
  Value round(OpBuilder &b, Value value) {
    if (dtype.storage == dtype.type)
      return value;
    Type type = dtype.storage;
    if (auto vector = dyn_cast<VectorType>(value.getType()))
      type = getVectorType(type);
    return arith::TruncFOp::create(b, loc, type, value);
  }
  Value load(OpBuilder &b, Value base, Value index) {
    return extend(b, LLVM::LoadOp::create(b, loc, dtype.storage,
                                          address(b, base, index)));
  }
  void store(OpBuilder &b, Value value, Value base, Value index) {
    LLVM::StoreOp::create(b, loc, round(b, value), address(b, base, index));
  }
  size_t getNumParams() { return entry.forward.getRuntimeParams().size(); }

  OpBuilder &builder;
  FusedActivation entry;
  KernelDType dtype;
  Location loc;
  Type ptrType, i64Type, f32Type;
};

} // namespace

func::FuncOp GPUKernelBuilder::createKernel(StringRef name, StringRef kind,
                                            ArrayRef<Type> types) {
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType(types, {}));
  func->setAttr(kGPUKernelAttrName, builder.getStringAttr(kind));
  builder.setInsertionPointToStart(func.addEntryBlock());
  return func;
}

std::pair<Value, Value> GPUKernelBuilder::getGridStride(OpBuilder &b,
                                                        gpu::Dimension dim) {
  auto toI64 = [&](Value index) -> Value {
    return arith::IndexCastUIOp::create(b, loc, i64Type, index);
  };
  Value block = toI64(gpu::BlockIdOp::create(b, loc, dim));
  Value blocks = toI64(gpu::GridDimOp::create(b, loc, dim));
  if (dim != gpu::Dimension::x)
    return {block, blocks};
  Value threads = toI64(gpu::BlockDimOp::create(b, loc, dim));
  Value thread = toI64(gpu::ThreadIdOp::create(b, loc, dim));
  Value first = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, block, threads), thread);
  Value stride = arith::MulIOp::create(b, loc, blocks, threads);
  return {first, stride};
}

scf::ForOp GPUKernelBuilder::buildGridStrideLoop(
    OpBuilder &b, Value size, gpu::Dimension dim, ValueRange inits,
    function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> bodyFn,
    Value offset) {
  auto [first, stride] = getGridStride(b, dim);
  if (offset)
    first = arith::AddIOp::create(b, loc, offset, first);
  return scf::ForOp::create(
      b, loc, first, size, stride, inits,
      [&](OpBuilder &nested, Location nestedLoc, Value i, ValueRange args) {
        scf::YieldOp::create(nested, nestedLoc, bodyFn(nested, i, args));
      });
}

Value GPUKernelBuilder::getVectorCount(OpBuilder &b, Value size,
                                       ArrayRef<Value> pointers, bool whole) {
  int64_t lanes = getLanes();
  Value bits = LLVM::PtrToIntOp::create(b, loc, i64Type, pointers.front());
  for (Value pointer : pointers.drop_front())
    bits = arith::OrIOp::create(
        b, loc, bits, LLVM::PtrToIntOp::create(b, loc, i64Type, pointer));
  Value low = arith::AndIOp::create(b, loc, bits, constant(b, 15));
  if (whole)
    low = arith::OrIOp::create(
        b, loc, low,
        arith::AndIOp::create(b, loc, size, constant(b, lanes - 1)));
  Value aligned = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, low,
                                        constant(b, 0));
  return arith::SelectOp::create(
      b, loc, aligned, arith::DivUIOp::create(b, loc, size, constant(b, lanes)),
      constant(b, 0));
}

void GPUKernelBuilder::buildWarpAtomicAdds(ArrayRef<Value> sums,
                                           ArrayRef<Value> dps) {
  SmallVector<Value> totals;
  for (Value sum : sums) {
    for (int32_t offset = 16; offset > 0; offset /= 2) {
      Value other = gpu::ShuffleOp::create(builder, loc, sum, offset,
                                           /*width=*/32, gpu::ShuffleMode::XOR)
                        .getShuffleResult();
      sum = arith::AddFOp::create(builder, loc, sum, other);
    }
    totals.push_back(sum);
  }
  // The launcher's blocks are whole warps (256 threads).
  Value thread = arith::IndexCastUIOp::create(
      builder, loc, i64Type,
      gpu::ThreadIdOp::create(builder, loc, gpu::Dimension::x));
  Value lane =
      arith::RemUIOp::create(builder, loc, thread, constant(builder, 32));
  Value first = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                      lane, constant(builder, 0));
  scf::IfOp::create(builder, loc, first, [&](OpBuilder &b, Location) {
    for (auto [total, dp] : llvm::zip_equal(totals, dps))
      LLVM::AtomicRMWOp::create(b, loc, LLVM::AtomicBinOp::fadd, dp, total,
                                LLVM::AtomicOrdering::monotonic);
    scf::YieldOp::create(b, loc);
  });
}

void GPUKernelBuilder::buildMapLoops(
    Value size, ArrayRef<Value> inputs, Value output,
    function_ref<Value(OpBuilder &, ValueRange, bool vector)> body) {
  int64_t lanes = getLanes();
  SmallVector<Value> pointers = {output};
  llvm::append_range(pointers, inputs);
  Value vectors = getVectorCount(builder, size, pointers, /*whole=*/false);
  buildGridStrideLoop(builder, vectors, gpu::Dimension::x, {},
                      [&](OpBuilder &b, Value v, ValueRange) {
                        Value i = arith::MulIOp::create(b, loc, v,
                                                        constant(b, lanes));
                        SmallVector<Value> loaded;
                        for (Value input : inputs)
                          loaded.push_back(loadVector(b, input, i));
                        storeVector(b, body(b, loaded, true), output, i);
                        return SmallVector<Value>();
                      });
  Value rest =
      arith::MulIOp::create(builder, loc, vectors, constant(builder, lanes));
  buildGridStrideLoop(
      builder, size, gpu::Dimension::x, {},
      [&](OpBuilder &b, Value i, ValueRange) {
        SmallVector<Value> loaded;
        for (Value input : inputs)
          loaded.push_back(load(b, input, i));
        store(b, body(b, loaded, false), output, i);
        return SmallVector<Value>();
      },
      rest);
}

void GPUKernelBuilder::buildForward() {
  OpBuilder::InsertionGuard guard(builder);
  SmallVector<Type> types = {ptrType, ptrType, i64Type};
  types.append(getNumParams(), f32Type);
  func::FuncOp func =
      createKernel(getKernelName(entry.forward.getSymName(), "", dtype.name),
                   kGPUElementwiseKind, types);
  SmallVector<Value> params(func.getArguments().drop_front(3));
  ActivationCloner cloner(entry.forward, dtype.type, /*width=*/0, params);
  ActivationCloner vectorCloner(entry.forward, dtype.type, getLanes(),
                                params);
  buildMapLoops(func.getArgument(2), func.getArgument(0), func.getArgument(1),
                [&](OpBuilder &b, ValueRange x, bool vector) {
                  return (vector ? vectorCloner : cloner).clone(b, x[0])[0];
                });
  func::ReturnOp::create(builder, loc);
}

void GPUKernelBuilder::buildGradient() {
  OpBuilder::InsertionGuard guard(builder);
  size_t numParams = getNumParams();
  SmallVector<Type> types = {ptrType, ptrType, ptrType, i64Type};
  types.append(numParams, f32Type);
  types.append(numParams, ptrType);
  func::FuncOp func = createKernel(
      getKernelName(entry.forward.getSymName(), "grad", dtype.name),
      kGPUGradKind, types);
  ActivationCloner cloner(entry.grad, dtype.type, /*width=*/0,
                          func.getArguments().slice(4, numParams));
  Value xs = func.getArgument(0), dys = func.getArgument(1),
        dxs = func.getArgument(2);
  if (numParams == 0) {
    // A map, dx = dy * f'(x): 128-bit accesses where aligned.
    ActivationCloner vectorCloner(entry.grad, dtype.type, getLanes(), {});
    buildMapLoops(
        func.getArgument(3), {xs, dys}, dxs,
        [&](OpBuilder &b, ValueRange in, bool vector) -> Value {
          Value slope =
              (vector ? vectorCloner : cloner).clone(b, in[0]).front();
          return arith::MulFOp::create(b, loc, in[1], slope);
        });
    func::ReturnOp::create(builder, loc);
    return;
  }
  // dx = dy * f'(x), and each *dP's share sum(dy * df/dP): the vector loop
  // where x, dy and dx are aligned, in per-lane sums; then the scalar loop,
  // starting from the vector sums' lanes added in order.
  int64_t lanes = getLanes();
  ActivationCloner vectorCloner(entry.grad, dtype.type, lanes,
                                func.getArguments().slice(4, numParams));
  Value n = func.getArgument(3);
  Value vectors = getVectorCount(builder, n, {dxs, xs, dys}, /*whole=*/false);
  VectorType vectorType = getVectorType(dtype.type);
  Value vectorZero = arith::ConstantOp::create(
      builder, loc, vectorType,
      DenseElementsAttr::get(vectorType,
                             builder.getFloatAttr(dtype.type, 0.0)));
  auto accumulate = [&](OpBuilder &b, Value dy, ArrayRef<Value> partials,
                        ValueRange sums) {
    SmallVector<Value> next;
    for (auto [sum, partial] : llvm::zip_equal(sums, partials.drop_front())) {
      Value term = arith::MulFOp::create(b, loc, dy, partial);
      next.push_back(arith::AddFOp::create(b, loc, sum, term));
    }
    return next;
  };
  scf::ForOp vectorLoop = buildGridStrideLoop(
      builder, vectors, gpu::Dimension::x,
      SmallVector<Value>(numParams, vectorZero),
      [&](OpBuilder &b, Value v, ValueRange sums) {
        Value i = arith::MulIOp::create(b, loc, v, constant(b, lanes));
        Value dy = loadVector(b, dys, i);
        SmallVector<Value> partials =
            vectorCloner.clone(b, loadVector(b, xs, i));
        storeVector(b, arith::MulFOp::create(b, loc, dy, partials.front()), dxs,
                    i);
        return accumulate(b, dy, partials, sums);
      });
  SmallVector<Value> inits;
  for (Value sum : vectorLoop.getResults()) {
    Value total;
    for (int64_t lane = 0; lane < lanes; ++lane) {
      Value element = LLVM::ExtractElementOp::create(
          builder, loc, sum,
          arith::ConstantIntOp::create(builder, loc, builder.getI32Type(),
                                       lane));
      total =
          total ? arith::AddFOp::create(builder, loc, total, element) : element;
    }
    inits.push_back(total);
  }
  Value rest =
      arith::MulIOp::create(builder, loc, vectors, constant(builder, lanes));
  scf::ForOp loop = buildGridStrideLoop(
      builder, n, gpu::Dimension::x, inits,
      [&](OpBuilder &b, Value i, ValueRange sums) {
        Value dy = load(b, dys, i);
        SmallVector<Value> partials = cloner.clone(b, load(b, xs, i));
        store(b, arith::MulFOp::create(b, loc, dy, partials.front()), dxs, i);
        return accumulate(b, dy, partials, sums);
      },
      rest);
  // This thread's share of each *dP (in f32), summed over the warp; the
  // launcher zeroed *dP.
  SmallVector<Value> sums;
  for (Value sum : loop.getResults())
    sums.push_back(dtype.type.getWidth() > 32
                       ? arith::TruncFOp::create(builder, loc, f32Type, sum)
                       : sum);
  buildWarpAtomicAdds(
      sums, SmallVector<Value>(func.getArguments().take_back(numParams)));
  func::ReturnOp::create(builder, loc);
}

void GPUKernelBuilder::buildBias() {
  OpBuilder::InsertionGuard guard(builder);
  SmallVector<Type> types = {ptrType, ptrType, ptrType, i64Type, i64Type};
  types.append(getNumParams(), f32Type);
  func::FuncOp func = createKernel(
      getKernelName(entry.forward.getSymName(), "bias", dtype.name),
      kGPUBiasKind, types);
  ActivationCloner cloner(entry.forward, dtype.type, /*width=*/0,
                          func.getArguments().drop_front(5));
  ActivationCloner vectorCloner(entry.forward, dtype.type, getLanes(),
                                func.getArguments().drop_front(5));
  func->setAttr(kGPULanesAttrName, builder.getI64IntegerAttr(getLanes()));
  Value xs = func.getArgument(0), bias = func.getArgument(1),
        ys = func.getArgument(2), cols = func.getArgument(4);
  int64_t lanes = getLanes();
  // Vectors per row: cols / lanes when every row starts 16-byte aligned.
  Value vectors = getVectorCount(builder, cols, {ys, xs, bias}, /*whole=*/true);
  Value rest =
      arith::MulIOp::create(builder, loc, vectors, constant(builder, lanes));
  buildGridStrideLoop(
      builder, func.getArgument(3), gpu::Dimension::y, {},
      [&](OpBuilder &b, Value r, ValueRange) {
        Value rowStart = arith::MulIOp::create(b, loc, r, cols);
        buildGridStrideLoop(
            b, vectors, gpu::Dimension::x, {},
            [&](OpBuilder &nb, Value v, ValueRange) {
              Value c = arith::MulIOp::create(nb, loc, v, constant(nb, lanes));
              Value i = arith::AddIOp::create(nb, loc, rowStart, c);
              Value z = arith::AddFOp::create(nb, loc, loadVector(nb, xs, i),
                                              loadVector(nb, bias, c));
              storeVector(nb, vectorCloner.clone(nb, z).front(), ys, i);
              return SmallVector<Value>();
            });
        buildGridStrideLoop(
            b, cols, gpu::Dimension::x, {},
            [&](OpBuilder &nb, Value c, ValueRange) {
              Value i = arith::AddIOp::create(nb, loc, rowStart, c);
              Value z = arith::AddFOp::create(nb, loc, load(nb, xs, i),
                                              load(nb, bias, c));
              store(nb, cloner.clone(nb, z).front(), ys, i);
              return SmallVector<Value>();
            },
            rest);
        return SmallVector<Value>();
      });
  func::ReturnOp::create(builder, loc);
}

namespace {
struct ActGPUKernelsPass
    : public act::impl::ActGPUKernelsBase<ActGPUKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<SmallVector<KernelDType>> types = parseKernelDTypes(
        module, SmallVector<std::string>(dtypes.begin(), dtypes.end()));
    if (failed(types))
      return signalPassFailure();
    FailureOr<SmallVector<std::string>> selected = parseKernelKinds(
        module, SmallVector<std::string>(kinds.begin(), kinds.end()),
        "act-gpu-kernels: ");
    if (failed(selected))
      return signalPassFailure();
    bool withForward = isKernelKindSelected(*selected, "forward");
    bool withGrad = isKernelKindSelected(*selected, "grad");
    bool withBias = isKernelKindSelected(*selected, "bias");
    for (auto activation : module.getOps<ActivationOp>()) {
      if (activation.isPrivate() || activation.getGradOf() ||
          !activation.isRowActivation())
        continue;
      OpBuilder builder(activation);
      for (const KernelDType &dtype : *types)
        if (failed(buildGPURowKernels(builder, activation, dtype,
                                      withForward, withGrad)))
          return signalPassFailure();
    }
    SmallVector<FusedActivation> activations = collectFusedActivations(module);
    for (const FusedActivation &entry : activations) {
      Float32Type f32 = Float32Type::get(&getContext());
      if (failed(ActivationCloner(entry.forward, f32, 0, {}).verify()) ||
          (entry.grad &&
           failed(ActivationCloner(entry.grad, f32, 0, {}).verify())))
        return signalPassFailure();
      OpBuilder builder(entry.forward);
      for (const KernelDType &dtype : *types) {
        GPUKernelBuilder kernels(builder, entry, dtype);
        if (withForward)
          kernels.buildForward();
        if (entry.grad && withGrad)
          kernels.buildGradient();
        if (withBias)
          kernels.buildBias();
      }
    }
    for (ActivationOp activation :
         llvm::make_early_inc_range(module.getOps<ActivationOp>()))
      activation.erase();
  }
};
} // namespace
