// RUN: act-opt %s -act-inline -split-input-file -verify-diagnostics

act.activation @ping params [] {
^bb0(%x: f64):
  %y = act.call @pong(%x) : (f64) -> f64
  act.return %y : f64
}
act.activation @pong params [] {
^bb0(%x: f64):
  // expected-error @+1 {{recursive call: @ping calls itself through @pong}}
  %y = act.call @ping(%x) : (f64) -> f64
  act.return %y : f64
}
