//===- LoopScheduling.h - unroll and interleave the kernels' loops -*- C++ -*-===//
//
// Two LLVM IR passes that the CPU back end (ObjectEmitter.cpp) runs around
// the O3 pipeline, for x86 targets:
//
//   UnrollHintsPass (pipeline start): every innermost loop of vector code
//   without unroll metadata gets `llvm.loop.unroll.count` (4, or 2 where the
//   loop's constants would crowd the registers), so that O3's unroller gives
//   each iteration several independent copies of the body.
//
//   InterleaveCopiesPass (optimizer last): in every single-block innermost
//   loop, reorders the body by dependency depth, so that the unrolled copies
//   are issued side by side instead of one after the other.
//
// Why: an activation's vector body is one long dependency chain (reduction,
// polynomial, division, scaling). Written one copy after another, the core
// runs out of scheduler entries before it reaches the next copy's
// independent work; interleaved, the copies fill each other's latencies.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_TARGET_LOOPSCHEDULING_H
#define ACTC_TARGET_LOOPSCHEDULING_H

#include "llvm/IR/PassManager.h"

namespace actc {

/// Sets an unroll count on the innermost loops of vector code.
struct UnrollHintsPass : llvm::PassInfoMixin<UnrollHintsPass> {
  llvm::PreservedAnalyses run(llvm::Function &function,
                              llvm::FunctionAnalysisManager &analyses);
};

/// Interleaves the unrolled copies of single-block innermost loops.
struct InterleaveCopiesPass : llvm::PassInfoMixin<InterleaveCopiesPass> {
  llvm::PreservedAnalyses run(llvm::Function &function,
                              llvm::FunctionAnalysisManager &analyses);
};

} // namespace actc

#endif // ACTC_TARGET_LOOPSCHEDULING_H
