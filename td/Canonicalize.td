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

#endif // ACT_CANONICALIZE_TD
