//===- peer_bandwidth.cpp - The memory-bandwidth limits of the DRAM rows --===//
//
// Not peers: the speed of light for an elementwise kernel out of cache, timed
// in the same rows as everyone (only for n >= 1M elements). Forward rows
// move 2 streams (read x, write y), backward rows 3 (read x and dy, write dx):
//   "limit: copy"      y = x, or dx = x + dy, with ordinary stores (the
//                      STREAM copy/add: a store also reads its line first);
//   "limit: NT stores" y = 3 x, or dx = x * dy, with non-temporal stores
//                      (no read for ownership: the most a kernel can reach).
//
//===----------------------------------------------------------------------===//

#include "bench.h"

#include <immintrin.h>

using namespace bench;

namespace {

void copy(const float *__restrict x, float *__restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = x[i];
}

void add(const float *__restrict x, const float *__restrict dy,
         float *__restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    dx[i] = x[i] + dy[i];
}

void ntScale(const float *x, float *y, int64_t n) {
  int64_t i = 0;
  for (; i < n && (uintptr_t(y + i) & 63); ++i)
    y[i] = 3.0f * x[i];
  __m512 three = _mm512_set1_ps(3.0f);
  for (; i + 16 <= n; i += 16)
    _mm512_stream_ps(y + i, _mm512_mul_ps(three, _mm512_loadu_ps(x + i)));
  for (; i < n; ++i)
    y[i] = 3.0f * x[i];
  _mm_sfence();
}

void ntMul(const float *x, const float *dy, float *dx, int64_t n) {
  int64_t i = 0;
  for (; i < n && (uintptr_t(dx + i) & 63); ++i)
    dx[i] = x[i] * dy[i];
  for (; i + 16 <= n; i += 16)
    _mm512_stream_ps(dx + i, _mm512_mul_ps(_mm512_loadu_ps(x + i),
                                           _mm512_loadu_ps(dy + i)));
  for (; i < n; ++i)
    dx[i] = x[i] * dy[i];
  _mm_sfence();
}

Runner prepare(const Problem &p, bool nt) {
  if (p.n < (1 << 20) || (p.kind != Kind::Forward && p.kind != Kind::Backward))
    return {};
  // bf16 rows: the same bytes, as half as many f32 (n is even there).
  int64_t n = p.dtype == DType::BF16 ? p.n / 2 : p.n;
  auto *x = static_cast<const float *>(p.x);
  auto *dy = static_cast<const float *>(p.dy);
  auto *out = static_cast<float *>(p.out);
  if (p.kind == Kind::Forward)
    return repeatCalls([=] { nt ? ntScale(x, out, n) : copy(x, out, n); });
  return repeatCalls([=] { nt ? ntMul(x, dy, out, n) : add(x, dy, out, n); });
}

} // namespace

void registerBandwidth(Registry &r) {
  for (bool nt : {false, true}) {
    Contender c;
    c.name = nt ? "limit: NT stores" : "limit: copy";
    c.isPeer = false;
    c.hideWhenAbsent = true;
    c.prepare = [nt](const Problem &p, int) { return prepare(p, nt); };
    r.add(c);
  }
}
