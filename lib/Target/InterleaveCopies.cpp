//===- InterleaveCopies.cpp - issue unrolled loop copies side by side -----===//
//
// InterleaveCopiesPass: after O3, the body of every single-block innermost
// loop is reordered by a stable sort on each instruction's dependency depth
// (the longest chain of operands and ordered memory accesses that leads to
// it inside the block). Every dependency goes from a smaller depth to a
// larger one, so the order stays valid; the unrolled copies, which do not
// depend on each other, end up interleaved level by level.
//
// Memory: two accesses of the block keep their order when one writes and
// they may overlap. Their pointers are `base + offset` (scalar evolution).
// In one array they are apart when the offsets differ by a constant at
// least as large as the wider access. Two different arrays of the kernel
// (arguments, stack buffers) are, by ABI.md, either disjoint or the same
// array indexed alike (in place), so there only accesses to the same
// element (a constant distance smaller than the access) keep their order.
// Any other access, and anything with side effects (a call, a fence, a
// volatile or atomic access), leaves the block as it is.
//
// Stores: each one then moves up to just after the last instruction it
// needs (its value, its address, the accesses it stays after), so every
// copy stores its result as soon as it has it instead of all copies
// storing together at the end. In cache that is even; out of cache it lets
// the core ask for the output's lines earlier (the fast sigmoid at 64M
// elements, ordinary stores: ~9% more bandwidth).
//
//===----------------------------------------------------------------------===//

#include "actc/Target/LoopScheduling.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/MemoryLocation.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"

#include <algorithm>
#include <numeric>

using namespace llvm;

namespace {

/// One memory access of the block: where it starts and how many bytes.
struct Access {
  unsigned position;
  bool writes;
  const SCEV *base;
  const SCEV *offset;
  uint64_t bytes;
};

} // namespace

/// The access `inst` makes, or nullopt when it makes none; fails (returns
/// false) for one the pass cannot reason about.
static bool describeAccess(Instruction &inst, unsigned position,
                           ScalarEvolution &evolution,
                           std::optional<Access> &access) {
  access.reset();
  // A prefetch (the streaming loops') is a hint: no access to order.
  if (auto *prefetch = dyn_cast<IntrinsicInst>(&inst);
      prefetch && prefetch->getIntrinsicID() == Intrinsic::prefetch)
    return true;
  if (!inst.mayReadOrWriteMemory())
    return !inst.mayHaveSideEffects();
  if (auto *load = dyn_cast<LoadInst>(&inst); load && !load->isSimple())
    return false;
  if (auto *store = dyn_cast<StoreInst>(&inst); store && !store->isSimple())
    return false;
  auto *intrinsic = dyn_cast<IntrinsicInst>(&inst);
  bool plain = isa<LoadInst, StoreInst>(inst);
  bool masked = intrinsic && (intrinsic->getIntrinsicID() == Intrinsic::masked_load ||
                              intrinsic->getIntrinsicID() == Intrinsic::masked_store);
  if (!plain && !masked)
    return false;
  std::optional<MemoryLocation> location = MemoryLocation::getOrNone(&inst);
  if (!location || !location->Size.hasValue() || location->Size.isScalable())
    return false;
  const SCEV *pointer = evolution.getSCEV(const_cast<Value *>(location->Ptr));
  const SCEV *base = evolution.getPointerBase(pointer);
  const SCEV *offset = evolution.getMinusSCEV(pointer, base);
  if (isa<SCEVCouldNotCompute>(offset))
    return false;
  access = Access{position, inst.mayWriteToMemory(), base, offset,
                  location->Size.getValue().getFixedValue()};
  return true;
}

/// Whether `base` is one of the kernel's arrays as a whole: an argument, a
/// stack buffer or a global.
static bool isIdentifiedArray(const SCEV *base) {
  const auto *unknown = dyn_cast<SCEVUnknown>(base);
  return unknown &&
         isa<Argument, AllocaInst, GlobalValue>(unknown->getValue());
}

/// Whether `earlier` and `later` must keep their order.
///
/// In one array, unless they are provably apart. In two of the kernel's
/// arrays, which are either disjoint or the same array indexed alike (in
/// place: y == x, dx == dy), only when their offsets are the same element's:
/// a distance that is not a constant (bias[col] against y[row][col]) or at
/// least the access's width means different elements.
static bool mustStayOrdered(const Access &earlier, const Access &later,
                            ScalarEvolution &evolution) {
  if (!earlier.writes && !later.writes)
    return false;
  bool sameArray = earlier.base == later.base;
  if (!sameArray &&
      !(isIdentifiedArray(earlier.base) && isIdentifiedArray(later.base)))
    return true;
  const auto *distance = dyn_cast<SCEVConstant>(
      evolution.getMinusSCEV(later.offset, earlier.offset));
  if (!distance)
    return sameArray;
  APInt gap = distance->getAPInt().abs();
  return gap.ult(std::max(earlier.bytes, later.bytes));
}

/// Moves every store of `order` (the positions in `writes`) up to just after
/// the last of the instructions it needs. Whatever needs the store came after
/// it and still does: the store only moves earlier, never past what it needs.
static void placeStoresEarly(const BitVector &writes,
                             ArrayRef<SmallVector<unsigned, 4>> needs,
                             SmallVectorImpl<unsigned> &order) {
  SmallVector<unsigned> placed;
  SmallVector<unsigned> stores;
  for (unsigned position : order)
    (writes.test(position) ? stores : placed).push_back(position);
  for (unsigned store : stores) {
    auto *slot = placed.begin();
    for (auto *it = placed.begin(); it != placed.end(); ++it)
      if (is_contained(needs[store], *it))
        slot = std::next(it);
    placed.insert(slot, store);
  }
  order.assign(placed.begin(), placed.end());
}

/// Reorders `block`'s body by dependency depth; false if it cannot.
static bool interleave(BasicBlock &block, ScalarEvolution &evolution) {
  SmallVector<Instruction *> body;
  for (Instruction &inst : block)
    if (!isa<PHINode>(inst) && !inst.isTerminator())
      body.push_back(&inst);

  DenseMap<Instruction *, unsigned> positionOf;
  SmallVector<Access> accesses;
  for (auto [position, inst] : enumerate(body)) {
    positionOf[inst] = position;
    std::optional<Access> access;
    if (!describeAccess(*inst, position, evolution, access))
      return false;
    if (access)
      accesses.push_back(*access);
  }

  SmallVector<unsigned> depth(body.size(), 0);
  SmallVector<SmallVector<unsigned, 4>> needs(body.size());
  auto after = [&](unsigned position, unsigned before) {
    depth[position] = std::max(depth[position], depth[before] + 1);
    needs[position].push_back(before);
  };
  unsigned nextAccess = 0;
  for (auto [position, inst] : enumerate(body)) {
    for (Value *operand : inst->operands())
      if (auto *def = dyn_cast<Instruction>(operand))
        if (auto found = positionOf.find(def); found != positionOf.end())
          after(position, found->second);
    if (nextAccess < accesses.size() &&
        accesses[nextAccess].position == position) {
      for (unsigned earlier = 0; earlier < nextAccess; ++earlier)
        if (mustStayOrdered(accesses[earlier], accesses[nextAccess],
                            evolution))
          after(position, accesses[earlier].position);
      ++nextAccess;
    }
  }

  SmallVector<unsigned> order(body.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
    return depth[a] < depth[b];
  });
  BitVector writes(body.size());
  for (const Access &access : accesses)
    if (access.writes)
      writes.set(access.position);
  placeStoresEarly(writes, needs, order);
  Instruction *terminator = block.getTerminator();
  for (unsigned position : order)
    body[position]->moveBefore(terminator->getIterator());
  return true;
}

PreservedAnalyses
actc::InterleaveCopiesPass::run(Function &function,
                                FunctionAnalysisManager &analyses) {
  LoopInfo &loops = analyses.getResult<LoopAnalysis>(function);
  ScalarEvolution &evolution = analyses.getResult<ScalarEvolutionAnalysis>(function);
  bool changed = false;
  for (Loop *loop : loops.getLoopsInPreorder())
    if (loop->isInnermost() && loop->getNumBlocks() == 1)
      changed |= interleave(*loop->getHeader(), evolution);
  if (!changed)
    return PreservedAnalyses::all();
  PreservedAnalyses preserved;
  preserved.preserveSet<CFGAnalyses>();
  return preserved;
}
