// RUN: act-opt %s --split-input-file --verify-diagnostics

act.activation @relu params [] {
^bb0(%x: f64):
  act.return %x : f64
}
func.func @contract(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) {
  // expected-error @+1 {{'act.matmul' op contracts 8 columns of a with 7 rows of b}}
  %c = act.matmul %a, %b : tensor<4x8xf32>, tensor<7x16xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @result_shape(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{'act.matmul' op result must be 4 x 16}}
  %c = act.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x15xf32>
  return
}

// -----

func.func @mixed(%a: tensor<4x8xf32>, %b: tensor<8x16xf64>) {
  // expected-error @+1 {{'act.matmul' op needs one element type, got 'f32' and 'f64'}}
  %c = act.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf64> -> tensor<4x16xf32>
  return
}

// -----

func.func @bias_length(%x: tensor<4x16xf32>, %b: tensor<15xf32>) {
  // expected-error @+1 {{'act.bias_add' op bias has 15 elements but the matrix has 16 columns}}
  %z = act.bias_add %x, %b : tensor<4x16xf32>, tensor<15xf32>
  return
}

// -----

func.func @column_sum(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'act.column_sum' op result has 4 elements but the matrix has 16 columns}}
  %s = act.column_sum %x : tensor<4x16xf32> -> tensor<4xf32>
  return
}

// -----

func.func @unknown(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'act.apply' op 'nope' is not an act.activation}}
  %y = act.apply @nope(%x) : tensor<4x16xf32>
  return
}

// -----

act.activation @swish params [#act.param<runtime "beta" = 1.0>] {
^bb0(%x: f64):
  act.return %x : f64
}
func.func @params(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'act.apply' op @swish takes 1 runtime parameter(s), but 0 are passed}}
  %y = act.apply @swish(%x) : tensor<4x16xf32>
  return
}

// -----

act.activation @f params [] {
^bb0(%x: f64):
  act.return %x : f64
}
act.activation @f_grad params [] attributes {grad_of = @f} {
^bb0(%x: f64):
  act.return %x : f64
}
func.func @gradient(%x: tensor<4x16xf32>, %a: tensor<16x16xf32>) {
  // expected-error @+1 {{'act.fused_matmul' op @f_grad is not an elementwise activation (a gradient or a row activation)}}
  %y = act.fused_matmul @f_grad(%x, %a) : tensor<4x16xf32>, tensor<16x16xf32> -> tensor<4x16xf32>
  return
}

// -----

act.activation @f params [] {
^bb0(%x: f64):
  act.return %x : f64
}
func.func @fused_bias(%a: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'act.fused_matmul_aux' op bias has 8 elements but the matrix has 16 columns}}
  %c, %z = act.fused_matmul_aux @f(%a, %w) bias(%b : tensor<8xf32>) : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  return
}
