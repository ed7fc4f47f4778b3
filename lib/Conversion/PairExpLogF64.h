//===- PairExpLogF64.h - act.exp_pair and act.log1p_pair --------*- C++ -*-===//
//
// act-kernels gives f64 row kernels, which have no wider type to compute
// in, exp and log1p of double-double values (td/ActOps.td: act.exp_pair,
// act.log1p_pair); act-math-approx lowers them here, both precisions, with
// the f64 cores of Approx/ExpLogF64.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_PAIREXPLOGF64_H
#define ACTC_CONVERSION_PAIREXPLOGF64_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::act {

/// Rewrites act.exp_pair and act.log1p_pair. `avx512`: see
/// Emitter::setAVX512 (one vscalefpd per scaling).
void populatePairExpLogF64Patterns(RewritePatternSet &patterns, bool avx512);

} // namespace mlir::act

#endif // ACTC_CONVERSION_PAIREXPLOGF64_H
