//===- RowGradientKernels.cpp - closed-form VJPs of softmax rows ----------===//
//
// NAME_grad_T(y, dy, dx, rows, cols) of a row activation that act-autodiff
// recognized as softmax or log_softmax (act.row_grad): the VJP from the
// forward output y and dy, per row one sum over the columns, then an
// element loop that stores dx.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "actc/Dialect/Act/CompensatedSums.h"
#include "actc/Dialect/Act/Gradients.h"
#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Dialect/Act/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::act;

func::FuncOp KernelBuilder::buildRowGradient(OpBuilder &builder) {
  MLIRContext *ctx = builder.getContext();
  Type ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64Type = builder.getI64Type();
  auto func = func::FuncOp::create(
      builder, loc, getKernelName(activation.getSymName(), "grad", dtype),
      builder.getFunctionType({ptrType, ptrType, ptrType, i64Type, i64Type},
                              {}));
  Block *entry = func.addEntryBlock();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(entry);
  zero = arith::ConstantIndexOp::create(builder, loc, 0);
  one = arith::ConstantIndexOp::create(builder, loc, 1);
  RowArrays arrays = viewRowArrays(builder, func, 3);
  Value rows = arrays.rows, cols = arrays.cols;
  Value ys = arrays.views[0], dys = arrays.views[1], dxs = arrays.views[2];
  bool isSoftmax = getRowGradKind(activation) == kSoftmaxRowGrad;
  Value zeroSum = arith::ConstantOp::create(
      builder, loc, builder.getFloatAttr(getSumType(), 0.0));

  // softmax:     s = sum(dy * y);  dx = y * (dy - s)
  // log_softmax: s = sum(dy);      dx = dy - exp(y) * s
  // The second loop reads y[j] and dy[j] before it writes dx[j], so dx may
  // be dy or y.
  // f64 kernels: s is a compensated pair (hi, lo), the error of each
  // product dy * y (FMA) added to lo's with each addition's (TwoSum).
  bool compensated = hasCompensatedSums();
  SmallVector<Value> inits{zeroSum};
  if (compensated)
    inits.push_back(zeroSum);
  scf::ForOp::create(
      builder, loc, zero, rows, one, ValueRange{},
      [&](OpBuilder &b, Location, Value r, ValueRange) {
        scf::ForOp sum = buildElementLoop(
            b, cols, inits, [&](OpBuilder &nested, Value j, ValueRange args) {
              Value dy = loadElement(nested, loc, dys, ValueRange{r, j});
              Value term = dy, productError;
              if (isSoftmax) {
                // dy * y, exact in the accumulator's type when that is f64.
                Value y = loadElement(nested, loc, ys, ValueRange{r, j});
                Type sumType = args[0].getType();
                if (sumType != elementType) {
                  dy = arith::ExtFOp::create(nested, loc, sumType, dy);
                  y = arith::ExtFOp::create(nested, loc, sumType, y);
                }
                term = arith::MulFOp::create(nested, loc, dy, y);
                if (compensated)
                  productError = math::FmaOp::create(
                      nested, loc, dy, y,
                      arith::NegFOp::create(nested, loc, term));
              }
              Value next = addToSum(nested, args[0], term);
              if (!compensated)
                return SmallVector<Value>{next};
              Value error = buildTwoSumError(nested, loc, args[0], term, next);
              if (productError)
                error = arith::AddFOp::create(nested, loc, error, productError);
              return SmallVector<Value>{
                  next, arith::AddFOp::create(nested, loc, args[1], error)};
            });
        // dx in the sum's type (f64 for f32), rounded once: dy - s cancels
        // where the row's largest y is near 1. f64: dy - hi is exact there
        // (Sterbenz), then lo.
        Value s = sum.getResult(0), sLo;
        if (compensated) {
          sum->setAttr(kCompensatedSumsAttrName,
                       b.getDenseI64ArrayAttr({0, 1}));
          std::tie(s, sLo) = finishCompensatedSum(b, s, sum.getResult(1));
        }
        buildElementLoop(
            b, cols, {}, [&](OpBuilder &nested, Value j, ValueRange) {
              Value y = loadElement(nested, loc, ys, ValueRange{r, j});
              Value dy = loadElement(nested, loc, dys, ValueRange{r, j});
              if (s.getType() != elementType) {
                y = arith::ExtFOp::create(nested, loc, s.getType(), y);
                dy = arith::ExtFOp::create(nested, loc, s.getType(), dy);
              }
              Value dx;
              if (isSoftmax && sLo) {
                // dy - (hi + lo) as a pair (TwoSum), then one rounding:
                // y * c_hi + y * c_lo.
                Value centered = arith::SubFOp::create(nested, loc, dy, s);
                Value minusS = arith::NegFOp::create(nested, loc, s);
                Value centeredLo = arith::SubFOp::create(
                    nested, loc,
                    buildTwoSumError(nested, loc, dy, minusS, centered), sLo);
                // An infinite dy or s: y * (dy - s) itself (the TwoSum of
                // an infinity is NaN).
                Value finite = buildIsFinite(nested, loc, centered);
                centeredLo = arith::SelectOp::create(
                    nested, loc, finite, centeredLo,
                    arith::ConstantOp::create(
                        nested, loc, nested.getFloatAttr(s.getType(), 0.0)));
                dx = math::FmaOp::create(
                    nested, loc, y, centered,
                    arith::MulFOp::create(nested, loc, y, centeredLo));
              } else if (isSoftmax) {
                Value centered = arith::SubFOp::create(nested, loc, dy, s);
                dx = arith::MulFOp::create(nested, loc, y, centered);
              } else if (sLo) {
                dx = buildLogSoftmaxGradOfPairs(nested, y, dy, s, sLo);
              } else {
                // f32 kernels compute in f64, with f64 cores for results
                // rounded to f32 (1.7-1.9x the speed of the f64 kernels'
                // exp): precision=fast act.wide's (2^-43.6: 0.99 ULP where
                // dx cancels to 2^-20 of its terms), accurate
                // act.wide_precise (2^-52: 0.50).
                auto p = math::ExpOp::create(nested, loc, y);
                if (s.getType() != elementType)
                  p->setAttr(accurate ? kWidePreciseAttrName : kWideAttrName,
                             nested.getUnitAttr());
                Value scaled = arith::MulFOp::create(nested, loc, p, s);
                dx = arith::SubFOp::create(nested, loc, dy, scaled);
              }
              storeElement(nested, loc, roundToElementType(nested, dx), dxs,
                           ValueRange{r, j});
              return SmallVector<Value>();
            });
        scf::YieldOp::create(b, loc);
      });
  func::ReturnOp::create(builder, loc);
  return func;
}
