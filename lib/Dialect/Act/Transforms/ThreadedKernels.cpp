//===- ThreadedKernels.cpp - threaded variants of the fused kernels -------===//
//
// act-threaded-kernels: for every bias, matmul and matmul_aux kernel that
// act-bias-kernels and act-matmul-kernels built, and whose threaded kind is
// selected, builds the variant that splits the rows over POSIX threads:
//
//   NAME_bias_mt_T(x, bias, y, rows, cols, P..., threads)
//   NAME_matmul_mt_T(a, b, bias, c, m, n, k, P..., threads)
//   NAME_matmul_aux_mt_T(a, b, bias, c, z, m, n, k, P..., threads)
//
// Row-major rows are contiguous, so each thread calls the single-threaded
// kernel on a block of whole rows (its pointers offset, its row count cut):
// every element is computed by the same code with the same operands in the
// same order, so the result equals the single-threaded one bit for bit.
// The calling thread does the first block itself and starts `threads - 1`
// others (at most 63; never more than there are blocks); a thread that
// pthread_create cannot start has its block run in the calling thread, so
// the kernel never fails. Matmul blocks are multiples of `row-multiple`
// rows (the register tile's), bias blocks any number of rows.
//
// What the object needs: pthread_create and pthread_join, in libc itself
// since glibc 2.34 (`cc prog.c k.o -lm` links; older glibc: add
// -lpthread). No allocation: the thread handles and the argument blocks
// are on the caller's stack (64 x 8 slots of 8 bytes). Each started
// thread has the default pthread stack (8 MiB on glibc), above the 130 KiB
// the matmul kernel uses.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/FusedKernels.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTTHREADEDKERNELS
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

/// Which arguments of a single-threaded kernel a row split changes.
struct RowSplit {
  /// The kernel kind ("bias", "matmul", "matmul_aux").
  StringRef kind;
  /// The row count argument.
  unsigned rows;
  /// The row-major arrays (argument, argument holding its row length).
  SmallVector<std::pair<unsigned, unsigned>, 3> arrays;
  /// Whether blocks are multiples of the register tile's rows.
  bool tiled;
};

/// The most threads one call uses, the caller's included.
constexpr int64_t kMaxThreads = 64;

class ThreadedKernelBuilder {
public:
  ThreadedKernelBuilder(func::FuncOp kernel, std::string name,
                        const RowSplit &split, Type storage,
                        int64_t rowMultiple)
      : kernel(kernel), name(std::move(name)), split(split), storage(storage),
        rowMultiple(split.tiled ? rowMultiple : 1), loc(kernel.getLoc()) {}

  void build(OpBuilder &builder, func::FuncOp create, func::FuncOp join);

private:
  Value i64(OpBuilder &b, int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 64);
  }
  /// ceil(x / y) for x >= 0, y > 0 (arith.ceildivsi has no LLVM lowering).
  Value ceilDiv(OpBuilder &b, Value x, Value y) {
    Value sum = arith::AddIOp::create(
        b, loc, x, arith::SubIOp::create(b, loc, y, i64(b, 1)));
    return arith::DivSIOp::create(b, loc, sum, y);
  }
  /// The address of slot `index` (i64 units) of `base`.
  Value slot(OpBuilder &b, Value base, Value index) {
    return LLVM::GEPOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()),
                               b.getI64Type(), base, ValueRange{index});
  }
  func::FuncOp buildWorker(OpBuilder &builder);

  func::FuncOp kernel;
  /// NAME_KIND_mt_T.
  std::string name;
  const RowSplit &split;
  Type storage;
  int64_t rowMultiple;
  Location loc;
};

} // namespace

/// The thread entry: reads the kernel's arguments from its slots, runs it.
func::FuncOp ThreadedKernelBuilder::buildWorker(OpBuilder &builder) {
  MLIRContext *ctx = builder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx);
  auto worker = func::FuncOp::create(
      builder, loc, name + "_worker",
      builder.getFunctionType({ptr}, {ptr}));
  worker.setPrivate();
  OpBuilder::InsertionGuard guard(builder);
  OpBuilder b = OpBuilder::atBlockBegin(worker.addEntryBlock());
  SmallVector<Value> arguments;
  for (auto [index, type] : llvm::enumerate(kernel.getArgumentTypes()))
    arguments.push_back(LLVM::LoadOp::create(
        b, loc, type, slot(b, worker.getArgument(0), i64(b, index))));
  func::CallOp::create(b, loc, kernel, arguments);
  func::ReturnOp::create(b, loc,
                         ValueRange{LLVM::ZeroOp::create(b, loc, ptr)});
  return worker;
}

void ThreadedKernelBuilder::build(OpBuilder &builder, func::FuncOp create,
                                  func::FuncOp join) {
  MLIRContext *ctx = builder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64Type = builder.getI64Type();
  func::FuncOp worker = buildWorker(builder);

  SmallVector<Type> types(kernel.getArgumentTypes());
  types.push_back(i64Type);
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType(types, {}));
  OpBuilder::InsertionGuard guard(builder);
  OpBuilder b = OpBuilder::atBlockBegin(func.addEntryBlock());
  unsigned numArgs = kernel.getNumArguments();
  ValueRange args = func.getArguments().take_front(numArgs);
  Value rows = args[split.rows];
  Value zero = i64(b, 0), one = i64(b, 1);

  // threads in [1, kMaxThreads], and no more than the blocks of
  // rowMultiple rows (rows <= 0: one, the kernel then touches nothing).
  Value threads = arith::MinSIOp::create(b, loc, func.getArguments().back(),
                                         i64(b, kMaxThreads));
  Value blocks =
      ceilDiv(b, arith::MaxSIOp::create(b, loc, rows, zero), i64(b, rowMultiple));
  threads = arith::MinSIOp::create(b, loc, threads, blocks);
  threads = arith::MaxSIOp::create(b, loc, threads, one);
  Value chunk = arith::MulIOp::create(
      b, loc, ceilDiv(b, blocks, threads),
      i64(b, rowMultiple));

  // Per thread: numArgs argument slots, the pthread_t, a started flag.
  int64_t stride = numArgs + 2;
  Value slots = LLVM::AllocaOp::create(b, loc, ptr, i64Type,
                                       i64(b, kMaxThreads * stride), 8);
  Value workerAddress = func::ConstantOp::create(
      b, loc, worker.getFunctionType(), SymbolRefAttr::get(worker));
  Value null = LLVM::ZeroOp::create(b, loc, ptr);

  scf::ForOp::create(
      b, loc, one, threads, one, ValueRange{},
      [&](OpBuilder &tb, Location, Value t, ValueRange) {
        Value base = slot(tb, slots, arith::MulIOp::create(tb, loc, t,
                                                           i64(tb, stride)));
        Value started = slot(tb, base, i64(tb, numArgs + 1));
        LLVM::StoreOp::create(tb, loc, i64(tb, 0), started);
        Value first = arith::MulIOp::create(tb, loc, t, chunk);
        Value count = arith::MinSIOp::create(
            tb, loc, chunk, arith::SubIOp::create(tb, loc, rows, first));
        Value any = arith::CmpIOp::create(tb, loc, arith::CmpIPredicate::sgt,
                                          count, zero);
        scf::IfOp::create(tb, loc, any, [&](OpBuilder &ib, Location) {
          for (unsigned i = 0; i < numArgs; ++i) {
            Value value = args[i];
            if (i == split.rows)
              value = count;
            for (auto [array, length] : split.arrays)
              if (i == array)
                value = LLVM::GEPOp::create(
                    ib, loc, ptr, storage, value,
                    ValueRange{arith::MulIOp::create(ib, loc, first,
                                                     args[length])});
            LLVM::StoreOp::create(ib, loc, value, slot(ib, base, i64(ib, i)));
          }
          Value handle = slot(ib, base, i64(ib, numArgs));
          Value status =
              func::CallOp::create(ib, loc, create,
                                   ValueRange{handle, null, workerAddress, base})
                  .getResult(0);
          Value failed = arith::CmpIOp::create(
              ib, loc, arith::CmpIPredicate::ne, status,
              arith::ConstantIntOp::create(ib, loc, 0, 32));
          scf::IfOp::create(
              ib, loc, failed,
              [&](OpBuilder &fb, Location) {
                // No thread: the block runs here, now.
                func::CallOp::create(fb, loc, worker, ValueRange{base});
                scf::YieldOp::create(fb, loc);
              },
              [&](OpBuilder &sb, Location) {
                LLVM::StoreOp::create(sb, loc, i64(sb, 1), started);
                scf::YieldOp::create(sb, loc);
              });
          scf::YieldOp::create(ib, loc);
        });
        scf::YieldOp::create(tb, loc);
      });

  // The first block in this thread.
  SmallVector<Value> own(args.begin(), args.end());
  own[split.rows] = arith::MinSIOp::create(b, loc, rows, chunk);
  func::CallOp::create(b, loc, kernel, own);

  scf::ForOp::create(
      b, loc, one, threads, one, ValueRange{},
      [&](OpBuilder &tb, Location, Value t, ValueRange) {
        Value base = slot(tb, slots, arith::MulIOp::create(tb, loc, t,
                                                           i64(tb, stride)));
        Value started = LLVM::LoadOp::create(
            tb, loc, i64Type, slot(tb, base, i64(tb, numArgs + 1)));
        Value wasStarted = arith::CmpIOp::create(
            tb, loc, arith::CmpIPredicate::ne, started, i64(tb, 0));
        scf::IfOp::create(tb, loc, wasStarted, [&](OpBuilder &ib, Location) {
          Value handle = LLVM::LoadOp::create(
              ib, loc, i64Type, slot(ib, base, i64(ib, numArgs)));
          func::CallOp::create(ib, loc, join, ValueRange{handle, null});
          scf::YieldOp::create(ib, loc);
        });
        scf::YieldOp::create(tb, loc);
      });
  func::ReturnOp::create(b, loc);
}

/// The external declaration `name : type`, created once.
static func::FuncOp getDeclaration(ModuleOp module, StringRef name,
                                   FunctionType type) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto decl = func::FuncOp::create(builder, module.getLoc(), name, type);
  decl.setPrivate();
  return decl;
}

namespace {
struct ActThreadedKernelsPass
    : public act::impl::ActThreadedKernelsBase<ActThreadedKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (rowMultiple < 1) {
      module.emitError("act-threaded-kernels: row-multiple must be positive");
      return signalPassFailure();
    }
    FailureOr<SmallVector<KernelDType>> types = parseKernelDTypes(
        module, SmallVector<std::string>(dtypes.begin(), dtypes.end()),
        "act-threaded-kernels: ");
    if (failed(types))
      return signalPassFailure();
    FailureOr<SmallVector<std::string>> selected = parseKernelKinds(
        module, SmallVector<std::string>(kinds.begin(), kinds.end()),
        "act-threaded-kernels: ");
    if (failed(selected))
      return signalPassFailure();
    const RowSplit splits[] = {
        {"bias", 3, {{0, 4}, {2, 4}}, false},
        {"matmul", 4, {{0, 6}, {3, 5}}, true},
        {"matmul_aux", 5, {{0, 7}, {3, 6}, {4, 6}}, true},
    };
    MLIRContext *ctx = &getContext();
    Type ptr = LLVM::LLVMPointerType::get(ctx);
    Type i32 = IntegerType::get(ctx, 32);
    func::FuncOp create, join;
    for (FusedActivation entry : collectFusedActivations(module)) {
      for (const RowSplit &split : splits) {
        if (!isKernelKindSelected(*selected, (split.kind + "_mt").str()))
          continue;
        for (const KernelDType &dtype : *types) {
          std::string name = getKernelName(entry.forward.getSymName(),
                                           split.kind, dtype.name);
          auto kernel = module.lookupSymbol<func::FuncOp>(name);
          // Built by the kernel passes for every dtype that has the kind.
          if (!kernel)
            continue;
          if (!create) {
            auto entryType = FunctionType::get(ctx, {ptr}, {ptr});
            create = getDeclaration(
                module, "pthread_create",
                FunctionType::get(ctx, {ptr, ptr, entryType, ptr}, {i32}));
            join = getDeclaration(module, "pthread_join",
                                  FunctionType::get(ctx, {IntegerType::get(ctx, 64), ptr}, {i32}));
          }
          OpBuilder builder(ctx);
          builder.setInsertionPointAfter(kernel);
          ThreadedKernelBuilder(kernel,
                                getKernelName(entry.forward.getSymName(),
                                              (split.kind + "_mt").str(),
                                              dtype.name),
                                split, dtype.storage, rowMultiple)
              .build(builder, create, join);
        }
      }
    }
  }
};
} // namespace
