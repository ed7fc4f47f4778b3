"""actc.torch: an nn.Module over the compiled forward and grad kernels."""

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (apt-get install python3-torch)")

import actc  # noqa: E402  (after the skip: actc.torch needs torch)


def test_forward_matches_the_kernel(lib):
    act = actc.torch.Activation(lib.myswish, beta=1.5)
    x = torch.linspace(-4, 4, 33)
    y = act(x)
    assert y.dtype == torch.float32
    np.testing.assert_array_equal(y.detach().numpy(),
                                  lib.myswish(x.numpy(), beta=1.5))
    assert "myswish, beta=1.5" in repr(act)


def test_runtime_params_are_parameters(lib):
    act = actc.torch.Activation(lib.quad, b=0.25)
    assert [name for name, _ in act.named_parameters()] == ["a", "b"]
    assert act.a.item() == 2.0 and act.b.item() == 0.25
    frozen = actc.torch.Activation(lib.quad, trainable=False)
    assert not any(p.requires_grad for p in frozen.parameters())
    with pytest.raises(TypeError, match="no runtime parameter gamma"):
        actc.torch.Activation(lib.quad, gamma=1.0)


@pytest.mark.parametrize("name", ["myswish", "mix", "softplus_textbook",
                                  "leaky"])
def test_gradcheck_float64(lib, name):
    act = actc.torch.Activation(getattr(lib, name), trainable=False)
    x = torch.linspace(-3, 3, 24, dtype=torch.float64)
    x = (x + 0.0625).requires_grad_()  # away from leaky's and relu's kink
    assert torch.autograd.gradcheck(act, (x,))


def test_gradcheck_row_activation(lib):
    if not lib.rowsoft.has_kernel("grad"):
        pytest.skip("this build of actc has no row gradient kernels yet")
    act = actc.torch.Activation(lib.rowsoft)
    x = torch.randn(3, 7, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(act, (x,))


def test_gradcheck_runtime_params(lib):
    """The kernels take runtime parameters as float32 (the C ABI), so the
    finite differences in the parameters use a larger step."""
    x = torch.linspace(-3, 3, 16, dtype=torch.float64, requires_grad=True)
    a = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(-0.75, dtype=torch.float64, requires_grad=True)

    def quad(x, a, b):
        return actc.torch.ActivationFunction.apply(lib.quad, x, a, b)

    assert torch.autograd.gradcheck(quad, (x, a, b), eps=1e-3, atol=1e-3,
                                    rtol=1e-4)


def test_param_grads_match_autograd(lib):
    x = torch.randn(64, dtype=torch.float64)
    act = actc.torch.Activation(lib.myswish, beta=0.75).double()
    act(x).sum().backward()
    beta = torch.tensor(0.75, dtype=torch.float64, requires_grad=True)
    (x * torch.sigmoid(beta * x)).sum().backward()
    assert act.beta.grad.dtype == torch.float64
    assert act.beta.grad.item() == pytest.approx(beta.grad.item(), rel=1e-5)


def test_wrong_dtype_is_a_type_error(lib32):
    act = actc.torch.Activation(lib32.myswish)
    with pytest.raises(TypeError, match="compiled for f32 only"):
        act(torch.zeros(3, dtype=torch.float64))


class Swish(torch.nn.Module):
    """The same activation written in torch, differentiated by autograd."""

    def __init__(self):
        super().__init__()
        self.beta = torch.nn.Parameter(torch.tensor(1.0))

    def forward(self, x):
        return x * torch.sigmoid(self.beta * x)


def mlp(activation):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(8, 32), activation,
                               torch.nn.Linear(32, 1))


def test_training_step_matches_autograd(lib):
    """One SGD step of a small MLP: the actc activation and torch's
    autograd of the same formula give the same loss, gradients and
    updated weights."""
    ours, reference = mlp(actc.torch.Activation(lib.myswish)), mlp(Swish())
    torch.manual_seed(1)
    x, target = torch.randn(128, 8), torch.randn(128, 1)
    results = []
    for model in (ours, reference):
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), target)
        loss.backward()
        grads = [p.grad.clone() for p in model.parameters()]
        optimizer.step()
        results.append((loss.item(), grads,
                        [p.detach().clone() for p in model.parameters()]))
    (loss, grads, params), (ref_loss, ref_grads, ref_params) = results
    assert loss == pytest.approx(ref_loss, rel=1e-6)
    for grad, ref_grad in zip(grads, ref_grads):
        torch.testing.assert_close(grad, ref_grad, rtol=1e-4, atol=1e-6)
    for param, ref_param in zip(params, ref_params):
        torch.testing.assert_close(param, ref_param, rtol=1e-5, atol=1e-7)


def test_training_loop_reduces_the_loss(lib):
    model = mlp(actc.torch.Activation(lib.mix))
    torch.manual_seed(2)
    x = torch.randn(256, 8)
    target = (x[:, :2] ** 2).sum(dim=1, keepdim=True) - 1
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(60):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.25 * losses[0], losses
