//===- StreamingCost.cpp - drop the streaming form of compute-bound loops -===//
//
// act-streaming-cost: act-vectorize gives a large output a second loop form
// with non-temporal stores (its `act.streaming_choice` scf.if). They pay
// where the loop is bound by memory: relu's loop streams 1.2-1.4x faster at
// 64M elements. Where it is bound by its arithmetic they do not: on the
// Zen 5 this project measures, the accurate gelu's loop ran 1.3-1.45x
// faster with ordinary stores at 64M, fast gelu's 1.2-1.56x, because the
// caches absorb ordinary stores while the core computes, and streamed lines
// go to memory at once (docs/fusion.md "Streaming only where memory
// bounds the loop (session 12, lead)").
//
// The pass runs after act-math-approx, when a loop's body is the
// arithmetic the target will execute, and measures each choice's plain
// vector loop: vector operations per byte the loop loads and stores. Above
// `max-ops-per-byte` the loop is compute-bound: the choice is folded to
// its plain form. Flat loops that read two or more arrays (x and dy) are
// judged by `prefetched-ops-per-byte` where it is set: above it the streaming
// form stays, for the prefetches it issues 4 KiB ahead of each load, and
// its non-temporal stores become ordinary ones. At 64M elements that ran
// the gradients 1.07-1.47x faster than the plain loop, whose loads the
// core, busy computing, issues too late for two input streams (docs/
// fusion.md "Gradients keep their prefetches (session 13, lead)"). Those
// at or below `unprefetched-ops-per-byte` (the gradients from y, 3-4 vector
// ops per 192 bytes) keep their non-temporal stores and lose the
// prefetches instead: at 4M and 64M elements that ran them 0.96-1.40x
// as fast (most 1.06-1.2x) over 26 code placements, where the loops with a
// transcendental (17-20 ops) lost 5-25% without them (docs/benchmarks-grad.md
// "Streams at 262144 and 64M (session 17, l3pref)"). Every choice loses its
// marker.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTSTREAMINGCOST
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {

/// What one iteration of a vector loop computes and moves.
struct LoopCost {
  int64_t vectorOps = 0;
  int64_t bytes = 0;
  /// Arrays of the output's rank the loop loads from.
  int64_t inputArrays = 0;
  /// The output's rank: 1 for elementwise kernels, 2 for the bias kernels'
  /// rows.
  int64_t outputRank = 0;
};

} // namespace

static int64_t vectorBytes(Type type) {
  auto vector = cast<VectorType>(type);
  return vector.getNumElements() * vector.getElementTypeBitWidth() / 8;
}

/// Counts `loop`'s vector operations (results of vector type; constants and
/// memory accesses are not operations here) and the bytes its vector loads
/// and stores move to and from memory: those of the arrays shaped like its
/// output (of the highest rank it accesses). A bias kernel's row loop also
/// reads bias[col] and adds to dbias[col], but those vectors are the same
/// for every row and stay in cache.
static LoopCost measure(scf::ForOp loop) {
  LoopCost cost;
  struct Access {
    int64_t rank;
    int64_t bytes;
    Value loadedArray; // null for a store
  };
  SmallVector<Access> accesses;
  auto access = [&](Value memref, Type vector, bool load) {
    accesses.push_back({cast<MemRefType>(memref.getType()).getRank(),
                        vectorBytes(vector), load ? memref : Value()});
  };
  loop.getBody()->walk([&](Operation *op) {
    if (auto load = dyn_cast<vector::LoadOp>(op))
      access(load.getBase(), load.getType(), /*load=*/true);
    else if (auto load = dyn_cast<vector::MaskedLoadOp>(op))
      access(load.getBase(), load.getType(), /*load=*/true);
    else if (auto store = dyn_cast<vector::StoreOp>(op))
      access(store.getBase(), store.getValueToStore().getType(),
             /*load=*/false);
    else if (auto store = dyn_cast<vector::MaskedStoreOp>(op))
      access(store.getBase(), store.getValueToStore().getType(),
             /*load=*/false);
    else if (!op->hasTrait<OpTrait::ConstantLike>() &&
             llvm::any_of(op->getResultTypes(), llvm::IsaPred<VectorType>))
      ++cost.vectorOps;
  });
  int64_t outputRank = 0;
  for (const Access &access : accesses)
    outputRank = std::max(outputRank, access.rank);
  llvm::SmallDenseSet<Value, 4> inputs;
  for (const Access &access : accesses) {
    if (access.rank != outputRank)
      continue;
    cost.bytes += access.bytes;
    if (access.loadedArray)
      inputs.insert(access.loadedArray);
  }
  cost.inputArrays = inputs.size();
  cost.outputRank = outputRank;
  return cost;
}

/// The first loop of the choice's plain (else) form: its vector loop.
static scf::ForOp findPlainLoop(scf::IfOp choice) {
  scf::ForOp plain;
  choice.getElseRegion().walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
    plain = loop;
    return WalkResult::interrupt();
  });
  return plain;
}

/// Makes the non-temporal stores of `choice`'s streaming form ordinary. The
/// form also sets its function's "streamed" flag (a memref<i1>), which
/// fences before returning; with no non-temporal store left, it need not.
static void storeOrdinarily(scf::IfOp choice) {
  SmallVector<memref::StoreOp> flagStores;
  choice.getThenRegion().walk([&](Operation *op) {
    if (auto store = dyn_cast<vector::StoreOp>(op))
      store.setNontemporal(false);
    else if (auto store = dyn_cast<memref::StoreOp>(op);
             store && store.getMemRefType().getRank() == 0 &&
             store.getMemRefType().getElementType().isInteger(1))
      flagStores.push_back(store);
  });
  for (memref::StoreOp store : flagStores)
    store.erase();
}

/// Drops the prefetches of `choice`'s streaming form, and the index
/// arithmetic only they used.
static void dropPrefetches(scf::IfOp choice) {
  SmallVector<memref::PrefetchOp> prefetches;
  choice.getThenRegion().walk(
      [&](memref::PrefetchOp prefetch) { prefetches.push_back(prefetch); });
  for (memref::PrefetchOp prefetch : prefetches) {
    SmallVector<Value> unused(prefetch.getIndices());
    prefetch.erase();
    while (!unused.empty()) {
      Operation *def = unused.pop_back_val().getDefiningOp();
      if (!def || !def->use_empty() || !isMemoryEffectFree(def))
        continue;
      llvm::append_range(unused, def->getOperands());
      def->erase();
    }
  }
}

/// Replaces `choice` by its plain form.
static void foldToPlain(scf::IfOp choice) {
  IRRewriter rewriter(choice);
  Block *plain = choice.elseBlock();
  auto yield = cast<scf::YieldOp>(plain->getTerminator());
  SmallVector<Value> results(yield.getOperands());
  rewriter.inlineBlockBefore(plain, choice);
  rewriter.eraseOp(yield);
  rewriter.replaceOp(choice, results);
}

namespace {
struct ActStreamingCostPass
    : public act::impl::ActStreamingCostBase<ActStreamingCostPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<scf::IfOp> choices;
    getOperation().walk([&](scf::IfOp choice) {
      if (choice->removeAttr(kStreamingChoiceAttrName))
        choices.push_back(choice);
    });
    for (scf::IfOp choice : choices) {
      scf::ForOp loop = findPlainLoop(choice);
      if (!loop)
        continue;
      LoopCost cost = measure(loop);
      // Only flat loops: in the bias gradients' rows (rank 2) the prefetched
      // form lost as often as it won (0.88-1.15x at 64M).
      bool prefetched = prefetchedOpsPerByte > 0 && cost.inputArrays >= 2 &&
                        cost.outputRank == 1;
      double threshold = prefetched ? prefetchedOpsPerByte : maxOpsPerByte;
      bool computeBound =
          threshold > 0 && cost.bytes > 0 &&
          static_cast<double>(cost.vectorOps) > threshold * cost.bytes;
      bool unprefetched = unprefetchedOpsPerByte > 0 && cost.inputArrays >= 2 &&
                          cost.outputRank == 1 &&
                          static_cast<double>(cost.vectorOps) <=
                              unprefetchedOpsPerByte * cost.bytes;
      if (remarks)
        choice.emitRemark()
            << cost.vectorOps << " vector ops per " << cost.bytes << " bytes, "
            << cost.inputArrays
            << (cost.inputArrays == 1 ? " input array: " : " input arrays: ")
            << (unprefetched    ? "streaming kept, no prefetches"
                : !computeBound ? "streaming kept"
                : prefetched    ? "compute-bound, prefetched ordinary stores"
                                : "compute-bound, plain stores");
      if (unprefetched)
        dropPrefetches(choice);
      else if (computeBound && prefetched)
        storeOrdinarily(choice);
      else if (computeBound)
        foldToPlain(choice);
    }
  }
};
} // namespace
