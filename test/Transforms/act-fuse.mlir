// RUN: act-opt %s --split-input-file --act-fuse | FileCheck %s

// Before: a layer's forward, y = gelu(a . w + b). After: one fused op,
// NAME_matmul_T's semantics.

act.activation @gelu params [] {
^bb0(%x: f64):
  act.return %x : f64
}

// CHECK-LABEL: func.func @forward(
// CHECK-SAME:      %[[A:.*]]: tensor<?x?xf32>, %[[W:.*]]: tensor<?x?xf32>, %[[B:.*]]: tensor<?xf32>)
// CHECK-NEXT:    %[[Y:.*]] = act.fused_matmul @gelu(%[[A]], %[[W]]) bias(%[[B]] : tensor<?xf32>) : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @forward(%a: tensor<?x?xf32>, %w: tensor<?x?xf32>, %b: tensor<?xf32>) -> tensor<?x?xf32> {
  %mm = act.matmul %a, %w : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %z = act.bias_add %mm, %b : tensor<?x?xf32>, tensor<?xf32>
  %y = act.apply @gelu(%z) : tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// Without a bias: the kernel's NULL bias.
// CHECK-LABEL: func.func @no_bias(
// CHECK-NEXT:    act.fused_matmul @gelu(%{{.*}}, %{{.*}}) : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
// CHECK-NEXT:    return
func.func @no_bias(%a: tensor<4x8xf32>, %w: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %mm = act.matmul %a, %w : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %y = act.apply @gelu(%mm) : tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// a . w read elsewhere: the matmul stays, the bias epilogue still fuses
// (NAME_bias_T).
// CHECK-LABEL: func.func @matmul_kept(
// CHECK:         %[[MM:.*]] = act.matmul
// CHECK-NEXT:    %[[Y:.*]] = act.fused_bias @gelu(%[[MM]], %{{.*}}) : tensor<?x?xf32>, tensor<?xf32>
// CHECK-NEXT:    return %[[MM]], %[[Y]]
func.func @matmul_kept(%a: tensor<?x?xf32>, %w: tensor<?x?xf32>, %b: tensor<?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %mm = act.matmul %a, %w : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %z = act.bias_add %mm, %b : tensor<?x?xf32>, tensor<?xf32>
  %y = act.apply @gelu(%z) : tensor<?x?xf32>
  return %mm, %y : tensor<?x?xf32>, tensor<?x?xf32>
}

// An activation of anything else is left alone.
// CHECK-LABEL: func.func @plain(
// CHECK-NEXT:    act.apply @gelu
func.func @plain(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = act.apply @gelu(%x) : tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// A framework's linalg: linalg.matmul into a zero fill reads as act.matmul;
// runtime parameters travel with the fused op.

act.activation @swish params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  act.return %x : f64
}

// CHECK-LABEL: func.func @linalg(
// CHECK-SAME:      %[[A:.*]]: tensor<8x16xf32>, %[[W:.*]]: tensor<16x4xf32>, %[[BETA:.*]]: f32)
// CHECK-NOT:     linalg
// CHECK:         %[[Y:.*]] = act.fused_matmul @swish(%[[A]], %[[W]]) params(%[[BETA]]) : tensor<8x16xf32>, tensor<16x4xf32> -> tensor<8x4xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @linalg(%a: tensor<8x16xf32>, %w: tensor<16x4xf32>, %beta: f32) -> tensor<8x4xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<8x4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  %mm = linalg.matmul ins(%a, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%acc : tensor<8x4xf32>) -> tensor<8x4xf32>
  %y = act.apply @swish(%mm) params(%beta) : tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// Accumulating into something else is not c = a . b: no fusion.
// CHECK-LABEL: func.func @linalg_accumulate(
// CHECK:         linalg.matmul
// CHECK:         act.apply @swish
func.func @linalg_accumulate(%a: tensor<8x16xf32>, %w: tensor<16x4xf32>, %c: tensor<8x4xf32>, %beta: f32) -> tensor<8x4xf32> {
  %mm = linalg.matmul ins(%a, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%c : tensor<8x4xf32>) -> tensor<8x4xf32>
  %y = act.apply @swish(%mm) params(%beta) : tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}

// -----

// Training: z = a . w + b is read by the backward too. The forward becomes
// the aux epilogue (cuBLASLt's GELU_AUX: c and z in one pass) and the
// backward dy * f'(z) with its column sum (DGELU_BGRAD) one fused op on
// that z.

act.activation @gelu params [] {
^bb0(%x: f64):
  act.return %x : f64
}

// CHECK-LABEL: func.func @training(
// CHECK-SAME:      %[[A:.*]]: tensor<?x?xf32>, %[[W:.*]]: tensor<?x?xf32>, %[[B:.*]]: tensor<?xf32>, %[[DY:.*]]: tensor<?x?xf32>)
// CHECK-NEXT:    %[[Y:.*]], %[[Z:.*]] = act.fused_matmul_aux @gelu(%[[A]], %[[W]]) bias(%[[B]] : tensor<?xf32>)
// CHECK-NEXT:    %[[DX:.*]], %[[DB:.*]] = act.fused_bias_grad @gelu(%[[Z]], %[[DY]]) : tensor<?x?xf32>, tensor<?xf32>
// CHECK-NEXT:    return %[[Y]], %[[DX]], %[[DB]]
func.func @training(%a: tensor<?x?xf32>, %w: tensor<?x?xf32>, %b: tensor<?xf32>, %dy: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf32>) {
  %mm = act.matmul %a, %w : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %z = act.bias_add %mm, %b : tensor<?x?xf32>, tensor<?xf32>
  %y = act.apply @gelu(%z) : tensor<?x?xf32>
  %dx = act.apply_grad @gelu(%z, %dy) : tensor<?x?xf32>
  %db = act.column_sum %dx : tensor<?x?xf32> -> tensor<?xf32>
  return %y, %dx, %db : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf32>
}

// The backward alone, from x and b: the bias add folds into the kernel
// (NAME_bias_grad_T computes z = x + b itself).
// CHECK-LABEL: func.func @backward(
// CHECK-SAME:      %[[X:.*]]: tensor<?x?xf32>, %[[B:.*]]: tensor<?xf32>, %[[DY:.*]]: tensor<?x?xf32>)
// CHECK-NEXT:    %[[DX:.*]], %[[DB:.*]] = act.fused_bias_grad @gelu(%[[X]], %[[DY]]) bias(%[[B]] : tensor<?xf32>) : tensor<?x?xf32>, tensor<?xf32>
// CHECK-NEXT:    return %[[DX]], %[[DB]]
func.func @backward(%x: tensor<?x?xf32>, %b: tensor<?xf32>, %dy: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?xf32>) {
  %z = act.bias_add %x, %b : tensor<?x?xf32>, tensor<?xf32>
  %dx = act.apply_grad @gelu(%z, %dy) : tensor<?x?xf32>
  %db = act.column_sum %dx : tensor<?x?xf32> -> tensor<?xf32>
  return %dx, %db : tensor<?x?xf32>, tensor<?xf32>
}

// A gradient nobody sums stays as it is (NAME_grad_T).
// CHECK-LABEL: func.func @grad_only(
// CHECK-NEXT:    act.apply_grad @gelu
func.func @grad_only(%z: tensor<?x?xf32>, %dy: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %dx = act.apply_grad @gelu(%z, %dy) : tensor<?x?xf32>
  return %dx : tensor<?x?xf32>
}

// -----

// Runtime parameters defined after z: the aux epilogue would need them
// before z, so the forward is left unfused (the backward still fuses).

act.activation @swish params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  act.return %x : f64
}

// CHECK-LABEL: func.func @late_param(
// CHECK:         act.matmul
// CHECK:         act.bias_add
// CHECK:         act.apply @swish
// CHECK:         act.fused_bias_grad @swish
func.func @late_param(%a: tensor<?x?xf32>, %w: tensor<?x?xf32>, %b: tensor<?xf32>, %dy: tensor<?x?xf32>, %p: tensor<f32>) -> (tensor<?x?xf32>, tensor<?xf32>) {
  %mm = act.matmul %a, %w : tensor<?x?xf32>, tensor<?x?xf32> -> tensor<?x?xf32>
  %z = act.bias_add %mm, %b : tensor<?x?xf32>, tensor<?xf32>
  %beta = tensor.extract %p[] : tensor<f32>
  %y = act.apply @swish(%z) params(%beta) : tensor<?x?xf32>
  %dx = act.apply_grad @swish(%z, %dy) params(%beta) : tensor<?x?xf32>
  %db = act.column_sum %dx : tensor<?x?xf32> -> tensor<?xf32>
  return %y, %db : tensor<?x?xf32>, tensor<?xf32>
}
