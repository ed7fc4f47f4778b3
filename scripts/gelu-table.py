#!/usr/bin/python3
"""Derives the erf GELU's piecewise table (lib/Conversion/Approx/GeluTable.def).

gelu(x) = x Phi(x), and for t >= 0

    Phi(-t) = exp(-t^2 / 2) G(t),   G(t) = erfc(t / sqrt 2) exp(t^2 / 2) / 2,

G smooth and slowly varying (0.5 at 0, ~1 / (t sqrt(2 pi)) for large t).
The kernels (lib/Conversion/Approx/GeluF32.cpp) evaluate G on 32
half-unit segments [i/2, i/2 + 1/2] of t in [0, 16] as a degree-7
polynomial in s = t - (i/2 + 1/4), |s| <= 1/4: the coefficients of degree
k are 32 floats, one AVX-512 vpermt2ps picks each lane's from two zmm
registers by i. c0 and c1 are float pairs (hi + lo; the fast kernels read
the hi parts only), c2..c7 floats.

Fit: weighted (relative) least squares on 48 Chebyshev nodes plus the
ends, then each coefficient rounded from the highest degree down, the rest
refit after each rounding, so that the others absorb it. The printed
bound is the worst relative error of the rounded polynomial against G on
401 points of each segment (mpmath, 120 bits). Run:

    /usr/bin/python3 scripts/gelu-table.py > lib/Conversion/Approx/GeluTable.def
"""
import struct

import mpmath

mpmath.mp.prec = 120
DEGREE = 7
SEGMENTS = 32


def f32(x):
    """x rounded to the nearest float32, as an mpf."""
    return mpmath.mpf(struct.unpack('f', struct.pack('f', float(x)))[0])


def g(t):
    return mpmath.erfc(t / mpmath.sqrt(2)) / 2 * mpmath.exp(t * t / 2)


def solve(nodes, values, fixed, degree=DEGREE):
    """The free coefficients' relative least-squares fit, given `fixed`."""
    free = [k for k in range(degree + 1) if k not in fixed]
    a = mpmath.matrix(len(nodes), len(free))
    b = mpmath.matrix(len(nodes), 1)
    for r, (s, v) in enumerate(zip(nodes, values)):
        rest = sum(fixed[k] * s ** k for k in fixed)
        for j, k in enumerate(free):
            a[r, j] = s ** k / v
        b[r] = (v - rest) / v
    x, _ = mpmath.qr_solve(a, b)
    return {k: x[j] for j, k in enumerate(free)}


def segment(i):
    """(center, [(hi, lo) of c0 and c1, c2..c7], worst relative error)."""
    center = mpmath.mpf(i) / 2 + mpmath.mpf(1) / 4
    quarter = mpmath.mpf(1) / 4
    n = 48
    nodes = [quarter * mpmath.cos(mpmath.pi * (k + 0.5) / n) for k in range(n)]
    nodes += [-quarter, quarter]
    values = [g(center + s) for s in nodes]
    fixed, pairs = {}, {}
    for k in list(range(DEGREE, 1, -1)) + [1, 0]:
        c = solve(nodes, values, fixed)[k]
        if k <= 1:
            hi = f32(c)
            pairs[k] = (hi, f32(c - hi))
            fixed[k] = hi + pairs[k][1]
        else:
            fixed[k] = f32(c)
    coefficients = [fixed[k] for k in range(DEGREE + 1)]
    worst = max(abs(mpmath.polyval(coefficients[::-1], s) / g(center + s) - 1)
                for s in (quarter * (q - 200) / 200 for q in range(401)))
    return center, pairs, coefficients, worst


ACCURATE_DEGREE = 6
FAST_DEGREE = 5


def accurate_segment(i, degree=ACCURATE_DEGREE):
    """The accurate forward's table: G on [i/2 - 1/4, i/2 + 1/4] ([0, 1/4]
    for i = 0) as a degree-6 polynomial in s = t - i/2, which is exact (no
    low part: segment 0 is centered on 0, the others within a factor 2 of
    t). c0 a float pair, c1..c6 floats, rounded from the top degree down
    with refits. ([c0 hi, c0 lo, c1, ..., c6], worst relative error with
    c0 as the pair and with c0 hi alone.) The fast forward's table is the
    same fit of degree 5."""
    center = mpmath.mpf(i) / 2
    quarter = mpmath.mpf(1) / 4
    lo_end, hi_end = (mpmath.mpf(0), quarter) if i == 0 else (-quarter, quarter)
    n = 48
    mid, half = (lo_end + hi_end) / 2, (hi_end - lo_end) / 2
    nodes = [mid + half * mpmath.cos(mpmath.pi * (k + 0.5) / n)
             for k in range(n)] + [lo_end, hi_end]
    values = [g(center + s) for s in nodes]
    fixed = {}
    for k in range(degree, -1, -1):
        c = solve(nodes, values, fixed, degree)[k]
        fixed[k] = f32(c)
        if k == 0:
            c0_lo = f32(c - fixed[0])
            fixed[0] += c0_lo
    coefficients = [fixed[k] for k in range(degree + 1)]
    points = [lo_end + (hi_end - lo_end) * q / 400 for q in range(401)]

    def worst_of(c):
        return max(abs(mpmath.polyval(c[::-1], s) / g(center + s) - 1)
                   for s in points)
    values = [f32(fixed[0]), c0_lo] + coefficients[1:]
    return values, worst_of(coefficients), worst_of(values[:1] + values[2:])


C = 1 / mpmath.sqrt(2 * mpmath.pi)


def d(t):
    """G(t) - t / sqrt(2 pi): gelu'(x) = E D(t) for x = -t < 0 and 1 - E D(t)
    for x = t >= 0, E = exp(-t^2 / 2)."""
    return g(t) - C * t


def grad_segment(i, t0):
    """(center hi, center lo, d0..d7 floats, worst relative error) of D on
    segment i; the segment holding D's zero t0 is centered on it (d0 = 0,
    D / s fitted relatively), so that D = s R(s) keeps its digits there."""
    quarter = mpmath.mpf(1) / 4
    center = mpmath.mpf(i) / 2 + quarter
    root = abs(center - t0) < quarter
    if root:
        center = t0
    lo_end = mpmath.mpf(i) / 2 - center
    hi_end = mpmath.mpf(i) / 2 + 2 * quarter - center
    n = 48
    mid, half = (lo_end + hi_end) / 2, (hi_end - lo_end) / 2
    nodes = [mid + half * mpmath.cos(mpmath.pi * (k + 0.5) / n)
             for k in range(n)] + [lo_end, hi_end]
    if root:  # R(s) = D(t0 + s) / s, degree 6, R(0) = D'(t0)
        nodes = [s for s in nodes if s != 0]
        values = [d(center + s) / s for s in nodes]
        degree = DEGREE - 1
    else:
        values = [d(center + s) for s in nodes]
        degree = DEGREE
    fixed, lows = {}, {}
    for k in range(degree, -1, -1):
        c = solve(nodes, values, fixed, degree)[k]
        fixed[k] = f32(c)
        if k <= 1:
            # The accurate kernels' pairs: the fit of c_k given the higher
            # coefficients (the lower pair's part of it included), minus
            # the float the fast kernels read (unchanged by the pairs).
            if k == 0 and 1 in lows:
                exact = dict(fixed)
                exact[1] = fixed[1] + lows[1]
                del exact[0]
                c = solve(nodes, values, exact, degree)[0]
            lows[k] = f32(c - fixed[k])
    coefficients = [fixed[k] for k in range(degree + 1)]
    pairs = [fixed[k] + lows.get(k, 0) for k in range(degree + 1)]
    pair_lows = [lows.get(0, 0), lows.get(1, 0)]
    if root:  # R's constant is D's d1
        coefficients = [mpmath.mpf(0)] + coefficients
        pairs = [mpmath.mpf(0)] + pairs
        pair_lows = [mpmath.mpf(0), lows[0]]
    ch = f32(center)
    cl = f32(center - ch)
    worst = worst_pairs = 0
    for q in range(401):
        s = lo_end + (hi_end - lo_end) * q / 400
        exact = d(center + s)
        if exact != 0:
            worst = max(worst, abs(mpmath.polyval(coefficients[::-1], s) / exact - 1))
            worst_pairs = max(worst_pairs,
                              abs(mpmath.polyval(pairs[::-1], s) / exact - 1))
    return ch, cl, coefficients, worst, pair_lows, worst_pairs


def hexf(x):
    return float(x).hex()


def main():
    rows, worst = [], 0
    for i in range(SEGMENTS):
        center, pairs, coefficients, error = segment(i)
        worst = max(worst, error)
        values = [pairs[0][0], pairs[0][1], pairs[1][0], pairs[1][1]]
        values += coefficients[2:]
        rows.append((i, center, error, values))
    print('// Generated by scripts/gelu-table.py (mpmath, 120 bits); do not edit.')
    print('#ifndef GELU_ACC_SEGMENT')
    print('#define GELU_ACC_SEGMENT(...)')
    print('#endif')
    print('#ifndef GELU_FAST_SEGMENT')
    print('#define GELU_FAST_SEGMENT(...)')
    print('#endif')
    print('// GELU_SEGMENT(i, c0 hi, c0 lo, c1 hi, c1 lo, c2, ..., c7): G(i/2 + 1/4 + s)')
    print('// for |s| <= 1/4, G(t) = erfc(t / sqrt 2) exp(t^2 / 2) / 2; worst relative')
    print('// error of the rounded coefficients over all segments: 2^%.2f'
          % float(mpmath.log(worst, 2)))
    for i, center, error, values in rows:
        print('GELU_SEGMENT(%d, %s)' % (i, ', '.join(hexf(v) for v in values)))
    t0 = mpmath.findroot(d, 0.75)
    rows, lows, worst, worst_pairs = [], [], 0, 0
    for i in range(SEGMENTS):
        ch, cl, coefficients, error, pair_lows, error_pairs = grad_segment(i, t0)
        worst = max(worst, error)
        worst_pairs = max(worst_pairs, error_pairs)
        rows.append((i, [ch, cl] + coefficients))
        lows.append((i, pair_lows))
    print('// GELU_GRAD_SEGMENT(i, center hi, center lo, d0, ..., d7): D(center + s)')
    print('// = G(t) - t / sqrt(2 pi) for t = center + s on [i/2, i/2 + 1/2]; the')
    print('// segment of its zero t0 = %s is centered on t0 (d0 = 0);'
          % mpmath.nstr(t0, 20))
    print('// worst relative error 2^%.2f' % float(mpmath.log(worst, 2)))
    for i, values in rows:
        print('GELU_GRAD_SEGMENT(%d, %s)' % (i, ', '.join(hexf(v) for v in values)))
    print('// GELU_GRAD_PAIR(i, d0 lo, d1 lo): with them d0 and d1 are float pairs')
    print('// (the accurate kernels; the fast ones read the floats above alone);')
    print('// worst relative error 2^%.2f' % float(mpmath.log(worst_pairs, 2)))
    for i, values in lows:
        print('GELU_GRAD_PAIR(%d, %s)' % (i, ', '.join(hexf(v) for v in values)))
    rows, worst = [], 0
    for i in range(SEGMENTS):
        values, error, _ = accurate_segment(i)
        worst = max(worst, error)
        rows.append((i, values))
    print('// GELU_ACC_SEGMENT(i, c0 hi, c0 lo, c1, ..., c6): G(i/2 + s), the accurate')
    print('// forward: s in [-1/4, 1/4] ([0, 1/4] for i = 0), s = t - i/2 exact;')
    print('// worst relative error 2^%.2f' % float(mpmath.log(worst, 2)))
    for i, values in rows:
        print('GELU_ACC_SEGMENT(%d, %s)' % (i, ', '.join(hexf(v) for v in values)))
    rows, worst, worst_hi = [], 0, 0
    for i in range(SEGMENTS):
        values, error, error_hi = accurate_segment(i, FAST_DEGREE)
        worst = max(worst, error)
        worst_hi = max(worst_hi, error_hi)
        rows.append((i, values))
    print('// GELU_FAST_SEGMENT(i, c0 hi, c0 lo, c1, ..., c5): G(i/2 + s) as above,')
    print('// degree 5, the fast forward; worst relative error 2^%.2f (c0 hi alone:'
          % float(mpmath.log(worst, 2)))
    print('// 2^%.2f)' % float(mpmath.log(worst_hi, 2)))
    for i, values in rows:
        print('GELU_FAST_SEGMENT(%d, %s)' % (i, ', '.join(hexf(v) for v in values)))
    print('#undef GELU_ACC_SEGMENT')
    print('#undef GELU_FAST_SEGMENT')


if __name__ == '__main__':
    main()
