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
// 2 f64, 8 bf16/f16; the body cloned at that width) does all but the last n % lanes
// elements, and a scalar grid-stride loop the rest (all of them otherwise). The
// bias kernel strides rows along the grid's y dimension and columns along x, so
// no element needs a division by cols. A parameter gradient is summed by
// each thread over its elements and added to *dP with one atomic add per
// thread; the host launcher zeroes *dP before the launch, which makes *dP
// the sum (ABI.md: set, not added).
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

void GPUKernelBuilder::buildMapLoops(
    Value size, ArrayRef<Value> inputs, Value output,
    function_ref<Value(OpBuilder &, ValueRange, bool vector)> body) {
  VectorType vectorType = getVectorType(dtype.storage);
  int64_t lanes = getLanes();
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIntOp::create(builder, loc, i64Type, value);
  };
  Value bits = LLVM::PtrToIntOp::create(builder, loc, i64Type, output);
  for (Value input : inputs)
    bits = arith::OrIOp::create(
        builder, loc, bits,
        LLVM::PtrToIntOp::create(builder, loc, i64Type, input));
  Value aligned = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::eq,
      arith::AndIOp::create(builder, loc, bits, constant(15)), constant(0));
  Value vectors = arith::SelectOp::create(
      builder, loc, aligned,
      arith::DivUIOp::create(builder, loc, size, constant(lanes)), constant(0));
  buildGridStrideLoop(builder, vectors, gpu::Dimension::x, {},
                      [&](OpBuilder &b, Value v, ValueRange) {
                        Value i =
                            arith::MulIOp::create(b, loc, v, constant(lanes));
                        SmallVector<Value> loaded;
                        for (Value input : inputs)
                          loaded.push_back(extend(
                              b, LLVM::LoadOp::create(b, loc, vectorType,
                                                      address(b, input, i),
                                                      /*alignment=*/16)));
                        LLVM::StoreOp::create(
                            b, loc, round(b, body(b, loaded, true)),
                            address(b, output, i),
                            /*alignment=*/16);
                        return SmallVector<Value>();
                      });
  Value rest = arith::MulIOp::create(builder, loc, vectors, constant(lanes));
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
  Value zero = arith::ConstantOp::create(builder, loc,
                                         builder.getFloatAttr(dtype.type, 0.0));
  SmallVector<Value> inits(numParams, zero);
  scf::ForOp loop = buildGridStrideLoop(
      builder, func.getArgument(3), gpu::Dimension::x, inits,
      [&](OpBuilder &b, Value i, ValueRange sums) {
        Value dy = load(b, dys, i);
        SmallVector<Value> partials = cloner.clone(b, load(b, xs, i));
        store(b, arith::MulFOp::create(b, loc, dy, partials.front()), dxs, i);
        SmallVector<Value> next;
        for (auto [sum, partial] :
             llvm::zip_equal(sums, ArrayRef(partials).drop_front())) {
          Value term = arith::MulFOp::create(b, loc, dy, partial);
          next.push_back(arith::AddFOp::create(b, loc, sum, term));
        }
        return next;
      });
  // This thread's share of each *dP, zeroed by the launcher.
  for (auto [index, sum] : llvm::enumerate(loop.getResults())) {
    Value value = sum;
    if (dtype.type.getWidth() > 32)
      value = arith::TruncFOp::create(builder, loc, f32Type, value);
    Value dp = func.getArgument(4 + numParams + index);
    LLVM::AtomicRMWOp::create(builder, loc, LLVM::AtomicBinOp::fadd, dp, value,
                              LLVM::AtomicOrdering::monotonic);
  }
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
  Value xs = func.getArgument(0), bias = func.getArgument(1),
        ys = func.getArgument(2), cols = func.getArgument(4);
  buildGridStrideLoop(builder, func.getArgument(3), gpu::Dimension::y, {},
                      [&](OpBuilder &b, Value r, ValueRange) {
                        Value rowStart = arith::MulIOp::create(b, loc, r, cols);
                        buildGridStrideLoop(
                            b, cols, gpu::Dimension::x, {},
                            [&](OpBuilder &nb, Value c, ValueRange) {
                              Value i =
                                  arith::AddIOp::create(nb, loc, rowStart, c);
                              Value z = arith::AddFOp::create(
                                  nb, loc, load(nb, xs, i), load(nb, bias, c));
                              store(nb, cloner.clone(nb, z).front(), ys, i);
                              return SmallVector<Value>();
                            });
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
