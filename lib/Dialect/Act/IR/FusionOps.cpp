//===- FusionOps.cpp - verifiers of the tensor-level graph ops ------------===//
//
// The ops of td/FusionOps.td: shapes that must agree where they are static,
// one element type, and an activation symbol that names an elementwise
// act.activation taking as many runtime parameters as the op passes.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/ActOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::act;

/// Sizes `a` and `b` agree unless one is dynamic.
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

static LogicalResult verifySameElementType(Operation *op) {
  Type element;
  for (Type type :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      continue;
    if (element && tensor.getElementType() != element)
      return op->emitOpError("needs one element type, got ")
             << element << " and " << tensor.getElementType();
    element = tensor.getElementType();
  }
  return success();
}

/// `row` has one element per column of `matrix`.
static LogicalResult verifyRow(Operation *op, Value matrix, Value row,
                               StringRef what) {
  if (!row)
    return success();
  int64_t cols = cast<RankedTensorType>(matrix.getType()).getDimSize(1);
  int64_t size = cast<RankedTensorType>(row.getType()).getDimSize(0);
  if (!compatible(cols, size))
    return op->emitOpError()
           << what << " has " << size << " elements but the matrix has " << cols
           << " columns";
  return success();
}

/// a is m x k, b is k x n, the result m x n.
static LogicalResult verifyMatmul(Operation *op, Value a, Value b,
                                  Value result) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  auto cType = cast<RankedTensorType>(result.getType());
  if (!compatible(aType.getDimSize(1), bType.getDimSize(0)))
    return op->emitOpError("contracts ")
           << aType.getDimSize(1) << " columns of a with "
           << bType.getDimSize(0) << " rows of b";
  if (!compatible(aType.getDimSize(0), cType.getDimSize(0)) ||
      !compatible(bType.getDimSize(1), cType.getDimSize(1)))
    return op->emitOpError("result must be ")
           << aType.getDimSize(0) << " x " << bType.getDimSize(1);
  return verifySameElementType(op);
}

/// `activation` names an elementwise act.activation with `numParams`
/// runtime parameters.
static LogicalResult verifyActivation(Operation *op,
                                      FlatSymbolRefAttr activation,
                                      size_t numParams,
                                      SymbolTableCollection &symbolTable) {
  auto callee =
      symbolTable.lookupNearestSymbolFrom<ActivationOp>(op, activation);
  if (!callee)
    return op->emitOpError("'")
           << activation.getValue() << "' is not an act.activation";
  if (callee.getGradOf() || callee.isRowActivation())
    return op->emitOpError("@")
           << activation.getValue()
           << " is not an elementwise activation (a gradient or a row "
              "activation)";
  size_t expected = callee.getRuntimeParams().size();
  if (numParams != expected)
    return op->emitOpError("@")
           << activation.getValue() << " takes " << expected
           << " runtime parameter(s), but " << numParams << " are passed";
  return success();
}

#define VERIFY_SYMBOL_USES(OP)                                                 \
  LogicalResult OP::verifySymbolUses(SymbolTableCollection &symbolTable) {     \
    return verifyActivation(*this, getActivationAttr(), getParams().size(),    \
                            symbolTable);                                      \
  }
VERIFY_SYMBOL_USES(ApplyOp)
VERIFY_SYMBOL_USES(ApplyGradOp)
VERIFY_SYMBOL_USES(FusedBiasOp)
VERIFY_SYMBOL_USES(FusedBiasGradOp)
VERIFY_SYMBOL_USES(FusedMatmulOp)
VERIFY_SYMBOL_USES(FusedMatmulAuxOp)
#undef VERIFY_SYMBOL_USES

LogicalResult MatmulOp::verify() {
  return verifyMatmul(*this, getA(), getB(), getResult());
}

LogicalResult BiasAddOp::verify() {
  if (getResult().getType() != getInput().getType())
    return emitOpError("result type must be the input type");
  if (failed(verifyRow(*this, getInput(), getBias(), "bias")))
    return failure();
  return verifySameElementType(*this);
}

LogicalResult ColumnSumOp::verify() {
  if (failed(verifyRow(*this, getInput(), getResult(), "result")))
    return failure();
  return verifySameElementType(*this);
}

LogicalResult ApplyOp::verify() { return success(); }

LogicalResult ApplyGradOp::verify() { return success(); }

LogicalResult FusedBiasOp::verify() {
  if (failed(verifyRow(*this, getInput(), getBias(), "bias")))
    return failure();
  return verifySameElementType(*this);
}

LogicalResult FusedBiasGradOp::verify() {
  if (failed(verifyRow(*this, getInput(), getBias(), "bias")) ||
      failed(verifyRow(*this, getInput(), getDbias(), "dbias")))
    return failure();
  return verifySameElementType(*this);
}

LogicalResult FusedMatmulOp::verify() {
  if (failed(verifyRow(*this, getResult(), getBias(), "bias")))
    return failure();
  return verifyMatmul(*this, getA(), getB(), getResult());
}

LogicalResult FusedMatmulAuxOp::verify() {
  if (failed(verifyRow(*this, getResult(), getBias(), "bias")))
    return failure();
  return verifyMatmul(*this, getA(), getB(), getResult());
}
