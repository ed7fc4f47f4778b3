//===- ActDialect.cpp - the act dialect -----------------------------------===//

#include "actc/Dialect/Act/ActDialect.h"
#include "actc/Dialect/Act/ActOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::act;

#include "Act/ActDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Act/ActAttrs.cpp.inc"

void ActDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Act/ActAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Act/ActOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// ParamAttr: #act.param<"alpha" = 0.01> or #act.param<runtime "beta" = 1.0>
//===----------------------------------------------------------------------===//

Attribute ParamAttr::parse(AsmParser &parser, Type) {
  bool runtime = false;
  std::string name;
  double value = 0;
  if (parser.parseLess())
    return {};
  if (succeeded(parser.parseOptionalKeyword("runtime")))
    runtime = true;
  if (parser.parseString(&name) || parser.parseEqual() ||
      parser.parseFloat(value) || parser.parseGreater())
    return {};
  return ParamAttr::get(parser.getContext(), name, APFloat(value), runtime);
}

void ParamAttr::print(AsmPrinter &printer) const {
  printer << "<";
  if (getRuntime())
    printer << "runtime ";
  printer << "\"" << getName() << "\" = ";
  printer.printFloat(getDefaultValue());
  printer << ">";
}
