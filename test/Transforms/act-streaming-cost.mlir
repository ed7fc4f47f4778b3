// RUN: act-opt %s --split-input-file --act-vectorize="stream-bytes=1024" --act-streaming-cost="max-ops-per-byte=0.05" | FileCheck %s
// RUN: act-opt %s --split-input-file --act-vectorize="stream-bytes=1024" --act-streaming-cost="max-ops-per-byte=0.05 remarks=true" --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: act-opt %s --split-input-file --act-vectorize="stream-bytes=1024" --act-streaming-cost | FileCheck %s --check-prefix=KEEP
// RUN: act-opt %s --split-input-file --act-vectorize="stream-bytes=1024" --act-streaming-cost="max-ops-per-byte=0.05 prefetched-ops-per-byte=0.04" | FileCheck %s --check-prefix=PREF
// RUN: act-opt %s --split-input-file --act-vectorize="stream-bytes=1024" --act-streaming-cost="max-ops-per-byte=0.05 prefetched-ops-per-byte=0.04 remarks=true" --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=PREF-REMARK
// RUN: act-opt %s --split-input-file --act-vectorize="stream-bytes=1024" --act-streaming-cost="max-ops-per-byte=0.05 prefetched-ops-per-byte=0.04 unprefetched-ops-per-byte=0.025" | FileCheck %s --check-prefix=UNPREF
// RUN: act-opt %s --split-input-file --act-vectorize="stream-bytes=1024" --act-streaming-cost="max-ops-per-byte=0.05 prefetched-ops-per-byte=0.04 unprefetched-ops-per-byte=0.025 remarks=true" --mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNPREF-REMARK

// act-streaming-cost measures each streaming choice's plain vector loop:
// vector ops (constants and memory accesses aside) per byte loaded and
// stored. A copy with one add (1 op per 128 bytes) is bound by memory and
// keeps its streaming form; a chain of 8 (8 per 128 = 0.0625) is over the
// threshold of 0.05, so only its plain form is left. Either way the marker
// goes. With the default threshold (0) every streaming form stays.
//
// A loop that reads two arrays (a gradient's x and dy) is judged by
// prefetched-ops-per-byte where it is set: 9 ops per 192 bytes (0.047) is
// under 0.05 but over 0.04, so its streaming form stays, prefetching both
// inputs, and its stores become ordinary ones. One-array loops keep the
// max-ops-per-byte rule.
//
// A two-array loop at or below unprefetched-ops-per-byte (a gradient from
// y: 3 ops per 192 bytes, 0.016, under 0.025) keeps its streaming form and
// its non-temporal stores but loses the prefetches; the 9-op loop (0.047)
// keeps its prefetched ordinary stores.

// REMARK:      remark: 1 vector ops per 128 bytes, 1 input array: streaming kept
// PREF-REMARK: remark: 1 vector ops per 128 bytes, 1 input array: streaming kept
// CHECK-LABEL: func.func @memory_bound(
// CHECK-NOT:     act.streaming_choice
// CHECK:         scf.if
// CHECK:           nontemporal = true
// CHECK:         } else {
// CHECK:         return

// KEEP-LABEL: func.func @memory_bound(
// KEEP:         nontemporal = true
func.func @memory_bound(%xs: memref<?xf32>, %ys: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%i] : memref<?xf32>
    %y = arith.addf %x, %one : f32
    memref.store %y, %ys[%i] : memref<?xf32>
  } {act.vectorize, act.stream_stores}
  return
}

// -----

// REMARK:      remark: 8 vector ops per 128 bytes, 1 input array: compute-bound, plain stores
// PREF-REMARK: remark: 8 vector ops per 128 bytes, 1 input array: compute-bound, plain stores
// CHECK-LABEL: func.func @compute_bound(
// CHECK-NOT:     nontemporal
// CHECK-NOT:     act.streaming_choice
// CHECK:         scf.for
// CHECK:           vector.store %{{.*}} : memref<?xf32>, vector<16xf32>
// CHECK:         }
// CHECK:         vector.maskedstore
// CHECK-NOT:     nontemporal
// CHECK:         return

// KEEP-LABEL: func.func @compute_bound(
// KEEP:         nontemporal = true
func.func @compute_bound(%xs: memref<?xf32>, %ys: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = arith.constant 0.5 : f32
  %b = arith.constant 0.25 : f32
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%i] : memref<?xf32>
    %t0 = arith.mulf %x, %a : f32
    %t1 = arith.addf %t0, %b : f32
    %t2 = arith.mulf %t1, %x : f32
    %t3 = arith.addf %t2, %a : f32
    %t4 = arith.mulf %t3, %x : f32
    %t5 = arith.addf %t4, %b : f32
    %t6 = arith.mulf %t5, %x : f32
    %t7 = arith.addf %t6, %a : f32
    memref.store %t7, %ys[%i] : memref<?xf32>
  } {act.vectorize, act.stream_stores}
  return
}

// -----

// REMARK:      remark: 9 vector ops per 192 bytes, 2 input arrays: streaming kept
// PREF-REMARK: remark: 9 vector ops per 192 bytes, 2 input arrays: compute-bound, prefetched ordinary stores
// UNPREF-REMARK: remark: 9 vector ops per 192 bytes, 2 input arrays: compute-bound, prefetched ordinary stores
// CHECK-LABEL: func.func @two_inputs(
// CHECK:         scf.if
// CHECK:           nontemporal = true
// CHECK:         } else {

// PREF-LABEL: func.func @two_inputs(
// PREF-NOT:     act.streaming_choice
// PREF:         scf.if
// PREF:           scf.for
// PREF:             memref.prefetch %{{.*}}, read, locality<3>, data
// PREF:             memref.prefetch %{{.*}}, read, locality<3>, data
// PREF:             vector.store %{{.*}} : memref<?xf32>, vector<16xf32>
// PREF:         } else {
// PREF-NOT:     nontemporal
// PREF:         return

// UNPREF-LABEL: func.func @two_inputs(
// UNPREF:         scf.if
// UNPREF:           memref.prefetch
// UNPREF:         } else {
func.func @two_inputs(%xs: memref<?xf32>, %ds: memref<?xf32>,
                      %ys: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = arith.constant 0.5 : f32
  %b = arith.constant 0.25 : f32
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %xs[%i] : memref<?xf32>
    %d = memref.load %ds[%i] : memref<?xf32>
    %t0 = arith.mulf %x, %a : f32
    %t1 = arith.addf %t0, %b : f32
    %t2 = arith.mulf %t1, %x : f32
    %t3 = arith.addf %t2, %a : f32
    %t4 = arith.mulf %t3, %x : f32
    %t5 = arith.addf %t4, %b : f32
    %t6 = arith.mulf %t5, %x : f32
    %t7 = arith.addf %t6, %a : f32
    %t8 = arith.mulf %t7, %d : f32
    memref.store %t8, %ys[%i] : memref<?xf32>
  } {act.vectorize, act.stream_stores}
  return
}

// -----

// REMARK:        remark: 3 vector ops per 192 bytes, 2 input arrays: streaming kept
// UNPREF-REMARK: remark: 3 vector ops per 192 bytes, 2 input arrays: streaming kept, no prefetches
// PREF-LABEL: func.func @two_inputs_light(
// PREF:         scf.if
// PREF:           memref.prefetch
// PREF:           nontemporal = true
// PREF:         } else {

// UNPREF-LABEL: func.func @two_inputs_light(
// UNPREF-NOT:     act.streaming_choice
// UNPREF:         scf.if
// UNPREF-NOT:       memref.prefetch
// UNPREF:           vector.store {{.*}} {alignment = 64 : i64, nontemporal = true}
// UNPREF:         } else {
// UNPREF-NOT:     memref.prefetch
// UNPREF:         return
func.func @two_inputs_light(%ys: memref<?xf32>, %ds: memref<?xf32>,
                            %dxs: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    %y = memref.load %ys[%i] : memref<?xf32>
    %d = memref.load %ds[%i] : memref<?xf32>
    %t0 = arith.subf %one, %y : f32
    %t1 = arith.mulf %y, %t0 : f32
    %t2 = arith.mulf %d, %t1 : f32
    memref.store %t2, %dxs[%i] : memref<?xf32>
  } {act.vectorize, act.stream_stores}
  return
}
