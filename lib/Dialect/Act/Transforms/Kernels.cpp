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
// same kernel with y in place of x. The row activations' kernels, forward
// and gradient, are built in RowKernels.cpp.
//
// The pointers are viewed as memrefs (act.view) and walked by scalar scf.for
// loops; every loop over elements carries `act.vectorize` for act-vectorize.
// The activation's scalar body is cloned into the loops, retyped from its own
// element type to the kernel's.
//
// Each body value gets a level: kernel (computed once, before any loop: the
// constants and parameters), row (computed once per row: the row reductions
// and what depends on them alone) or element (depends on the input element).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "actc/Dialect/Act/FusedKernels.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTKERNELS
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

/// `NAME_T` for an activation, `NAME_grad_T` for the gradient of @NAME and
/// `NAME_grad_from_y_T` for its gradient from the output.
static std::string getForwardOrGradName(ActivationOp activation,
                                        StringRef dtype) {
  if (std::optional<StringRef> gradOf = activation.getGradOf())
    return getKernelName(
        *gradOf, isGradientFromY(activation) ? "grad_from_y" : "grad", dtype);
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
  scf::ForOp loop =
      buildElementLoop(builder, n, {}, [&](OpBuilder &b, Value i, ValueRange) {
        IRMapping mapping = kernelMapping;
        Value element = loadElement(b, loc, xs, ValueRange{i});
        mapping.map(activation.getInput(), element);
        Value value = cloneElementSlice(b, result, mapping);
        storeElement(b, loc, value, ys, ValueRange{i});
        return SmallVector<Value>();
      });
  loop->setAttr(kStreamStoresAttrName, builder.getUnitAttr());
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

namespace {
struct ActKernelsPass : public act::impl::ActKernelsBase<ActKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (precision != "accurate" && precision != "fast") {
      module.emitError("act-kernels: unknown precision '")
          << precision << "' (expected accurate or fast)";
      return signalPassFailure();
    }
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
                             dtype, precision == "accurate");
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
