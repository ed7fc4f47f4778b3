//===- ActDialect.h - the act dialect ---------------------------*- C++ -*-===//

#ifndef ACTC_DIALECT_ACT_ACTDIALECT_H
#define ACTC_DIALECT_ACT_ACTDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Dialect.h"

#include "Act/ActDialect.h.inc"

#endif // ACTC_DIALECT_ACT_ACTDIALECT_H
