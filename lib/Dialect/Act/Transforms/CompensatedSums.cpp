//===- CompensatedSums.cpp - row sums as unevaluated pairs ----------------===//
//
// The error-free transformations that act-kernels and act-vectorize share
// for f64 row sums (CompensatedSums.h).
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/CompensatedSums.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::act;

Value act::buildTwoSumError(OpBuilder &builder, Location loc, Value a, Value b,
                            Value sum) {
  Value bb = arith::SubFOp::create(builder, loc, sum, a);
  Value aa = arith::SubFOp::create(builder, loc, sum, bb);
  Value aErr = arith::SubFOp::create(builder, loc, a, aa);
  Value bErr = arith::SubFOp::create(builder, loc, b, bb);
  return arith::AddFOp::create(builder, loc, aErr, bErr);
}

std::pair<Value, Value> act::buildFastTwoSum(OpBuilder &builder, Location loc,
                                             Value a, Value b) {
  Value hi = arith::AddFOp::create(builder, loc, a, b);
  Value lo = arith::SubFOp::create(
      builder, loc, b, arith::SubFOp::create(builder, loc, hi, a));
  return {hi, lo};
}

std::pair<Value, Value>
act::buildCompensatedLaneSum(OpBuilder &builder, Location loc, Value sums,
                             Value errors, Value initSum, Value initError) {
  int64_t lanes = cast<VectorType>(sums.getType()).getNumElements();
  // The errors need no compensation: they are ~2^-53 of the sum.
  Value error = vector::ReductionOp::create(
      builder, loc, vector::CombiningKind::ADD, errors, initError);
  Value sum = initSum;
  for (int64_t lane = 0; lane < lanes; ++lane) {
    Value term = vector::ExtractOp::create(builder, loc, sums, lane);
    Value next = arith::AddFOp::create(builder, loc, sum, term);
    error = arith::AddFOp::create(
        builder, loc, error, buildTwoSumError(builder, loc, sum, term, next));
    sum = next;
  }
  return {sum, error};
}

Value act::buildIsFinite(OpBuilder &builder, Location loc, Value value) {
  Value inf = arith::ConstantOp::create(
      builder, loc,
      builder.getFloatAttr(value.getType(),
                           std::numeric_limits<double>::infinity()));
  return arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OLT,
                               math::AbsFOp::create(builder, loc, value), inf);
}
