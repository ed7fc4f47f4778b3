// RUN: act-opt %s --split-input-file --verify-diagnostics --act-gpu-outline | FileCheck %s

// A marked kernel moves into gpu.module @actc_kernels as a gpu.func kernel
// with its mark; an unmarked function stays.

// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK:         func.func @host
// CHECK-NOT:     func.func @square_f32
// CHECK:         gpu.module @actc_kernels {
// CHECK:           gpu.func @square_f32(%[[X:.*]]: !llvm.ptr, %[[Y:.*]]: !llvm.ptr, %[[N:.*]]: i64) kernel attributes {act.gpu_kernel = "elementwise"} {
// CHECK:             %[[T:.*]] = gpu.thread_id  x
// CHECK:             scf.for
// CHECK:               arith.mulf
// CHECK:             gpu.return
// CHECK:           }
// CHECK:         gpu.func @square_bias_f32(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64) kernel attributes {act.gpu_kernel = "bias", act.gpu_lanes = 4 : i64} {
// CHECK:         }
func.func @square_f32(%x: !llvm.ptr, %y: !llvm.ptr, %n: i64) attributes {act.gpu_kernel = "elementwise"} {
  %t = gpu.thread_id x
  %first = arith.index_castui %t : index to i64
  %one = arith.constant 1 : i64
  scf.for %i = %first to %n step %one : i64 {
    %p = llvm.getelementptr %x[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %v = llvm.load %p : !llvm.ptr -> f32
    %s = arith.mulf %v, %v : f32
    %q = llvm.getelementptr %y[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %s, %q : f32, !llvm.ptr
  }
  return
}

// A bias kernel keeps its lanes (act.gpu_lanes), which its launcher reads.
func.func @square_bias_f32(%x: !llvm.ptr, %b: !llvm.ptr, %y: !llvm.ptr, %rows: i64, %cols: i64) attributes {act.gpu_kernel = "bias", act.gpu_lanes = 4 : i64} {
  return
}

func.func @host() {
  return
}

// -----

// A kernel that calls a function would leave an .extern in the PTX.
func.func private @tanh(f64) -> f64

func.func @calls_f64(%x: !llvm.ptr, %y: !llvm.ptr, %n: i64) attributes {act.gpu_kernel = "elementwise"} {
  %c = arith.constant 1.0 : f64
  // expected-error @below {{'func.call' op in a GPU kernel: the callee would be an unresolved .extern in the PTX}}
  %t = func.call @tanh(%c) : (f64) -> f64
  return
}
