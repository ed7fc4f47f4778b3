//===- FusedKernels.cpp - what the fused kernel passes share --------------===//

#include "actc/Dialect/Act/FusedKernels.h"

#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::act;

FailureOr<SmallVector<KernelDType>>
mlir::act::parseKernelDTypes(ModuleOp module, ArrayRef<std::string> names,
                             StringRef errorPrefix) {
  MLIRContext *ctx = module.getContext();
  SmallVector<KernelDType> types;
  SmallVector<std::string> all(names.begin(), names.end());
  if (all.empty())
    all = {"f32", "f64"};
  for (const std::string &name : all) {
    FloatType f32 = Float32Type::get(ctx);
    if (name == "f32") {
      types.push_back({name, f32, f32});
    } else if (name == "f64") {
      types.push_back({name, Float64Type::get(ctx), Float64Type::get(ctx)});
    } else if (name == "bf16") {
      types.push_back({name, f32, BFloat16Type::get(ctx)});
    } else if (name == "f16") {
      types.push_back({name, f32, Float16Type::get(ctx)});
    } else {
      module.emitError(errorPrefix) << "unsupported dtype '" << name << "'";
      return failure();
    }
  }
  return types;
}

FailureOr<SmallVector<std::string>>
mlir::act::parseKernelKinds(ModuleOp module, ArrayRef<std::string> names,
                            StringRef errorPrefix) {
  if (std::optional<std::string> unknown = findUnknownKernelKind(names)) {
    module.emitError(errorPrefix) << formatUnknownKernelKind(*unknown);
    return failure();
  }
  return SmallVector<std::string>(names.begin(), names.end());
}

SmallVector<FusedActivation>
mlir::act::collectFusedActivations(ModuleOp module) {
  SmallVector<FusedActivation> result;
  llvm::StringMap<ActivationOp> grads;
  for (auto activation : module.getOps<ActivationOp>())
    if (std::optional<StringRef> gradOf = activation.getGradOf())
      if (!activation->hasAttr(kFromYAttrName))
        grads[*gradOf] = activation;
  for (auto activation : module.getOps<ActivationOp>()) {
    if (activation.isPrivate() || activation.getGradOf() ||
        activation.isRowActivation())
      continue;
    result.push_back({activation, grads.lookup(activation.getSymName())});
  }
  return result;
}

Value mlir::act::createArgumentSum(OpBuilder &builder, Location loc, Value x,
                                   Value bias) {
  auto sum = arith::AddFOp::create(builder, loc, x, bias);
  sum->setAttr(kLeafAttrName, builder.getUnitAttr());
  return sum;
}
