//===- Expand.cpp - act functions in arith and math -----------------------===//
//
// act-expand: act.sigmoid and act.softplus become arith/math in stable forms
// (the rules are in td/Expand.td). Runs on scalars and on the vectors of
// act-vectorize alike. With precision=fast, f32 ones are left to
// act-math-approx's f32 forms (and act.exact with them); with
// precision=accurate, f64 ones to its double-double forms
// (AccurateF64Routing.h).
//
// Then, with precision=accurate, the f32 computations around each
// transcendental function or division (other than a lone exp, expm1, log,
// log1p or tanh, which act-math-approx computes under 1 ULP in f32) are
// widened: each f32 operation of that use-def slice is computed in f64 and
// only the values that leave it (stores, loop-carried accumulators) are
// rounded to f32. A composed activation (silu, gelu, mish, ...) then rounds once,
// whatever its formula. Constants come back exact: act-stabilize records
// the f64 value of each constant operand that f32 rounds (`act.exact`), as
// the kernels' f32 constants no longer hold it. The f64 transcendentals are
// marked `act.wide`, for act-math-approx's f64 cores accurate to 2^-32.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/AccurateF32Routing.h"
#include "actc/Dialect/Act/AccurateF64GradRouting.h"
#include "actc/Dialect/Act/AccurateF64Routing.h"
#include "actc/Dialect/Act/OperandValues.h"
#include "actc/Dialect/Act/Passes.h"
#include "actc/Dialect/Act/RationalForms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTEXPAND
#include "Act/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;

/// A float constant of `like`'s type: a scalar, or a splat for a vector.
static Value createConstantLike(OpBuilder &builder, Location loc, Value like,
                                double value) {
  Type type = like.getType();
  auto attr = builder.getFloatAttr(getElementTypeOrSelf(type), value);
  if (auto shaped = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(builder, loc, type,
                                     DenseElementsAttr::get(shaped, attr));
  return arith::ConstantOp::create(builder, loc, type, attr);
}

/// True when `value` is a float constant (a scalar or a splat) equal to
/// `expected` (td/Expand.td's constraint).
static bool isConstantLike(Value value, double expected) {
  return getFloatConstant(value) == expected;
}

/// sigmoid(2 softplus(s)) sigmoid(-2 softplus(s)) = sech^2(softplus(s)) / 4
/// from E = exp(-|s|) alone (no log1p, no second exp): with A = (1 + E)^2,
/// A / (A + 1)^2 for s < 0 and E^2 A / (A + E^2)^2 for s >= 0. Sums of
/// positive terms only; NaN through E.
static Value createSechSquaredOfSoftplusQuarter(OpBuilder &builder,
                                                Location loc, Value s) {
  auto constant = [&](double value) {
    return createConstantLike(builder, loc, s, value);
  };
  auto add = [&](Value a, Value b) {
    return arith::AddFOp::create(builder, loc, a, b).getResult();
  };
  auto mul = [&](Value a, Value b) {
    return arith::MulFOp::create(builder, loc, a, b).getResult();
  };
  Value e = math::ExpOp::create(
      builder, loc,
      arith::NegFOp::create(builder, loc,
                            math::AbsFOp::create(builder, loc, s)));
  Value onePlusE = add(e, constant(1.0));
  Value a = mul(onePlusE, onePlusE);
  Value e2 = mul(e, e);
  Value negative = arith::CmpFOp::create(
      builder, loc, arith::CmpFPredicate::OLT, s, constant(0.0));
  Value num = arith::SelectOp::create(builder, loc, negative, a, mul(e2, a));
  Value den = add(a, arith::SelectOp::create(builder, loc, negative,
                                             constant(1.0), e2));
  return arith::DivFOp::create(builder, loc, num, mul(den, den));
}

/// sigmoid(t) sigmoid(-t) as E / (1 + E)^2, E = exp(-|t|) in (0, 1]: no
/// cancellation, 0 at +-inf, NaN through E.
static Value createSigmoidPrime(OpBuilder &builder, Location loc, Value t) {
  if (Value s = getDoubledSoftplus(t))
    return createSechSquaredOfSoftplusQuarter(builder, loc, s);
  Value a = math::AbsFOp::create(builder, loc, t);
  Value e = math::ExpOp::create(builder, loc,
                                arith::NegFOp::create(builder, loc, a));
  Value r = arith::DivFOp::create(
      builder, loc, createConstantLike(builder, loc, t, 1.0),
      arith::AddFOp::create(builder, loc, e,
                            createConstantLike(builder, loc, t, 1.0)));
  return arith::MulFOp::create(builder, loc,
                               arith::MulFOp::create(builder, loc, e, r), r);
}

/// 1 - tanh(z)^2 as 4 sigmoid(2z) sigmoid(-2z) (4E / (1 + E)^2 with
/// E = exp(-2|z|) once SigmoidPrime or act-math-approx's fast f32 form
/// rewrites the product).
static Value createSechSquared(OpBuilder &builder, Location loc, Value z) {
  Value t = arith::MulFOp::create(builder, loc, z,
                                  createConstantLike(builder, loc, z, 2.0));
  Value product = arith::MulFOp::create(
      builder, loc, SigmoidOp::create(builder, loc, t),
      SigmoidOp::create(builder, loc, arith::NegFOp::create(builder, loc, t)));
  return arith::MulFOp::create(builder, loc,
                               createConstantLike(builder, loc, z, 4.0),
                               product);
}

namespace {
#include "Act/Expand.inc"

/// tanh(softplus(s)) -> one exp and one division: with E = exp(-|s|),
/// E (E + 2) / (E (E + 2) + 2) for s < 0 (there E = exp(s)) and
/// (1 + 2E) / (1 + 2E + 2E^2) for s >= 0. Sums of positive terms only.
/// For the f32 kernels that are widened (precision=accurate): in f64 with
/// the wide cores, a quarter of the cost of exp, log1p and tanh. Fast f32
/// kernels keep the pair for act-math-approx's mish product; f64 kernels
/// keep libm's tanh and log1p (0.5 ULP each: mish' cancels near its zero
/// at -1.19, where the four roundings of this form cost twice as much).
struct TanhOfSoftplus : public OpRewritePattern<math::TanhOp> {
  TanhOfSoftplus(MLIRContext *ctx, bool keepF32)
      : OpRewritePattern(ctx), keepF32(keepF32) {}
  LogicalResult matchAndRewrite(math::TanhOp tanh,
                                PatternRewriter &rewriter) const override {
    auto softplus = tanh.getOperand().getDefiningOp<SoftplusOp>();
    if (!softplus || keepF32 || !getElementTypeOrSelf(tanh.getType()).isF32())
      return failure();
    Location loc = tanh.getLoc();
    Value s = softplus.getOperand();
    auto constant = [&](double value) {
      return createConstantLike(rewriter, loc, s, value);
    };
    auto add = [&](Value a, Value b) {
      return arith::AddFOp::create(rewriter, loc, a, b).getResult();
    };
    auto mul = [&](Value a, Value b) {
      return arith::MulFOp::create(rewriter, loc, a, b).getResult();
    };
    Value e = math::ExpOp::create(
        rewriter, loc,
        arith::NegFOp::create(rewriter, loc,
                              math::AbsFOp::create(rewriter, loc, s)));
    Value two = constant(2.0);
    Value negNum = mul(e, add(e, two));
    Value negDen = add(negNum, two);
    Value posNum = add(mul(e, two), constant(1.0));
    Value posDen = add(posNum, mul(mul(e, e), two));
    Value negative = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OLT, s, constant(0.0));
    Value num = arith::SelectOp::create(rewriter, loc, negative, negNum, posNum);
    Value den = arith::SelectOp::create(rewriter, loc, negative, negDen, posDen);
    rewriter.replaceOpWithNewOp<arith::DivFOp>(tanh, num, den);
    return success();
  }
  bool keepF32;
};
} // namespace

void mlir::act::populateActExpandPatterns(RewritePatternSet &patterns) {
  populateWithGenerated(patterns);
}

/// Applies act-expand's rules. With `keepF32`, f32 act.sigmoid and
/// act.softplus stay for act-math-approx, whose fast f32 forms need to see
/// them whole (x * sigmoid(t) as one product): only the rules for other
/// types and `1 - sigmoid` apply to them. With precision=accurate, the f32
/// kernels made of AccurateF32Routing.h's forms keep theirs likewise, and
/// f64 kernels their sigmoids and softpluses (AccurateF64Routing.h);
/// `routed` gets those kernels.
static LogicalResult expandActOps(ModuleOp module, bool keepF32, bool avx512,
                                  bool f64Forms,
                                  DenseSet<Operation *> &routed) {
  MLIRContext *ctx = module.getContext();
  // First, so that no sigmoid is expanded before its `1 -` is seen (and
  // the other rewrites of derivatives' cancellations with it).
  RewritePatternSet oneMinus(ctx);
  oneMinus.add<OneMinusSigmoid, ExpM1PlusOne, OneMinusTanhSquared>(ctx);
  if (failed(applyPatternsGreedily(module, std::move(oneMinus))))
    return failure();
  // precision=accurate with AVX-512: mish's kernels keep x *
  // tanh(softplus(x)) whole for act-math-approx's f32 form
  // (getAccurateMishForms), its gradient's the sum of mish' likewise
  // (getAccurateMishGradForms), so they are found first.
  SetVector<Operation *> forms;
  if (!keepF32 && avx512)
    module.walk([&](func::FuncOp func) {
      SetVector<Operation *> mish = getAccurateMishForms(func);
      if (mish.empty())
        mish = getAccurateMishGradForms(func);
      if (!mish.empty())
        routed.insert(func);
      forms.insert(mish.begin(), mish.end());
    });
  // Then, before softplus is expanded, tanh(softplus).
  RewritePatternSet tanhOfSoftplus(ctx);
  tanhOfSoftplus.add<TanhOfSoftplus>(ctx, keepF32);
  if (forms.empty()) {
    if (failed(applyPatternsGreedily(module, std::move(tanhOfSoftplus))))
      return failure();
  } else {
    FrozenRewritePatternSet frozen(std::move(tanhOfSoftplus));
    for (Operation &op : module.getBody()->getOperations())
      if (!routed.contains(&op) && failed(applyPatternsGreedily(&op, frozen)))
        return failure();
  }
  if (!keepF32)
    module.walk([&](func::FuncOp func) {
      if (routed.contains(func)) // mish's
        return;
      SetVector<Operation *> funcForms = getAccurateF32Forms(func);
      if (funcForms.empty() && avx512) // the erf GELU's table (GeluF32.cpp)
        funcForms = getAccurateErfcProducts(func);
      if (funcForms.empty() && avx512) // and its gradient's
        funcForms = getAccurateGeluGradForms(func);
      if (funcForms.empty()) // elu, selu, celu
        funcForms = getAccurateEluForms(func);
      if (funcForms.empty()) // their gradients
        funcForms = getAccurateEluGradForms(func);
      if (funcForms.empty()) // hard_sigmoid, hard_swish, softsign
        funcForms = getAccurateRationalForms(func);
      // silu', swish', quick_gelu', the tanh GELUs' (AVX-512: the form's
      // table exp core; with 8 lanes it measured slower than the f64 route).
      if (funcForms.empty() && avx512)
        funcForms = getAccurateSigmoidGradSums(func);
      // f64 kernels: their sigmoids and softpluses in double-double
      // (AccurateF64Routing.h).
      if (funcForms.empty() && f64Forms)
        funcForms = getAccurateF64Forms(func);
      // And their sigmoid' products, as one quotient each
      // (AccurateF64GradRouting.h).
      if (f64Forms) {
        SetVector<Operation *> primes = getAccurateF64SigmoidPrimes(func);
        funcForms.insert(primes.begin(), primes.end());
      }
      if (!funcForms.empty())
        routed.insert(func);
      forms.insert(funcForms.begin(), funcForms.end());
    });
  RewritePatternSet patterns(ctx);
  populateActExpandPatterns(patterns);
  if (!keepF32 && forms.empty())
    return applyPatternsGreedily(module, std::move(patterns));
  FrozenRewritePatternSet frozen(std::move(patterns));
  // precision=accurate: the kernels without forms as above, one by one.
  if (!keepF32)
    for (Operation &op : module.getBody()->getOperations())
      if (!routed.contains(&op) &&
          failed(applyPatternsGreedily(&op, frozen)))
        return failure();
  SmallVector<Operation *> ops;
  auto isKept = [&](Operation *op) {
    return op && isa<SigmoidOp, SoftplusOp>(op) &&
           getElementTypeOrSelf(op->getResultTypes()[0]).isF32();
  };
  module.walk([&](Operation *op) {
    // Kept too: products of two f32 sigmoids (sigmoid' for act-math-approx).
    bool kept = keepF32 && (isKept(op) ||
                            (isa<arith::MulFOp>(op) &&
                             isKept(op->getOperand(0).getDefiningOp()) &&
                             isKept(op->getOperand(1).getDefiningOp())));
    kept = kept || forms.contains(op);
    bool outside = !keepF32 && !routed.contains(op->getParentOfType<func::FuncOp>());
    if (op != module.getOperation() && !kept && !outside)
      ops.push_back(op);
  });
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  return applyOpPatternsGreedily(ops, frozen, config);
}

//===----------------------------------------------------------------------===//
// Widening f32 kernels to f64
//===----------------------------------------------------------------------===//

static bool isF32Like(Type type) {
  return getElementTypeOrSelf(type).isF32();
}

/// The float computations that are widened: arith float arithmetic,
/// comparisons and selects of f32, and math ops on f32.
static bool isWidenable(Operation *op) {
  // A fused kernel's argument stays rounded: f is computed at that z.
  if (op->hasAttr(kLeafAttrName))
    return false;
  if (!isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp,
           arith::NegFOp, arith::MaximumFOp, arith::MinimumFOp,
           arith::MaxNumFOp, arith::MinNumFOp, arith::CmpFOp,
           arith::SelectOp>(op) &&
      !isa<math::MathDialect>(op->getDialect()))
    return false;
  bool anyF32 = false;
  for (Type type :
       llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes())) {
    Type element = getElementTypeOrSelf(type);
    if (element.isF32())
      anyF32 = true;
    else if (!element.isInteger(1))
      return false;
  }
  return anyF32;
}

/// Transcendental math ops (not abs, copysign, sqrt, fma, rounding).
static bool isTranscendental(Operation *op) {
  return isa<math::MathDialect>(op->getDialect()) &&
         !isa<math::AbsFOp, math::CopySignOp, math::SqrtOp, math::FmaOp,
              math::FloorOp, math::CeilOp, math::RoundOp, math::RoundEvenOp,
              math::TruncOp>(op);
}

/// The transcendentals act-math-approx computes under 1 ULP in f32 alone
/// (sin and cos are computed in f64 inside and rounded once).
static bool isAccurateInF32(Operation *op) {
  return isa<math::ExpOp, math::ExpM1Op, math::LogOp, math::Log1pOp,
             math::TanhOp, math::SinOp, math::CosOp>(op);
}

/// The ops to widen in `func`: the widenable ops connected to a
/// transcendental function or a division by use-def chains (so a fused
/// kernel's matrix product, which only feeds them through loop results,
/// stays f32); none when they are only f32 functions that are accurate
/// alone (a lone tanh stays f32).
static SetVector<Operation *> getWidenedSlice(func::FuncOp func) {
  SetVector<Operation *> slice;
  SmallVector<Operation *> worklist;
  func.walk([&](Operation *op) {
    if (isWidenable(op) && (isTranscendental(op) || isa<arith::DivFOp>(op)))
      worklist.push_back(op);
  });
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!slice.insert(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        if (isWidenable(def))
          worklist.push_back(def);
    for (Operation *user : op->getUsers())
      if (isWidenable(user))
        worklist.push_back(user);
  }
  bool onlyAccurate = llvm::all_of(slice, [](Operation *op) {
    bool rounds =
        isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp>(op) ||
        isTranscendental(op);
    return isAccurateInF32(op) || !rounds;
  });
  if (onlyAccurate)
    slice.clear();
  return slice;
}


static Type widenType(Type type, Type f64) {
  if (!isF32Like(type))
    return type;
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.clone(f64);
  return f64;
}

/// The f64 form of operand `index` of `op`: the value a widened op rounded
/// (dropping that rounding), an f64 constant, or the f32 value extended.
static Value widenOperand(OpBuilder &builder, Operation *op, unsigned index) {
  Value value = op->getOperand(index);
  Location loc = op->getLoc();
  Type f64 = builder.getF64Type();
  if (auto trunc = value.getDefiningOp<arith::TruncFOp>())
    if (trunc->hasAttr(kWideAttrName))
      return trunc.getIn();
  Type wideType = widenType(value.getType(), f64);
  Attribute constant;
  if (matchPattern(value, m_Constant(&constant))) {
    std::optional<double> exact = getExactOperand(op, index);
    double scalar;
    if (auto splat = dyn_cast<SplatElementsAttr>(constant))
      scalar = splat.getSplatValue<APFloat>().convertToDouble();
    else if (auto attr = dyn_cast<FloatAttr>(constant))
      scalar = attr.getValueAsDouble();
    else
      return arith::ExtFOp::create(builder, loc, wideType, value);
    auto attr = builder.getFloatAttr(f64, exact.value_or(scalar));
    if (auto shaped = dyn_cast<ShapedType>(wideType))
      return arith::ConstantOp::create(builder, loc, wideType,
                                       DenseElementsAttr::get(shaped, attr));
    return arith::ConstantOp::create(builder, loc, wideType, attr);
  }
  return arith::ExtFOp::create(builder, loc, wideType, value);
}

/// Computes the f32 operations of `slice` in f64 (see the file comment).
static void widen(func::FuncOp func, const SetVector<Operation *> &slice) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (slice.contains(op))
      ops.push_back(op);
  });
  OpBuilder builder(func.getContext());
  Type f64 = builder.getF64Type();
  for (Operation *op : ops) {
    builder.setInsertionPoint(op);
    SmallVector<Value> operands;
    for (unsigned i = 0, e = op->getNumOperands(); i < e; ++i)
      operands.push_back(isF32Like(op->getOperand(i).getType())
                             ? widenOperand(builder, op, i)
                             : op->getOperand(i));
    // A division by a constant becomes a product with its reciprocal: in
    // f64 the two roundings (2^-52) stay far below the f32 result's, and
    // a vector division costs ~10 products.
    std::optional<long double> divisorReciprocal;
    if (isa<arith::DivFOp>(op) &&
        (divisorReciprocal = getConstantReciprocal(operands[1]))) {
      Value reciprocal = createConstantLike(builder, op->getLoc(), operands[1],
                                            (double)*divisorReciprocal);
      auto product = arith::MulFOp::create(builder, op->getLoc(), operands[0],
                                           reciprocal);
      auto trunc = arith::TruncFOp::create(
          builder, op->getLoc(), op->getResult(0).getType(), product);
      trunc->setAttr(kWideAttrName, builder.getUnitAttr());
      op->getResult(0).replaceAllUsesWith(trunc.getResult());
      op->erase();
      continue;
    }
    Operation *wide = builder.clone(*op);
    wide->setOperands(operands);
    for (OpResult result : wide->getResults())
      result.setType(widenType(result.getType(), f64));
    wide->removeAttr(kExactAttrName);
    if (isTranscendental(wide))
      wide->setAttr(kWideAttrName, builder.getUnitAttr());
    for (auto [result, wideResult] :
         llvm::zip_equal(op->getResults(), wide->getResults())) {
      Value replacement = wideResult;
      if (isF32Like(result.getType())) {
        auto trunc = arith::TruncFOp::create(builder, op->getLoc(),
                                             result.getType(), wideResult);
        trunc->setAttr(kWideAttrName, builder.getUnitAttr());
        replacement = trunc;
      }
      result.replaceAllUsesWith(replacement);
    }
    op->erase();
  }
  // The roundings no widened op reads any more.
  func.walk([](arith::TruncFOp trunc) {
    if (trunc->hasAttr(kWideAttrName)) {
      if (trunc->use_empty())
        trunc->erase();
      else
        trunc->removeAttr(kWideAttrName);
    }
  });
}

namespace {
struct ActExpandPass : public act::impl::ActExpandBase<ActExpandPass> {
  using Base::Base;

  void runOnOperation() override {
    if (precision != "accurate" && precision != "fast") {
      getOperation().emitError("act-expand: unknown precision '")
          << precision << "' (expected accurate or fast)";
      return signalPassFailure();
    }
    bool fast = precision == "fast";
    DenseSet<Operation *> routed;
    if (failed(expandActOps(getOperation(), /*keepF32=*/fast, avx512, f64Forms,
                            routed)))
      return signalPassFailure();
    if (fast)
      return; // act-math-approx reads act.exact for its pair arguments.
    getOperation().walk([&](func::FuncOp func) {
      // The kernels of f32 double-float forms are not widened, and keep
      // act.exact for the forms' pair arguments.
      if (routed.contains(func))
        return;
      SetVector<Operation *> slice = getWidenedSlice(func);
      if (!slice.empty())
        widen(func, slice);
    });
    // act-stabilize's record has served (act-math-approx removes the
    // routed kernels' after their pair arguments).
    getOperation().walk([&](func::FuncOp func) {
      if (!routed.contains(func))
        func.walk([](Operation *op) { op->removeAttr(kExactAttrName); });
    });
  }
};
} // namespace
