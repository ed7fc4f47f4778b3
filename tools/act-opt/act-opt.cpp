//===- act-opt.cpp - run any actc pass alone ------------------------------===//
//
// MlirOptMain with the act dialect and passes registered beside upstream's.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/ActDialect.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Pipeline/Pipeline.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::act::registerActPasses();
  actc::registerActPipelines();

  mlir::DialectRegistry registry;
  registry.insert<mlir::act::ActDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "actc optimizer driver\n", registry));
}
