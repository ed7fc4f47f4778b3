//===- StorageTypes.h - arrays of bf16 and f16 ------------------*- C++ -*-===//
//
// The kernels of the 16-bit dtypes (ABI.md: uint16_t arrays holding bf16 or
// f16 bits, arithmetic in f32) view their arrays as i16 and convert each
// element: load, bitcast to bf16/f16, extend to f32 (exact); truncate to
// bf16/f16 (round to nearest even), bitcast, store. i16 rather than bf16
// arrays because LLVM legalizes bfloat vector selects and masked loads on
// CPUs without AVX512-BF16 by way of __truncsfbf2, which an object may not
// call; act-lower-to-llvm expands the bf16 conversions into integer code.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DIALECT_ACT_STORAGETYPES_H
#define ACTC_DIALECT_ACT_STORAGETYPES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace mlir::act {

/// The element type of the arrays of kernels storing `storage`: i16 for
/// the 16-bit floats, else `storage` itself.
inline Type getArrayElementType(FloatType storage) {
  if (storage.getWidth() == 16)
    return IntegerType::get(storage.getContext(), 16);
  return storage;
}

/// Element `indices` of `array` (of getArrayElementType(storage)) as a
/// value of `type`.
inline Value loadElement(OpBuilder &builder, Location loc, FloatType type,
                         FloatType storage, Value array, ValueRange indices) {
  Value value = memref::LoadOp::create(builder, loc, array, indices);
  if (value.getType() != storage)
    value = arith::BitcastOp::create(builder, loc, storage, value);
  if (storage != type)
    value = arith::ExtFOp::create(builder, loc, type, value);
  return value;
}

/// Stores `value` into `array` at `indices`, rounded to `storage` (to
/// nearest even).
inline void storeElement(OpBuilder &builder, Location loc, Value value,
                         FloatType storage, Value array, ValueRange indices) {
  if (value.getType() != storage)
    value = arith::TruncFOp::create(builder, loc, storage, value);
  Type element = cast<MemRefType>(array.getType()).getElementType();
  if (element != storage)
    value = arith::BitcastOp::create(builder, loc, element, value);
  memref::StoreOp::create(builder, loc, value, array, indices);
}

} // namespace mlir::act

#endif // ACTC_DIALECT_ACT_STORAGETYPES_H
