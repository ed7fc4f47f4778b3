//===- Expand.td - act functions in arith and math ---------*- tablegen -*-===//
//
// act-expand: the act functions arith and math lack, written with them in
// forms that neither overflow nor lose NaNs. The rules apply to scalars and
// vectors alike (constants are built with the operand's type).
//
//===----------------------------------------------------------------------===//

#ifndef ACT_EXPAND_TD
#define ACT_EXPAND_TD

include "mlir/IR/PatternBase.td"
include "mlir/Dialect/Arith/IR/ArithOps.td"
include "mlir/Dialect/Math/IR/MathOps.td"
include "ActOps.td"

/// A float constant of the type of `$0` (a splat for vectors).
class ConstantLike<string value>
    : NativeCodeCall<"createConstantLike($_builder, $_loc, $0, " # value # ")">;
def ZeroLike : ConstantLike<"0.0">;
def OneLike : ConstantLike<"1.0">;

/// Two operands that are the same value.
def SameValue : Constraint<CPred<"$0 == $1">, "the same value">;

/// A float constant (scalar or splat) equal to 1.
def IsOneLike : Constraint<CPred<"isConstantLike($0, 1.0)">, "the constant 1">;

def CmpFOGE : ConstantEnumCase<Arith_CmpFPredicateAttr, "oge">;
/// No fast-math flags: the expanded forms rely on exact infinities and NaNs.
def NoFastMath
    : ConstantAttr<Arith_FastMathAttr, "::mlir::arith::FastMathFlags::none">;

/// sigmoid(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) below, with
/// e = exp(-|x|) in (0, 1]: exp never overflows, 1 + e never cancels, and a
/// NaN fails `x >= 0` and reaches the result through e.
def ExpandSigmoid : Pattern<(Act_SigmoidOp $x), [
    (Math_ExpOp:$e (Arith_NegFOp (Math_AbsFOp $x, NoFastMath), NoFastMath),
                   NoFastMath),
    (Arith_DivFOp:$r (OneLike $x),
                     (Arith_AddFOp (OneLike $x), $e, NoFastMath), NoFastMath),
    (SelectOp (Arith_CmpFOp CmpFOGE, $x, (ZeroLike $x), NoFastMath),
              $r, (Arith_MulFOp $e, $r, NoFastMath))]>;

/// softplus(x) = max(x, 0) + log1p(exp(-|x|)): exact at both infinities
/// (+inf + 0, 0 + 0) and NaN-propagating through arith.maximumf.
def ExpandSoftplus : Pat<(Act_SoftplusOp $x),
    (Arith_AddFOp
        (Arith_MaximumFOp $x, (ZeroLike $x), NoFastMath),
        (Math_Log1pOp
            (Math_ExpOp (Arith_NegFOp (Math_AbsFOp $x, NoFastMath), NoFastMath),
                        NoFastMath),
            NoFastMath),
        NoFastMath)>;

/// 1 - sigmoid(z) -> sigmoid(-z): the subtraction loses every digit of a
/// small result (derivatives write sigma (1 - sigma)). Before the
/// expansions (benefit).
def OneMinusSigmoid : Pat<(Arith_SubFOp $one, (Act_SigmoidOp $z), $f),
                          (Act_SigmoidOp (Arith_NegFOp $z, $f)),
                          [(IsOneLike $one)], [], (addBenefit 1)>;

/// expm1(z) + 1 -> exp(z): derivatives from the output (elu' = y + 1)
/// write it, and it cancels to 0 for z < -17 (-38 in f64).
def ExpM1PlusOne : Pat<(Arith_AddFOp (Math_ExpM1Op $z, $f0), $one, $f1),
                       (Math_ExpOp $z, $f0), [(IsOneLike $one)], [],
                       (addBenefit 1)>;

/// 1 - tanh(z)^2 -> 4 sigmoid(2z) sigmoid(-2z) = 4E / (1 + E)^2,
/// E = exp(-2|z|) (by SigmoidPrime below, or act-math-approx's fast f32
/// form): the derivative of tanh (tanh', mish') cancels to 0 for |z| > 9
/// (19 in f64).
def SechSquared : NativeCodeCall<"createSechSquared($_builder, $_loc, $0)">;
def OneMinusTanhSquared : Pat<
    (Arith_SubFOp $one, (Arith_MulFOp (Math_TanhOp:$t $z, $f0), $t2, $f1), $f2),
    (SechSquared $z), [(IsOneLike $one), (SameValue $t, $t2)], [],
    (addBenefit 1)>;

/// sigmoid(t) sigmoid(-t) (sigmoid', after OneMinusSigmoid) -> E r r with
/// E = exp(-|t|), r = 1 / (1 + E): one exp and one division for both, even
/// in t; of t = 2 softplus(s) (mish'), in exp(-|s|) alone, without the
/// softplus. Before the expansions (benefit); fast f32 products are left to
/// act-math-approx.
def SigmoidPrimeForm
    : NativeCodeCall<"createSigmoidPrime($_builder, $_loc, $0)">;
def SigmoidPrime : Pat<
    (Arith_MulFOp (Act_SigmoidOp $t), (Act_SigmoidOp (Arith_NegFOp $t2, $f0)),
                  $f1),
    (SigmoidPrimeForm $t), [(SameValue $t, $t2)], [], (addBenefit 1)>;
def SigmoidPrimeSwapped : Pat<
    (Arith_MulFOp (Act_SigmoidOp (Arith_NegFOp $t2, $f0)), (Act_SigmoidOp $t),
                  $f1),
    (SigmoidPrimeForm $t), [(SameValue $t, $t2)], [], (addBenefit 1)>;

#endif // ACT_EXPAND_TD
