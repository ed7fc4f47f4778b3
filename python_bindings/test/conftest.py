"""Shared fixtures: one compiled library for most tests (compiling takes
tens of milliseconds; the suite compiles each spec once)."""

import math

import numpy as np
import pytest

import actc

SPEC = """\
# custom activations: runtime parameters, a compile-time constant, a textbook
# formula, a call into the prelude, a row activation
act myswish(x, param beta = 1.0) = x * sigmoid(beta * x)
act leaky(x, alpha = 0.01) = x >= 0 ? x : alpha * x
act softplus_textbook(x) = log(1 + exp(x))
act quad(x, param a = 2.0, param b = 0.5) = a * x + b * x * x
act mix(x) = 0.5 * gelu(x) + 0.5 * relu(x)
act rowsoft(x) = exp(x - rowmax(x)) / rowsum(exp(x - rowmax(x)))
"""

LD = np.longdouble


def sigmoid_ld(x):
    return 1 / (1 + np.exp(-x))


def gelu_ld(x):
    """0.5 x erfc(-x/sqrt 2), erfc in double (numpy has no erf): exact
    enough for float32 and, away from the far negative tail, float64."""
    return np.array([0.5 * v * math.erfc(-float(v) / math.sqrt(2))
                     for v in x], dtype=LD)


def pytest_configure(config):
    # The spec's `?:` kinks warn on every compile; test_compile.py checks
    # the warning itself with pytest.warns.
    config.addinivalue_line("filterwarnings", "ignore::actc.CompileWarning")


@pytest.fixture(scope="session")
def lib():
    return actc.compile(SPEC, dtypes=("f32", "f64"))


@pytest.fixture(scope="session")
def lib32():
    return actc.compile(SPEC, dtypes=("f32",))


def inputs(dtype, n=1000, scale=8.0, seed=0):
    """Random points in [-scale, scale] plus 0 and small magnitudes."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.uniform(-scale, scale, n),
                        rng.uniform(-1e-3, 1e-3, 50), [0.0, 1.0, -1.0]])
    return x.astype(dtype)


def tolerance(dtype):
    """rtol for kernels against a long-double reference: a few ULPs."""
    return 8 * np.finfo(dtype).eps
