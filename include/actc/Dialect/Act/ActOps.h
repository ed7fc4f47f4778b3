//===- ActOps.h - act dialect operations ------------------------*- C++ -*-===//

#ifndef ACTC_DIALECT_ACT_ACTOPS_H
#define ACTC_DIALECT_ACT_ACTOPS_H

#include "actc/Dialect/Act/ActDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/VectorInterfaces.h"

#define GET_ATTRDEF_CLASSES
#include "Act/ActAttrs.h.inc"

#define GET_OP_CLASSES
#include "Act/ActOps.h.inc"

#endif // ACTC_DIALECT_ACT_ACTOPS_H
