//===- SinCosF64.cpp - sin and cos in f64 ---------------------------------===//
//
// Two reductions, both always computed and chosen by a select (the vector
// loop stays one path):
//
//  - |x| < 2^20: Cody-Waite with pi/2 in three 33-bit parts and a 53-bit
//    tail (FreeBSD's e_rem_pio2.c constants): n = round(x 2/pi), x - n P1
//    exact, then the other parts by error-free sums into a pair r (pi/2
//    known to 2^-150, so r keeps ~2^-104 relative accuracy however close x
//    is to a multiple of pi/2);
//  - larger |x|: Payne-Hanek. 2/pi is cut into 24-bit chunks T_i; for
//    |x| = M 2^s only the chunks from i0 = (s - 2) / 24 matter (the earlier
//    ones give multiples of 4). A 41-row table (a private memref.global,
//    read by vector.gather) holds, per i0, four chunks and the rest as a
//    pair. |x| 2^(-24 i0) is split in 27 + 26 bits, so the eight products
//    with the chunks are exact; each is reduced modulo 4 exactly, and they
//    and the tail product are summed with error-free sums into s + c + d
//    (triple f64: ~2^-150 absolutely, where the worst f64 input leaves
//    ~2^-61).
//
// sin and cos of the reduced pair are SinCosF32.cpp's kernel polynomials.
//
//===----------------------------------------------------------------------===//

#include "Approx.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::act::approx;

static constexpr double kInvPio2 = 6.36619772367581382433e-01;
/// FreeBSD's pi/2 = P1 + P2 + P3 + P3t, P1..P3 with 33 significant bits.
static constexpr double kPio2P1 = 1.57079632673412561417e+00;
static constexpr double kPio2P2 = 6.07710050630396597660e-11;
static constexpr double kPio2P3 = 2.02226624871116645580e-21;
static constexpr double kPio2P3t = 8.47842766036889956997e-32;
/// Below this |x|, n < 2^20 and n P1, n P2, n P3 are exact.
static constexpr double kCodyWaiteLimit = 0x1p20;

static constexpr int kRowWidth = 6;
static constexpr int kRows = 41;
/// Row i0: T_{i0+j} 2^(-24 (j + 1)) for j = 0..3, then the rest of 2/pi
/// 2^(24 i0) modulo those (chunks i0 + 4 on) as a pair. Generated from
/// 2/pi to 1600 bits (mpmath).
static constexpr double kTwoOverPiRows[kRows * kRowWidth] = {
    0x1.45f3060000000p-1, 0x1.b939100000000p-26, 0x1.529fc00000000p-52, 0x1.3abe880000000p-75, 0x1.ea69bb81b6c53p-97, -0x1.3361de37df00dp-151,
    0x1.b939100000000p-2, 0x1.529fc00000000p-28, 0x1.3abe880000000p-51, 0x1.ea69ba0000000p-73, 0x1.81b6c52b32788p-97, 0x1.c820ff28b1d5fp-151,
    0x1.529fc00000000p-4, 0x1.3abe880000000p-27, 0x1.ea69ba0000000p-49, 0x1.81b6c40000000p-73, 0x1.2b32788720840p-97, -0x1.ae9c5421443aap-152,
    0x1.3abe880000000p-3, 0x1.ea69ba0000000p-25, 0x1.81b6c40000000p-49, 0x1.2b32780000000p-73, 0x1.0e4107f9458ebp-98, -0x1.0a21d4f246dc9p-155,
    0x1.ea69ba0000000p-1, 0x1.81b6c40000000p-25, 0x1.2b32780000000p-49, 0x1.0e41040000000p-74, 0x1.fca2c757bd779p-97, -0x1.4f246dc8e2deep-151,
    0x1.81b6c40000000p-1, 0x1.2b32780000000p-25, 0x1.0e41040000000p-50, 0x1.fca2c60000000p-73, 0x1.57bd778ac36e5p-97, -0x1.c8e2ded916900p-151,
    0x1.2b32780000000p-1, 0x1.0e41040000000p-26, 0x1.fca2c60000000p-49, 0x1.57bd760000000p-73, 0x1.8ac36e48dc748p-97, 0x1.26e9700324977p-151,
    0x1.0e41040000000p-2, 0x1.fca2c60000000p-25, 0x1.57bd760000000p-49, 0x1.8ac36e0000000p-73, 0x1.2371d2126e970p-99, 0x1.924bba8274648p-158,
    0x1.fca2c60000000p-1, 0x1.57bd760000000p-25, 0x1.8ac36e0000000p-49, 0x1.2371d00000000p-75, 0x1.09374b801924cp-98, -0x1.15f62e6de301ep-152,
    0x1.57bd760000000p-1, 0x1.8ac36e0000000p-25, 0x1.2371d00000000p-51, 0x1.0937480000000p-74, 0x1.c00c925dd413ap-97, 0x1.921cfe1deb1cbp-152,
    0x1.8ac36e0000000p-1, 0x1.2371d00000000p-27, 0x1.0937480000000p-50, 0x1.c00c920000000p-73, 0x1.77504e8c90e7fp-99, 0x1.deb1cb129a73fp-156,
    0x1.2371d00000000p-3, 0x1.0937480000000p-26, 0x1.c00c920000000p-49, 0x1.7750480000000p-75, 0x1.a32439fc3bd64p-97, -0x1.a76b2c608bbeep-151,
    0x1.0937480000000p-2, 0x1.c00c920000000p-25, 0x1.7750480000000p-51, 0x1.a324380000000p-73, 0x1.fc3bd63962535p-97, -0x1.822efb9415a29p-153,
    0x1.c00c920000000p-1, 0x1.7750480000000p-27, 0x1.a324380000000p-49, 0x1.fc3bd60000000p-73, 0x1.cb129a73ee882p-100, 0x1.afa975da24275p-155,
    0x1.7750480000000p-3, 0x1.a324380000000p-25, 0x1.fc3bd60000000p-49, 0x1.cb12900000000p-76, 0x1.4e7dd1046bea6p-97, -0x1.44bb7b16638fep-152,
    0x1.a324380000000p-1, 0x1.fc3bd60000000p-25, 0x1.cb12900000000p-52, 0x1.4e7dd00000000p-73, 0x1.046bea5d76891p-97, -0x1.8b31c7eca5d04p-151,
    0x1.fc3bd60000000p-1, 0x1.cb12900000000p-28, 0x1.4e7dd00000000p-49, 0x1.046bea0000000p-73, 0x1.75da24274ce38p-99, 0x1.35a2fbf209cc9p-155,
    0x1.cb12900000000p-4, 0x1.4e7dd00000000p-25, 0x1.046bea0000000p-49, 0x1.75da200000000p-75, 0x1.09d338e04d68cp-97, -0x1.037d8cdc538d0p-153,
    0x1.4e7dd00000000p-1, 0x1.046bea0000000p-25, 0x1.75da200000000p-51, 0x1.09d3380000000p-73, 0x1.c09ad17df904ep-98, 0x1.91d639835339fp-152,
    0x1.046bea0000000p-1, 0x1.75da200000000p-27, 0x1.09d3380000000p-49, 0x1.c09ad00000000p-74, 0x1.7df904e64758ep-98, 0x1.835339f49c846p-152,
    0x1.75da200000000p-3, 0x1.09d3380000000p-25, 0x1.c09ad00000000p-50, 0x1.7df9040000000p-74, 0x1.cc8eb1cc1a99dp-99, -0x1.6c6f740e8840ep-157,
    0x1.09d3380000000p-1, 0x1.c09ad00000000p-26, 0x1.7df9040000000p-50, 0x1.cc8eb00000000p-75, 0x1.cc1a99cfa4e42p-99, 0x1.7e2ef7e4a0ec8p-154,
    0x1.c09ad00000000p-2, 0x1.7df9040000000p-26, 0x1.cc8eb00000000p-51, 0x1.cc1a980000000p-75, 0x1.cfa4e422fc5dfp-99, -0x1.b5f13801da001p-158,
    0x1.7df9040000000p-2, 0x1.cc8eb00000000p-27, 0x1.cc1a980000000p-51, 0x1.cfa4e00000000p-75, 0x1.08bf177bf2507p-97, 0x1.8ffc4bffef02dp-151,
    0x1.cc8eb00000000p-3, 0x1.cc1a980000000p-27, 0x1.cfa4e00000000p-51, 0x1.08bf160000000p-73, 0x1.7bf250763ff13p-97, -0x1.0fd33f8086877p-163,
    0x1.cc1a980000000p-3, 0x1.cfa4e00000000p-27, 0x1.08bf160000000p-49, 0x1.7bf2500000000p-73, 0x1.d8ffc4bffef03p-99, -0x1.9fc04343b9d29p-154,
    0x1.cfa4e00000000p-3, 0x1.08bf160000000p-25, 0x1.7bf2500000000p-49, 0x1.d8ffc00000000p-75, 0x1.2fffbc0b301fep-97, -0x1.a1dce94beb25cp-153,
    0x1.08bf160000000p-1, 0x1.7bf2500000000p-25, 0x1.d8ffc00000000p-51, 0x1.2fffbc0000000p-73, 0x1.6603fbcbc462dp-102, 0x1.a0a6d1f6d367fp-156,
    0x1.7bf2500000000p-1, 0x1.d8ffc00000000p-27, 0x1.2fffbc0000000p-49, 0x1.6603c00000000p-78, 0x1.de5e2316b414ep-97, -0x1.704964c0986c2p-151,
    0x1.d8ffc00000000p-3, 0x1.2fffbc0000000p-25, 0x1.6603c00000000p-54, 0x1.de5e220000000p-73, 0x1.16b414da3eda7p-97, -0x1.8130d834f648bp-152,
    0x1.2fffbc0000000p-1, 0x1.6603c00000000p-30, 0x1.de5e220000000p-49, 0x1.16b4140000000p-73, 0x1.b47db4d9fb3cap-98, -0x1.a7b24585ce04dp-155,
    0x1.6603c00000000p-6, 0x1.de5e220000000p-25, 0x1.16b4140000000p-49, 0x1.b47db40000000p-74, 0x1.b3f6793e584dcp-99, -0x1.61738132c3403p-153,
    0x1.de5e220000000p-1, 0x1.16b4140000000p-25, 0x1.b47db40000000p-50, 0x1.b3f6780000000p-75, 0x1.3e584dba7a320p-99, -0x1.32c3402ba515bp-153,
    0x1.16b4140000000p-1, 0x1.b47db40000000p-26, 0x1.b3f6780000000p-51, 0x1.3e58480000000p-75, 0x1.6e9e8c7ecd3ccp-97, -0x1.5d28ad8453814p-156,
    0x1.b47db40000000p-2, 0x1.b3f6780000000p-27, 0x1.3e58480000000p-51, 0x1.6e9e8c0000000p-73, 0x1.fb34f2ff516bbp-99, -0x1.b08a7028341d1p-153,
    0x1.b3f6780000000p-3, 0x1.3e58480000000p-27, 0x1.6e9e8c0000000p-49, 0x1.fb34f00000000p-75, 0x1.7fa8b5d49eeb2p-98, -0x1.41a0e84c2f8c6p-156,
    0x1.3e58480000000p-3, 0x1.6e9e8c0000000p-25, 0x1.fb34f00000000p-51, 0x1.7fa8b40000000p-74, 0x1.d49eeb1faf97cp-98, 0x1.7b3d0739f78a5p-152,
    0x1.6e9e8c0000000p-1, 0x1.fb34f00000000p-27, 0x1.7fa8b40000000p-50, 0x1.d49ee80000000p-74, 0x1.8fd7cbe2f67a1p-97, -0x1.8c10eb5ada2b3p-153,
    0x1.fb34f00000000p-3, 0x1.7fa8b40000000p-26, 0x1.d49ee80000000p-50, 0x1.8fd7ca0000000p-73, 0x1.e2f67a0e73ef1p-97, 0x1.29497535fdafep-151,
    0x1.7fa8b40000000p-2, 0x1.d49ee80000000p-26, 0x1.8fd7ca0000000p-49, 0x1.e2f67a0000000p-73, 0x1.ce7de294a4baap-102, -0x1.404a04ee072a3p-156,
    0x1.d49ee80000000p-2, 0x1.8fd7ca0000000p-25, 0x1.e2f67a0000000p-49, 0x1.ce7dc00000000p-78, 0x1.14a525d4d7f6cp-97, -0x1.3b81ca8bdea7fp-154,
};

StringRef mlir::act::approx::kTwoOverPiTableName = "__act_two_over_pi_rows";

void mlir::act::approx::declareTwoOverPiTable(ModuleOp module) {
  if (module.lookupSymbol(kTwoOverPiTableName))
    return;
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  auto type = MemRefType::get({kRows * kRowWidth}, builder.getF64Type());
  auto values = DenseElementsAttr::get(
      RankedTensorType::get({kRows * kRowWidth}, builder.getF64Type()),
      ArrayRef<double>(kTwoOverPiRows));
  memref::GlobalOp::create(builder, module.getLoc(), kTwoOverPiTableName,
                           builder.getStringAttr("private"), type, values,
                           /*constant=*/true, /*alignment=*/IntegerAttr());
}

/// table[index] per lane (a gather for vectors, a load for scalars).
static Value lookup(Emitter &e, Value index) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  auto tableType = MemRefType::get({kRows * kRowWidth}, b.getF64Type());
  Value table =
      memref::GetGlobalOp::create(b, loc, tableType, kTwoOverPiTableName);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  auto vectorType = dyn_cast<VectorType>(e.getFloatType());
  if (!vectorType) {
    Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
    return memref::LoadOp::create(b, loc, table, ValueRange{i});
  }
  auto maskType = vectorType.clone(b.getI1Type());
  Value mask = arith::ConstantOp::create(
      b, loc, maskType, DenseElementsAttr::get(maskType, true));
  return vector::GatherOp::create(b, loc, vectorType, table, ValueRange{zero},
                                  index, mask, e.c(0.0));
}

/// p modulo 4 in [-2, 2], exactly.
static Value mod4(Emitter &e, Value p) {
  Value k = e.roundEven(e.mul(p, e.c(0.25)));
  return e.fma(k, e.c(-4.0), p);
}

/// Cody-Waite for |x| < 2^20.
static ReducedAngle reduceMedium(Emitter &e, Value x) {
  Value shifter = e.c(0x1.8p52);
  Value t = e.fma(x, e.c(kInvPio2), shifter);
  Value n = e.sub(t, shifter);
  Value quadrant = e.isub(e.toBits(t), e.toBits(shifter));
  Value minusN = e.neg(n);
  Value r1 = e.fma(minusN, e.c(kPio2P1), x); // exact
  Pair h = e.twoSum(r1, e.mul(minusN, e.c(kPio2P2)));
  Pair h2 = e.twoSum(h.hi, e.mul(minusN, e.c(kPio2P3)));
  Value lo = e.fma(minusN, e.c(kPio2P3t), e.add(h.lo, h2.lo));
  return {e.fastTwoSum(h2.hi, lo), quadrant};
}

/// Payne-Hanek for a = |x| (finite).
static ReducedAngle reduceHuge(Emitter &e, Value a) {
  Value bits = e.toBits(a);
  Value s = e.isub(e.ashr(bits, 52), e.ci(1075)); // a = M 2^s
  OpBuilder &b = e.getBuilder();
  Value i0 = arith::DivSIOp::create(b, e.getLoc(), e.isub(s, e.ci(2)),
                                    e.ci(24));
  i0 = e.imax(i0, e.ci(0));
  // a' = a 2^(-24 i0), exact; split into 27 and 26 significant bits.
  Value scaled = e.fromBits(e.isub(bits, e.shl(e.imul(i0, 24), 52)));
  Value high = e.fromBits(e.iand(e.toBits(scaled), e.ci(~((1ll << 26) - 1))));
  Value low = e.sub(scaled, high);
  Value row = e.imul(i0, kRowWidth);

  SmallVector<Value, 10> terms;
  for (int j = 0; j < 4; ++j) {
    Value chunk = lookup(e, e.iadd(row, e.ci(j)));
    terms.push_back(mod4(e, e.mul(high, chunk)));
    terms.push_back(mod4(e, e.mul(low, chunk)));
  }
  Value tailHi = lookup(e, e.iadd(row, e.ci(4)));
  Value tailLo = lookup(e, e.iadd(row, e.ci(5)));
  Pair tail = e.twoProd(scaled, tailHi);
  terms.push_back(tail.hi);
  terms.push_back(e.fma(scaled, tailLo, tail.lo));

  Value sum = terms.front(), c = e.c(0.0), d = e.c(0.0);
  for (Value term : ArrayRef<Value>(terms).drop_front()) {
    Pair first = e.twoSum(sum, term);
    Pair second = e.twoSum(c, first.lo);
    sum = first.hi;
    c = second.hi;
    d = e.add(d, second.lo);
  }
  return reduceQuadrant(e, sum, c, d);
}

Value mlir::act::approx::buildSinCosF64(Emitter &e, Value x, bool cosine) {
  double inf = std::numeric_limits<double>::infinity();
  Value finite = e.lt(e.abs(x), e.c(inf));
  Value xs = e.select(finite, x, e.c(0.0));
  Value a = e.abs(xs);
  ReducedAngle medium = reduceMedium(e, xs);
  ReducedAngle huge = reduceHuge(e, a);
  // reduceHuge saw |x|: x < 0 negates the angle.
  Value negative = e.lt(xs, e.c(0.0));
  huge.r.hi = e.select(negative, e.neg(huge.r.hi), huge.r.hi);
  huge.r.lo = e.select(negative, e.neg(huge.r.lo), huge.r.lo);
  huge.quadrant =
      e.select(negative, e.isub(e.ci(0), huge.quadrant), huge.quadrant);
  Value isMedium = e.lt(a, e.c(kCodyWaiteLimit));
  ReducedAngle reduced{
      {e.select(isMedium, medium.r.hi, huge.r.hi),
       e.select(isMedium, medium.r.lo, huge.r.lo)},
      e.select(isMedium, medium.quadrant, huge.quadrant)};
  return sinCosOfReduced(e, reduced, cosine, x, finite);
}
