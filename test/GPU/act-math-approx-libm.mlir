// RUN: act-opt %s --act-math-approx | FileCheck %s --check-prefix=LIBM
// RUN: act-opt %s --act-math-approx="libm=false" | FileCheck %s --check-prefix=GPU

// An f64 function LLVM cannot lower itself: a libm call on the CPU; on the
// GPU (libm=false) it stays a math op for convert-gpu-to-nvvm's libdevice
// patterns. f32 functions are ours either way.

func.func @f(%x: f64, %y: f32) -> (f64, f32) {
  %t = math.atan %x : f64
  %u = math.tanh %y : f32
  return %t, %u : f64, f32
}

// LIBM-LABEL: func.func @f(
// LIBM:         call @atan(%{{.*}}) : (f64) -> f64
// LIBM-NOT:     math.atan

// GPU-LABEL: func.func @f(
// GPU:         math.atan %{{.*}} : f64
// GPU-NOT:     call
// GPU-NOT:     math.tanh %{{.*}} : f32
