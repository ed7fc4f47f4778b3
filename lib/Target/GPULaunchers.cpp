//===- GPULaunchers.cpp - host launchers of the GPU kernels ---------------===//
//
// The object holds the device code as private constants (the cubin, tried
// first, and the PTX, which the driver compiles for any other GPU) and,
// per kernel, a launcher with ABI.md's signature:
//
//   int NAME_S_cuda(const T *x, T *y, int64_t n, void *stream, P...)
//
// (a row activation's: NAME_S_cuda(x, y, rows, cols, stream) and
// NAME_grad_S_cuda(y, dy, dx, rows, cols, stream); one warp per row,
// 8 rows per block of 256 threads, at most 8192 blocks)
//
// A launcher checks its sizes (0: nothing to do, returns 0; negative:
// CUDA_ERROR_INVALID_VALUE), asks the loader for the CUfunction, and calls
// cuLaunchKernel once: 256 threads per block, at most 8192 blocks (the
// kernels are grid-stride loops, so any grid covers any size). A gradient
// kernel's launcher first zeroes each *dP (cuMemsetD32Async on the same
// stream), as the kernel adds its threads' sums to it atomically.
//
// The loader (one per object, internal) keeps, for up to 64 contexts at
// once, the context's unique id (cuCtxGetId, CUDA 12.0+: never reused within
// a process, so a context created where a destroyed one was gets its own
// module), its CUmodule and its CUfunctions; any number of contexts take
// turns in the slots (a free one, else round-robin eviction). A spin lock
// (an atomic compare-and-swap) guards the table, cuModuleLoadData included,
// which runs once per context. It is written as LLVM IR text below and
// parsed here: it is fixed code, with only the number of kernels and the
// constant data filled in. Every CUDA error is returned as the CUresult;
// nothing is printed, nothing aborts.
//
//===----------------------------------------------------------------------===//

#include "actc/Target/GPULaunchers.h"
#include "actc/Dialect/Act/GPUKernelABI.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace actc;

/// The CUresult values the launchers return themselves.
static constexpr int cudaErrorInvalidValue = 1;

/// Threads per block and the largest grid the launchers use.
static constexpr int64_t blockSize = 256;
static constexpr int64_t maxBlocks = 8192;
/// The largest grid of a gradient with runtime parameters (one atomic add
/// per warp and parameter).
static constexpr int64_t paramGradBlocks = 2048;

/// The loader: `i32 @actc.gpu.function(i32 index, ptr out)` stores the
/// CUfunction of kernel `index` for the current context in *out. The table
/// has @CONTEXTS@ slots, each a context's unique id (cuCtxGetId: never
/// reused in a process, unlike the CUcontext address), its CUmodule (null:
/// the slot is free) and its @KERNELS@ CUfunctions (null until asked for).
/// A context without a slot takes a free one, else the round-robin victim
/// @actc.gpu.next (its module is not unloaded: its context may be gone; a
/// live evicted context loads the module again when it next launches). The
/// three external globals are replaced by the constant data. "no-builtins":
/// the loop that clears a slot must not become a memset call (the object
/// needs nothing but the driver API).
static constexpr const char *loaderSource = R"IR(
@actc.gpu.image = external global i8
@actc.gpu.ptx = external global i8
@actc.gpu.names = external global ptr
@actc.gpu.lock = internal global i32 0
@actc.gpu.next = internal global i32 0
@actc.gpu.ids = internal global [@CONTEXTS@ x i64] zeroinitializer
@actc.gpu.modules = internal global [@CONTEXTS@ x ptr] zeroinitializer
@actc.gpu.functions = internal global [@SLOTS@ x ptr] zeroinitializer

declare i32 @cuCtxGetCurrent(ptr)
declare i32 @cuCtxGetId(ptr, ptr)
declare i32 @cuModuleLoadData(ptr, ptr)
declare i32 @cuModuleGetFunction(ptr, ptr, ptr)

define internal i32 @actc.gpu.function(i32 %index, ptr %out) nounwind "no-builtins" {
entry:
  %ctxp = alloca ptr
  %idp = alloca i64
  %modp = alloca ptr
  %fnp = alloca ptr
  %r0 = call i32 @cuCtxGetCurrent(ptr %ctxp)
  %e0 = icmp ne i32 %r0, 0
  br i1 %e0, label %ret0, label %havectx
ret0:
  ret i32 %r0
havectx:
  %ctx = load ptr, ptr %ctxp
  %noctx = icmp eq ptr %ctx, null
  br i1 %noctx, label %retnoctx, label %getid
retnoctx:
  ret i32 201
getid:
  %r1 = call i32 @cuCtxGetId(ptr %ctx, ptr %idp)
  %e1 = icmp ne i32 %r1, 0
  br i1 %e1, label %ret1, label %lock
ret1:
  ret i32 %r1
lock:
  %id = load i64, ptr %idp
  br label %spin
spin:
  %pair = cmpxchg weak ptr @actc.gpu.lock, i32 0, i32 1 acquire monotonic
  %got = extractvalue { i32, i1 } %pair, 1
  br i1 %got, label %search, label %spin
search:
  %s = phi i32 [ 0, %spin ], [ %next, %searchnext ]
  %free = phi i32 [ -1, %spin ], [ %free2, %searchnext ]
  %modslot = getelementptr [@CONTEXTS@ x ptr], ptr @actc.gpu.modules, i32 0, i32 %s
  %m = load ptr, ptr %modslot
  %used = icmp ne ptr %m, null
  br i1 %used, label %checkid, label %notefree
checkid:
  %idslot = getelementptr [@CONTEXTS@ x i64], ptr @actc.gpu.ids, i32 0, i32 %s
  %sid = load i64, ptr %idslot
  %match = icmp eq i64 %sid, %id
  br i1 %match, label %found, label %searchnext
notefree:
  %nofree = icmp slt i32 %free, 0
  %f1 = select i1 %nofree, i32 %s, i32 %free
  br label %searchnext
searchnext:
  %free2 = phi i32 [ %free, %checkid ], [ %f1, %notefree ]
  %next = add i32 %s, 1
  %more = icmp ult i32 %next, @CONTEXTS@
  br i1 %more, label %search, label %claim
claim:
  %hasfree = icmp sge i32 %free2, 0
  %victim = load i32, ptr @actc.gpu.next
  %slot = select i1 %hasfree, i32 %free2, i32 %victim
  %v1 = add i32 %victim, 1
  %wrap = icmp uge i32 %v1, @CONTEXTS@
  %v2 = select i1 %wrap, i32 0, i32 %v1
  %newnext = select i1 %hasfree, i32 %victim, i32 %v2
  %r2 = call i32 @cuModuleLoadData(ptr %modp, ptr @actc.gpu.image)
  %e2 = icmp eq i32 %r2, 0
  br i1 %e2, label %loaded, label %loadptx
loadptx:
  %r3 = call i32 @cuModuleLoadData(ptr %modp, ptr @actc.gpu.ptx)
  %e3 = icmp eq i32 %r3, 0
  br i1 %e3, label %loaded, label %fail
loaded:
  store i32 %newnext, ptr @actc.gpu.next
  %base0 = mul i32 %slot, @KERNELS@
  br label %clear
clear:
  %k = phi i32 [ 0, %loaded ], [ %k2, %clear ]
  %ci = add i32 %base0, %k
  %cslot = getelementptr ptr, ptr @actc.gpu.functions, i32 %ci
  store ptr null, ptr %cslot
  %k2 = add i32 %k, 1
  %cmore = icmp ult i32 %k2, @KERNELS@
  br i1 %cmore, label %clear, label %publish
publish:
  %newmod = load ptr, ptr %modp
  %newmodslot = getelementptr [@CONTEXTS@ x ptr], ptr @actc.gpu.modules, i32 0, i32 %slot
  store ptr %newmod, ptr %newmodslot
  %newidslot = getelementptr [@CONTEXTS@ x i64], ptr @actc.gpu.ids, i32 0, i32 %slot
  store i64 %id, ptr %newidslot
  br label %found
found:
  %fs = phi i32 [ %s, %checkid ], [ %slot, %publish ]
  %fmodslot = getelementptr [@CONTEXTS@ x ptr], ptr @actc.gpu.modules, i32 0, i32 %fs
  %mod = load ptr, ptr %fmodslot
  %base = mul i32 %fs, @KERNELS@
  %fi = add i32 %base, %index
  %fslot = getelementptr ptr, ptr @actc.gpu.functions, i32 %fi
  %f = load ptr, ptr %fslot
  %nof = icmp eq ptr %f, null
  br i1 %nof, label %getfn, label %done
getfn:
  %namep = getelementptr ptr, ptr @actc.gpu.names, i32 %index
  %name = load ptr, ptr %namep
  %r4 = call i32 @cuModuleGetFunction(ptr %fnp, ptr %mod, ptr %name)
  %e4 = icmp eq i32 %r4, 0
  br i1 %e4, label %gotfn, label %fail
gotfn:
  %f2 = load ptr, ptr %fnp
  store ptr %f2, ptr %fslot
  br label %done
done:
  %fn = phi ptr [ %f, %found ], [ %f2, %gotfn ]
  store ptr %fn, ptr %out
  store atomic i32 0, ptr @actc.gpu.lock release, align 4
  ret i32 0
fail:
  %r = phi i32 [ %r3, %loadptx ], [ %r4, %getfn ]
  store atomic i32 0, ptr @actc.gpu.lock release, align 4
  ret i32 %r
}
)IR";

/// The contexts the loader keeps a module for at once (see above).
static constexpr uint64_t maxContexts = 64;

std::vector<GPUKernelInfo> actc::collectGPUKernels(mlir::ModuleOp module) {
  std::vector<GPUKernelInfo> kernels;
  module.walk([&](mlir::gpu::GPUFuncOp func) {
    auto kind =
        func->getAttrOfType<mlir::StringAttr>(mlir::act::kGPUKernelAttrName);
    if (!kind || !func.isKernel())
      return;
    GPUKernelInfo info;
    info.name = func.getName().str();
    info.kind = kind.getValue().str();
    info.numParams = llvm::count_if(func.getArgumentTypes(),
                                    [](mlir::Type t) { return t.isF32(); });
    if (auto lanes = func->getAttrOfType<mlir::IntegerAttr>(
            mlir::act::kGPULanesAttrName))
      info.lanes = lanes.getInt();
    kernels.push_back(std::move(info));
  });
  return kernels;
}

/// Replaces the external global `name` of `module` by a private constant
/// holding `bytes` (plus a terminating NUL, which PTX needs).
static GlobalVariable *defineBytes(Module &module, StringRef name,
                                   StringRef bytes) {
  GlobalVariable *declaration = module.getGlobalVariable(name);
  Constant *data = ConstantDataArray::getString(module.getContext(), bytes,
                                                /*AddNull=*/true);
  auto *global =
      new GlobalVariable(module, data->getType(), /*isConstant=*/true,
                         GlobalValue::PrivateLinkage, data);
  global->setAlignment(Align(64));
  declaration->replaceAllUsesWith(global);
  global->takeName(declaration);
  declaration->eraseFromParent();
  return global;
}

namespace {
/// Builds one launcher.
class LauncherBuilder {
public:
  LauncherBuilder(Module &module, const GPUKernelInfo &kernel, unsigned index)
      : module(module), context(module.getContext()), builder(context),
        kernel(kernel), index(index) {}

  void build();

private:
  bool isRow() const {
    return kernel.kind == mlir::act::kGPURowKind ||
           kernel.kind == mlir::act::kGPURowGradKind;
  }
  unsigned getNumPointers() const {
    return kernel.kind == mlir::act::kGPUElementwiseKind ||
                   kernel.kind == mlir::act::kGPURowKind
               ? 2
               : 3;
  }
  unsigned getNumSizes() const {
    return kernel.kind == mlir::act::kGPUBiasKind || isRow() ? 2 : 1;
  }
  unsigned getNumParamGrads() const {
    return kernel.kind == "grad" ? kernel.numParams : 0;
  }
  /// A stack slot, in the entry block (a static alloca).
  Value *createEntryAlloca(Type *type, const Twine &name) {
    BasicBlock &entry = launcher->getEntryBlock();
    IRBuilder<> entryBuilder(&entry, entry.begin());
    return entryBuilder.CreateAlloca(type, nullptr, name);
  }
  /// Returns `code` from the launcher when `condition` holds.
  void returnIf(Value *condition, Value *code);
  FunctionCallee getDriverFunction(StringRef name, Type *result,
                                   ArrayRef<Type *> params) {
    return module.getOrInsertFunction(
        name, FunctionType::get(result, params, /*isVarArg=*/false));
  }

  Module &module;
  LLVMContext &context;
  IRBuilder<> builder;
  const GPUKernelInfo &kernel;
  unsigned index;
  Function *launcher = nullptr;
};
} // namespace

void LauncherBuilder::returnIf(Value *condition, Value *code) {
  BasicBlock *exit = BasicBlock::Create(context, "return", launcher);
  BasicBlock *next = BasicBlock::Create(context, "next", launcher);
  builder.CreateCondBr(condition, exit, next);
  builder.SetInsertPoint(exit);
  builder.CreateRet(code);
  builder.SetInsertPoint(next);
}

void LauncherBuilder::build() {
  Type *ptr = builder.getPtrTy(), *i64 = builder.getInt64Ty(),
       *i32 = builder.getInt32Ty(), *f32 = builder.getFloatTy();
  unsigned numPointers = getNumPointers(), numSizes = getNumSizes();
  // The kernel's arguments, and the launcher's: the same with the stream
  // after the sizes.
  SmallVector<Type *> kernelTypes(numPointers, ptr);
  kernelTypes.append(numSizes, i64);
  kernelTypes.append(kernel.numParams, f32);
  kernelTypes.append(getNumParamGrads(), ptr);
  unsigned streamIndex = numPointers + numSizes;
  SmallVector<Type *> launcherTypes(kernelTypes);
  launcherTypes.insert(launcherTypes.begin() + streamIndex, ptr);
  launcher = Function::Create(FunctionType::get(i32, launcherTypes, false),
                              GlobalValue::ExternalLinkage,
                              kernel.name + "_cuda", module);
  launcher->addFnAttr(Attribute::NoUnwind);
  builder.SetInsertPoint(BasicBlock::Create(context, "entry", launcher));

  SmallVector<Value *> kernelArgs;
  for (auto [i, arg] : llvm::enumerate(launcher->args()))
    if (i != streamIndex)
      kernelArgs.push_back(&arg);
  Value *stream = launcher->getArg(streamIndex);
  ArrayRef<Value *> sizes = ArrayRef(kernelArgs).slice(numPointers, numSizes);
  Value *zero64 = builder.getInt64(0);

  // Negative sizes are invalid, an empty range has nothing to launch.
  Value *negative = builder.getFalse(), *empty = builder.getFalse();
  for (Value *size : sizes) {
    negative = builder.CreateOr(negative, builder.CreateICmpSLT(size, zero64));
    empty = builder.CreateOr(empty, builder.CreateICmpEQ(size, zero64));
  }
  returnIf(negative, builder.getInt32(cudaErrorInvalidValue));
  // *dP = 0 first: the kernel adds to it, and n == 0 leaves the sum 0.
  FunctionCallee memset =
      getDriverFunction("cuMemsetD32Async", i32, {i64, i32, i64, ptr});
  for (Value *dp : ArrayRef(kernelArgs).take_back(getNumParamGrads())) {
    Value *result = builder.CreateCall(memset, {builder.CreatePtrToInt(dp, i64),
                                                builder.getInt32(0),
                                                builder.getInt64(1), stream});
    returnIf(builder.CreateICmpNE(result, builder.getInt32(0)), result);
  }
  returnIf(empty, builder.getInt32(0));

  Value *function = createEntryAlloca(ptr, "function");
  Value *loaded = builder.CreateCall(module.getFunction("actc.gpu.function"),
                                     {builder.getInt32(index), function});
  returnIf(builder.CreateICmpNE(loaded, builder.getInt32(0)), loaded);

  // Blocks of blockSize threads: enough for one element per thread along x
  // (the columns of a bias kernel), capped; rows fill the grid's y up to the
  // same total.
  // A row kernel has one warp per row: kGPURowsPerBlock rows per block.
  // A bias kernel whose cols is a multiple of its vectors' lanes takes
  // cols / lanes columns of vectors per row (its vector path; the scalar
  // path, for misaligned pointers, strides the same threads over cols).
  // A gradient with parameters has at most paramGradBlocks blocks: one
  // atomic add per warp and *dP, so fewer warps contend for *dP.
  Value *columns = sizes.back();
  int64_t perBlock = blockSize;
  int64_t blocks = getNumParamGrads() ? paramGradBlocks : maxBlocks;
  if (isRow()) {
    columns = sizes.front();
    perBlock = mlir::act::kGPURowsPerBlock;
  } else if (kernel.kind == mlir::act::kGPUBiasKind && kernel.lanes > 1) {
    Value *whole = builder.CreateICmpEQ(
        builder.CreateAnd(columns, builder.getInt64(kernel.lanes - 1)), zero64);
    columns = builder.CreateSelect(
        whole,
        builder.CreateLShr(columns, builder.getInt64(Log2_64(kernel.lanes))),
        columns);
  }
  Value *wanted = builder.CreateLShr(
      builder.CreateAdd(columns, builder.getInt64(perBlock - 1)),
      builder.getInt64(Log2_64(perBlock)));
  Value *blocksX = builder.CreateBinaryIntrinsic(Intrinsic::umin, wanted,
                                                 builder.getInt64(blocks));
  Value *blocksY = builder.getInt64(1);
  if (numSizes == 2 && !isRow()) {
    Value *room = builder.CreateUDiv(builder.getInt64(maxBlocks), blocksX);
    room = builder.CreateBinaryIntrinsic(Intrinsic::umax, room,
                                         builder.getInt64(1));
    blocksY =
        builder.CreateBinaryIntrinsic(Intrinsic::umin, sizes.front(), room);
  }

  // cuLaunchKernel takes the address of each argument.
  Type *paramsType = ArrayType::get(ptr, kernelArgs.size());
  Value *params = createEntryAlloca(paramsType, "params");
  for (auto [i, arg] : llvm::enumerate(kernelArgs)) {
    Value *slot = createEntryAlloca(arg->getType(), "arg");
    builder.CreateStore(arg, slot);
    builder.CreateStore(slot,
                        builder.CreateConstGEP2_32(paramsType, params, 0, i));
  }
  FunctionCallee launch = getDriverFunction(
      "cuLaunchKernel", i32,
      {ptr, i32, i32, i32, i32, i32, i32, i32, ptr, ptr, ptr});
  Value *result = builder.CreateCall(
      launch,
      {builder.CreateLoad(ptr, function), builder.CreateTrunc(blocksX, i32),
       builder.CreateTrunc(blocksY, i32), builder.getInt32(1),
       builder.getInt32(blockSize), builder.getInt32(1), builder.getInt32(1),
       builder.getInt32(0), stream, params,
       ConstantPointerNull::get(builder.getPtrTy())});
  builder.CreateRet(result);
}

/// The O2 pipeline: the launchers are straight-line code around the calls.
static void optimize(Module &module, TargetMachine &machine) {
  LoopAnalysisManager loopAnalyses;
  FunctionAnalysisManager functionAnalyses;
  CGSCCAnalysisManager cgsccAnalyses;
  ModuleAnalysisManager moduleAnalyses;
  PassBuilder builder(&machine);
  builder.registerModuleAnalyses(moduleAnalyses);
  builder.registerCGSCCAnalyses(cgsccAnalyses);
  builder.registerFunctionAnalyses(functionAnalyses);
  builder.registerLoopAnalyses(loopAnalyses);
  builder.crossRegisterProxies(loopAnalyses, functionAnalyses, cgsccAnalyses,
                               moduleAnalyses);
  builder.buildPerModuleDefaultPipeline(OptimizationLevel::O2)
      .run(module, moduleAnalyses);
}

Expected<std::unique_ptr<Module>>
actc::buildGPULaunchers(ArrayRef<GPUKernelInfo> kernels, StringRef ptx,
                        StringRef cubin, LLVMContext &context,
                        TargetMachine &machine) {
  std::string source = loaderSource;
  auto substitute = [&](StringRef token, uint64_t value) {
    for (size_t at; (at = source.find(token.str())) != std::string::npos;)
      source.replace(at, token.size(), std::to_string(value));
  };
  uint64_t numKernels = std::max<size_t>(kernels.size(), 1);
  substitute("@SLOTS@", maxContexts * numKernels);
  substitute("@CONTEXTS@", maxContexts);
  substitute("@KERNELS@", numKernels);
  SMDiagnostic diagnostic;
  std::unique_ptr<Module> module =
      parseAssemblyString(source, diagnostic, context);
  if (!module) {
    std::string message;
    raw_string_ostream os(message);
    diagnostic.print("actc-gpu-loader", os);
    return createStringError(inconvertibleErrorCode(),
                             "internal error in the GPU loader: " + message);
  }
  module->setModuleIdentifier("actc-gpu-launchers");
  module->setTargetTriple(machine.getTargetTriple());
  module->setDataLayout(machine.createDataLayout());

  // Without a cubin the image is the PTX itself (one copy).
  GlobalVariable *ptxData = defineBytes(*module, "actc.gpu.ptx", ptx);
  if (cubin.empty()) {
    GlobalVariable *image = module->getGlobalVariable("actc.gpu.image");
    image->replaceAllUsesWith(ptxData);
    image->eraseFromParent();
  } else {
    defineBytes(*module, "actc.gpu.image", cubin);
  }
  // The kernel names, for cuModuleGetFunction.
  IRBuilder<> builder(context);
  SmallVector<Constant *> names;
  for (const GPUKernelInfo &kernel : kernels) {
    Constant *name =
        ConstantDataArray::getString(context, kernel.name, /*AddNull=*/true);
    names.push_back(new GlobalVariable(*module, name->getType(), true,
                                       GlobalValue::PrivateLinkage, name,
                                       "actc.gpu.name"));
  }
  if (names.empty())
    names.push_back(ConstantPointerNull::get(builder.getPtrTy()));
  auto *nameTable = ConstantArray::get(
      ArrayType::get(builder.getPtrTy(), names.size()), names);
  GlobalVariable *declaration = module->getGlobalVariable("actc.gpu.names");
  auto *table = new GlobalVariable(*module, nameTable->getType(), true,
                                   GlobalValue::PrivateLinkage, nameTable);
  declaration->replaceAllUsesWith(table);
  table->takeName(declaration);
  declaration->eraseFromParent();

  for (auto [index, kernel] : llvm::enumerate(kernels))
    LauncherBuilder(*module, kernel, index).build();

  std::string errors;
  raw_string_ostream os(errors);
  if (verifyModule(*module, &os))
    return createStringError(inconvertibleErrorCode(),
                             "internal error in the GPU launchers: " + errors);
  optimize(*module, machine);
  return std::move(module);
}
