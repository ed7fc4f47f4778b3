"""The fused bias and matmul epilogues, where this build emits them (the
tests skip, with the reason, until then)."""

import numpy as np
import pytest

from conftest import LD, sigmoid_ld


def swish_ld(z, beta=1.0):
    return z * sigmoid_ld(LD(beta) * z)


def need(activation, kind):
    if not activation.has_kernel(kind):
        pytest.skip(f"this build of actc emits no {kind} kernels yet")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bias(lib, dtype):
    need(lib.myswish, "bias")
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5, 33)).astype(dtype)
    b = rng.normal(size=33).astype(dtype)
    y = lib.myswish.bias(x, b, beta=1.5)
    z = x.astype(LD) + b.astype(LD)
    np.testing.assert_allclose(y, swish_ld(z, 1.5),
                               rtol=16 * np.finfo(dtype).eps,
                               atol=16 * np.finfo(dtype).eps)
    with pytest.raises(ValueError, match="bias has shape"):
        lib.myswish.bias(x, b[:-1])


def test_bias_grad(lib):
    need(lib.myswish, "bias_grad")
    rng = np.random.default_rng(5)
    x = rng.normal(size=(6, 9))
    b = rng.normal(size=9)
    dy = rng.normal(size=(6, 9))
    dx, dbias, dbeta = lib.myswish.bias_grad(x, b, dy)
    expected, dbeta_expected = lib.myswish.grad(x + b, dy)
    np.testing.assert_allclose(dx, expected, rtol=1e-13)
    np.testing.assert_allclose(dbias, expected.sum(axis=0), rtol=1e-12)
    assert dbeta == pytest.approx(dbeta_expected, rel=1e-5)


@pytest.mark.parametrize("with_bias", [False, True])
def test_matmul(lib, with_bias):
    need(lib.myswish, "matmul")
    rng = np.random.default_rng(6)
    a = rng.normal(size=(7, 13)).astype(np.float32)
    w = rng.normal(size=(13, 10)).astype(np.float32)
    b = rng.normal(size=10).astype(np.float32) if with_bias else None
    c = lib.myswish.matmul(a, w, b)
    z = a.astype(np.float64) @ w.astype(np.float64)
    if with_bias:
        z += b
    np.testing.assert_allclose(c, swish_ld(z.astype(LD)), rtol=1e-4,
                               atol=1e-5)
    with pytest.raises(ValueError, match="do not multiply"):
        lib.myswish.matmul(a, w.T.copy())
    if lib.myswish.has_kernel("matmul_aux"):
        c2, z2 = lib.myswish.matmul_aux(a, w, b)
        np.testing.assert_allclose(z2, z, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(c2, c, rtol=1e-6)
