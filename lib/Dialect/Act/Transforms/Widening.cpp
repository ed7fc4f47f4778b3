//===- Widening.cpp - clone scalar activation bodies into kernels ---------===//
//
// See Widening.h. The fused kernels clone a body once per value they apply
// it to (one clone per accumulator vector of a matmul tile), so the clones
// stay simple: every value widened, uniform ones included; canonicalization
// folds the splat arithmetic and CSE merges what the clones share.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/Widening.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::act;

Value mlir::act::broadcastScalar(OpBuilder &builder, Location loc,
                                 VectorType type, Value scalar) {
  Attribute attr;
  if (matchPattern(scalar, m_Constant(&attr)))
    return arith::ConstantOp::create(builder, loc, type,
                                     DenseElementsAttr::get(type, attr));
  return vector::BroadcastOp::create(builder, loc, type, scalar);
}

ActivationCloner::ActivationCloner(ActivationOp activation,
                                   FloatType elementType, int64_t width,
                                   ValueRange runtimeParams)
    : activation(activation), sourceType(activation.getElementType()),
      elementType(elementType), width(width),
      runtimeParams(runtimeParams.begin(), runtimeParams.end()) {}

Type ActivationCloner::convertType(Type type) const {
  Type scalar = type == sourceType ? Type(elementType) : type;
  if (width > 0 && scalar.isIntOrIndexOrFloat())
    return VectorType::get({width}, scalar);
  return scalar;
}

LogicalResult ActivationCloner::verify() {
  for (Operation &op : activation.getBody().front().without_terminator()) {
    if (isa<ParamOp, arith::ConstantOp>(op))
      continue;
    if (op.getNumRegions() != 0 || isa<CallOp, RowSumOp, RowMaxOp>(op) ||
        !OpTrait::hasElementwiseMappableTraits(&op))
      return op.emitOpError("cannot be cloned into a fused kernel: not an "
                            "inlined elementwise op");
  }
  return success();
}

Value ActivationCloner::cloneParam(OpBuilder &builder, ParamOp param) {
  Location loc = param.getLoc();
  auto type = cast<FloatType>(param.getType() == sourceType ? Type(elementType)
                                                            : param.getType());
  ParamAttr attr = activation.lookupParam(param.getName());
  Value value;
  if (attr.getRuntime()) {
    // Runtime parameters are `float` arguments, whatever the element type.
    auto runtime = activation.getRuntimeParams();
    auto it = llvm::find_if(runtime, [&](ParamAttr candidate) {
      return candidate.getName() == param.getName();
    });
    value = runtimeParams[it - runtime.begin()];
    if (type.getWidth() > 32)
      value = arith::ExtFOp::create(builder, loc, type, value);
    else if (type.getWidth() < 32)
      value = arith::TruncFOp::create(builder, loc, type, value);
  } else {
    value = arith::ConstantOp::create(
        builder, loc,
        builder.getFloatAttr(type, attr.getDefaultValue().convertToDouble()));
  }
  if (width > 0)
    value =
        broadcastScalar(builder, loc, VectorType::get({width}, type), value);
  return value;
}

SmallVector<Value> ActivationCloner::clone(OpBuilder &builder, Value input) {
  IRMapping mapping;
  mapping.map(activation.getInput(), input);
  for (Operation &op : activation.getBody().front().without_terminator()) {
    if (auto param = dyn_cast<ParamOp>(op)) {
      mapping.map(param.getResult(), cloneParam(builder, param));
      continue;
    }
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto attr = cast<TypedAttr>(constant.getValue());
      Type type = convertType(attr.getType());
      Type scalarType = getElementTypeOrSelf(type);
      if (auto floatAttr = dyn_cast<FloatAttr>(attr))
        attr = builder.getFloatAttr(scalarType, floatAttr.getValueAsDouble());
      if (auto vectorType = dyn_cast<VectorType>(type))
        attr = DenseElementsAttr::get(vectorType, Attribute(attr));
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(builder, constant.getLoc(), attr));
      continue;
    }
    Operation *clone = builder.clone(op, mapping);
    for (OpResult result : clone->getResults())
      result.setType(convertType(result.getType()));
  }
  auto terminator =
      cast<ReturnOp>(activation.getBody().front().getTerminator());
  return llvm::map_to_vector(terminator.getValues(), [&](Value value) {
    return mapping.lookupOrDefault(value);
  });
}
