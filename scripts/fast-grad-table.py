#!/usr/bin/python3
"""Derives the fast gradients' piecewise tables (FastGradTable.def).

The fast AVX-512 gradients of silu and mish
(lib/Conversion/Approx/FastGradTableF32.cpp) evaluate f'(x) itself, with
no exp and no division, on the 32 unit segments [k - 1/2, k + 1/2] of x,
k = round(x) = FIRST .. FIRST + 31:

    f'(x) = c0 + c1 s + ... + cD s^D,   s = x - center_k,

D = 7 (silu) or 8 (mish: f' has singularities closer to the real axis,
at 0.35 +- 2.36i), the coefficients of degree d a column of 32 floats (one vpermt2ps picks
each lane's). center_k is k, which makes s exact (|s| <= 1/2 and x within
a factor 2 of k, or k = 0), except on the segment holding the zero x0 of
f', centered on x0 rounded to float (s exact too: x and x0 in [-1.5,
-0.5] both multiples of 2^-24, |s| < 1). There c0 = f'(center) is tiny,
and f' = c0 + s Q(s) keeps its relative accuracy right down to the zero.

Fit: each segment, widened by 1/64 on both sides (s = x - k with k =
round(x) rounds ties to even), relative least squares on 40 Chebyshev
nodes and the ends (on the zero's segment: Q(s) = (f' - c0) / s relative
to itself), each coefficient rounded to float from the highest degree
down with the rest refit after each rounding, four rounds of Lawson
reweighting toward the minimax. The printed error is the worst relative
error of the rounded polynomial against f' on 801 points of the segment
(mpmath, 120 bits). Run:

    /usr/bin/python3 scripts/fast-grad-table.py > lib/Conversion/Approx/FastGradTable.def
"""
import struct

import mpmath

mpmath.mp.prec = 120
SEGMENTS = 32


def f32(x):
    """x rounded to the nearest float32, as an mpf."""
    return mpmath.mpf(struct.unpack('f', struct.pack('f', float(x)))[0])


def sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def silu_grad(x):
    s = sigmoid(x)
    return s * (1 + x * (1 - s))


def mish_grad(x):
    t = mpmath.tanh(mpmath.log1p(mpmath.exp(x)))
    return t + x * (1 - t * t) * sigmoid(x)


# gelu_tanh (and new_gelu): f = x sigmoid(t), t = K x (1 + A x^2).
GELU_K = 2 * mpmath.sqrt(2 / mpmath.pi)
GELU_A = mpmath.mpf('0.044715')
# The kernel's exp factor exp(t(min(x, KINK))): KINK is a segment end.
GELU_KINK = mpmath.mpf(1) / 2


def gelu_tanh_t(x):
    return GELU_K * x * (1 + GELU_A * x * x)


def gelu_tanh_grad(x):
    s = sigmoid(gelu_tanh_t(x))
    m = GELU_K * x * (1 + 3 * GELU_A * x * x)
    return s + m * s * (1 - s)


# K rounded to a multiple of 2^-20 (21 bits): K' - fl(K' + (K A)' a^2) is
# exact for every |a| <= 14.5 (both multiples of that float's ULP).
GELU_KF = mpmath.nint(GELU_K * 2 ** 20) / 2 ** 20


def gelu_tanh_exponent(a):
    """The kernel's T(a) = a (K' + (K A)' a^2), K' above and (K A)' = K A
    rounded to float: T is computed to 2^-40 from a with no constant's
    low part, and exp(t - T) (|t - T| < 2^-18 at |a| = 14.5) is absorbed
    by H."""
    return a * (GELU_KF + f32(GELU_K * GELU_A) * a * a)


def gelu_tanh_factor(x):
    """H = f' / exp(T(min(x, 1/2))): the tanh GELU's table holds H, which
    varies slowly where f' itself falls like exp(t) (x < -2)."""
    return gelu_tanh_grad(x) / mpmath.exp(gelu_tanh_exponent(min(x, GELU_KINK)))


# (name, f', first k, degree): f' rounds to 1 from x = 20.5 on (silu) and
# 11.5 on (mish), where x is clamped; below the first segment the kernel's
# tail form takes over.
FUNCTIONS = [('silu', silu_grad, -11, 7), ('mish', mish_grad, -20, 8),
             ('gelu_tanh', gelu_tanh_factor, -9, 8)]
# gelu_tanh: 16 segments (one register, vpermps), k = -9 .. 6, x clamped
# to [-14.5, 6.5): below -14.5, dy f' underflows for every finite dy; from
# 6.5 on, f' rounds to 1. The first segment reaches down to -14.5 (H is
# the cubic 1 + m there, to 2^-29, as E = exp(t) < 2^-30).
ROWS = {'gelu_tanh': 16}
GELU_LOW = mpmath.mpf('-14.5')


def solve(nodes, values, weights, fixed, degree):
    """The free coefficients' weighted least-squares fit, given `fixed`."""
    free = [k for k in range(degree + 1) if k not in fixed]
    a = mpmath.matrix(len(nodes), len(free))
    b = mpmath.matrix(len(nodes), 1)
    for r, (s, v, w) in enumerate(zip(nodes, values, weights)):
        rest = sum(fixed[k] * s ** k for k in fixed)
        for j, k in enumerate(free):
            a[r, j] = s ** k * w
        b[r] = (v - rest) * w
    x, _ = mpmath.qr_solve(a, b)
    return {k: x[j] for j, k in enumerate(free)}


def segment(f, k, center, root, degree):
    """[c0..cD] floats and the worst relative error on segment k."""
    half_width = mpmath.mpf(1) / 2 + mpmath.mpf(1) / 64
    lo, hi = k - half_width - center, k + half_width - center
    if f is gelu_tanh_factor:  # not across the exp factor's kink
        if k == 0:
            hi = GELU_KINK - center
        if k == 1:
            lo = GELU_KINK - center
        if k == -9:
            lo = GELU_LOW - center
    n = 40
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    nodes = [mid + half * mpmath.cos(mpmath.pi * (j + 0.5) / n)
             for j in range(n)] + [lo, hi]
    fixed = {}
    if root:
        fixed[0] = f32(f(center))
        nodes = [s for s in nodes if abs(s) > mpmath.mpf(2) ** -20]
    values = [f(center + s) for s in nodes]
    # The size the error is relative to: f', or (f' - c0) s on the zero's
    # segment (Q's own relative error).
    sizes = [abs(v - fixed[0]) if root else abs(v) for v in values]
    weights = [1 / size for size in sizes]
    for _ in range(4):
        coefficients = dict(fixed)
        for d in range(degree, -1, -1):
            if d not in coefficients:
                coefficients[d] = f32(solve(nodes, values, weights,
                                            coefficients, degree)[d])
        c = [coefficients[d] for d in range(degree + 1)]
        errors = [abs(mpmath.polyval(c[::-1], s) - v) / size
                  for s, v, size in zip(nodes, values, sizes)]
        worst = max(errors)
        weights = [w * (1 + error / worst) for w, error in zip(weights, errors)]
    worst = 0
    for q in range(801):
        s = lo + (hi - lo) * q / 800
        v = f(center + s)
        if v != 0:
            worst = max(worst, abs(mpmath.polyval(c[::-1], s) / v - 1))
    return c, worst


def hexf(x):
    return float(x).hex()


def main():
    print('// Generated by scripts/fast-grad-table.py (mpmath, 120 bits); do not edit.')
    print('// FAST_GRAD_SEGMENT(name, k, center, c0, ..., cD): f\'(center + s) on')
    print('// [k - 1/2, k + 1/2], s = x - center; 32 consecutive k per name.')
    for name, f, first, degree in FUNCTIONS:
        zero = mpmath.findroot(f, -0.75 if f is gelu_tanh_factor else -1.2)
        worst_all = 0
        rows = []
        for k in range(first, first + ROWS.get(name, SEGMENTS)):
            root = k - mpmath.mpf(1) / 2 <= zero <= k + mpmath.mpf(1) / 2
            center = f32(zero) if root else mpmath.mpf(k)
            c, worst = segment(f, k, center, root, degree)
            worst_all = max(worst_all, worst)
            rows.append((k, center, c, worst))
        print('// %s: zero of f\' at %s; worst relative error 2^%.2f'
              % (name, mpmath.nstr(zero, 25), mpmath.log(worst_all, 2)))
        for k, center, c, worst in rows:
            print('FAST_GRAD_SEGMENT(%s, %d, %s, // 2^%.2f' %
                  (name, k, hexf(center), mpmath.log(worst, 2)))
            print('                  ' + ', '.join(hexf(v) for v in c) + ')')


if __name__ == '__main__':
    main()
