// RUN: act-opt %s | act-opt | FileCheck %s

// The tensor-level graph ops print and parse back.

act.activation @swish params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  act.return %x : f64
}

// CHECK-LABEL: func.func @graph(
func.func @graph(%a: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>, %dy: tensor<4x16xf32>, %beta: f32) {
  // CHECK: act.matmul %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %mm = act.matmul %a, %w : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  // CHECK: act.bias_add %{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<16xf32>
  %z = act.bias_add %mm, %b : tensor<4x16xf32>, tensor<16xf32>
  // CHECK: act.apply @swish(%{{.*}}) params(%{{.*}}) : tensor<4x16xf32>
  %y = act.apply @swish(%z) params(%beta) : tensor<4x16xf32>
  // CHECK: act.apply_grad @swish(%{{.*}}, %{{.*}}) params(%{{.*}}) : tensor<4x16xf32>
  %dx = act.apply_grad @swish(%z, %dy) params(%beta) : tensor<4x16xf32>
  // CHECK: act.column_sum %{{.*}} : tensor<4x16xf32> -> tensor<16xf32>
  %db = act.column_sum %dx : tensor<4x16xf32> -> tensor<16xf32>
  // CHECK: act.fused_bias @swish(%{{.*}}, %{{.*}}) params(%{{.*}}) : tensor<4x16xf32>, tensor<16xf32>
  %fb = act.fused_bias @swish(%mm, %b) params(%beta) : tensor<4x16xf32>, tensor<16xf32>
  // CHECK: act.fused_bias_grad @swish(%{{.*}}, %{{.*}}) bias(%{{.*}} : tensor<16xf32>) params(%{{.*}}) : tensor<4x16xf32>, tensor<16xf32>
  %fdx, %fdb = act.fused_bias_grad @swish(%mm, %dy) bias(%b : tensor<16xf32>) params(%beta) : tensor<4x16xf32>, tensor<16xf32>
  // CHECK: act.fused_matmul @swish(%{{.*}}, %{{.*}}) params(%{{.*}}) : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %c = act.fused_matmul @swish(%a, %w) params(%beta) : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  // CHECK: act.fused_matmul_aux @swish(%{{.*}}, %{{.*}}) bias(%{{.*}} : tensor<16xf32>) params(%{{.*}}) : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %c2, %z2 = act.fused_matmul_aux @swish(%a, %w) bias(%b : tensor<16xf32>) params(%beta) : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  return
}
