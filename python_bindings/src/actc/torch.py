"""PyTorch modules over actc kernels: actc.torch.Activation(lib.NAME).

The forward pass calls the compiled NAME_T kernel and the backward pass the
compiled NAME_grad_T kernel (row activations: the VJP from the output), on
CPU tensors of float32 or float64 (the library must be compiled for that
dtype). Runtime parameters (`param` in the spec) are nn.Parameters whose
gradients come from the grad kernel. The kernels take runtime parameters as
float32, as the C ABI does.
"""

import torch
from torch.autograd.function import once_differentiable

__all__ = ["Activation", "ActivationFunction"]


def _as_array(tensor, what):
    if tensor.device.type != "cpu":
        raise TypeError(f"{what} is on {tensor.device}; actc kernels run on "
                        "CPU tensors")
    return tensor.detach().contiguous().numpy()


class ActivationFunction(torch.autograd.Function):
    """apply(activation, x, *params): y = activation(x, **params), with the
    compiled gradient kernel as its backward."""

    @staticmethod
    def forward(ctx, activation, x, *params):
        values = {name: float(value)
                  for name, value in zip(activation.params, params)}
        y = torch.from_numpy(activation(_as_array(x, "x"), **values))
        ctx.activation = activation
        ctx.values = values
        ctx.param_dtypes = [param.dtype for param in params]
        # A row activation's VJP is a function of the output.
        ctx.save_for_backward(y if activation.shape == "row" else x)
        return y

    @staticmethod
    @once_differentiable
    def backward(ctx, dy):
        (saved,) = ctx.saved_tensors
        activation = ctx.activation
        dy = _as_array(dy, "the incoming gradient")
        if activation.shape == "row":
            result = activation.grad_from_y(_as_array(saved, "y"), dy)
        else:
            result = activation.grad(_as_array(saved, "x"), dy, **ctx.values)
        if not ctx.values:
            return None, torch.from_numpy(result)
        dx, *dparams = result
        return (None, torch.from_numpy(dx),
                *(torch.tensor(value, dtype=dtype)
                  for value, dtype in zip(dparams, ctx.param_dtypes)))


class Activation(torch.nn.Module):
    """An nn.Module applying one compiled activation.

    activation: lib.NAME from actc.compile.
    params: initial values of runtime parameters (default: the spec's).
    trainable: whether runtime parameters are trained (requires_grad).
    """

    def __init__(self, activation, *, trainable=True, **params):
        super().__init__()
        unknown = ", ".join(sorted(set(params) - set(activation.params)))
        if unknown:
            known = ", ".join(activation.params) or "none"
            raise TypeError(f"{activation.name} has no runtime parameter "
                            f"{unknown} (runtime parameters: {known})")
        self.activation = activation
        self.param_names = tuple(activation.params)
        for name, default in activation.params.items():
            value = torch.tensor(float(params.get(name, default)))
            self.register_parameter(
                name, torch.nn.Parameter(value, requires_grad=trainable))

    def forward(self, x):
        return ActivationFunction.apply(
            self.activation, x, *(getattr(self, name)
                                  for name in self.param_names))

    def extra_repr(self):
        values = ", ".join(f"{name}={getattr(self, name).item():g}"
                           for name in self.param_names)
        return self.activation.name + (f", {values}" if values else "")
