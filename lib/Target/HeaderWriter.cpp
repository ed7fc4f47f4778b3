//===- HeaderWriter.cpp - placeholder until the backend lands -------------===//

#include "actc/Target/HeaderWriter.h"

void actc::writeHeader(mlir::ModuleOp actModule,
                       const std::vector<std::string> &dtypes,
                       llvm::StringRef guardName, llvm::raw_ostream &os) {}
