//===- MathApprox.cpp - ActMathApprox pass (placeholder, being written) ===//

#include "actc/Dialect/Act/Passes.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTMATHAPPROX
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
struct ActMathApproxPass : public act::impl::ActMathApproxBase<ActMathApproxPass> {
  using Base::Base;
  void runOnOperation() override {}
};
} // namespace
