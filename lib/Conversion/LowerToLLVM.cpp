//===- LowerToLLVM.cpp - lower the kernels to the LLVM dialect ------------===//
//
// act-lower-to-llvm: one full conversion to the LLVM dialect, in the shape of
// the Toy tutorial's chapter 6: scf -> cf, vector (with vector.create_mask
// materialized as a compare against a lane-index constant, which the
// one-shot convert-to-llvm misses), math, arith, memref, func, cf, index and
// ub to LLVM, plus act.view to a memref descriptor; then the unrealized
// casts are reconciled.
//
// The kernels' signatures hold no memref, so each public func.func becomes
// an external llvm.func with exactly the C signature of ABI.md; any other
// function body gets internal linkage.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTLOWERTOLLVM
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

namespace {
/// act.view %p[%sizes...] -> the descriptor {p, p, 0, sizes, row-major
/// strides} of the contiguous array at %p.
struct ViewOpLowering : public ConvertOpToLLVMPattern<ViewOp> {
  using ConvertOpToLLVMPattern::ConvertOpToLLVMPattern;

  LogicalResult
  matchAndRewrite(ViewOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast<MemRefType>(op.getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "unranked result");
    Type descriptorType = getTypeConverter()->convertType(type);
    if (!descriptorType)
      return rewriter.notifyMatchFailure(op, "unconvertible memref type");
    Location loc = op.getLoc();
    auto descriptor = MemRefDescriptor::poison(rewriter, loc, descriptorType);
    descriptor.setAllocatedPtr(rewriter, loc, adaptor.getPtr());
    descriptor.setAlignedPtr(rewriter, loc, adaptor.getPtr());
    descriptor.setConstantOffset(rewriter, loc, 0);
    // Row-major: the innermost stride is 1, each outer one the product of
    // the sizes inside it.
    Value stride = createIndexAttrConstant(rewriter, loc, getIndexType(), 1);
    for (int64_t dim = type.getRank() - 1; dim >= 0; --dim) {
      Value size = adaptor.getSizes()[dim];
      descriptor.setSize(rewriter, loc, dim, size);
      descriptor.setStride(rewriter, loc, dim, stride);
      if (dim > 0)
        stride = LLVM::MulOp::create(rewriter, loc, stride, size);
    }
    rewriter.replaceOp(op, {descriptor});
    return success();
  }
};
} // namespace

void mlir::act::populateActToLLVMPatterns(LLVMTypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<ViewOpLowering>(converter);
}

namespace {
struct ActLowerToLLVMPass
    : public act::impl::ActLowerToLLVMBase<ActLowerToLLVMPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();

    // Only the kernels are the object's interface. A helper marked
    // `no_inline` (the matmul kernels' looped epilogue) stays a function of
    // its own in LLVM too.
    SmallVector<StringAttr> outOfLine;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isPrivate() && !func.isExternal())
        func->setAttr("llvm.linkage",
                      LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
      if (func->removeAttr(kNoInlineAttrName))
        outOfLine.push_back(func.getSymNameAttr());
    }

    // bf16 conversions as integer operations (round to nearest even, NaN
    // kept): LLVM would call __truncsfbf2 on CPUs without AVX512-BF16, and
    // the object may need libm at most.
    RewritePatternSet bf16Patterns(ctx);
    arith::populateExpandBFloat16Patterns(bf16Patterns);
    if (failed(applyPatternsGreedily(module, std::move(bf16Patterns))))
      return signalPassFailure();

    LLVMConversionTarget target(*ctx);
    target.addLegalOp<ModuleOp>();
    LLVMTypeConverter converter(ctx);
    RewritePatternSet patterns(ctx);
    populateSCFToControlFlowConversionPatterns(patterns);
    vector::populateVectorMaskMaterializationPatterns(
        patterns, /*force32BitVectorIndices=*/true);
    populateVectorToLLVMConversionPatterns(converter, patterns);
    // log1p keeps its accuracy: act-math-approx left none for log(1 + x).
    populateMathToLLVMConversionPatterns(converter, patterns,
                                         /*approximateLog1p=*/false);
    arith::populateArithToLLVMConversionPatterns(converter, patterns);
    populateFinalizeMemRefToLLVMConversionPatterns(converter, patterns);
    populateFuncToLLVMConversionPatterns(converter, patterns);
    cf::populateControlFlowToLLVMConversionPatterns(converter, patterns);
    index::populateIndexToLLVMConversionPatterns(converter, patterns);
    ub::populateUBToLLVMConversionPatterns(converter, patterns);
    populateActToLLVMPatterns(converter, patterns);
    if (failed(applyFullConversion(module, target, std::move(patterns))))
      return signalPassFailure();

    for (StringAttr name : outOfLine)
      module.lookupSymbol<LLVM::LLVMFuncOp>(name).setNoInline(true);

    SmallVector<UnrealizedConversionCastOp> casts;
    module.walk(
        [&](UnrealizedConversionCastOp cast) { casts.push_back(cast); });
    SmallVector<UnrealizedConversionCastOp> remaining;
    reconcileUnrealizedCasts(casts, &remaining);
    if (!remaining.empty()) {
      remaining.front().emitOpError("could not be reconciled");
      return signalPassFailure();
    }
  }
};
} // namespace
