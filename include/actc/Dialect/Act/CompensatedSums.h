//===- CompensatedSums.h - row sums as unevaluated pairs --------*- C++ -*-===//
//
// f64 row sums have no wider type to accumulate in, so act-kernels keeps
// each as a pair: the running sum s and its error c, s' = s + v and
// c' = c + TwoSum's exact error of that addition (plus, for a product term,
// FMA's exact error of the product). act-vectorize widens both as ordinary
// add reductions (each lane a partial pair; the tail's inactive lanes add
// 0 to both) and, for a loop marked with kCompensatedSumsAttrName, adds
// the lanes of s up with TwoSum too, so the row's sum is s + c to about
// twice the working precision whatever the row's length.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_COMPENSATEDSUMS_H
#define ACTC_DIALECT_ACT_COMPENSATEDSUMS_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringRef.h"

#include <utility>

namespace mlir::act {

/// On an scf.for: a flat array of iteration-argument indices, pairs
/// (sum, error) of compensated sums (act-kernels sets it, act-vectorize
/// reads it).
inline constexpr llvm::StringLiteral kCompensatedSumsAttrName =
    "act.compensated_sums";

/// The exact error of `sum` = fl(a + b) (Knuth's TwoSum, no condition on
/// the magnitudes): (a - (sum - bb)) + (b - bb), bb = sum - a. Scalars or
/// vectors.
Value buildTwoSumError(OpBuilder &builder, Location loc, Value a, Value b,
                       Value sum);

/// |value| < inf for a scalar: false for an infinity and a NaN.
Value buildIsFinite(OpBuilder &builder, Location loc, Value value);

/// (hi, lo) = Fast2Sum(a, b), for |a| >= |b| (or a = 0): hi = fl(a + b),
/// lo = b - (hi - a).
std::pair<Value, Value> buildFastTwoSum(OpBuilder &builder, Location loc,
                                        Value a, Value b);

/// The lanes of a pair of vector accumulators (sums, errors) added to the
/// scalar pair (initSum, initError) with TwoSum, lane by lane: returns the
/// scalar (sum, error).
std::pair<Value, Value> buildCompensatedLaneSum(OpBuilder &builder,
                                                Location loc, Value sums,
                                                Value errors, Value initSum,
                                                Value initError);

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_COMPENSATEDSUMS_H
