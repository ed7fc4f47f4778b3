"""float16 arrays call the _f16 kernels: the f32 computation, rounded to
nearest even (numpy's float16 cast is the reference)."""

import numpy as np
import pytest

import actc

SPEC = "act myswish(x, param beta = 1.0) = x * sigmoid(beta * x)"


@pytest.fixture(scope="module")
def lib16():
    return actc.compile(SPEC, dtypes=("f32", "f16"))


def every_half():
    return np.arange(65536, dtype=np.uint16).view(np.float16)


def same(actual, expected):
    np.testing.assert_array_equal(actual.view(np.uint16)[~np.isnan(expected)],
                                  expected.view(np.uint16)[~np.isnan(expected)])
    assert np.array_equal(np.isnan(actual), np.isnan(expected))


def test_forward_every_pattern(lib16):
    x = every_half()
    y = lib16.myswish(x, beta=1.5)
    assert y.dtype == np.float16
    same(y, lib16.myswish(x.astype(np.float32), beta=1.5).astype(np.float16))


def test_grad_and_bias(lib16):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 37)).astype(np.float16)
    dy = rng.normal(size=(5, 37)).astype(np.float16)
    dx, dbeta = lib16.myswish.grad(x, dy)
    dx32, dbeta32 = lib16.myswish.grad(x.astype(np.float32),
                                       dy.astype(np.float32))
    same(dx, dx32.astype(np.float16))
    assert dbeta == dbeta32
    b = rng.normal(size=37).astype(np.float16)
    y = lib16.myswish.bias(x, b)
    same(y, lib16.myswish.bias(x.astype(np.float32),
                               b.astype(np.float32)).astype(np.float16))
    # No 16-bit matmul yet: said so, not "compiled for f32 only".
    h = np.ones((2, 2), np.float16)
    with pytest.raises(NotImplementedError,
                       match="no matmul kernel for f16 .myswish_matmul_f16."):
        lib16.myswish.matmul(h, h)
    assert "myswish_matmul_f16" not in lib16.myswish.kernels
