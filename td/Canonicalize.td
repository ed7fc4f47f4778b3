//===- Canonicalize.td - algebraic rules of act-canonicalize -*- tablegen -*-===//
//
// Rewrites that hold exactly in IEEE arithmetic (the same result for every
// input, including -0, ±inf and NaN, up to the rounding noted per rule).
// The arith and math folders run beside them.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_CANONICALIZE_TD
#define ACT_CANONICALIZE_TD

include "mlir/IR/PatternBase.td"
include "mlir/Dialect/Arith/IR/ArithOps.td"
include "mlir/Dialect/Math/IR/MathOps.td"
include "ActOps.td"

// A float constant equal to `value`.
class FloatEquals<string value> : AttrConstraint<CPred<
    "::llvm::isa<::mlir::FloatAttr>($_self) && "
    "::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() == " # value>,
    "float constant " # value>;

// A float constant that is a (small) integer: x^n becomes a product chain.
def IntegerExponent : AttrConstraint<CPred<
    "::mlir::act::isIntegerExponent($_self)">, "small integer exponent">;

// A float constant whose reciprocal is exact (a power of two).
def ExactReciprocal : AttrConstraint<CPred<
    "::mlir::act::hasExactReciprocal($_self)">, "power of two">;

def BuildPowerChain : NativeCodeCall<
    "::mlir::act::buildPowerChain($_builder, $_loc, $0, $1)">;
def BuildReciprocal : NativeCodeCall<
    "::mlir::act::buildReciprocal($_builder, $_loc, $0)">;

// x * -1 -> -x (exact).
def MulByMinusOne : Pat<
    (Arith_MulFOp $x, (Arith_ConstantOp FloatEquals<"-1.0">:$c), $fm),
    (Arith_NegFOp $x, $fm)>;

// x / 2^k -> x * 2^-k (exact: the reciprocal of a power of two is one).
def DivByPowerOfTwo : Pat<
    (Arith_DivFOp $x, (Arith_ConstantOp ExactReciprocal:$c), $fm),
    (Arith_MulFOp $x, (BuildReciprocal $c), $fm)>;

// x - (-y) -> x + y and x + (-y) -> x - y (subtraction is negated addition).
def SubNeg : Pat<(Arith_SubFOp $x, (Arith_NegFOp $y, $fm0), $fm),
                 (Arith_AddFOp $x, $y, $fm)>;
def AddNeg : Pat<(Arith_AddFOp $x, (Arith_NegFOp $y, $fm0), $fm),
                 (Arith_SubFOp $x, $y, $fm)>;

// (-x) * (-y) -> x * y (exact).
def MulNegNeg : Pat<(Arith_MulFOp (Arith_NegFOp $x, $fm0),
                                  (Arith_NegFOp $y, $fm1), $fm),
                    (Arith_MulFOp $x, $y, $fm)>;

// x ^ n with an integer literal n -> x * x * ... (SPEC.md: "an integer
// literal exponent is a product chain"), by repeated squaring; 1 / chain for
// negative n; 1 for n = 0 (as IEEE pow, even for NaN).
def IntegerPowerToProduct : Pat<
    (Math_PowFOp $x, (Arith_ConstantOp IntegerExponent:$n), $fm),
    (BuildPowerChain $x, $n)>;

// --- Comparisons against a shifted or clamped value --------------------------
// A comparison tests the exact value of its operands, so a rounded x + c1 can
// land on the wrong side of c2 (f32: 3 - 2^-22 + 3 rounds to 6, and
// hard_sigmoid's gradient took the flat branch). Comparing x itself with the
// exact c2 - c1 gives the answer of exact arithmetic for every x, including
// ±inf and NaN; the rule applies only when c1, c2 and c2 - c1 are finite and
// c2 - c1 is exact both in the constants' type and in f32, the narrowest type
// a kernel computes in.

// Two constants c2, c1 whose difference c2 - c1 (SubtractShift) or sum
// c2 + c1 (AddShift) is exact.
def SubtractShift : Constraint<CPred<
    "::mlir::act::hasExactShift($0, $1, /*add=*/false)">,
    "c2 - c1 exact in f32">;
def AddShift : Constraint<CPred<
    "::mlir::act::hasExactShift($0, $1, /*add=*/true)">,
    "c2 + c1 exact in f32">;
def BuildDifference : NativeCodeCall<
    "::mlir::act::buildShift($_builder, $_loc, $0, $1, /*add=*/false)">;
def BuildSum : NativeCodeCall<
    "::mlir::act::buildShift($_builder, $_loc, $0, $1, /*add=*/true)">;

// cmp(x + c1, c2) -> cmp(x, c2 - c1), either side.
def CmpAddConstLeft : Pat<
    (Arith_CmpFOp $p, (Arith_AddFOp $x, (Arith_ConstantOp $c1), $fm0),
                  (Arith_ConstantOp $c2), $fm),
    (Arith_CmpFOp $p, $x, (BuildDifference $c2, $c1), $fm),
    [(SubtractShift $c2, $c1)]>;
def CmpAddConstRight : Pat<
    (Arith_CmpFOp $p, (Arith_ConstantOp $c2),
                  (Arith_AddFOp $x, (Arith_ConstantOp $c1), $fm0), $fm),
    (Arith_CmpFOp $p, (BuildDifference $c2, $c1), $x, $fm),
    [(SubtractShift $c2, $c1)]>;

// cmp(x - c1, c2) -> cmp(x, c2 + c1), either side.
def CmpSubConstLeft : Pat<
    (Arith_CmpFOp $p, (Arith_SubFOp $x, (Arith_ConstantOp $c1), $fm0),
                  (Arith_ConstantOp $c2), $fm),
    (Arith_CmpFOp $p, $x, (BuildSum $c2, $c1), $fm),
    [(AddShift $c2, $c1)]>;
def CmpSubConstRight : Pat<
    (Arith_CmpFOp $p, (Arith_ConstantOp $c2),
                  (Arith_SubFOp $x, (Arith_ConstantOp $c1), $fm0), $fm),
    (Arith_CmpFOp $p, (BuildSum $c2, $c1), $x, $fm),
    [(AddShift $c2, $c1)]>;

// Constants a < c (Below) or a > c (Above), both ordered.
def Below : Constraint<CPred<"::mlir::act::isOrderedBelow($0, $1)">,
                       "a < c">;
def Above : Constraint<CPred<"::mlir::act::isOrderedBelow($1, $0)">,
                       "a > c">;

// A clamp that cannot reach the compared constant is transparent to the
// comparison: with a < c, maximum(y, a) and y are on the same side of c (both
// below c where y <= a; equal elsewhere; NaN either way, as maximumf
// propagates it), for every predicate; likewise minimum(y, b) with b > c.
def CmpMaxBelowLeft : Pat<
    (Arith_CmpFOp $p, (Arith_MaximumFOp $y, (Arith_ConstantOp $a), $fm0),
                  (Arith_ConstantOp:$bound $c), $fm),
    (Arith_CmpFOp $p, $y, $bound, $fm), [(Below $a, $c)]>;
def CmpMaxBelowRight : Pat<
    (Arith_CmpFOp $p, (Arith_ConstantOp:$bound $c),
                  (Arith_MaximumFOp $y, (Arith_ConstantOp $a), $fm0), $fm),
    (Arith_CmpFOp $p, $bound, $y, $fm), [(Below $a, $c)]>;
def CmpMinAboveLeft : Pat<
    (Arith_CmpFOp $p, (Arith_MinimumFOp $y, (Arith_ConstantOp $b), $fm0),
                  (Arith_ConstantOp:$bound $c), $fm),
    (Arith_CmpFOp $p, $y, $bound, $fm), [(Above $b, $c)]>;
def CmpMinAboveRight : Pat<
    (Arith_CmpFOp $p, (Arith_ConstantOp:$bound $c),
                  (Arith_MinimumFOp $y, (Arith_ConstantOp $b), $fm0), $fm),
    (Arith_CmpFOp $p, $bound, $y, $fm), [(Above $b, $c)]>;

#endif // ACT_CANONICALIZE_TD
