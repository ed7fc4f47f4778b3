//===- Stabilize.td - stable forms of textbook formulas ----*- tablegen -*-===//
//
// act-stabilize's declarative rules: each rewrites a formula that overflows
// or cancels in floating point into the same function in a form that keeps
// its digits. Operands are matched after act-canonicalize, which puts
// constants on the right of commutative ops; constants are compared by
// value (`x / sqrt(2)` and `x * 0.70710678` are matched in C++).
//
//===----------------------------------------------------------------------===//

#ifndef ACT_STABILIZE_TD
#define ACT_STABILIZE_TD

include "mlir/IR/PatternBase.td"
include "mlir/Dialect/Arith/IR/ArithOps.td"
include "mlir/Dialect/Math/IR/MathOps.td"
include "ActOps.td"

/// A value that is the float constant `value` (scalar).
class IsConstant<string value>
    : Constraint<CPred<"::mlir::act::isConstantValue($0, " # value # ")">,
                 "the constant " # value>;
def IsOne : IsConstant<"1.0">;
def IsMinusOne : IsConstant<"-1.0">;

/// A float constant of the type of `$0`.
class ConstantLike<string value>
    : NativeCodeCall<"::mlir::act::createConstantLike($_builder, $_loc, $0, "
                     # value # ")">;
def TwoLike : ConstantLike<"2.0">;

// log(1 + exp(x)) -> softplus(x): exp overflows for x > 88 (f32), and
// 1 + exp(x) drops exp(x) below 2^-24.
def LogOnePlusExp : Pat<
    (Math_LogOp (Arith_AddFOp (Math_ExpOp $x, $f0), $one, $f1), $f2),
    (Act_SoftplusOp $x), [(IsOne $one)]>;
def Log1pExp : Pat<(Math_Log1pOp (Math_ExpOp $x, $f0), $f1),
                   (Act_SoftplusOp $x)>;

// 1 / (1 + exp(-x)) -> sigmoid(x): exp(-x) overflows for x < -88.
def LogisticSigmoid : Pat<
    (Arith_DivFOp $one,
        (Arith_AddFOp (Math_ExpOp (Arith_NegFOp $x, $f0), $f1), $one2, $f2),
        $f3),
    (Act_SigmoidOp $x), [(IsOne $one), (IsOne $one2)]>;

// exp(x) - 1 -> expm1(x) (cancels near 0); also exp(x) + -1.
def ExpMinusOne : Pat<
    (Arith_SubFOp (Math_ExpOp $x, $f0), $one, $f1),
    (Math_ExpM1Op $x, $f1), [(IsOne $one)]>;
def ExpPlusMinusOne : Pat<
    (Arith_AddFOp (Math_ExpOp $x, $f0), $minusOne, $f1),
    (Math_ExpM1Op $x, $f1), [(IsMinusOne $minusOne)]>;

// log(1 + y) -> log1p(y) (1 + y drops y's digits near 0). After the
// softplus rule (benefit).
def LogOnePlus : Pat<(Math_LogOp (Arith_AddFOp $y, $one, $f0), $f1),
                     (Math_Log1pOp $y, $f1), [(IsOne $one)], [],
                     (addBenefit -1)>;

// 1 + erf(z) -> erfc(-z): cancels for z << 0 (the exact GELU's tail).
def OnePlusErf : Pat<(Arith_AddFOp (Math_ErfOp $z, $f0), $one, $f1),
                     (Math_ErfcOp (Arith_NegFOp $z, $f1), $f0),
                     [(IsOne $one)]>;

// 1 + tanh(z) -> 2 sigmoid(2z): cancels for z << 0 (the tanh GELU's tail).
def OnePlusTanh : Pat<
    (Arith_AddFOp (Math_TanhOp $z, $f0), $one, $f1),
    (Arith_MulFOp (TwoLike $z),
                  (Act_SigmoidOp (Arith_MulFOp (TwoLike $z), $z, $f1)), $f1),
    [(IsOne $one)]>;

// log(sigmoid(x)) -> -softplus(-x): sigmoid underflows to 0 for x < -103.
def LogSigmoid : Pat<(Math_LogOp (Act_SigmoidOp $x), $f0),
                     (Arith_NegFOp (Act_SoftplusOp (Arith_NegFOp $x, $f0)),
                                   $f0)>;

#endif // ACT_STABILIZE_TD
