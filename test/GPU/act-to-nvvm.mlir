// RUN: act-opt %s --act-to-nvvm="dtypes=f32 gpu-arch=sm_80" | FileCheck %s
// RUN: act-opt %s --act-to-nvvm="dtypes=f64" | FileCheck %s --check-prefix=F64

// The whole GPU pipeline up to gpu-module-to-binary: the kernels lowered to
// NVVM in gpu.module @actc_kernels with the target attached, the host
// module holding nothing else.

act.activation @softsign params [] {
^bb0(%x: f64):
  %one = arith.constant 1.0 : f64
  %a = math.absf %x : f64
  %d = arith.addf %one, %a : f64
  %y = arith.divf %x, %d : f64
  act.return %y : f64
}

act.activation @tanh params [] {
^bb0(%x: f64):
  %y = math.tanh %x : f64
  act.return %y : f64
}

// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK-NOT:     func.func
// CHECK:         gpu.module @actc_kernels [#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">]
// CHECK:           llvm.func @softsign_f32(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64) attributes {act.gpu_kernel = "elementwise", gpu.kernel, nvvm.kernel}
// CHECK:             nvvm.read.ptx.sreg.ctaid.x
// CHECK:             nvvm.read.ptx.sreg.ntid.x
// CHECK:             nvvm.read.ptx.sreg.tid.x
// In f64 (accurate mode widens the composed f32 body), rounded once.
// CHECK:             llvm.fdiv %{{.*}} : f64
// CHECK:             llvm.fptrunc %{{.*}} : f64 to f32
// CHECK:           llvm.func @softsign_grad_f32(
// CHECK:           llvm.func @softsign_bias_f32(
// CHECK:             nvvm.read.ptx.sreg.ctaid.y
// f32 tanh is our approximation (arithmetic), not a libdevice call.
// CHECK:           llvm.func @tanh_f32(
// CHECK-NOT:         __nv_tanhf
// CHECK:           llvm.func @tanh_grad_f32(

// What f64 needs beyond arithmetic comes from libdevice, declared for
// gpu-module-to-binary to link; the 128-bit path works on vector<2xf64>.
// F64:           gpu.module @actc_kernels [#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">]
// F64:             llvm.func @__nv_fabs(f64) -> f64
// F64:             llvm.func @softsign_f64(
// F64:               llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<2xf64>
