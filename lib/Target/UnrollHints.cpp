//===- UnrollHints.cpp - unroll counts for the kernels' vector loops ------===//
//
// UnrollHintsPass: before O3, every innermost loop that computes on vectors
// and carries no unroll metadata of its own gets `llvm.loop.unroll.count`,
// so that InterleaveCopiesPass finds several independent copies of the body
// in each iteration to issue side by side:
//
//   - 4 copies,
//   - 2 when the loop uses at least as many loop-invariant vectors
//     (constants, tables) as a 32-register target has registers (the gelu
//     cores with their coefficient tables), where 4 copies make the
//     register allocator reload them or spill,
//   - nothing for bodies under `kMinVectorOps` vector instructions (relu,
//     copies), whose unrolling LLVM chooses well by itself.
//
// The streaming loops of large arrays (non-temporal stores) are unrolled
// too: act-vectorize counts them from 0 past their peeled head, so that
// LLVM knows their trip count.
//
// Measured, A/B against plain O3 (docs/accuracy.md "Interleaved loop copies
// (session 10, lead)"): with AVX-512 4 copies beat 2 on the sigmoid, tanh,
// silu, softplus and mish gradients and accurate forwards (up to 1.75x
// against 1.43x; the fast silu and mish forwards are even within the
// noise), 2 beat 4 on the fast gelu forward and gradient (1.06x against
// 1.01x); with AVX2
// (16 registers) 4 beat 2 on all but the accurate mish forward (0.98x
// against 1.08x). Loops that the kernels annotate themselves (the matmul
// micro-kernel: unrolling it spills its accumulators) keep their metadata.
//
//===----------------------------------------------------------------------===//

#include "actc/Target/LoopScheduling.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/TargetTransformInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Metadata.h"

using namespace llvm;

/// Bodies with fewer vector instructions are left to LLVM's own unrolling.
static constexpr unsigned kMinVectorOps = 8;

/// Whether `loopID` already says how to unroll its loop.
static bool hasUnrollMetadata(const MDNode *loopID) {
  if (!loopID)
    return false;
  for (const MDOperand &operand : drop_begin(loopID->operands())) {
    const auto *node = dyn_cast<MDNode>(operand.get());
    if (!node || node->getNumOperands() == 0)
      continue;
    if (const auto *name = dyn_cast<MDString>(node->getOperand(0)))
      if (name->getString().starts_with("llvm.loop.unroll"))
        return true;
  }
  return false;
}

/// The number of instructions of `loop` that produce or store a vector.
static unsigned countVectorOps(const Loop &loop) {
  unsigned count = 0;
  for (const BasicBlock *block : loop.blocks())
    for (const Instruction &inst : *block) {
      Type *type = inst.getType();
      if (const auto *store = dyn_cast<StoreInst>(&inst))
        type = store->getValueOperand()->getType();
      count += type->isVectorTy();
    }
  return count;
}

/// The number of distinct loop-invariant vectors (constants, tables,
/// broadcast parameters) that `loop`'s instructions use.
static unsigned countInvariantVectors(const Loop &loop) {
  SmallPtrSet<const Value *, 32> invariants;
  for (const BasicBlock *block : loop.blocks())
    for (const Instruction &inst : *block)
      for (const Value *operand : inst.operands())
        if (operand->getType()->isVectorTy() &&
            loop.isLoopInvariant(operand))
          invariants.insert(operand);
  return invariants.size();
}

/// How many copies of `loop`'s body to interleave with `registers` vector
/// registers; 0 to leave the loop to LLVM.
static unsigned chooseUnrollCount(const Loop &loop, unsigned registers) {
  if (countVectorOps(loop) < kMinVectorOps)
    return 0;
  if (registers >= 32 && countInvariantVectors(loop) >= registers)
    return 2;
  return 4;
}

/// Adds `llvm.loop.unroll.count = count` to `loop`'s loop ID.
static void setUnrollCount(Loop &loop, unsigned count) {
  LLVMContext &context = loop.getHeader()->getContext();
  SmallVector<Metadata *> operands = {nullptr};
  if (MDNode *old = loop.getLoopID())
    append_range(operands, drop_begin(old->operands()));
  operands.push_back(MDNode::get(
      context, {MDString::get(context, "llvm.loop.unroll.count"),
                ConstantAsMetadata::get(
                    ConstantInt::get(Type::getInt32Ty(context), count))}));
  MDNode *loopID = MDNode::getDistinct(context, operands);
  loopID->replaceOperandWith(0, loopID);
  loop.setLoopID(loopID);
}

PreservedAnalyses actc::UnrollHintsPass::run(Function &function,
                                             FunctionAnalysisManager &analyses) {
  LoopInfo &loops = analyses.getResult<LoopAnalysis>(function);
  const TargetTransformInfo &target =
      analyses.getResult<TargetIRAnalysis>(function);
  unsigned registers =
      target.getNumberOfRegisters(target.getRegisterClassForType(true));
  bool changed = false;
  for (Loop *loop : loops.getLoopsInPreorder()) {
    if (!loop->isInnermost() || hasUnrollMetadata(loop->getLoopID()))
      continue;
    unsigned count = chooseUnrollCount(*loop, registers);
    if (count == 0)
      continue;
    setUnrollCount(*loop, count);
    changed = true;
  }
  return changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}
