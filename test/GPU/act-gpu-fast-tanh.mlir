// RUN: act-opt %s --act-gpu-fast-tanh | FileCheck %s

// A lone f32 tanh of a forward GPU kernel becomes tanh.approx.f32, a pure
// inline asm; a vector one, lane by lane.
// CHECK-LABEL: func.func @lone(
// CHECK-SAME:      %[[X:[^:]*]]: f32, %[[V:[^:]*]]: vector<4xf32>
// CHECK-NOT:     math.tanh
// CHECK:         %[[T:.*]] = llvm.inline_asm "tanh.approx.f32 $0, $1;", "=f,f" %[[X]] : (f32) -> f32
// CHECK:         %[[E0:.*]] = llvm.extractelement %[[V]][%{{.*}} : i64] : vector<4xf32>
// CHECK:         %[[T0:.*]] = llvm.inline_asm "tanh.approx.f32 $0, $1;", "=f,f" %[[E0]] : (f32) -> f32
// CHECK:         llvm.insertelement %[[T0]]
// CHECK-COUNT-3: llvm.inline_asm "tanh.approx.f32 $0, $1;"
// CHECK-NOT:     math.tanh
// CHECK:         return %[[T]], %{{.*}} : f32, vector<4xf32>
func.func @lone(%x: f32, %v: vector<4xf32>) -> (f32, vector<4xf32>) attributes {act.gpu_kernel = "elementwise"} {
  %t = math.tanh %x : f32
  %w = math.tanh %v : vector<4xf32>
  return %t, %w : f32, vector<4xf32>
}

// bias and row kernels too.
// CHECK-LABEL: func.func @bias(
// CHECK:         llvm.inline_asm "tanh.approx.f32
func.func @bias(%x: f32) -> f32 attributes {act.gpu_kernel = "bias"} {
  %t = math.tanh %x : f32
  return %t : f32
}
// CHECK-LABEL: func.func @row(
// CHECK:         llvm.inline_asm "tanh.approx.f32
func.func @row(%x: f32) -> f32 attributes {act.gpu_kernel = "row"} {
  %t = math.tanh %x : f32
  return %t : f32
}

// Left alone: f64; tanh(softplus) (mish); x - tanh(x) (tanhshrink); a
// squared tanh (1 - tanh^2); a gradient kernel; a function that is not a
// GPU kernel.
// CHECK-LABEL: func.func @kept(
// CHECK-NOT:     llvm.inline_asm
// CHECK:         math.tanh %{{.*}} : f64
// CHECK:         math.tanh %{{.*}} : f32
// CHECK:         math.tanh %{{.*}} : f32
// CHECK:         math.tanh %{{.*}} : f32
// CHECK-NOT:     llvm.inline_asm
// CHECK:         return
func.func @kept(%x: f32, %d: f64) -> (f64, f32, f32, f32) attributes {act.gpu_kernel = "elementwise"} {
  %a = math.tanh %d : f64
  %s = act.softplus %x : f32
  %b = math.tanh %s : f32
  %c = math.tanh %x : f32
  %shrink = arith.subf %x, %c : f32
  %q = math.tanh %x : f32
  %sq = arith.mulf %q, %q : f32
  return %a, %b, %shrink, %sq : f64, f32, f32, f32
}
// CHECK-LABEL: func.func @grad(
// CHECK-NOT:     llvm.inline_asm
// CHECK:         math.tanh
func.func @grad(%x: f32) -> f32 attributes {act.gpu_kernel = "grad"} {
  %t = math.tanh %x : f32
  return %t : f32
}
// CHECK-LABEL: func.func @host(
// CHECK-NOT:     llvm.inline_asm
// CHECK:         math.tanh
func.func @host(%x: f32) -> f32 {
  %t = math.tanh %x : f32
  return %t : f32
}
