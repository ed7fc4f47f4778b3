"""Kernel values against long-double (numpy.longdouble) references."""

import numpy as np
import pytest

from conftest import LD, gelu_ld, inputs, sigmoid_ld, tolerance

DTYPES = [np.float32, np.float64]

REFERENCES = {
    "myswish": lambda x: x * sigmoid_ld(x),
    "leaky": lambda x: np.where(x >= 0, x, LD("0.01") * x),
    "softplus_textbook": lambda x: np.logaddexp(LD(0), x),
    "quad": lambda x: 2 * x + x * x / 2,
    "mix": lambda x: gelu_ld(x) / 2 + np.maximum(x, 0) / 2,
}


def check_close(y, reference, dtype, atol_ulps=4):
    """Relative error of a few ULPs, and an absolute floor of a few ULPs of
    1 where a value cancels to near zero."""
    eps = np.finfo(dtype).eps
    np.testing.assert_allclose(y.astype(LD), reference,
                               rtol=tolerance(dtype), atol=atol_ulps * eps)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_forward(lib, name, dtype):
    x = inputs(dtype)
    y = getattr(lib, name)(x)
    assert y.dtype == dtype and y.shape == x.shape
    check_close(y, REFERENCES[name](x.astype(LD)), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_runtime_params(lib, dtype):
    x = inputs(dtype)
    check_close(lib.myswish(x, beta=1.75),
                x.astype(LD) * sigmoid_ld(LD(1.75) * x), dtype)
    a, b = np.float32(-1.5), np.float32(0.25)
    check_close(lib.quad(x, a=a, b=b),
                LD(a) * x.astype(LD) + LD(b) * x.astype(LD) ** 2, dtype,
                atol_ulps=64)


def test_params_are_float32(lib):
    """Runtime parameters are float in the C ABI: 0.1 arrives rounded."""
    x = np.array([1.0], dtype=np.float64)
    y = lib.quad(x, a=0.1, b=0.0)
    assert y[0] == np.float64(np.float32(0.1))


def test_nan_propagates(lib):
    for name in REFERENCES:
        y = getattr(lib, name)(np.array([np.nan], dtype=np.float32))
        assert np.isnan(y[0]), name


@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 5), (2, 3, 4)])
def test_any_shape(lib, shape):
    x = np.arange(-3, int(np.prod(shape)) - 3, dtype=np.float32).reshape(shape)
    y = lib.leaky(x)
    assert y.shape == shape
    np.testing.assert_array_equal(y, np.where(x >= 0, x, np.float32(0.01) * x))


def test_out_and_in_place(lib):
    x = inputs(np.float32)
    expected = lib.myswish(x)
    out = np.empty_like(x)
    assert lib.myswish(x, out=out) is out
    np.testing.assert_array_equal(out, expected)
    assert lib.myswish(x, out=x) is x
    np.testing.assert_array_equal(x, expected)


def softmax_ld(x):
    x = x.astype(LD)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("dtype", DTYPES)
def test_row_activation(lib, dtype):
    rng = np.random.default_rng(1)
    x = rng.normal(0, 3, (5, 37)).astype(dtype)
    x[0, :3] = [1000, 1001, -1000]  # exp(x) alone would overflow
    y = lib.rowsoft(x)
    check_close(y, softmax_ld(x), dtype)
    np.testing.assert_allclose(y.sum(axis=1), 1, rtol=16 * np.finfo(dtype).eps)


def test_row_activation_on_the_last_axis(lib):
    x = np.random.default_rng(2).normal(size=(2, 3, 8)).astype(np.float32)
    y = lib.rowsoft(x)
    assert y.shape == x.shape
    check_close(y, softmax_ld(x), np.float32)
