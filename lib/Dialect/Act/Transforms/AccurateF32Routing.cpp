//===- AccurateF32Routing.cpp - which f32 kernels skip widening -----------===//
//
// See AccurateF32Routing.h. A structural check, conservative by design: a
// kernel it rejects stays on the f64 route, whose bound holds for any
// formula.
//
//===----------------------------------------------------------------------===//

#include "actc/Dialect/Act/AccurateF32Routing.h"
#include "actc/Dialect/Act/ActOps.h"
#include "actc/Dialect/Act/Evaluate.h"
#include "actc/Dialect/Act/GeluGradient.h"
#include "actc/Dialect/Act/OperandValues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::act;

/// How deep an argument's arithmetic may be (FastForms.cpp's kPairDepth).
static constexpr int kPairDepth = 8;

static bool isF32Like(Type type) { return getElementTypeOrSelf(type).isF32(); }

/// The ops of kind `OpTy` in `func` whose results are f32 (or f32 vectors).
template <typename OpTy>
static SmallVector<OpTy> collectF32Ops(func::FuncOp func) {
  SmallVector<OpTy> ops;
  func.walk([&](OpTy op) {
    if (isF32Like(op.getType()))
      ops.push_back(op);
  });
  return ops;
}

bool mlir::act::isExactInput(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || isa<arith::ConstantOp, arith::ExtFOp>(op) ||
      op->hasAttr(kLeafAttrName))
    return true;
  return !isa<arith::ArithDialect, math::MathDialect, ActDialect>(
      op->getDialect());
}

/// True when `value` is exact arithmetic of leaves at most `depth` deep;
/// collects its ops and leaves.
static bool collectArgument(Value value, int depth, SetVector<Operation *> &ops,
                            DenseSet<Value> &leaves) {
  if (isExactInput(value)) {
    leaves.insert(value);
    return true;
  }
  Operation *op = value.getDefiningOp();
  if (depth == 0)
    return false;
  ops.insert(op);
  if (isa<arith::NegFOp>(op))
    return collectArgument(op->getOperand(0), depth - 1, ops, leaves);
  if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp>(op))
    return collectArgument(op->getOperand(0), depth - 1, ops, leaves) &&
           collectArgument(op->getOperand(1), depth - 1, ops, leaves);
  if (isa<arith::DivFOp>(op))
    return matchPattern(op->getOperand(1), m_Constant()) &&
           collectArgument(op->getOperand(0), depth - 1, ops, leaves);
  return false;
}

/// The product form `mul` is, if any: sigmoid(t) * sigmoid(-t), or
/// m * sigmoid(t) with m a leaf. Adds m to `leaves`.
static bool isProductForm(arith::MulFOp mul, DenseSet<Value> &leaves) {
  auto a = mul.getLhs().getDefiningOp<SigmoidOp>();
  auto b = mul.getRhs().getDefiningOp<SigmoidOp>();
  if (a && b) {
    return isNegationOf(b.getOperand(), a.getOperand()) ||
           isNegationOf(a.getOperand(), b.getOperand());
  }
  Value m = a ? mul.getRhs() : mul.getLhs();
  if (!(a || b) || !isExactInput(m))
    return false;
  leaves.insert(m);
  return true;
}

/// True for sigmoid(t) * sigmoid(-t).
static bool isSigmoidPrime(arith::MulFOp mul) {
  return mul.getLhs().getDefiningOp<SigmoidOp>() &&
         mul.getRhs().getDefiningOp<SigmoidOp>();
}

/// The product of `value` by a constant 2^k, k >= 1, that is its only
/// user, if any.
static arith::MulFOp getPowerOfTwoProduct(Value value) {
  if (!value.hasOneUse())
    return {};
  auto mul = dyn_cast<arith::MulFOp>(*value.getUsers().begin());
  if (!mul)
    return {};
  std::optional<double> c =
      getFloatConstant(mul.getLhs() == value ? mul.getRhs() : mul.getLhs());
  int exponent;
  if (!c || !std::isfinite(*c) || *c <= 0 ||
      std::frexp(*c, &exponent) != 0.5 || exponent < 2)
    return {};
  return mul;
}

/// True for the ops that never round: what may follow a form.
static bool isExact(Operation *op) {
  return isa<arith::SelectOp, arith::NegFOp, math::AbsFOp, math::CopySignOp,
             arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
             arith::MinNumFOp>(op);
}

/// A value a form produces, with whether a product by a leaf already
/// follows the form on its way there.
using FormResult = std::pair<Value, bool>;

/// True when every use of `results` outside `forms`, and of what those
/// uses compute in turn, is exact (or a comparison, or a truncation to the
/// stored type): nothing rounds after the forms. With `leaves`, one product
/// by a leaf none of the forms reads (dy) may follow each form: the forms
/// take it into their own rounding.
static bool onlyExactOpsAfter(const SetVector<Operation *> &forms,
                              SmallVector<FormResult> results,
                              const DenseSet<Value> *leaves = nullptr) {
  SetVector<Operation *> after;
  while (!results.empty()) {
    auto [value, scaled] = results.pop_back_val();
    for (Operation *user : value.getUsers()) {
      // bias_grad's column sum adds the stored, rounded dx.
      if (forms.contains(user) || !after.insert(user) ||
          isa<arith::CmpFOp>(user) || user->hasAttr(kColumnSumAttrName))
        continue;
      if (auto mul = dyn_cast<arith::MulFOp>(user); mul && leaves) {
        Value other = mul.getLhs() == value ? mul.getRhs() : mul.getLhs();
        // Not even a product by 2^k: a form rounds its result once, on
        // the subnormal grid where it is tiny, and 4 sigmoid(2x)
        // sigmoid(-2x) (tanh') scaled after that was 2.5 ULP at x = -44.2.
        if (scaled || !isExactInput(other) || leaves->contains(other) ||
            matchPattern(other, m_Constant()))
          return false;
        results.push_back({mul.getResult(), true});
        continue;
      }
      if (isExact(user)) {
        for (Value result : user->getResults())
          results.push_back({result, scaled});
        continue;
      }
      if (isa<arith::ArithDialect, math::MathDialect, ActDialect>(
              user->getDialect()) &&
          !isa<arith::TruncFOp>(user))
        return false;
    }
  }
  return true;
}

/// Values of f32 elements (not memrefs of them).
static bool isF32Value(Type type) {
  return isa<FloatType, VectorType>(type) && isF32Like(type);
}

/// Ops that round or approximate besides + - *: divisions, math functions
/// (not abs, copysign, fma) and act functions (sigmoid, softplus).
static bool isTranscendentalOrDivision(Operation *op) {
  if (!llvm::any_of(op->getResultTypes(), isF32Value))
    return false;
  if (isa<arith::DivFOp>(op) || isa<ActDialect>(op->getDialect()))
    return true;
  return isa<math::MathDialect>(op->getDialect()) &&
         !isa<math::AbsFOp, math::CopySignOp, math::FmaOp>(op);
}

/// True when `func` rounds or approximates anywhere outside the routed
/// `forms` and their arguments' exact arithmetic: a function or division
/// the f64 route would have to take.
static bool hasOtherTranscendental(func::FuncOp func,
                                   const SetVector<Operation *> &forms,
                                   const SetVector<Operation *> &argumentOps) {
  bool other = false;
  func.walk([&](Operation *op) {
    if (!forms.contains(op) && !argumentOps.contains(op) &&
        isTranscendentalOrDivision(op))
      other = true;
  });
  return other;
}

SetVector<Operation *> mlir::act::getAccurateF32Forms(func::FuncOp func) {
  // The f32 act.sigmoid and act.softplus ops (softplus is only ever alone)
  // and math.exp of a leaf (alone: elu' = x > 0 ? 1 : exp(x)).
  SmallVector<Operation *> functions;
  func.walk([&](Operation *op) {
    if (isa<SigmoidOp, SoftplusOp, math::ExpOp>(op) &&
        isF32Like(op->getResultTypes()[0]))
      functions.push_back(op);
  });
  if (functions.empty())
    return {};
  SetVector<Operation *> forms, argumentOps;
  DenseSet<Value> leaves;
  for (Operation *function : functions) {
    // act-math-approx's accurate f32 exp takes one f32 value: its argument
    // must be an input itself, not arithmetic to evaluate as a pair.
    Value argument = function->getOperand(0);
    if (isa<math::ExpOp>(function) &&
        (!isExactInput(argument) || matchPattern(argument, m_Constant())))
      return {};
    if (!collectArgument(argument, kPairDepth, argumentOps, leaves))
      return {};
    forms.insert(function);
  }
  // The values the forms produce (the products, and the functions that
  // something else reads).
  SmallVector<FormResult> results;
  for (Operation *function : functions) {
    bool alone = false;
    for (Operation *user : function->getUsers()) {
      auto mul = dyn_cast<arith::MulFOp>(user);
      if (isa<SigmoidOp>(function) && mul && isProductForm(mul, leaves)) {
        if (!forms.insert(mul))
          continue;
        // tanh' = 4 sigmoid(2x) sigmoid(-2x): a product of sigmoid' by
        // 2^k joins the form, which applies 2^k with its own 2^n (one
        // rounding; after it, the form's rounding on the subnormal grid
        // scaled by 4 was 2.5 ULP at x = -44.2).
        if (arith::MulFOp scaled = getPowerOfTwoProduct(mul.getResult());
            scaled && isSigmoidPrime(mul)) {
          forms.insert(scaled);
          results.push_back({scaled.getResult(), false});
          continue;
        }
        results.push_back({mul.getResult(), false});
        continue;
      }
      alone = true;
    }
    if (alone)
      results.push_back({function->getResult(0), false});
  }
  // What follows the forms.
  if (!onlyExactOpsAfter(forms, results, &leaves))
    return {};
  // No other function or division that the f64 route would have to take.
  if (hasOtherTranscendental(func, forms, argumentOps))
    return {};
  return forms;
}

namespace {
/// An operand of an op: a factor of a product, with its exact value.
struct Factor {
  Operation *op;
  unsigned index;
  Value get() const { return op->getOperand(index); }
};
} // namespace

/// The product of `v = a == 0 ? a : a * y` (act-autodiff's strong zero),
/// with the select and comparison added to `chain`; null if `v` is not one.
static arith::MulFOp matchStrongZero(Value v, SetVector<Operation *> &chain) {
  auto select = v.getDefiningOp<arith::SelectOp>();
  auto cmp = select ? select.getCondition().getDefiningOp<arith::CmpFOp>()
                    : arith::CmpFOp();
  Value a = select ? select.getTrueValue() : Value();
  auto product = select ? select.getFalseValue().getDefiningOp<arith::MulFOp>()
                        : arith::MulFOp();
  if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::OEQ ||
      cmp.getLhs() != a || getFloatConstant(cmp.getRhs()) != 0.0 ||
      !product || (product.getLhs() != a && product.getRhs() != a))
    return {};
  chain.insert(select);
  chain.insert(cmp);
  return product;
}

/// When `v` is sigmoid(t) sigmoid(-t) times factors (products and strong
/// zeros), returns sigmoid(t), with the factors and the chain's ops (the
/// two sigmoids included).
static SigmoidOp peelSigmoidPrime(Value v, SmallVectorImpl<Factor> &factors,
                                  SetVector<Operation *> &chain, int depth) {
  if (depth == 0)
    return {};
  SetVector<Operation *> ops;
  arith::MulFOp mul = matchStrongZero(v, ops);
  if (!mul)
    mul = v.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return {};
  ops.insert(mul);
  auto a = mul.getLhs().getDefiningOp<SigmoidOp>();
  auto b = mul.getRhs().getDefiningOp<SigmoidOp>();
  auto isNegationOf = [](Value u, Value t) {
    auto neg = u.getDefiningOp<arith::NegFOp>();
    return neg && neg.getOperand() == t;
  };
  if (a && b && (isNegationOf(b.getOperand(), a.getOperand()) ||
                 isNegationOf(a.getOperand(), b.getOperand()))) {
    chain.insert(ops.begin(), ops.end());
    chain.insert(a);
    chain.insert(b);
    return isNegationOf(b.getOperand(), a.getOperand()) ? a : b;
  }
  for (unsigned i = 0; i < 2; ++i) {
    size_t size = factors.size(), chainSize = chain.size();
    if (SigmoidOp s =
            peelSigmoidPrime(mul->getOperand(i), factors, chain, depth - 1)) {
      factors.push_back({mul, 1 - i});
      chain.insert(ops.begin(), ops.end());
      return s;
    }
    factors.resize(size);
    while (chain.size() > chainSize)
      chain.pop_back();
  }
  return {};
}

/// The operands of the products that make `v` (v itself if none).
static void productFactors(Value v, Operation *user, unsigned index,
                           SmallVectorImpl<Factor> &factors, int depth) {
  if (auto mul = v.getDefiningOp<arith::MulFOp>(); mul && depth > 0) {
    productFactors(mul.getLhs(), mul, 0, factors, depth - 1);
    productFactors(mul.getRhs(), mul, 1, factors, depth - 1);
    return;
  }
  factors.push_back({user, index});
}

/// True when `a` and `b` stand for the same value: one SSA value with the
/// same exact value, or constants whose exact values are equal.
static bool sameFactor(Factor a, Factor b) {
  std::optional<double> ea = getExactOperand(a.op, a.index),
                        eb = getExactOperand(b.op, b.index);
  if (a.get() == b.get() && ea == eb)
    return true;
  std::optional<double> ca = getFloatConstant(a.get()),
                        cb = getFloatConstant(b.get());
  return ca && cb && ea.value_or(*ca) == eb.value_or(*cb);
}

/// True when the product of `factors` is the product that makes the
/// argument of `sigmoid` (m == t: G = 1 + t + exp(t), silu's zero).
static bool isSameProduct(ArrayRef<Factor> factors, SigmoidOp sigmoid) {
  SmallVector<Factor> argument;
  productFactors(sigmoid.getOperand(), sigmoid, 0, argument, kPairDepth);
  if (argument.size() != factors.size())
    return false;
  for (Factor factor : factors) {
    auto it = llvm::find_if(
        argument, [&](Factor other) { return sameFactor(other, factor); });
    if (it == argument.end())
      return false;
    argument.erase(it);
  }
  return true;
}

/// `v` at x (long double, constants exact), where x is the one value v
/// reads besides constants (`leaf`, found on the way) through exact
/// arithmetic and strong zeros; collects those ops. nullopt otherwise.
static std::optional<long double>
evaluateAt(Value v, std::optional<double> exact, Value &leaf, long double x,
           int depth, SetVector<Operation *> &ops) {
  if (std::optional<double> constant = getFloatConstant(v))
    return exact.value_or(*constant);
  if (isExactInput(v)) {
    if (leaf && leaf != v)
      return std::nullopt;
    leaf = v;
    return x;
  }
  Operation *op = v.getDefiningOp();
  if (depth == 0)
    return std::nullopt;
  SetVector<Operation *> strongZero;
  if (arith::MulFOp product = matchStrongZero(v, strongZero)) {
    ops.insert(strongZero.begin(), strongZero.end());
    op = product;
  }
  if (!isa<arith::NegFOp, arith::AddFOp, arith::SubFOp, arith::MulFOp>(op) &&
      !(isa<arith::DivFOp>(op) && getFloatConstant(op->getOperand(1))))
    return std::nullopt;
  ops.insert(op);
  SmallVector<long double, 2> a;
  for (unsigned i = 0; i < op->getNumOperands(); ++i) {
    std::optional<long double> operand = evaluateAt(
        op->getOperand(i), getExactOperand(op, i), leaf, x, depth - 1, ops);
    if (!operand)
      return std::nullopt;
    a.push_back(*operand);
  }
  return evaluateArithmetic(op, a);
}

/// The series of FastGradRoots.def whose variable is x (the tanh GELUs').
struct RootInX {
  double head, tail, delta;
  SmallVector<double> series;
};
static SmallVector<RootInX> getRootsInX() {
  SmallVector<RootInX> roots;
#define FAST_GRAD_ROOT(name, inArgument, head, tail, delta, ...)               \
  if (!(inArgument))                                                           \
    roots.push_back({head, tail, delta, {__VA_ARGS__}});
#include "../../../Conversion/Approx/FastGradRoots.def"
#undef FAST_GRAD_ROOT
  return roots;
}

/// True when sigmoid(t) and `factors` are the tanh GELUs' t = k x (1 + a
/// x^2) and m = x t'(x) = k x (1 + 3 a x^2) of one leaf x (fitted at x =
/// 1, 2, checked at 8 more points to 2^-45, long double) whose G = 1 + m +
/// exp(t) is a series of FastGradRoots.def (zero to 2^-40, the series
/// within 2^-20 at 8 points): act-math-approx's SigmoidGradSum matches
/// exactly these (FastForms.cpp matchCubicArguments, findRootInX). Adds
/// their ops and x.
static bool isTanhGeluArguments(SigmoidOp sigmoid, ArrayRef<Factor> factors,
                                SetVector<Operation *> &argumentOps,
                                DenseSet<Value> &leaves) {
  Value leaf;
  SetVector<Operation *> ops;
  auto at =
      [&](long double x) -> std::optional<std::pair<long double, long double>> {
    std::optional<long double> t = evaluateAt(
        sigmoid.getOperand(), std::nullopt, leaf, x, kPairDepth * 2, ops);
    long double m = 1;
    for (Factor factor : factors) {
      std::optional<long double> f =
          t ? evaluateAt(factor.get(), getExactOperand(factor.op, factor.index),
                         leaf, x, kPairDepth * 2, ops)
            : std::nullopt;
      if (!f)
        return std::nullopt;
      m *= *f;
    }
    if (!t || !leaf || leaf.getType() != sigmoid.getType())
      return std::nullopt;
    return std::make_pair(*t, m);
  };
  auto one = at(1), two = at(2);
  if (!one || !two || one->first == 0)
    return false;
  long double r = two->first / (2 * one->first);
  if (r >= 4)
    return false;
  long double a = (long double)(double)((r - 1) / (4 - r));
  long double k = (long double)(double)(one->first / (1 + a));
  if (!(a >= 0) || !std::isfinite((double)k))
    return false;
  for (long double x :
       {-3.0L, -1.5L, -0.75L, -0.25L, 0.5L, 1.25L, 2.5L, 4.0L}) {
    auto v = at(x);
    long double kx = k * x, s = x * x;
    long double t = kx * (1 + a * s), m = kx * (1 + 3 * a * s);
    if (!v || std::fabs(v->first - t) > 0x1p-45L * std::fabs(t) ||
        std::fabs(v->second - m) > 0x1p-45L * std::fabs(m))
      return false;
  }
  auto g = [&](long double x) -> long double {
    auto v = at(x);
    return v ? 1 + v->second + std::exp(v->first) : NAN;
  };
  for (const RootInX &root : getRootsInX()) {
    long double x0 = (long double)root.head + root.tail;
    if (std::fabs(g(x0)) > 0x1p-40L)
      continue;
    bool matches = true;
    for (int i = -4; i <= 4 && matches; i += i == -1 ? 2 : 1) {
      long double d = root.delta * i / 4, q = 0;
      for (double c : llvm::reverse(root.series))
        q = q * d + c;
      long double gx = g(x0 + d);
      matches = std::fabs(gx - d * q) <= 0x1p-20L * std::fabs(gx);
    }
    if (matches) {
      argumentOps.insert(ops.begin(), ops.end());
      leaves.insert(leaf);
      return true;
    }
  }
  return false;
}

SetVector<Operation *> mlir::act::getAccurateSigmoidGradSums(func::FuncOp func) {
  SmallVector<SigmoidOp> sigmoids = collectF32Ops<SigmoidOp>(func);
  if (sigmoids.empty())
    return {};
  SetVector<Operation *> forms, argumentOps;
  DenseSet<Value> leaves;
  SmallVector<FormResult> results;
  SmallVector<Operation *> sums;
  func.walk([&](arith::AddFOp add) {
    for (unsigned i = 0; i < 2; ++i) {
      auto sigmoid = add->getOperand(i).getDefiningOp<SigmoidOp>();
      SmallVector<Factor> factors;
      SetVector<Operation *> chain;
      if (!sigmoid || peelSigmoidPrime(add->getOperand(1 - i), factors, chain,
                                       kPairDepth) != sigmoid)
        continue;
      // t and the factors: exact arithmetic of leaves (pairs in the form),
      // or the tanh GELUs' cubic (their own pairs from x).
      bool exact;
      if (isSameProduct(factors, sigmoid)) {
        exact = collectArgument(sigmoid.getOperand(), kPairDepth, argumentOps,
                                leaves);
        for (Factor factor : factors)
          exact = exact && collectArgument(factor.get(), kPairDepth,
                                           argumentOps, leaves);
      } else {
        exact = isTanhGeluArguments(sigmoid, factors, argumentOps, leaves);
      }
      if (!exact)
        return;
      forms.insert(chain.begin(), chain.end());
      forms.insert(add);
      sums.push_back(add);
      results.push_back({add.getResult(), false});
      return;
    }
  });
  // Every f32 sigmoid in such a sum, every value of the sums read only
  // inside them (but the sums themselves).
  if (sums.empty() || !llvm::all_of(sigmoids, [&](SigmoidOp s) {
        return forms.contains(s);
      }))
    return {};
  for (Operation *op : forms)
    if (!llvm::is_contained(sums, op))
      for (Operation *user : op->getUsers())
        if (!forms.contains(user))
          return {};
  if (!onlyExactOpsAfter(forms, results, &leaves))
    return {};
  if (hasOtherTranscendental(func, forms, argumentOps))
    return {};
  return forms;
}

/// True for a leaf or a leaf times a power-of-two constant (exact).
static bool isScaledLeaf(Value m) {
  if (isExactInput(m))
    return !matchPattern(m, m_Constant());
  auto mul = m.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  for (unsigned i = 0; i < 2; ++i) {
    std::optional<double> c = getFloatConstant(mul->getOperand(i));
    if (!c || !isExactInput(mul->getOperand(1 - i)) ||
        matchPattern(mul->getOperand(1 - i), m_Constant()))
      continue;
    int exponent;
    if (*c != 0 && std::isfinite(*c) &&
        std::frexp(std::fabs(*c), &exponent) == 0.5)
      return true;
  }
  return false;
}

SetVector<Operation *> mlir::act::getAccurateErfcProducts(func::FuncOp func) {
  SmallVector<math::ErfcOp> erfcs = collectF32Ops<math::ErfcOp>(func);
  if (erfcs.empty())
    return {};
  SetVector<Operation *> forms, argumentOps;
  DenseSet<Value> leaves;
  SmallVector<FormResult> results;
  for (Operation *erfc : erfcs) {
    if (!collectArgument(erfc->getOperand(0), kPairDepth, argumentOps,
                         leaves))
      return {};
    forms.insert(erfc);
    for (Operation *user : erfc->getUsers()) {
      auto mul = dyn_cast<arith::MulFOp>(user);
      if (!mul)
        return {};
      Value m = mul.getLhs() == erfc->getResult(0) ? mul.getRhs() : mul.getLhs();
      if (!isScaledLeaf(m))
        return {};
      if (forms.insert(mul))
        results.push_back({mul.getResult(), false});
    }
  }
  if (!onlyExactOpsAfter(forms, results))
    return {};
  if (hasOtherTranscendental(func, forms, argumentOps))
    return {};
  return forms;
}

SetVector<Operation *> mlir::act::getAccurateGeluGradForms(func::FuncOp func) {
  SetVector<Operation *> forms;
  DenseSet<Operation *> roots;
  DenseSet<Value> leaves;
  SmallVector<FormResult> results;
  func.walk([&](arith::AddFOp add) {
    std::optional<GeluGradSum> sum;
    if (isF32Like(add.getType()) && (sum = matchGeluGradSum(add))) {
      forms.insert(sum->ops.begin(), sum->ops.end());
      roots.insert(add);
      leaves.insert(sum->x);
      results.push_back({add.getResult(), false});
    }
  });
  // Only the sums' results are read outside them.
  for (Operation *op : forms)
    for (Operation *user : op->getUsers())
      if (!forms.contains(user) && !roots.contains(op))
        return {};
  if (forms.empty() || !onlyExactOpsAfter(forms, results, &leaves) ||
      hasOtherTranscendental(func, forms, {}))
    return {};
  return forms;
}

/// The product of `value` by a float constant that is its only user, if
/// any.
static arith::MulFOp getConstantProduct(Value value) {
  if (!value.hasOneUse())
    return {};
  auto mul = dyn_cast<arith::MulFOp>(*value.getUsers().begin());
  if (!mul)
    return {};
  Value other = mul.getLhs() == value ? mul.getRhs() : mul.getLhs();
  if (!getFloatConstant(other))
    return {};
  return mul;
}

namespace {
/// scale * (x > 0 ? t : k * f(x)) with x a leaf and the constant products
/// optional: elu, selu and celu (f = expm1, t = x) and their gradients (f
/// = exp, t a constant).
struct EluSelect {
  Value trueValue; // t
  Value result;    // the select, or its product by scale
  bool scaled;     // k or scale is there
};
} // namespace

/// The select form `function` (an f32 expm1 or exp) starts, its ops added
/// to `forms`; nullopt if it is not one.
static std::optional<EluSelect> matchEluSelect(Operation *function,
                                               SetVector<Operation *> &forms) {
  Value x = function->getOperand(0);
  if (!isExactInput(x) || matchPattern(x, m_Constant()))
    return std::nullopt;
  forms.insert(function);
  Value z = function->getResult(0);
  arith::MulFOp inner = getConstantProduct(z);
  if (inner) {
    forms.insert(inner);
    z = inner.getResult();
  }
  // x > 0 ? t : z, z the function or its product.
  if (!z.hasOneUse())
    return std::nullopt;
  auto select = dyn_cast<arith::SelectOp>(*z.getUsers().begin());
  auto cmp = select ? select.getCondition().getDefiningOp<arith::CmpFOp>()
                    : arith::CmpFOp();
  if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::OGT ||
      cmp.getLhs() != x || getFloatConstant(cmp.getRhs()) != 0.0 ||
      select.getFalseValue() != z)
    return std::nullopt;
  forms.insert(select);
  Value y = select.getResult();
  arith::MulFOp outer = getConstantProduct(y);
  if (outer) {
    forms.insert(outer);
    y = outer.getResult();
  }
  return EluSelect{select.getTrueValue(), y, inner || outer};
}

SetVector<Operation *> mlir::act::getAccurateEluForms(func::FuncOp func) {
  SmallVector<math::ExpM1Op> expm1s = collectF32Ops<math::ExpM1Op>(func);
  if (expm1s.empty())
    return {};
  SetVector<Operation *> forms;
  SmallVector<FormResult> results;
  for (math::ExpM1Op expm1 : expm1s) {
    std::optional<EluSelect> form = matchEluSelect(expm1, forms);
    if (!form || form->trueValue != expm1.getOperand())
      return {};
    results.push_back({form->result, false});
  }
  if (!onlyExactOpsAfter(forms, results))
    return {};
  if (hasOtherTranscendental(func, forms, {}))
    return {};
  return forms;
}

SetVector<Operation *> mlir::act::getAccurateEluGradForms(func::FuncOp func) {
  SmallVector<math::ExpOp> exps = collectF32Ops<math::ExpOp>(func);
  if (exps.empty())
    return {};
  SetVector<Operation *> forms;
  DenseSet<Value> leaves;
  SmallVector<FormResult> results;
  for (math::ExpOp exp : exps) {
    std::optional<EluSelect> form = matchEluSelect(exp, forms);
    if (!form || !getFloatConstant(form->trueValue))
      return {};
    // Without a constant product this is the lone exp's route above.
    if (!form->scaled)
      return {};
    leaves.insert(exp.getOperand());
    results.push_back({form->result, false});
  }
  // After the forms: exact ops and at most one product by a leaf no form
  // reads (dy), as for the sigmoid forms.
  if (!onlyExactOpsAfter(forms, results, &leaves))
    return {};
  if (hasOtherTranscendental(func, forms, {}))
    return {};
  return forms;
}

SetVector<Operation *> mlir::act::getAccurateMishForms(func::FuncOp func) {
  SmallVector<math::TanhOp> tanhs = collectF32Ops<math::TanhOp>(func);
  if (tanhs.empty())
    return {};
  SetVector<Operation *> forms;
  SmallVector<FormResult> results;
  for (math::TanhOp tanh : tanhs) {
    auto softplus = tanh.getOperand().getDefiningOp<SoftplusOp>();
    if (!softplus || !softplus->hasOneUse() || !tanh->hasOneUse())
      return {};
    Value x = softplus.getOperand();
    auto mul = dyn_cast<arith::MulFOp>(*tanh->getUsers().begin());
    if (!isExactInput(x) || matchPattern(x, m_Constant()) || !mul ||
        (mul.getLhs() == tanh.getResult() ? mul.getRhs() : mul.getLhs()) != x)
      return {};
    forms.insert(softplus);
    forms.insert(tanh);
    forms.insert(mul);
    results.push_back({mul.getResult(), false});
  }
  if (!onlyExactOpsAfter(forms, results) ||
      hasOtherTranscendental(func, forms, {}))
    return {};
  return forms;
}

SetVector<Operation *> mlir::act::getAccurateMishGradForms(func::FuncOp func) {
  SmallVector<math::TanhOp> tanhs = collectF32Ops<math::TanhOp>(func);
  if (tanhs.empty())
    return {};
  SetVector<Operation *> forms;
  DenseSet<Value> leaves;
  SmallVector<FormResult> results;
  SmallVector<Operation *> sums;
  for (math::TanhOp tanh : tanhs) {
    auto softplus = tanh.getOperand().getDefiningOp<SoftplusOp>();
    Value x = softplus ? softplus.getOperand() : Value();
    if (!softplus || !isExactInput(x) || matchPattern(x, m_Constant()) ||
        !tanh->hasOneUse())
      return {};
    auto add = dyn_cast<arith::AddFOp>(*tanh->getUsers().begin());
    if (!add)
      return {};
    Value other =
        add.getLhs() == tanh.getResult() ? add.getRhs() : add.getLhs();
    SmallVector<Factor> factors;
    SetVector<Operation *> chain;
    SigmoidOp prime = peelSigmoidPrime(other, factors, chain, kPairDepth);
    if (!prime || getDoubledSoftplus(prime.getOperand()) != x ||
        factors.size() != 3)
      return {};
    // The other factors: 4, sigmoid(x) and x, in any order.
    bool four = false, leaf = false;
    SigmoidOp sigmoid;
    for (Factor factor : factors) {
      Value v = factor.get();
      auto s = v.getDefiningOp<SigmoidOp>();
      if (getFloatConstant(v) == 4.0)
        four = true;
      else if (s && s.getOperand() == x)
        sigmoid = s;
      else if (v == x)
        leaf = true;
    }
    if (!four || !sigmoid || !leaf)
      return {};
    // 2 sp and its negation, read by the sigmoids of the chain.
    Operation *twice = prime.getOperand().getDefiningOp();
    forms.insert(chain.begin(), chain.end());
    forms.insert(twice);
    for (Operation *user : twice->getUsers())
      if (isa<arith::NegFOp>(user))
        forms.insert(user);
    forms.insert(sigmoid);
    forms.insert(softplus);
    forms.insert(tanh);
    forms.insert(add);
    sums.push_back(add);
    leaves.insert(x);
    results.push_back({add.getResult(), false});
  }
  // Every value of the sums read only inside them (but the sums themselves).
  for (Operation *op : forms)
    if (!llvm::is_contained(sums, op))
      for (Operation *user : op->getUsers())
        if (!forms.contains(user))
          return {};
  if (!onlyExactOpsAfter(forms, results, &leaves) ||
      hasOtherTranscendental(func, forms, {}))
    return {};
  return forms;
}
