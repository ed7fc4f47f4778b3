//===- harness.h - Timing, threads and accuracy for bench/main.cpp --------===//

#ifndef ACTC_BENCH_HARNESS_H
#define ACTC_BENCH_HARNESS_H

#include "bench.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace bench {

/// Nanoseconds on the monotonic clock.
double nowNs();

/// Median, min and max of a sample (sorted in place).
struct Stats {
  double median = 0, min = 0, max = 0;
};
Stats summarize(std::vector<double> &samples);

/// One helper thread, so that a two-thread row runs one half of the
/// problem here and the other there, at the same time.
class Worker {
public:
  Worker();
  ~Worker();
  /// Runs `here` on the calling thread and `there` on the worker; returns
  /// when both are done.
  void both(const std::function<void()> &here, const std::function<void()> &there);

private:
  void loop();
  std::mutex mutex_;
  std::condition_variable cv_;
  std::function<void()> job_;
  bool busy_ = false, quit_ = false;
  std::thread thread_;
};

/// The accuracy of one contender on one problem, in ULPs of the result type.
struct Accuracy {
  bool measured = false;
  double core = 0;  // max ULP for x in [-8, 8] (softmax: rows of U[-6, 6])
  double all = 0;   // max ULP over the whole sample, the wide-range set too
  double worstX = 0; // an input where `all` is reached
  bool nanCore = false, nanAll = false; // NaN or inf where the exact is finite
  void note(double err, bool inCore, double x);
};

/// Exact references (MPFR, test/Inputs/reference.c) on the accuracy sample.
class AccuracySample {
public:
  /// The sample of inputs (f32: a 2^-12 grid on [-8, 8] and a log-uniform
  /// wide-range set; bf16: every value with |x| <= 128), dy, and the exact
  /// f(x) and dy * f'(x) as doubles, computed once per function.
  AccuracySample(const std::string &fn, DType dtype);
  bool ok() const { return ok_; }
  int64_t size() const { return int64_t(x_.size()); }
  const void *input() const;       // x in the dtype
  const void *gradIn() const;      // dy in the dtype
  const void *forwardOut() const;  // f(x) rounded to the dtype (from-y input)
  Accuracy check(Kind kind, const void *out) const;

private:
  void computeReferences(void *referenceFn, size_t begin, size_t end);
  bool load(const std::string &path); // $BENCH_CACHE: references of a past run
  void save(const std::string &path) const;

  bool ok_ = false;
  DType dtype_;
  size_t coreEnd_ = 0; // samples before this one with |x| <= 8 are "core"
  std::vector<double> x_, dy_, y_, dx_;
  std::vector<uint8_t> skip_; // gradient: a kink within the difference step
  std::vector<float> xf_, dyf_, yf_;
  std::vector<uint16_t> xh_, dyh_, yh_;
};

/// The same for softmax rows (f32), or log_softmax rows with `log`: half
/// the rows x ~ U[-6, 6], half U[-60, 60]; the backward input is the
/// forward's exact output rounded.
class RowSample {
public:
  RowSample(int64_t cols, bool log);
  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  const float *input() const { return x_.data(); }
  const float *forwardOut() const { return y_.data(); }
  const float *gradIn() const { return dy_.data(); }
  Accuracy check(Kind kind, const float *out) const;

private:
  int64_t rows_, cols_;
  std::vector<float> x_, y_, dy_;
  std::vector<double> yExact_, dxExact_;
};

/// ULPs of |got - exact| in a type with `mantBits` bits of mantissa. Below
/// the smallest normal the error counts in units of 2^-126 (the smallest
/// normal itself), so that flushing a subnormal result to zero costs at
/// most 1.
double ulpError(double got, double exact, int mantBits);

} // namespace bench

#endif // ACTC_BENCH_HARNESS_H
