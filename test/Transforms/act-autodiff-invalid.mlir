// RUN: act-opt %s -act-autodiff -split-input-file -verify-diagnostics

act.activation @arctan params [] {
^bb0(%x: f64):
  // expected-error @+1 {{cannot differentiate 'math.atan': no derivative rule in td/Derivatives.td}}
  %y = math.atan %x : f64
  act.return %y : f64
}

// -----

// expected-error @+1 {{cannot name the derivative of 'f': 'f_grad' is already defined}}
act.activation @f params [] {
^bb0(%x: f64):
  act.return %x : f64
}
act.activation @f_grad params [] {
^bb0(%x: f64):
  act.return %x : f64
}
