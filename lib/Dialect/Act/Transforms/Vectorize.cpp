//===- Vectorize.cpp - ActVectorize pass (placeholder, being written) ===//

#include "actc/Dialect/Act/Passes.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTVECTORIZE
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
struct ActVectorizePass : public act::impl::ActVectorizeBase<ActVectorizePass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
