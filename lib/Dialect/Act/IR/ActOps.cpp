//===- ActOps.cpp - act dialect operations --------------------------------===//

#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/Gradients.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::act;

#define GET_OP_CLASSES
#include "Act/ActOps.cpp.inc"

//===----------------------------------------------------------------------===//
// ActivationOp
//===----------------------------------------------------------------------===//

ParamAttr ActivationOp::lookupParam(StringRef name) {
  int64_t index = getParamIndex(name);
  return index < 0 ? ParamAttr() : cast<ParamAttr>(getParams()[index]);
}

int64_t ActivationOp::getParamIndex(StringRef name) {
  for (auto [index, attr] : llvm::enumerate(getParams()))
    if (cast<ParamAttr>(attr).getName() == name)
      return index;
  return -1;
}

SmallVector<ParamAttr> ActivationOp::getRuntimeParams() {
  SmallVector<ParamAttr> result;
  for (Attribute attr : getParams())
    if (cast<ParamAttr>(attr).getRuntime())
      result.push_back(cast<ParamAttr>(attr));
  return result;
}

Value ActivationOp::getResult() {
  return cast<ReturnOp>(getBody().front().getTerminator()).getValue();
}

bool ActivationOp::isRowActivation() {
  WalkResult result = getBody().walk([](Operation *op) {
    return isa<RowSumOp, RowMaxOp>(op) ? WalkResult::interrupt()
                                       : WalkResult::advance();
  });
  return result.wasInterrupted();
}

void ActivationOp::getAsmBlockArgumentNames(Region &region,
                                            OpAsmSetValueNameFn setNameFn) {
  // A derivative from the output (act-grad-from-y) reads y.
  if (!region.empty() && region.front().getNumArguments() == 1)
    setNameFn(region.front().getArgument(0),
              (*this)->hasAttr(kFromYAttrName) ? "y" : "x");
}

LogicalResult ActivationOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != 1 || !isa<FloatType>(body.getArgument(0).getType()))
    return emitOpError("body must take exactly one scalar float argument");
  llvm::StringSet<> seen;
  for (Attribute attr : getParams()) {
    auto param = cast<ParamAttr>(attr);
    if (!seen.insert(param.getName()).second)
      return emitOpError("parameter '") << param.getName() << "' is declared twice";
  }
  if (!isa<ReturnOp>(body.getTerminator()))
    return emitOpError("body must end with act.return");
  return success();
}

//===----------------------------------------------------------------------===//
// ReturnOp
//===----------------------------------------------------------------------===//

LogicalResult ReturnOp::verify() {
  auto activation = (*this)->getParentOfType<ActivationOp>();
  size_t expected = 1;
  if (activation.getGradOf())
    expected += activation.getRuntimeParams().size();
  if (getValues().size() != expected)
    return emitOpError("returns ")
           << getValues().size() << " value(s) but the activation has "
           << expected;
  for (Value value : getValues())
    if (value.getType() != activation.getElementType())
      return emitOpError("returns ")
             << value.getType() << " but the activation's element type is "
             << activation.getElementType();
  return success();
}

//===----------------------------------------------------------------------===//
// ParamOp
//===----------------------------------------------------------------------===//

LogicalResult ParamOp::verify() {
  auto activation = (*this)->getParentOfType<ActivationOp>();
  if (!activation)
    return emitOpError("must be inside an act.activation");
  if (!activation.lookupParam(getName()))
    return emitOpError("activation @")
           << activation.getSymName() << " has no parameter '" << getName()
           << "'";
  return success();
}

//===----------------------------------------------------------------------===//
// CallOp
//===----------------------------------------------------------------------===//

LogicalResult CallOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto callee =
      symbolTable.lookupNearestSymbolFrom<ActivationOp>(*this, getCalleeAttr());
  if (!callee)
    return emitOpError("'") << getCallee() << "' is not an act.activation";
  size_t expected = 1 + callee.getParams().size();
  if (getArgs().size() != expected)
    return emitOpError("@") << getCallee() << " takes the input and "
                            << callee.getParams().size()
                            << " parameter(s), but the call passes "
                            << getArgs().size() << " operand(s)";
  return success();
}

//===----------------------------------------------------------------------===//
// ViewOp
//===----------------------------------------------------------------------===//

LogicalResult ViewOp::verify() {
  auto type = dyn_cast<MemRefType>(getResult().getType());
  if (!type || !type.getLayout().isIdentity())
    return emitOpError("result must be a memref with the identity layout");
  if (static_cast<int64_t>(getSizes().size()) != type.getRank())
    return emitOpError("needs one size per dimension: ")
           << type.getRank() << " expected, " << getSizes().size() << " given";
  return success();
}
