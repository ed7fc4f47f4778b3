//===- harness.cpp - Timing, threads and accuracy for bench/main.cpp ------===//
//
// The accuracy columns: each contender runs once over a sample of inputs and
// its outputs are compared with exact values from the MPFR references of
// test/Inputs/reference.c (the tests' references, reused, not copied).
// Gradients are exact too: a central difference of the reference at 400 bits
// with a step of 2^-120 |x| (truncation and rounding far below 2^-100
// relative); a point within the step of a kink (relu at 0, hard_swish at +-3)
// is left out. This is a sampled maximum, not the exhaustive search of
// actc's own accuracy tool.
//
//===----------------------------------------------------------------------===//

#include "harness.h"

#include <mpfr.h>
extern "C" {
#include "reference.h" // test/Inputs: the MPFR references of the prelude
}

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace bench {

double nowNs() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) * 1e9 + double(t.tv_nsec);
}

Stats summarize(std::vector<double> &s) {
  std::sort(s.begin(), s.end());
  Stats r;
  if (s.empty())
    return r;
  size_t n = s.size();
  r.median = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  r.min = s.front();
  r.max = s.back();
  return r;
}

Worker::Worker() : thread_([this] { loop(); }) {}

Worker::~Worker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Worker::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    cv_.wait(lock, [this] { return quit_ || job_; });
    if (quit_)
      return;
    auto job = std::move(job_);
    job_ = nullptr;
    lock.unlock();
    job();
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

void Worker::both(const std::function<void()> &here,
                  const std::function<void()> &there) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = there;
    busy_ = true;
  }
  cv_.notify_all();
  here();
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait(lock, [this] { return !busy_; });
}

double ulpError(double got, double exact, int mantBits) {
  if (std::isnan(got) || std::isinf(got))
    return got == exact ? 0 : INFINITY;
  if (std::fabs(exact) < 0x1p-126)
    return std::fabs(got - exact) / 0x1p-126;
  return std::fabs(got - exact) / std::ldexp(1.0, std::ilogb(exact) - (mantBits - 1));
}

void Accuracy::note(double err, bool inCore, double x) {
  if (std::isinf(err)) {
    nanAll = true;
    nanCore |= inCore;
    return;
  }
  if (inCore)
    core = std::max(core, err);
  if (err > all) {
    all = err;
    worstX = x;
  }
}

namespace {

constexpr int kPrec = 400;

uint64_t splitmix(uint64_t &s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
double uniform(uint64_t &s) { return double(splitmix(s) >> 11) * 0x1p-53; }

/// The f32 sample: every multiple of 2^-12 in [-8, 8), then 2^16 values
/// with |x| log-uniform in [2^-30, 2^7] and a random sign.
std::vector<double> sampleF32() {
  std::vector<double> x;
  for (int i = -(8 << 12); i < (8 << 12); ++i)
    x.push_back(std::ldexp(double(i), -12));
  uint64_t s = 42;
  for (int i = 0; i < (1 << 16); ++i) {
    double m = std::exp2(-30.0 + 37.0 * uniform(s));
    x.push_back(double(float(splitmix(s) & 1 ? m : -m)));
  }
  return x;
}

/// The bf16 sample: every bf16 value with |x| <= 128 (subnormals included).
std::vector<double> sampleBf16() {
  std::vector<double> x;
  for (uint32_t h = 0; h < 0x10000; ++h) {
    double v = bf16ToFloat(uint16_t(h));
    if (std::isfinite(v) && std::fabs(v) <= 128)
      x.push_back(v);
  }
  return x;
}

} // namespace

AccuracySample::AccuracySample(const std::string &fn, DType dtype)
    : dtype_(dtype) {
  static bool init = [] {
    reference_init();
    return true;
  }();
  (void)init;
  ReferenceFn f = reference_lookup(fn.c_str());
  if (!f)
    return;
  x_ = dtype == DType::F32 ? sampleF32() : sampleBf16();
  size_t n = x_.size();
  coreEnd_ = dtype == DType::F32 ? size_t(16) << 12 : n; // the grid comes first
  dy_.resize(n);
  y_.resize(n);
  dx_.resize(n);
  skip_.assign(n, 0);
  uint64_t s = 7;
  for (size_t i = 0; i < n; ++i) {
    double d = -2.0 + 4.0 * uniform(s);
    dy_[i] = dtype == DType::F32 ? double(float(d)) : bf16ToFloat(floatToBf16(float(d)));
  }
  std::string cache;
  if (const char *dir = std::getenv("BENCH_CACHE"))
    cache = std::string(dir) + "/ref-" + fn + (dtype == DType::F32 ? "-f32" : "-bf16");
  if (cache.empty() || !load(cache)) {
    // Two threads (MPFR is thread-safe); this is most of the accuracy time.
    std::thread other([&] { computeReferences((void *)f, n / 2, n); });
    computeReferences((void *)f, 0, n / 2);
    other.join();
    if (!cache.empty())
      save(cache);
  }
  if (dtype == DType::F32) {
    xf_.assign(x_.begin(), x_.end());
    dyf_.assign(dy_.begin(), dy_.end());
    for (double v : y_)
      yf_.push_back(float(v));
  } else {
    for (size_t i = 0; i < n; ++i) {
      xh_.push_back(floatToBf16(float(x_[i])));
      dyh_.push_back(floatToBf16(float(dy_[i])));
      yh_.push_back(floatToBf16(float(y_[i])));
    }
  }
  ok_ = true;
}

void AccuracySample::computeReferences(void *fn, size_t begin, size_t end) {
  auto f = reinterpret_cast<ReferenceFn>(fn);
  mpfr_t x, h, y0, yp, ym, t, l, r;
  mpfr_inits2(kPrec, x, h, y0, yp, ym, t, l, r, (mpfr_ptr)0);
  for (size_t i = begin; i < end; ++i) {
    mpfr_set_d(x, x_[i], MPFR_RNDN);
    f(y0, x, nullptr);
    y_[i] = mpfr_get_d(y0, MPFR_RNDN);
    // Central difference with step 2^-120 max(|x|, 1).
    int e = x_[i] == 0 ? 0 : std::max(std::ilogb(x_[i]), 0);
    mpfr_set_ui_2exp(h, 1, e - 120, MPFR_RNDN);
    mpfr_add(t, x, h, MPFR_RNDN);
    f(yp, t, nullptr);
    mpfr_sub(t, x, h, MPFR_RNDN);
    f(ym, t, nullptr);
    // A kink within the step: the one-sided slopes disagree beyond 2^-60.
    mpfr_sub(r, yp, y0, MPFR_RNDN);
    mpfr_sub(l, y0, ym, MPFR_RNDN);
    mpfr_sub(t, r, l, MPFR_RNDN);
    mpfr_abs(t, t, MPFR_RNDN);
    mpfr_abs(r, r, MPFR_RNDN);
    mpfr_abs(l, l, MPFR_RNDN);
    mpfr_max(r, r, l, MPFR_RNDN);
    mpfr_mul_2si(r, r, -60, MPFR_RNDN);
    skip_[i] = mpfr_cmp(t, r) > 0;
    mpfr_sub(t, yp, ym, MPFR_RNDN);
    mpfr_div(t, t, h, MPFR_RNDN);
    mpfr_div_2ui(t, t, 1, MPFR_RNDN);
    mpfr_mul_d(t, t, dy_[i], MPFR_RNDN);
    dx_[i] = mpfr_get_d(t, MPFR_RNDN);
  }
  mpfr_clears(x, h, y0, yp, ym, t, l, r, (mpfr_ptr)0);
}

bool AccuracySample::load(const std::string &path) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return false;
  size_t n = x_.size();
  std::vector<double> x(n);
  bool ok = std::fread(x.data(), sizeof(double), n, f) == n && x == x_ &&
            std::fread(y_.data(), sizeof(double), n, f) == n &&
            std::fread(dx_.data(), sizeof(double), n, f) == n &&
            std::fread(skip_.data(), 1, n, f) == n;
  std::fclose(f);
  return ok;
}

void AccuracySample::save(const std::string &path) const {
  if (FILE *f = std::fopen(path.c_str(), "wb")) {
    size_t n = x_.size();
    std::fwrite(x_.data(), sizeof(double), n, f);
    std::fwrite(y_.data(), sizeof(double), n, f);
    std::fwrite(dx_.data(), sizeof(double), n, f);
    std::fwrite(skip_.data(), 1, n, f);
    std::fclose(f);
  }
}

const void *AccuracySample::input() const {
  return dtype_ == DType::F32 ? (const void *)xf_.data() : (const void *)xh_.data();
}
const void *AccuracySample::gradIn() const {
  return dtype_ == DType::F32 ? (const void *)dyf_.data() : (const void *)dyh_.data();
}
const void *AccuracySample::forwardOut() const {
  return dtype_ == DType::F32 ? (const void *)yf_.data() : (const void *)yh_.data();
}

Accuracy AccuracySample::check(Kind kind, const void *out) const {
  Accuracy a;
  a.measured = true;
  int mant = dtype_ == DType::F32 ? 24 : 8;
  bool grad = kind == Kind::Backward;
  for (size_t i = 0; i < x_.size(); ++i) {
    if (grad && skip_[i])
      continue;
    double got = dtype_ == DType::F32
                     ? double(static_cast<const float *>(out)[i])
                     : double(bf16ToFloat(static_cast<const uint16_t *>(out)[i]));
    double exact = grad ? dx_[i] : y_[i];
    a.note(ulpError(got, exact, mant), std::fabs(x_[i]) <= 8 && i < coreEnd_, x_[i]);
  }
  return a;
}

namespace {

/// softmax: dx = y * (dy - <dy, y>), exact for the rounded y the kernels get.
void softmaxGradExact(const float *y, const float *dy, double *dx, int64_t cols) {
  mpfr_t dot, t;
  mpfr_inits2(kPrec, dot, t, (mpfr_ptr)0);
  mpfr_set_zero(dot, 1);
  for (int64_t j = 0; j < cols; ++j) {
    mpfr_set_flt(t, y[j], MPFR_RNDN);
    mpfr_mul_d(t, t, dy[j], MPFR_RNDN);
    mpfr_add(dot, dot, t, MPFR_RNDN);
  }
  for (int64_t j = 0; j < cols; ++j) {
    mpfr_d_sub(t, dy[j], dot, MPFR_RNDN);
    mpfr_mul_d(t, t, y[j], MPFR_RNDN);
    dx[j] = mpfr_get_d(t, MPFR_RNDN);
  }
  mpfr_clears(dot, t, (mpfr_ptr)0);
}

/// log_softmax: dx = dy - exp(y) * sum(dy), exact for the rounded y (exp(y)
/// is the softmax those kernels recover from it).
void logSoftmaxGradExact(const float *y, const float *dy, double *dx, int64_t cols) {
  mpfr_t sum, t;
  mpfr_inits2(kPrec, sum, t, (mpfr_ptr)0);
  mpfr_set_zero(sum, 1);
  for (int64_t j = 0; j < cols; ++j)
    mpfr_add_d(sum, sum, dy[j], MPFR_RNDN);
  for (int64_t j = 0; j < cols; ++j) {
    mpfr_set_flt(t, y[j], MPFR_RNDN);
    mpfr_exp(t, t, MPFR_RNDN);
    mpfr_mul(t, t, sum, MPFR_RNDN);
    mpfr_d_sub(t, dy[j], t, MPFR_RNDN);
    dx[j] = mpfr_get_d(t, MPFR_RNDN);
  }
  mpfr_clears(sum, t, (mpfr_ptr)0);
}

} // namespace

RowSample::RowSample(int64_t cols, bool log)
    : rows_(cols >= 10000 ? 2 : 16), cols_(cols) {
  size_t n = size_t(rows_ * cols_);
  x_.resize(n);
  dy_.resize(n);
  y_.resize(n);
  yExact_.resize(n);
  dxExact_.resize(n);
  uint64_t s = 11;
  for (size_t i = 0; i < n; ++i) {
    double range = (int64_t(i) / cols_) % 2 ? 60.0 : 6.0;
    x_[i] = float(-range + 2 * range * uniform(s));
    dy_[i] = float(-2.0 + 4.0 * uniform(s));
  }
  std::vector<double> row(cols_);
  std::vector<__mpfr_struct> y(cols_); // mpfr_t is an array of one of these
  for (auto &v : y)
    mpfr_init2(&v, 64);
  for (int64_t r = 0; r < rows_; ++r) {
    size_t base = size_t(r * cols_);
    for (int64_t j = 0; j < cols_; ++j)
      row[j] = x_[base + j];
    reference_softmax_row(reinterpret_cast<mpfr_t *>(y.data()), row.data(),
                          long(cols_), log);
    for (int64_t j = 0; j < cols_; ++j) {
      yExact_[base + j] = mpfr_get_d(&y[j], MPFR_RNDN);
      y_[base + j] = mpfr_get_flt(&y[j], MPFR_RNDN);
    }
    (log ? logSoftmaxGradExact : softmaxGradExact)(&y_[base], &dy_[base],
                                                   &dxExact_[base], cols_);
  }
  for (auto &v : y)
    mpfr_clear(&v);
}

Accuracy RowSample::check(Kind kind, const float *out) const {
  Accuracy a;
  a.measured = true;
  const std::vector<double> &exact = kind == Kind::RowForward ? yExact_ : dxExact_;
  for (size_t i = 0; i < exact.size(); ++i)
    a.note(ulpError(out[i], exact[i], 24), (int64_t(i) / cols_) % 2 == 0, x_[i]);
  return a;
}

} // namespace bench
