//===- fusion.cpp - the fused kernels side by side (issue 6) --------------===//
//
// One thread, interleaved repeats (every contender once per round, the
// best round kept), so that the load of a shared machine hits all of them
// alike; docs/fusion.md reports the ratios.
//
//   matmul  M x N x K (1024^3 and 4096 x 1024 x 1024): actc's plain matmul
//           (identity epilogue), relu and gelu epilogues, the unfused
//           actc pair (identity matmul, then gelu_bias), oneDNN's matmul
//           with bias and an eltwise post-op, OpenBLAS sgemm followed by
//           actc's bias + activation pass, and a naive loop (i-k-j order,
//           clang -O3 -march=native vectorizes it), and gelu_bias alone
//           on the same number of elements in 6 x 64 tiles from L1 (what
//           the epilogue would cost if nothing overlapped the matmul).
//   bias    64M f32 elements (65536 x 1024): relu_bias, gelu_bias and
//           identity_bias against the bandwidth limit measured by a plain
//           read-once write-once loop over the same bytes.
//   threads the threaded variants (NAME_matmul_mt, NAME_bias_mt) with
//           THREADS threads (default 2) against the same loop split over
//           as many std::threads, and NAME_bias_grad_mt (16M elements,
//           16384 x 1024) against NAME_bias_grad in the same rounds.
//
// Each matmul row has two ratios to actc's plain matmul: of the best wall
// times, and of the best CPU times of the calling thread
// (CLOCK_THREAD_CPUTIME_ID), which time slices lost to other processes on
// a shared machine do not inflate (caches shared with them still do).
//
// scripts/bench-fusion.sh builds and runs it: actc's kernels with
// --precision=accurate (the default), and gelu again with --precision=fast,
// its symbols renamed fast_* (weak here: rows without them are skipped).
//
//===----------------------------------------------------------------------===//

#include <cblas.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <time.h>

extern "C" {
void fast_gelu_matmul_f32(const float *, const float *, const float *,
                          float *, int64_t, int64_t, int64_t)
    __attribute__((weak));
void fast_gelu_bias_f32(const float *, const float *, float *, int64_t,
                        int64_t) __attribute__((weak));
void fast_gelu_bias_mt_f32(const float *, const float *, float *, int64_t,
                           int64_t, int64_t) __attribute__((weak));
void fast_gelu_bias_grad_f32(const float *, const float *, const float *,
                             float *, float *, int64_t, int64_t)
    __attribute__((weak));
void fast_gelu_bias_grad_mt_f32(const float *, const float *, const float *,
                                float *, float *, int64_t, int64_t, int64_t)
    __attribute__((weak));
}

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double threadCpu() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

struct Contender {
  std::string name;
  std::function<void()> run;
  double best = 1e30;
  /// The best CPU time of the calling thread (one-thread contenders).
  double bestCpu = 1e30;
};

/// Runs every contender once per round, `rounds` times; keeps the best.
void race(std::vector<Contender> &contenders, int rounds) {
  if (!fast_gelu_matmul_f32)
    contenders.erase(std::remove_if(contenders.begin(), contenders.end(),
                                    [](const Contender &c) {
                                      return c.name.find("fast") !=
                                             std::string::npos;
                                    }),
                     contenders.end());
  for (auto &c : contenders)
    c.run(); // warm up: page faults, oneDNN's JIT
  for (int r = 0; r < rounds; ++r)
    for (auto &c : contenders) {
      double t = now(), cpu = threadCpu();
      c.run();
      c.bestCpu = std::min(c.bestCpu, threadCpu() - cpu);
      c.best = std::min(c.best, now() - t);
    }
}

std::vector<float> random(size_t n, float scale) {
  std::vector<float> v(n);
  unsigned s = 12345;
  for (auto &x : v) {
    s = s * 1664525u + 1013904223u;
    x = scale * ((s >> 8) / 8388608.0f - 1.0f);
  }
  return v;
}

/// i-k-j: the loop a user writes first that the compiler can vectorize.
void naive(const float *a, const float *b, const float *bias, float *c,
           int64_t m, int64_t n, int64_t k) {
  for (int64_t i = 0; i < m; ++i) {
    float *row = c + i * n;
    for (int64_t j = 0; j < n; ++j)
      row[j] = bias[j];
    for (int64_t p = 0; p < k; ++p) {
      float x = a[i * k + p];
      const float *brow = b + p * n;
      for (int64_t j = 0; j < n; ++j)
        row[j] += x * brow[j];
    }
  }
}

dnnl::engine &engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

/// oneDNN matmul with bias and, unless `alg` is undef, an eltwise post-op.
std::function<void()> onednn(const float *a, const float *b,
                             const float *bias, float *c, int64_t m,
                             int64_t n, int64_t k, dnnl::algorithm alg) {
  using dnnl::memory;
  auto f32 = memory::data_type::f32;
  memory::desc ad({m, k}, f32, memory::format_tag::ab);
  memory::desc bd({k, n}, f32, memory::format_tag::ab);
  memory::desc biasd({1, n}, f32, memory::format_tag::ab);
  memory::desc cd({m, n}, f32, memory::format_tag::ab);
  dnnl::primitive_attr attr;
  if (alg != dnnl::algorithm::undef) {
    dnnl::post_ops po;
    po.append_eltwise(1.0f, alg, 0.0f, 0.0f);
    attr.set_post_ops(po);
  }
  dnnl::matmul::desc desc(ad, bd, biasd, cd);
  dnnl::matmul::primitive_desc pd(desc, attr, engine());
  auto prim = std::make_shared<dnnl::matmul>(pd);
  auto stream = std::make_shared<dnnl::stream>(engine());
  auto mem = [&](const memory::desc &md, const float *p) {
    return memory(md, engine(), const_cast<float *>(p));
  };
  std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, mem(ad, a)},
                                          {DNNL_ARG_WEIGHTS, mem(bd, b)},
                                          {DNNL_ARG_BIAS, mem(biasd, bias)},
                                          {DNNL_ARG_DST, mem(cd, c)}};
  return [=]() {
    prim->execute(*stream, args);
    stream->wait();
  };
}

void benchMatmul(int64_t m, int64_t n, int64_t k, int rounds) {
  // Pre-activations of about unit variance, as in a trained layer: a and b
  // uniform, b scaled by 3 / sqrt(k).
  auto a = random(m * k, 1.0f), b = random(k * n, 3.0f / std::sqrt(k)),
       bias = random(n, 1.0f);
  std::vector<float> c(m * n);
  const float *A = a.data(), *B = b.data(), *Bias = bias.data();
  float *C = c.data();
  // The activation alone on m * n elements, a 6 x 64 tile (the epilogue's)
  // at a time from L1: its time vs plain is what the epilogue would add if
  // nothing overlapped (compare "actc gelu" minus 1).
  auto tile = random(6 * 64, 1.7f);
  std::vector<float> tileOut(6 * 64);
  const float *Tile = tile.data();
  float *TileOut = tileOut.data();
  int64_t tiles = m * n / (6 * 64);
  std::vector<Contender> cs = {
      {"actc identity (plain)",
       [=] { identity_matmul_f32(A, B, Bias, C, m, n, k); }},
      {"actc relu", [=] { relu_matmul_f32(A, B, Bias, C, m, n, k); }},
      {"actc gelu", [=] { gelu_matmul_f32(A, B, Bias, C, m, n, k); }},
      {"actc gelu, --precision=fast",
       [=] { fast_gelu_matmul_f32(A, B, Bias, C, m, n, k); }},
      {"actc unfused gelu (matmul, then gelu_bias)",
       [=] {
         identity_matmul_f32(A, B, nullptr, C, m, n, k);
         gelu_bias_f32(C, Bias, C, m, n);
       }},
      {"oneDNN plain (bias)",
       onednn(A, B, Bias, C, m, n, k, dnnl::algorithm::undef)},
      {"oneDNN relu post-op",
       onednn(A, B, Bias, C, m, n, k, dnnl::algorithm::eltwise_relu)},
      {"oneDNN gelu_erf post-op",
       onednn(A, B, Bias, C, m, n, k, dnnl::algorithm::eltwise_gelu_erf)},
      {"OpenBLAS sgemm + actc gelu_bias pass",
       [=] {
         cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                     A, k, B, n, 0.0f, C, n);
         gelu_bias_f32(C, Bias, C, m, n);
       }},
      {"actc gelu_bias alone, m*n elements in 6 x 64 tiles (L1)",
       [=] {
         for (int64_t t = 0; t < tiles; ++t)
           gelu_bias_f32(Tile, Bias, TileOut, 6, 64);
       }},
      {"actc gelu_bias alone, --precision=fast, same tiles",
       [=] {
         for (int64_t t = 0; t < tiles; ++t)
           fast_gelu_bias_f32(Tile, Bias, TileOut, 6, 64);
       }},
  };
  // The naive loop takes seconds at these sizes: one round.
  std::vector<Contender> slow = {
      {"naive loop (i-k-j, -O3)", [=] { naive(A, B, Bias, C, m, n, k); }}};
  race(cs, rounds);
  race(slow, 1);
  cs.push_back(slow.front());
  double flops = 2.0 * m * n * k, base = cs.front().best,
         baseCpu = cs.front().bestCpu;
  std::printf("\n### matmul %ld x %ld x %ld (f32, one thread)\n\n",
              (long)m, (long)n, (long)k);
  std::printf("| kernel | GFLOP/s | time vs actc plain | CPU time vs actc "
              "plain |\n|---|---:|---:|---:|\n");
  for (auto &c : cs)
    std::printf("| %s | %.1f | %.3f | %.3f |\n", c.name.c_str(),
                flops / c.best * 1e-9, c.best / base, c.bestCpu / baseCpu);
}

/// The threaded matmul variants against the one-thread kernels.
void benchThreadedMatmul(int64_t m, int64_t n, int64_t k, int64_t threads,
                         int rounds) {
  auto a = random(m * k, 1.0f), b = random(k * n, 3.0f / std::sqrt(k)),
       bias = random(n, 1.0f);
  std::vector<float> c(m * n);
  const float *A = a.data(), *B = b.data(), *Bias = bias.data();
  float *C = c.data();
  std::vector<Contender> cs = {
      {"actc identity (plain), one thread",
       [=] { identity_matmul_f32(A, B, Bias, C, m, n, k); }},
      {"actc identity_matmul_mt",
       [=] { identity_matmul_mt_f32(A, B, Bias, C, m, n, k, threads); }},
      {"actc gelu, one thread",
       [=] { gelu_matmul_f32(A, B, Bias, C, m, n, k); }},
      {"actc gelu_matmul_mt",
       [=] { gelu_matmul_mt_f32(A, B, Bias, C, m, n, k, threads); }},
  };
  race(cs, rounds);
  double flops = 2.0 * m * n * k, base = cs.front().best;
  std::printf("\n### matmul %ld x %ld x %ld (f32, %ld threads for _mt)\n\n",
              (long)m, (long)n, (long)k, (long)threads);
  std::printf("| kernel | GFLOP/s | time vs actc plain, one thread |\n"
              "|---|---:|---:|\n");
  for (auto &c : cs)
    std::printf("| %s | %.1f | %.3f |\n", c.name.c_str(),
                flops / c.best * 1e-9, c.best / base);
}

void copyLoop(const float *__restrict x, const float *__restrict bias,
              float *__restrict y, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j)
      y[r * cols + j] = x[r * cols + j] + bias[j];
}

void benchBias(int rounds) {
  const int64_t rows = 65536, cols = 1024;
  auto x = random(rows * cols, 4.0f), bias = random(cols, 1.0f);
  std::vector<float> y(rows * cols);
  const float *X = x.data(), *Bias = bias.data();
  float *Y = y.data();
  std::vector<Contender> cs = {
      {"bandwidth limit: y = x + bias, clang -O3 loop",
       [=] { copyLoop(X, Bias, Y, rows, cols); }},
      {"actc identity_bias", [=] { identity_bias_f32(X, Bias, Y, rows, cols); }},
      {"actc relu_bias", [=] { relu_bias_f32(X, Bias, Y, rows, cols); }},
      {"actc gelu_bias", [=] { gelu_bias_f32(X, Bias, Y, rows, cols); }},
      {"actc gelu_bias, --precision=fast",
       [=] { fast_gelu_bias_f32(X, Bias, Y, rows, cols); }},
  };
  race(cs, rounds);
  double bytes = 2.0 * rows * cols * sizeof(float), base = cs.front().best;
  std::printf("\n### bias epilogue, %ld x %ld f32 (64M elements)\n\n",
              (long)rows, (long)cols);
  std::printf("| kernel | GB/s | share of the limit |\n|---|---:|---:|\n");
  for (auto &c : cs)
    std::printf("| %s | %.2f | %.3f |\n", c.name.c_str(),
                bytes / c.best * 1e-9, base / c.best);
}

/// The bias kernels' threaded variants at 64M elements against the
/// read-once write-once loop split over as many threads.
void benchThreadedBias(int64_t threads, int rounds) {
  const int64_t rows = 65536, cols = 1024;
  auto x = random(rows * cols, 4.0f), bias = random(cols, 1.0f);
  std::vector<float> y(rows * cols);
  const float *X = x.data(), *Bias = bias.data();
  float *Y = y.data();
  auto split = [=] {
    std::vector<std::thread> pool;
    int64_t chunk = (rows + threads - 1) / threads;
    for (int64_t t = 1; t < threads; ++t) {
      int64_t first = std::min(rows, t * chunk),
              count = std::min(chunk, rows - first);
      pool.emplace_back(copyLoop, X + first * cols, Bias, Y + first * cols,
                        count, cols);
    }
    copyLoop(X, Bias, Y, std::min(chunk, rows), cols);
    for (auto &thread : pool)
      thread.join();
  };
  std::vector<Contender> cs = {
      {"bandwidth limit: y = x + bias loop, split over the threads", split},
      {"bandwidth limit, one thread",
       [=] { copyLoop(X, Bias, Y, rows, cols); }},
      {"actc identity_bias_mt",
       [=] { identity_bias_mt_f32(X, Bias, Y, rows, cols, threads); }},
      {"actc relu_bias_mt",
       [=] { relu_bias_mt_f32(X, Bias, Y, rows, cols, threads); }},
      {"actc gelu_bias_mt",
       [=] { gelu_bias_mt_f32(X, Bias, Y, rows, cols, threads); }},
      {"actc gelu_bias_mt, --precision=fast",
       [=] { fast_gelu_bias_mt_f32(X, Bias, Y, rows, cols, threads); }},
  };
  race(cs, rounds);
  double bytes = 2.0 * rows * cols * sizeof(float), base = cs.front().best;
  std::printf("\n### bias epilogue, %ld x %ld f32, %ld threads\n\n",
              (long)rows, (long)cols, (long)threads);
  std::printf("| kernel | GB/s | share of the threaded limit |\n"
              "|---|---:|---:|\n");
  for (auto &c : cs)
    std::printf("| %s | %.2f | %.3f |\n", c.name.c_str(),
                bytes / c.best * 1e-9, base / c.best);
}

/// NAME_bias_grad_mt against NAME_bias_grad, 16384 x 1024 f32 (x and dy
/// read, dx written: 192 MiB per call).
void benchThreadedBiasGrad(int64_t threads, int rounds) {
  const int64_t rows = 16384, cols = 1024;
  auto x = random(rows * cols, 4.0f), dy = random(rows * cols, 1.0f),
       bias = random(cols, 1.0f);
  std::vector<float> dx(rows * cols), dbias(cols);
  const float *X = x.data(), *DY = dy.data(), *Bias = bias.data();
  float *DX = dx.data(), *DB = dbias.data();
  std::vector<Contender> cs = {
      {"actc identity_bias_grad",
       [=] { identity_bias_grad_f32(X, Bias, DY, DX, DB, rows, cols); }},
      {"actc identity_bias_grad_mt",
       [=] {
         identity_bias_grad_mt_f32(X, Bias, DY, DX, DB, rows, cols, threads);
       }},
      {"actc gelu_bias_grad",
       [=] { gelu_bias_grad_f32(X, Bias, DY, DX, DB, rows, cols); }},
      {"actc gelu_bias_grad_mt",
       [=] {
         gelu_bias_grad_mt_f32(X, Bias, DY, DX, DB, rows, cols, threads);
       }},
  };
  if (fast_gelu_bias_grad_mt_f32) {
    cs.push_back({"actc gelu_bias_grad, --precision=fast", [=] {
                    fast_gelu_bias_grad_f32(X, Bias, DY, DX, DB, rows, cols);
                  }});
    cs.push_back({"actc gelu_bias_grad_mt, --precision=fast", [=] {
                    fast_gelu_bias_grad_mt_f32(X, Bias, DY, DX, DB, rows, cols,
                                               threads);
                  }});
  }
  race(cs, rounds);
  double bytes = 3.0 * rows * cols * sizeof(float);
  std::printf("\n### bias gradient, %ld x %ld f32, %ld threads for _mt\n\n",
              (long)rows, (long)cols, (long)threads);
  std::printf("| kernel | GB/s | time vs the one-thread kernel above |\n"
              "|---|---:|---:|\n");
  for (size_t i = 0; i < cs.size(); ++i)
    std::printf("| %s | %.2f | %.3f |\n", cs[i].name.c_str(),
                bytes / cs[i].best * 1e-9, cs[i].best / cs[i - i % 2].best);
}

} // namespace

int main(int argc, char **argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
  const char *threadsEnv = std::getenv("THREADS");
  int64_t threads = threadsEnv ? std::atoll(threadsEnv) : 2;
  benchMatmul(1024, 1024, 1024, rounds);
  benchMatmul(4096, 1024, 1024, rounds);
  benchBias(rounds);
  if (threads > 1) {
    benchThreadedMatmul(4096, 1024, 1024, threads, rounds);
    benchThreadedBias(threads, rounds);
    benchThreadedBiasGrad(threads, rounds);
  }
  return 0;
}
