//===- ThreadedKernels.cpp - threaded variants of the fused kernels -------===//
//
// act-threaded-kernels: for every bias, matmul and matmul_aux kernel that
// act-bias-kernels and act-matmul-kernels built, and whose threaded kind is
// selected, builds the variant that splits the rows over POSIX threads:
//
//   NAME_bias_mt_T(x, bias, y, rows, cols, P..., threads)
//   NAME_matmul_mt_T(a, b, bias, c, m, n, k, P..., threads)
//   NAME_matmul_aux_mt_T(a, b, bias, c, z, m, n, k, P..., threads)
//   NAME_bias_grad_mt_T(x, bias, dy, dx, dbias, rows, cols, P..., dP...,
//                       threads)
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
// The bias gradient splits the columns instead: its column sums dbias are
// taken over all rows, so a row split would add partial sums in another
// order. Each thread runs NAME_bias_grad_strided_T (act-bias-kernels' twin
// with a row stride) on a block of whole columns (multiples of 64
// elements, a cache line for every type): dx and dbias are bitwise the
// single-threaded kernel's. The parameter gradients dP (activations with
// runtime parameters) are the sum of each block's sum, added in block
// order: the same for every run with the same thread count, but rounded
// differently from the single-threaded sum (about one ulp of the sum of
// |terms| per block). threads <= 1 (or one block) calls NAME_bias_grad_T
// itself.
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

/// What both splits build with: constants, slot addresses, and starting
/// one block on a new thread.
class BlockSplitBuilder {
protected:
  explicit BlockSplitBuilder(Location loc) : loc(loc) {}

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
    return LLVM::GEPOp::create(b, loc,
                               LLVM::LLVMPointerType::get(b.getContext()),
                               b.getI64Type(), base, ValueRange{index});
  }
  /// pthread_create(handle, null, worker, base); a block no thread can
  /// start runs here, now; `started` records which did start.
  void startBlock(OpBuilder &b, func::FuncOp create, func::FuncOp worker,
                  Value workerAddress, Value null, Value handle, Value base,
                  Value started) {
    Value status =
        func::CallOp::create(b, loc, create,
                             ValueRange{handle, null, workerAddress, base})
            .getResult(0);
    Value failed =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, status,
                              arith::ConstantIntOp::create(b, loc, 0, 32));
    scf::IfOp::create(
        b, loc, failed,
        [&](OpBuilder &fb, Location) {
          func::CallOp::create(fb, loc, worker, ValueRange{base});
          scf::YieldOp::create(fb, loc);
        },
        [&](OpBuilder &sb, Location) {
          LLVM::StoreOp::create(sb, loc, i64(sb, 1), started);
          scf::YieldOp::create(sb, loc);
        });
  }

  func::FuncOp buildWorker(OpBuilder &builder, StringRef name,
                           func::FuncOp callee);

  Location loc;
};

class ThreadedKernelBuilder : BlockSplitBuilder {
public:
  ThreadedKernelBuilder(func::FuncOp kernel, std::string name,
                        const RowSplit &split, Type storage,
                        int64_t rowMultiple)
      : BlockSplitBuilder(kernel.getLoc()), kernel(kernel),
        name(std::move(name)), split(split), storage(storage),
        rowMultiple(split.tiled ? rowMultiple : 1) {}

  void build(OpBuilder &builder, func::FuncOp create, func::FuncOp join);

private:

  func::FuncOp kernel;
  /// NAME_KIND_mt_T.
  std::string name;
  const RowSplit &split;
  Type storage;
  int64_t rowMultiple;
};

/// Builds NAME_bias_grad_mt_T: the columns split over threads, each block
/// computed by the strided twin of the bias gradient.
class ColumnSplitBuilder : BlockSplitBuilder {
public:
  ColumnSplitBuilder(func::FuncOp kernel, func::FuncOp strided,
                     std::string name, Type storage)
      : BlockSplitBuilder(kernel.getLoc()), kernel(kernel), strided(strided),
        name(std::move(name)), storage(storage) {}

  void build(OpBuilder &builder, func::FuncOp create, func::FuncOp join);

private:
  /// The single-threaded kernel and its strided twin.
  func::FuncOp kernel, strided;
  /// NAME_bias_grad_mt_T.
  std::string name;
  Type storage;
};

/// Columns per block of NAME_bias_grad_mt: a cache line of every type.
constexpr int64_t kColumnMultiple = 64;

} // namespace

/// The thread entry `name`: reads `callee`'s arguments from its slots and
/// runs it.
func::FuncOp BlockSplitBuilder::buildWorker(OpBuilder &builder, StringRef name,
                                            func::FuncOp callee) {
  Type ptr = LLVM::LLVMPointerType::get(builder.getContext());
  auto worker = func::FuncOp::create(builder, loc, name,
                                     builder.getFunctionType({ptr}, {ptr}));
  worker.setPrivate();
  OpBuilder::InsertionGuard guard(builder);
  OpBuilder b = OpBuilder::atBlockBegin(worker.addEntryBlock());
  SmallVector<Value> arguments;
  for (auto [index, type] : llvm::enumerate(callee.getArgumentTypes()))
    arguments.push_back(LLVM::LoadOp::create(
        b, loc, type, slot(b, worker.getArgument(0), i64(b, index))));
  func::CallOp::create(b, loc, callee, arguments);
  func::ReturnOp::create(b, loc,
                         ValueRange{LLVM::ZeroOp::create(b, loc, ptr)});
  return worker;
}

void ThreadedKernelBuilder::build(OpBuilder &builder, func::FuncOp create,
                                  func::FuncOp join) {
  MLIRContext *ctx = builder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64Type = builder.getI64Type();
  func::FuncOp worker = buildWorker(builder, name + "_worker", kernel);

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
          startBlock(ib, create, worker, workerAddress, null,
                     slot(ib, base, i64(ib, numArgs)), base, started);
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

void ColumnSplitBuilder::build(OpBuilder &builder, func::FuncOp create,
                               func::FuncOp join) {
  MLIRContext *ctx = builder.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64Type = builder.getI64Type();
  Type f32 = builder.getF32Type();
  // The worker runs the strided kernel on one block.
  func::FuncOp worker = buildWorker(builder, name + "_worker", strided);

  // (x, bias, dy, dx, dbias, rows, cols, P..., dP..., threads).
  unsigned numArgs = kernel.getNumArguments();
  unsigned numParams = (numArgs - 7) / 2;
  SmallVector<Type> types(kernel.getArgumentTypes());
  types.push_back(i64Type);
  auto func = func::FuncOp::create(builder, loc, name,
                                   builder.getFunctionType(types, {}));
  OpBuilder::InsertionGuard guard(builder);
  OpBuilder b = OpBuilder::atBlockBegin(func.addEntryBlock());
  ValueRange args = func.getArguments().take_front(numArgs);
  Value cols = args[6];
  Value zero = i64(b, 0), one = i64(b, 1);

  Value threads = arith::MinSIOp::create(b, loc, func.getArguments().back(),
                                         i64(b, kMaxThreads));
  Value blocks = ceilDiv(b, arith::MaxSIOp::create(b, loc, cols, zero),
                         i64(b, kColumnMultiple));
  threads = arith::MinSIOp::create(b, loc, threads, blocks);
  Value split =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, threads, one);
  // Per thread: the strided kernel's arguments, the pthread_t, a started
  // flag, then its dP partial sums (one float per slot).
  unsigned stridedArgs = strided.getNumArguments();
  int64_t stride = stridedArgs + 2 + numParams;
  Value slots = LLVM::AllocaOp::create(b, loc, ptr, i64Type,
                                       i64(b, kMaxThreads * stride), 8);
  scf::IfOp::create(
      b, loc, split,
      [&](OpBuilder &tb, Location) {
        Value chunk = arith::MulIOp::create(
            tb, loc, ceilDiv(tb, blocks, threads), i64(tb, kColumnMultiple));
        Value workerAddress = func::ConstantOp::create(
            tb, loc, worker.getFunctionType(), SymbolRefAttr::get(worker));
        Value null = LLVM::ZeroOp::create(tb, loc, ptr);
        auto baseOf = [&](OpBuilder &sb, Value t) {
          return slot(sb, slots,
                      arith::MulIOp::create(sb, loc, t, i64(sb, stride)));
        };
        // Block t's arguments into its slots.
        auto fill = [&](OpBuilder &fb, Value t, Value base) {
          Value first = arith::MulIOp::create(fb, loc, t, chunk);
          Value count = arith::MinSIOp::create(
              fb, loc, chunk, arith::SubIOp::create(fb, loc, cols, first));
          SmallVector<Value> values;
          for (unsigned i = 0; i < 5; ++i)
            values.push_back(LLVM::GEPOp::create(fb, loc, ptr, storage, args[i],
                                                 ValueRange{first}));
          values.append({args[5], count, cols});
          for (unsigned i = 0; i < numParams; ++i)
            values.push_back(args[7 + i]);
          for (unsigned i = 0; i < numParams; ++i)
            values.push_back(slot(fb, base, i64(fb, stridedArgs + 2 + i)));
          for (auto [i, value] : llvm::enumerate(values))
            LLVM::StoreOp::create(fb, loc, value, slot(fb, base, i64(fb, i)));
        };

        scf::ForOp::create(
            tb, loc, one, threads, one, ValueRange{},
            [&](OpBuilder &lb, Location, Value t, ValueRange) {
              Value base = baseOf(lb, t);
              Value started = slot(lb, base, i64(lb, stridedArgs + 1));
              LLVM::StoreOp::create(lb, loc, i64(lb, 0), started);
              Value first = arith::MulIOp::create(lb, loc, t, chunk);
              Value any = arith::CmpIOp::create(
                  lb, loc, arith::CmpIPredicate::slt, first, cols);
              scf::IfOp::create(lb, loc, any, [&](OpBuilder &ib, Location) {
                fill(ib, t, base);
                startBlock(ib, create, worker, workerAddress, null,
                           slot(ib, base, i64(ib, stridedArgs)), base, started);
                scf::YieldOp::create(ib, loc);
              });
              scf::YieldOp::create(lb, loc);
            });

        // The first block in this thread.
        Value own = baseOf(tb, zero);
        fill(tb, zero, own);
        func::CallOp::create(tb, loc, worker, ValueRange{own});

        scf::ForOp::create(
            tb, loc, one, threads, one, ValueRange{},
            [&](OpBuilder &lb, Location, Value t, ValueRange) {
              Value base = baseOf(lb, t);
              Value started = LLVM::LoadOp::create(
                  lb, loc, i64Type, slot(lb, base, i64(lb, stridedArgs + 1)));
              Value wasStarted = arith::CmpIOp::create(
                  lb, loc, arith::CmpIPredicate::ne, started, i64(lb, 0));
              scf::IfOp::create(
                  lb, loc, wasStarted, [&](OpBuilder &ib, Location) {
                    Value handle = LLVM::LoadOp::create(
                        ib, loc, i64Type, slot(ib, base, i64(ib, stridedArgs)));
                    func::CallOp::create(ib, loc, join,
                                         ValueRange{handle, null});
                    scf::YieldOp::create(ib, loc);
                  });
              scf::YieldOp::create(lb, loc);
            });

        // dP = the blocks' sums added in block order (blocks that exist).
        for (unsigned i = 0; i < numParams; ++i) {
          auto partial = [&](OpBuilder &pb, Value base) -> Value {
            return LLVM::LoadOp::create(
                pb, loc, f32, slot(pb, base, i64(pb, stridedArgs + 2 + i)));
          };
          auto sum = scf::ForOp::create(
              tb, loc, one, threads, one, ValueRange{partial(tb, own)},
              [&](OpBuilder &lb, Location, Value t, ValueRange acc) {
                Value first = arith::MulIOp::create(lb, loc, t, chunk);
                Value any = arith::CmpIOp::create(
                    lb, loc, arith::CmpIPredicate::slt, first, cols);
                auto add = scf::IfOp::create(
                    lb, loc, any,
                    [&](OpBuilder &ab, Location) {
                      Value next = arith::AddFOp::create(
                          ab, loc, acc[0], partial(ab, baseOf(ab, t)));
                      scf::YieldOp::create(ab, loc, next);
                    },
                    [&](OpBuilder &eb, Location) {
                      scf::YieldOp::create(eb, loc, acc[0]);
                    });
                scf::YieldOp::create(lb, loc, add.getResults());
              });
          LLVM::StoreOp::create(tb, loc, sum.getResult(0),
                                args[7 + numParams + i]);
        }
        scf::YieldOp::create(tb, loc);
      },
      [&](OpBuilder &eb, Location) {
        // One thread: the single-threaded kernel itself.
        func::CallOp::create(eb, loc, kernel, args);
        scf::YieldOp::create(eb, loc);
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
    auto declarePthreads = [&]() {
      if (create)
        return;
      auto entryType = FunctionType::get(ctx, {ptr}, {ptr});
      create = getDeclaration(
          module, "pthread_create",
          FunctionType::get(ctx, {ptr, ptr, entryType, ptr}, {i32}));
      join = getDeclaration(
          module, "pthread_join",
          FunctionType::get(ctx, {IntegerType::get(ctx, 64), ptr}, {i32}));
    };
    for (FusedActivation entry : collectFusedActivations(module)) {
      // The bias gradient: columns split, through its strided twin.
      if (isKernelKindSelected(*selected, "bias_grad_mt")) {
        for (const KernelDType &dtype : *types) {
          StringRef act = entry.forward.getSymName();
          auto kernel = module.lookupSymbol<func::FuncOp>(
              getKernelName(act, "bias_grad", dtype.name));
          auto strided = module.lookupSymbol<func::FuncOp>(
              getKernelName(act, "bias_grad_strided", dtype.name));
          if (!kernel)
            continue;
          if (!strided) {
            kernel.emitError("act-threaded-kernels: bias_grad_mt needs ")
                << getKernelName(act, "bias_grad_strided", dtype.name)
                << " (act-bias-kernels builds it when bias_grad_mt is "
                   "selected)";
            return signalPassFailure();
          }
          declarePthreads();
          OpBuilder builder(ctx);
          builder.setInsertionPointAfter(kernel);
          ColumnSplitBuilder(kernel, strided,
                             getKernelName(act, "bias_grad_mt", dtype.name),
                             dtype.storage)
              .build(builder, create, join);
        }
      }
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
          declarePthreads();
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
