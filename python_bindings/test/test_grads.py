"""Backward kernels: dx and runtime-parameter gradients against analytic
long-double derivatives and finite differences."""

import numpy as np
import pytest

from conftest import LD, inputs, sigmoid_ld, tolerance

DTYPES = [np.float32, np.float64]


def check_close(value, reference, dtype, scale=1.0):
    np.testing.assert_allclose(np.asarray(value).astype(LD), reference,
                               rtol=4 * tolerance(dtype),
                               atol=32 * np.finfo(dtype).eps * scale)


@pytest.mark.parametrize("dtype", DTYPES)
def test_swish_grad_and_beta_grad(lib, dtype):
    x = inputs(dtype)
    dy = inputs(dtype, seed=1) / 8
    beta = 1.25
    dx, dbeta = lib.myswish.grad(x, dy, beta=beta)
    assert dx.dtype == dtype and isinstance(dbeta, float)
    xl, dyl = x.astype(LD), dy.astype(LD)
    s = sigmoid_ld(LD(beta) * xl)
    check_close(dx, dyl * (s + LD(beta) * xl * s * (1 - s)), dtype)
    # A sum over 1053 elements, accumulated in float32 (the ABI's float *).
    expected = np.sum(dyl * xl * xl * s * (1 - s))
    assert dbeta == pytest.approx(float(expected), rel=1e-5, abs=1e-5)


@pytest.mark.parametrize("dtype", DTYPES)
def test_two_param_grads(lib, dtype):
    x = inputs(dtype, scale=2)
    dy = np.ones_like(x)
    dx, da, db = lib.quad.grad(x, dy, a=3.0, b=-0.5)
    xl = x.astype(LD)
    check_close(dx, 3 - xl, dtype, scale=4)
    assert da == pytest.approx(float(np.sum(xl)), rel=1e-5, abs=1e-4)
    assert db == pytest.approx(float(np.sum(xl * xl)), rel=1e-5)


def test_grad_without_params_returns_an_array(lib):
    x = np.array([-2.0, -0.5, 0.5, 2.0], dtype=np.float32)
    dx = lib.leaky.grad(x, np.full_like(x, 2.0))
    assert isinstance(dx, np.ndarray)
    np.testing.assert_allclose(dx, [0.02, 0.02, 2.0, 2.0], rtol=1e-6)


@pytest.mark.parametrize("name", ["mix", "softplus_textbook", "myswish"])
def test_grad_matches_finite_differences(lib, name):
    f = getattr(lib, name)
    x = inputs(np.float64, n=200, scale=4)
    x = x[np.abs(x) > 1e-2]  # away from relu's kink in mix
    h = 1e-6
    numeric = (f(x + h) - f(x - h)) / (2 * h)
    dx = f.grad(x, np.ones_like(x))
    if isinstance(dx, tuple):
        dx = dx[0]
    np.testing.assert_allclose(dx, numeric, rtol=1e-6, atol=1e-8)


def test_grad_out(lib):
    x = inputs(np.float32)
    dy = np.ones_like(x)
    out = np.empty_like(x)
    dx = lib.leaky.grad(x, dy, out=out)
    assert dx is out
    assert lib.leaky.grad(x, dy, out=dy) is dy  # dx may alias dy


def softmax_vjp(x, dy):
    x = x.astype(LD)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    y = e / e.sum(axis=-1, keepdims=True)
    return y * (dy - np.sum(dy * y, axis=-1, keepdims=True))


@pytest.mark.parametrize("dtype", DTYPES)
def test_row_grad(lib, dtype):
    rng = np.random.default_rng(3)
    x = rng.normal(0, 2, (4, 19)).astype(dtype)
    dy = rng.normal(size=x.shape).astype(dtype)
    if not lib.rowsoft.has_kernel("grad"):
        with pytest.raises(NotImplementedError, match="rowsoft_grad_"):
            lib.rowsoft.grad(x, dy)
        pytest.skip("this build of actc has no row gradient kernels yet")
    check_close(lib.rowsoft.grad(x, dy), softmax_vjp(x, dy.astype(LD)), dtype)
    y = lib.rowsoft(x)
    np.testing.assert_array_equal(lib.rowsoft.grad_from_y(y, dy),
                                  lib.rowsoft.grad(x, dy))


def test_grad_from_y(lib):
    """Elementwise grad_from_y exists only where f' is a function of y."""
    x = inputs(np.float32)
    dy = np.ones_like(x)
    if not lib.leaky.has_kernel("grad_from_y"):
        with pytest.raises(NotImplementedError, match="leaky_grad_from_y_f32"):
            lib.leaky.grad_from_y(lib.leaky(x), dy)
    else:
        np.testing.assert_allclose(lib.leaky.grad_from_y(lib.leaky(x), dy),
                                   lib.leaky.grad(x, dy), rtol=1e-6)
