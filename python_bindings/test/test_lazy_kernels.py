"""Kernel kinds compiled on first use: actc.compile builds the forward and
gradient kernels; the fused bias and matmul kinds (most of the compile time)
are compiled for one activation when first called, unless `kernels` asks
for them up front. save() and .object always hold every kind (ABI.md)."""

import numpy as np
import pytest

import actc
from conftest import LD, sigmoid_ld

SPEC = """\
act myswish(x, param beta = 1.0) = x * sigmoid(beta * x)
act leaky(x, alpha = 0.01) = x >= 0 ? x : alpha * x
act rowsoft(x) = exp(x - rowmax(x)) / rowsum(exp(x - rowmax(x)))
"""


def fused(activation):
    return {symbol for symbol in activation.kernels
            if "_bias" in symbol or "_matmul" in symbol}


def test_fused_kinds_compile_on_first_call():
    lib = actc.compile(SPEC, dtypes=("f32", "f64"),
                       defines={"leaky.alpha": 0.2})
    assert fused(lib.myswish) == set() and fused(lib.leaky) == set()
    assert set(lib.myswish.kernels) == {
        "myswish_f32", "myswish_f64", "myswish_grad_f32", "myswish_grad_f64"}

    rng = np.random.default_rng(1)
    a = rng.normal(size=(9, 17)).astype(np.float32)
    w = rng.normal(size=(17, 11)).astype(np.float32)
    b = rng.normal(size=11).astype(np.float32)
    c = lib.myswish.matmul(a, w, b, beta=1.5)
    # Only the kind called, for that activation alone, both dtypes.
    assert fused(lib.myswish) == {"myswish_matmul_f32", "myswish_matmul_f64"}
    assert fused(lib.leaky) == set()
    z = a.astype(LD) @ w.astype(LD) + b.astype(LD)
    np.testing.assert_allclose(c, z * sigmoid_ld(LD(1.5) * z), rtol=1e-4,
                               atol=1e-5)

    # The compile-time constant of the first compilation holds (alpha 0.2).
    x = np.array([[-1.0, 2.0]])
    y = lib.leaky.bias(x, np.array([0.5, -1.0]))
    np.testing.assert_array_equal(y, [[-0.1, 1.0]])
    assert fused(lib.leaky) == {"leaky_bias_f32", "leaky_bias_f64"}

    # A second call reuses the kernel; an activation without the kind
    # (a row activation has no bias kernel) says so.
    np.testing.assert_array_equal(lib.myswish.matmul(a, w, b, beta=1.5), c)
    assert not lib.rowsoft.has_kernel("bias")
    with pytest.raises(NotImplementedError, match="rowsoft_bias_f32"):
        lib.rowsoft.bias(np.zeros((2, 3), np.float32),
                         np.zeros(3, np.float32))


def test_has_kernel_compiles_the_kind():
    lib = actc.compile(SPEC, only=["myswish"])
    assert lib.myswish.has_kernel("matmul_aux")
    assert "myswish_matmul_aux_f32" in lib.myswish.kernels
    assert "myswish_bias_grad_f32" not in lib.myswish.kernels


def test_eager_kinds():
    lib = actc.compile(SPEC, only=["myswish"], kernels="all")
    assert fused(lib.myswish) == {
        "myswish_bias_f32", "myswish_bias_grad_f32", "myswish_matmul_f32",
        "myswish_matmul_aux_f32"}
    lib = actc.compile(SPEC, only=["myswish"], kernels=["forward", "bias"])
    assert set(lib.myswish.kernels) == {"myswish_f32", "myswish_bias_f32"}
    # The gradient, not compiled up front, still comes on first use.
    dx, dbeta = lib.myswish.grad(np.ones(3, np.float32),
                                 np.ones(3, np.float32))
    assert "myswish_grad_f32" in lib.myswish.kernels


def test_unknown_kind():
    with pytest.raises(ValueError, match="unknown kernel kind 'fused'"):
        actc.compile(SPEC, kernels=["forward", "fused"])


def test_saved_object_has_every_kind(tmp_path):
    lib = actc.compile(SPEC, only=["myswish"])
    lib.save(tmp_path / "s.o", header=tmp_path / "s.h")
    header = (tmp_path / "s.h").read_text()
    for kind in ("", "_grad", "_bias", "_bias_grad", "_matmul",
                 "_matmul_aux"):
        symbol = f"myswish{kind}_f32"
        assert f"void {symbol}(" in header
        assert symbol.encode() + b"\0" in lib.object
    assert (tmp_path / "s.o").read_bytes() == lib.object
