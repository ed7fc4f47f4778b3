//===- Derivatives.td - chain rules of act-autodiff --------*- tablegen -*-===//
//
// One rule per op: `act.diff %v wrt %w` (dv/dw) of an op's result becomes
// the op's local derivative times the pending derivatives of its operands.
// The rules reuse the forward value where the derivative is a function of it
// (exp' = exp, tanh' = 1 - tanh^2, sigmoid' = s(1 - s)). An operand that
// does not depend on the variable contributes nothing: a rule variant drops
// its term rather than multiplying by a zero (0 * inf would be NaN).
// Non-differentiable points follow PyTorch's backward kernels: max and min
// send the gradient to the first operand only when it wins strictly (so
// relu'(0) = 0, and clamp has zero gradient at its bounds), abs'(0) = 0,
// select differentiates the branch it takes.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_DERIVATIVES_TD
#define ACT_DERIVATIVES_TD

include "mlir/IR/PatternBase.td"
include "mlir/Dialect/Arith/IR/ArithOps.td"
include "mlir/Dialect/Math/IR/MathOps.td"
include "ActOps.td"

def Independent : Constraint<CPred<"!::mlir::act::dependsOn($0, $1)">,
                             "does not depend on the variable">;

class Const<string value> : NativeCodeCall<
    "::mlir::act::buildConstantLike($_builder, $_loc, $0, " # value # ")">;
def BuildSign : NativeCodeCall<"::mlir::act::buildSign($_builder, $_loc, $0)">;
// v * other with a strong zero (as Enzyme's strong-zero mode): where the
// vanishing factor v is 0 the product is 0 even if other is infinite, so
// silu' = s + x * s(1 - s) is 1, not inf * 0 = NaN, at x = +inf, and
// sigmoid'(2u) * du/dx is 0, not NaN, where u overflows. Built as
// v == 0 ? v : v * other.
def StrongMul : NativeCodeCall<
    "::mlir::act::buildStrongZeroMul($_builder, $_loc, $0, $1)">;
def BuildGreaterEqual : NativeCodeCall<
    "::mlir::act::buildCompare($_builder, $_loc, ::mlir::arith::CmpFPredicate::OGE, $0, $1)">;
def BuildLessEqual : NativeCodeCall<
    "::mlir::act::buildCompare($_builder, $_loc, ::mlir::arith::CmpFPredicate::OLE, $0, $1)">;

// Builders of the derivative expressions (no fast-math flags: the
// derivative is evaluated as written).
class Build<string op, string args> : NativeCodeCall<
    "::mlir::" # op # "::create($_builder, $_loc, " # args # ")">;
def D : Build<"act::DiffOp", "$0, $1">;
def Add : Build<"arith::AddFOp", "$0, $1">;
def Sub : Build<"arith::SubFOp", "$0, $1">;
def Mul : Build<"arith::MulFOp", "$0, $1">;
def Div : Build<"arith::DivFOp", "$0, $1">;
def Neg : Build<"arith::NegFOp", "$0">;
def Select : Build<"arith::SelectOp", "$0, $1, $2">;
def Exp : Build<"math::ExpOp", "$0">;
def Log : Build<"math::LogOp", "$0">;
def Pow : Build<"math::PowFOp", "$0, $1">;
def Sin : Build<"math::SinOp", "$0">;
def Cos : Build<"math::CosOp", "$0">;
def Sigmoid : Build<"act::SigmoidOp", "$0">;

//===----------------------------------------------------------------------===//
// Leaves: the variable itself, and anything that does not depend on it
//===----------------------------------------------------------------------===//

def DiffSelf : Pat<(Act_DiffOp $w, $w), (Const<"1.0"> $w), [], [],
                   (addBenefit 20)>;
def DiffIndependent : Pat<(Act_DiffOp $v, $w), (Const<"0.0"> $v),
                          [(Independent $v, $w)], [], (addBenefit 10)>;

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

def DiffAddL : Pat<(Act_DiffOp (Arith_AddFOp $a, $b, $_), $w),
                   (D $a, $w), [(Independent $b, $w)], [], (addBenefit 1)>;
def DiffAddR : Pat<(Act_DiffOp (Arith_AddFOp $a, $b, $_), $w),
                   (D $b, $w), [(Independent $a, $w)], [], (addBenefit 1)>;
def DiffAdd : Pat<(Act_DiffOp (Arith_AddFOp $a, $b, $_), $w),
                  (Add (D $a, $w), (D $b, $w))>;

def DiffSubL : Pat<(Act_DiffOp (Arith_SubFOp $a, $b, $_), $w),
                   (D $a, $w), [(Independent $b, $w)], [], (addBenefit 1)>;
def DiffSubR : Pat<(Act_DiffOp (Arith_SubFOp $a, $b, $_), $w),
                   (Neg (D $b, $w)), [(Independent $a, $w)], [],
                   (addBenefit 1)>;
def DiffSub : Pat<(Act_DiffOp (Arith_SubFOp $a, $b, $_), $w),
                  (Sub (D $a, $w), (D $b, $w))>;

def DiffNeg : Pat<(Act_DiffOp (Arith_NegFOp $a, $_), $w),
                  (Neg (D $a, $w))>;

def DiffMulL : Pat<(Act_DiffOp (Arith_MulFOp $a, $b, $_), $w),
                   (StrongMul (D $a, $w), $b), [(Independent $b, $w)], [],
                   (addBenefit 1)>;
def DiffMulR : Pat<(Act_DiffOp (Arith_MulFOp $a, $b, $_), $w),
                   (StrongMul (D $b, $w), $a), [(Independent $a, $w)], [],
                   (addBenefit 1)>;
def DiffMul : Pat<(Act_DiffOp (Arith_MulFOp $a, $b, $_), $w),
                  (Add (StrongMul (D $a, $w), $b),
                  (StrongMul (D $b, $w), $a))>;

// y = a / b:  dy = da / b - (y / b) db.
def DiffDivL : Pat<(Act_DiffOp (Arith_DivFOp $a, $b, $_), $w),
                   (Div (D $a, $w), $b), [(Independent $b, $w)], [],
                   (addBenefit 1)>;
def DiffDivR : Pat<(Act_DiffOp (Arith_DivFOp:$y $a, $b, $_), $w),
                   (Neg (Mul (Div $y, $b), (D $b, $w))),
                   [(Independent $a, $w)], [], (addBenefit 1)>;
def DiffDiv : Pat<(Act_DiffOp (Arith_DivFOp:$y $a, $b, $_), $w),
                  (Div (Sub (D $a, $w),
                  (Mul $y, (D $b, $w))), $b)>;

//===----------------------------------------------------------------------===//
// Piecewise: PyTorch's choices at the kinks
//===----------------------------------------------------------------------===//

def DiffSelect : Pat<(Act_DiffOp (SelectOp $c, $a, $b), $w),
                     (Select $c, (D $a, $w), (D $b, $w))>;
// A select whose true branch is a truncated series of its false branch
// (act.series, act-stabilize's x - tanh(x) near 0) is one function: its
// derivative is the definition's (tanhshrink' = tanh^2), which keeps its
// digits where the truncated series' derivative does not.
def IsSeries : Constraint<CPred<
    "$0.getDefiningOp()->hasAttr(::mlir::act::kSeriesAttrName)">,
    "a truncated series of its false branch">;
def DiffSeries : Pat<(Act_DiffOp (SelectOp:$s $c, $a, $b), $w),
                     (D $b, $w), [(IsSeries $s)], [], (addBenefit 1)>;
// The second operand takes ties (relu = max(x, 0): relu'(0) = 0); a NaN
// first operand takes the gradient (as PyTorch's relu backward does).
def DiffMaximum : Pat<(Act_DiffOp (Arith_MaximumFOp $a, $b, $_), $w),
                      (Select (BuildGreaterEqual $b, $a), (D $b, $w), (D $a, $w))>;
def DiffMinimum : Pat<(Act_DiffOp (Arith_MinimumFOp $a, $b, $_), $w),
                      (Select (BuildLessEqual $b, $a), (D $b, $w), (D $a, $w))>;
def DiffAbs : Pat<(Act_DiffOp (Math_AbsFOp $a, $_), $w),
                  (Mul (BuildSign $a), (D $a, $w))>;

//===----------------------------------------------------------------------===//
// Exponentials (the forward value y is reused)
//===----------------------------------------------------------------------===//

def DiffExp : Pat<(Act_DiffOp (Math_ExpOp:$y $a, $_), $w),
                  (StrongMul $y, (D $a, $w))>;
def DiffExp2 : Pat<(Act_DiffOp (Math_Exp2Op:$y $a, $_), $w),
                   (StrongMul (Mul $y, (Const<"M_LN2"> $y)),
                   (D $a, $w))>;
// expm1' = exp, computed as exp(a) rather than y + 1: where y is near -1
// (elu's tail) y + 1 cancels to the rounding error of y.
def DiffExpM1 : Pat<(Act_DiffOp (Math_ExpM1Op $a, $_), $w),
                    (StrongMul (Exp $a), (D $a, $w))>;
def DiffLog : Pat<(Act_DiffOp (Math_LogOp $a, $_), $w),
                  (Div (D $a, $w), $a)>;
def DiffLog2 : Pat<(Act_DiffOp (Math_Log2Op $a, $_), $w),
                   (Div (D $a, $w),
                   (Mul $a, (Const<"M_LN2"> $a)))>;
def DiffLog1p : Pat<(Act_DiffOp (Math_Log1pOp $a, $_), $w),
                    (Div (D $a, $w),
                    (Add $a, (Const<"1.0"> $a)))>;
def DiffSqrt : Pat<(Act_DiffOp (Math_SqrtOp:$y $a, $_), $w),
                   (Div (D $a, $w), (Add $y, $y))>;
// rsqrt(a)' = -y / (2a).
def DiffRsqrt : Pat<(Act_DiffOp (Math_RsqrtOp:$y $a, $_), $w),
                    (Mul (Div (Mul $y, (Const<"-0.5"> $y)), $a),
                    (D $a, $w))>;
// pow(a, b) = y:  dy = b pow(a, b - 1) da + y log(a) db.
def DiffPowBase : Pat<(Act_DiffOp (Math_PowFOp $a, $b, $_), $w),
                      (Mul (Mul $b,
                      (Pow $a, (Sub $b, (Const<"1.0"> $b)))),
                      (D $a, $w)),
                      [(Independent $b, $w)], [], (addBenefit 1)>;
def DiffPowExponent : Pat<(Act_DiffOp (Math_PowFOp:$y $a, $b, $_), $w),
                          (Mul (Mul $y, (Log $a)),
                          (D $b, $w)),
                          [(Independent $a, $w)], [], (addBenefit 1)>;
def DiffPow : Pat<(Act_DiffOp (Math_PowFOp:$y $a, $b, $_), $w),
                  (Add
                  (Mul (Mul $b,
                  (Pow $a, (Sub $b, (Const<"1.0"> $b)))),
                  (D $a, $w)),
                  (Mul (Mul $y, (Log $a)),
                  (D $b, $w)))>;

//===----------------------------------------------------------------------===//
// Transcendental
//===----------------------------------------------------------------------===//

// tanh' = 1 - y^2 from the forward value (as torch's tanh_backward): near
// |y| = 1 it carries the rounding of y, ~2^-53 / |tanh'| relative in f64
// (f32 kernels compute it in f64).
def DiffTanh : Pat<(Act_DiffOp (Math_TanhOp:$y $a, $_), $w),
                   (StrongMul (Sub (Const<"1.0"> $y), (Mul $y, $y)),
                   (D $a, $w))>;
def DiffSigmoid : Pat<(Act_DiffOp (Act_SigmoidOp:$y $a), $w),
                      (StrongMul (Mul $y, (Sub (Const<"1.0"> $y), $y)),
                      (D $a, $w))>;
def DiffSoftplus : Pat<(Act_DiffOp (Act_SoftplusOp $a), $w),
                       (StrongMul (Sigmoid $a), (D $a, $w))>;
def DiffSin : Pat<(Act_DiffOp (Math_SinOp $a, $_), $w),
                  (Mul (Cos $a), (D $a, $w))>;
def DiffCos : Pat<(Act_DiffOp (Math_CosOp $a, $_), $w),
                  (Neg (Mul (Sin $a), (D $a, $w)))>;
// erf'(a) = 2/sqrt(pi) exp(-a^2); erfc' is its negation.
def DiffErf : Pat<(Act_DiffOp (Math_ErfOp $a, $_), $w),
                  (StrongMul (Mul (Const<"M_2_SQRTPI"> $a),
                  (Exp (Neg (Mul $a, $a)))),
                  (D $a, $w))>;
def DiffErfc : Pat<(Act_DiffOp (Math_ErfcOp $a, $_), $w),
                   (StrongMul (Mul (Const<"-M_2_SQRTPI"> $a),
                   (Exp (Neg (Mul $a, $a)))),
                   (D $a, $w))>;

//===----------------------------------------------------------------------===//
// Simplification after differentiation
//===----------------------------------------------------------------------===//

// The chain rule of a difference leaves k - (k - b), e.g. tanhshrink' =
// 1 - (1 - t^2): for a finite constant k this is b, exactly in real
// arithmetic and with the two roundings (and the cancellation) removed.
def FiniteConstant : Constraint<CPred<"::mlir::act::isFiniteConstant($0)">,
                                "a finite float constant">;
def SubOfSubFromSame : Pat<(Arith_SubFOp $k, (Arith_SubFOp $k, $b, $_), $_),
                           (replaceWithValue $b), [(FiniteConstant $k)]>;

// A strong zero against a factor that is finite for every input (a
// constant, a parameter, sigmoid, tanh, erf, ... and sums and products of
// those) is a plain product: v == 0 ? v : v * b is v * b.
def IsZeroTest : Constraint<CPred<"::mlir::act::isZeroTest($0, $1)">,
                            "tests its value against 0">;
def Bounded : Constraint<CPred<"::mlir::act::isBounded($0)">,
                         "finite for every input">;
def StrongMulByBounded : Pat<(SelectOp $c, $v, (Arith_MulFOp:$p $v, $b, $_)),
                             (replaceWithValue $p),
                             [(IsZeroTest $c, $v), (Bounded $b)]>;

#endif // ACT_DERIVATIVES_TD
