#!/usr/bin/python3
"""Derives the f64 gradients' series next to the zeros of f'
(lib/Conversion/Approx/AccurateF64GradRoots.cpp's GradRootF64 tables).

Next to a zero v0 of f' (|v - v0| < delta) the f64 kernels evaluate
f'(v0 + d) = d q(d), d = v - v0 as a pair, q a polynomial fitted to
f'(v0 + d) / d on [-delta, delta] by Chebyshev interpolation (mpmath's
chebyfit) at 270 bits. Its first two coefficients are pairs, the rest
doubles; the printed bound is max |p(d) - q(d)| / |q(d)| on 4001 points of
the window with the coefficients as the table rounds them. v is

  - t for silu, swish and quick_gelu: f'(x) = s(t) (1 + t s(-t)) at t =
    beta x (beta = 1, any runtime beta, 1.702), s = sigmoid;
  - x for the tanh GELUs (gelu_tanh and new_gelu: actc keeps new_gelu's
    constants' tails, PairArgumentF64.cpp, so they are one function):
    f' = s(2u) + x c (1 + 3 k x^2) s(2u) s(-2u), u = c (x + k x^3), c =
    sqrt(2 / pi), k = 0.044715 (test/Inputs/grad-reference.c's form);
  - x for the erf GELU (gelu' = Phi + x phi) and mish (mish' = tanh(sp) +
    x sech^2(sp) s(x), sp = softplus(x)): session 17's tables, reproduced.

Run:

    /usr/bin/python3 scripts/f64-grad-roots.py [NAME...]

and copy the printed initializers into AccurateF64GradRoots.cpp.
"""
import sys

import mpmath
from mpmath import mp, mpf

mp.prec = 270


def sigmoid(t):
    return 1 / (1 + mp.exp(-t))


def silu_grad(t):
    return sigmoid(t) * (1 + t * sigmoid(-t))


def gelu_tanh_grad(x):
    c = mp.sqrt(2 / mp.pi)
    k = mpf("0.044715")
    t = 2 * c * (x + k * x**3)
    m = x * 2 * c * (1 + 3 * k * x**2)
    return sigmoid(t) + m * sigmoid(t) * sigmoid(-t)


def gelu_tanh_sum(x):
    """G = 1 + m + exp(t), the sum of AccurateF64SigmoidGrad.cpp's
    numerator for t < 0 (f' = exp(t) G / (1 + exp(t))^2)."""
    c = mp.sqrt(2 / mp.pi)
    k = mpf("0.044715")
    t = 2 * c * (x + k * x**3)
    m = x * 2 * c * (1 + 3 * k * x**2)
    return 1 + m + mp.exp(t)


def gelu_grad(x):
    return mp.ncdf(x) + x * mp.npdf(x)


def mish_grad(x):
    sp = mp.log1p(mp.exp(x))
    return mp.tanh(sp) + x * mp.sech(sp) ** 2 * sigmoid(x)


# name: (f', a point next to the zero, delta, number of coefficients of q)
ROOTS = {
    "silu": (silu_grad, -1.28, mpf(2) ** -8, 7),
    "gelu_tanh": (gelu_tanh_grad, -0.75, mpf(2) ** -7, 7),
    "gelu_tanh_sum": (gelu_tanh_sum, -0.75, mpf(2) ** -7, 7),
    "gelu": (gelu_grad, -0.75, mpf(2) ** -2, 16),
    "mish": (mish_grad, -1.19, mpf(2) ** -8, 6),
}


def split(v):
    hi = float(v)
    return hi, float(v - hi)


def fit(name):
    fp, guess, delta, count = ROOTS[name]
    v0 = mp.findroot(fp, mpf(guess))
    head, tail = split(v0)
    v0 = mpf(head) + mpf(tail)  # the zero the kernels subtract

    def q(d):
        if d == 0:
            return mp.diff(fp, v0)
        return fp(v0 + d) / d

    coeffs, err = mpmath.chebyfit(q, [-delta, delta], count, error=True)
    coeffs = coeffs[::-1]  # from degree 0 up
    c0, c1 = split(coeffs[0]), split(coeffs[1])
    rest = [float(c) for c in coeffs[2:]]
    rounded = [mpf(c0[0]) + c0[1], mpf(c1[0]) + c1[1]] + [mpf(c) for c in rest]
    worst = mpf(0)
    for i in range(4001):
        d = delta * (2 * mpf(i) / 4000 - 1)
        exact = q(d)
        p = mpmath.polyval(rounded[::-1], d)
        worst = max(worst, abs(p - exact) / abs(exact))
    print(f"// {name}: zero at {mpmath.nstr(v0, 25)}, |d| < "
          f"{float(delta)!r}, degree {count - 1}, 2^{float(mp.log(worst, 2)):.1f}"
          " relative with the coefficients rounded")
    print(f"static constexpr double k{name}Rest[] = {{")
    print("    " + ", ".join(repr(c) for c in rest) + "};")
    print(f"    {head!r},\n    {tail!r},\n    {float(delta)!r},")
    print(f"    {{{c0[0]!r}, {c0[1]!r}}},\n    {{{c1[0]!r}, {c1[1]!r}}},")


def silu_zero():
    """silu's zero in t, t0 = -1 - W(1/e), as a pair (head, tail): the
    kernels take K = exp(t0) = -1 - t0 as (-1 - head) - tail."""
    t0 = -1 - mp.lambertw(1 / mp.e).real
    head, tail = split(t0)
    k = -1 - mpf(head) - mpf(tail)
    print(f"// silu_zero: t0 = {mpmath.nstr(t0, 25)}; exp(head + tail) - K ="
          f" {mpmath.nstr(mp.exp(mpf(head) + mpf(tail)) - k, 3)}")
    print(f"    {{{head!r}, {tail!r}}};")


def gelu_tanh_center():
    """The tanh GELUs' t_c: the double nearest t at the zero x0 of f', K =
    exp(t_c) and 1 + K as pairs, x0 (where the compiler checks a kernel's
    G = 1 + m + exp(t))."""
    x0 = mp.findroot(gelu_tanh_sum, mpf(-0.75))
    c = mp.sqrt(2 / mp.pi)
    t = 2 * c * (x0 + mpf("0.044715") * x0**3)
    tc = float(t)
    k = mp.exp(mpf(tc))
    khi, klo = split(k)
    ohi, olo = split(1 + k)
    print(f"// gelu_tanh_center: x0 = {mpmath.nstr(x0, 25)}, t(x0) = "
          f"{mpmath.nstr(t, 25)}")
    print(f"    {tc!r},\n    {{{khi!r}, {klo!r}}},\n    {{{ohi!r}, {olo!r}}},\n"
          f"    {float(x0)!r}}};")


for name in sys.argv[1:] or ["silu_zero", "gelu_tanh_center", "gelu", "mish"]:
    if name == "silu_zero":
        silu_zero()
    elif name == "gelu_tanh_center":
        gelu_tanh_center()
    else:
        fit(name)
