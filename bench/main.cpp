//===- main.cpp - actc side by side with the libraries users would pick ---===//
//
// Usage: actc-bench [--quick] [--only f1,f2] [--sections s1,s2]
//                   [--kinds forward,backward] [--configs 4096,262144,64M]
//   sections: eltwise, bf16, softmax, matmul (default: all); the softmax
//   section holds the row activations, softmax and log_softmax
//   --only: functions, e.g. gelu,silu or log_softmax (default: all)
//   kinds, configs: the elementwise rows to run (default: all; a config is
//   a column label: 4096, 262144, "262144 wide", 64M, "64M, 2 threads")
//   --quick: no 64M rows, 3 repeats (a smoke run, not for the tables).
// Writes Markdown on stdout, progress on stderr.
//
// Every row is one problem (function, kernel kind, dtype, size, threads) on
// buffers shared by all contenders. Each contender is warmed up and
// calibrated to batches of about 2 ms (one call at 64M), then the batches
// are interleaved: repeat r runs every contender once, starting from a
// different one each time, so that a change in machine load hits all of
// them alike. Cells give the median rate with min-max and the ratio to the
// fastest peer of the row (actc and the bandwidth limits are not peers).
//
//===----------------------------------------------------------------------===//

#include "bench.h"
#include "formulas.h"
#include "harness.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

using namespace bench;

namespace {

//===-- Options and the problem table -------------------------------------===//

struct Options {
  bool quick = false;
  std::set<std::string> only, sections, kinds, configs;
  bool wants(const std::string &section) const {
    return sections.empty() || sections.count(section);
  }
  bool wantsKind(const std::string &kind) const {
    return kinds.empty() || kinds.count(kind);
  }
  bool wantsFn(const std::string &fn) const { return only.empty() || only.count(fn); }
};

const int64_t kDram = int64_t(64) << 20;

/// A column of the elementwise and softmax tables.
struct Config {
  std::string label;
  int64_t n;
  int threads;
  bool wide; // the wide-range input set
};

std::vector<Config> eltwiseConfigs(const Options &o, DType t) {
  std::vector<Config> c;
  if (t == DType::F32)
    c.push_back({"4096", 4096, 1, false});
  c.push_back({"262144", 262144, 1, false});
  if (t == DType::F32)
    c.push_back({"262144 wide", 262144, 1, true});
  if (!o.quick) {
    c.push_back({"64M", kDram, 1, false});
    if (t == DType::F32)
      c.push_back({"64M, 2 threads", kDram, 2, false});
  }
  if (!o.configs.empty())
    c.erase(std::remove_if(c.begin(), c.end(),
                           [&](const Config &e) { return !o.configs.count(e.label); }),
            c.end());
  return c;
}

const char *const kFunctions[] = {"sigmoid", "tanh",  "relu",      "leaky_relu",
                                  "elu",     "selu",  "softplus",  "gelu",
                                  "gelu_tanh", "silu", "mish",     "hard_swish"};

/// The row activations of the softmax section (f32, forward and backward
/// from y), and the row lengths each is timed at.
const char *const kRowFunctions[] = {"softmax", "log_softmax"};
const int64_t kRowCols[] = {1000, 32000};

//===-- Buffers -----------------------------------------------------------===//

template <class T> T *allocate(int64_t n) {
  size_t bytes = (size_t(n) * sizeof(T) + 63) / 64 * 64;
  auto *p = static_cast<T *>(std::aligned_alloc(64, bytes));
  if (!p) {
    std::fprintf(stderr, "actc-bench: out of memory\n");
    std::exit(1);
  }
  std::memset(p, 0, bytes); // fault the pages in now, not in a timed call
  return p;
}

uint64_t rngState = 1;
double uniform01() {
  uint64_t z = (rngState += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return double((z ^ (z >> 31)) >> 11) * 0x1p-53;
}


/// Inputs shared by every contender: x ~ U[-6, 6]; the wide-range set
/// (|x| log-uniform in [2^-20, 2^7], random sign); dy ~ U[-1, 1]; aux = f(x)
/// for the backward rows (the saved output that from-y kernels read).
struct Buffers {
  int64_t cap;
  float *x, *wide, *dy, *aux, *out;
  uint16_t *hx, *hwide, *hdy, *haux, *hout;
  std::string auxFn; // what aux holds
  int64_t auxN = 0;

  explicit Buffers(int64_t n) : cap(n) {
    x = allocate<float>(n);
    dy = allocate<float>(n);
    aux = allocate<float>(n);
    out = allocate<float>(n);
    wide = allocate<float>(262144);
    hx = allocate<uint16_t>(n);
    hdy = allocate<uint16_t>(n);
    haux = allocate<uint16_t>(n);
    hout = allocate<uint16_t>(n);
    hwide = allocate<uint16_t>(262144);
    rngState = 1;
    for (int64_t i = 0; i < n; ++i) {
      x[i] = float(-6.0 + 12.0 * uniform01());
      dy[i] = float(-1.0 + 2.0 * uniform01());
      hx[i] = floatToBf16(x[i]);
      hdy[i] = floatToBf16(dy[i]);
    }
    for (int64_t i = 0; i < 262144; ++i) {
      double m = std::exp2(-20.0 + 27.0 * uniform01());
      wide[i] = float(uniform01() < 0.5 ? -m : m);
      hwide[i] = floatToBf16(wide[i]);
    }
  }

  /// Fills aux (or haux) with f(input) for the first n elements.
  void prepareAux(const std::string &fn, int64_t n, bool isWide, DType t) {
    std::string key = fn + dtypeName(t) + (isWide ? "w" : "");
    if (auxFn == key && auxN >= n)
      return;
    if (t == DType::F32)
      forwardValues(fn, isWide ? wide : x, aux, n);
    else
      forwardValuesBf16(fn, isWide ? hwide : hx, haux, n);
    auxFn = key;
    auxN = n;
  }
  static std::string dtypeName(DType t) { return t == DType::F32 ? "f32" : "bf16"; }
};

//===-- Measuring one row -------------------------------------------------===//

enum class State { Absent, Skipped, Measured };

struct Cell {
  State state = State::Absent;
  Stats rate; // work units per ns
};

struct Row {
  std::vector<Cell> cells; // one per contender
  int best = -1;           // the fastest peer
};

Registry registry;
Worker *worker = nullptr;

size_t elementSize(DType t) { return t == DType::F32 ? 4 : 2; }

/// The half [lo, hi) of an elementwise or row problem.
Problem slice(const Problem &p, int part) {
  Problem q = p;
  size_t es = elementSize(p.dtype);
  int64_t offset; // elements
  if (p.kind == Kind::Forward || p.kind == Kind::Backward) {
    int64_t half = p.n / 2 / 16 * 16; // keep 64-byte alignment
    offset = part ? half : 0;
    q.n = part ? p.n - half : half;
  } else {
    int64_t half = p.rows / 2;
    offset = part ? half * p.cols : 0;
    q.rows = part ? p.rows - half : half;
    q.n = q.rows * q.cols;
  }
  auto shift = [&](const void *ptr) -> const void * {
    return ptr ? static_cast<const char *>(ptr) + offset * es : nullptr;
  };
  q.x = shift(p.x);
  q.dy = shift(p.dy);
  q.aux = shift(p.aux);
  q.out = const_cast<void *>(shift(p.out));
  return q;
}

Runner makeRunner(const Contender &c, const Problem &p, int threads) {
  if (threads == 1 || c.ownThreads)
    return c.prepare(p, threads);
  Runner lo = c.prepare(slice(p, 0), 1), hi = c.prepare(slice(p, 1), 1);
  if (!lo || !hi)
    return {};
  return [lo, hi](int64_t calls) {
    worker->both([&] { lo(calls); }, [&] { hi(calls); });
  };
}

/// Times every contender on `p`, interleaved. `work` is the unit count of
/// one call (elements, or flops for a matmul).
Row measure(const Problem &p, int threads, double work, int repeats) {
  size_t count = registry.contenders.size();
  Row row;
  row.cells.resize(count);
  std::vector<Runner> runners(count);
  std::vector<int64_t> calls(count, 1);
  std::vector<size_t> present;
  // Short batches: on a shared machine a 0.5 ms batch is rarely preempted,
  // so the median over many of them is the undisturbed speed.
  const double target = 5e5; // ns per timed batch
  for (size_t c = 0; c < count; ++c) {
    const Contender &con = registry.contenders[c];
    if (p.n > con.maxN) {
      row.cells[c].state = State::Skipped;
      continue;
    }
    runners[c] = makeRunner(con, p, threads);
    if (!runners[c])
      continue;
    double t0 = nowNs();
    runners[c](1);
    double once = nowNs() - t0;
    if (once < target) {
      calls[c] = std::max<int64_t>(1, int64_t(target / std::max(once, 1.0)));
      runners[c](calls[c]); // a second warm-up at the batch size
    }
    present.push_back(c);
  }
  std::vector<std::vector<double>> rates(count);
  for (int r = 0; r < repeats; ++r)
    for (size_t j = 0; j < present.size(); ++j) {
      size_t c = present[(j + size_t(r)) % present.size()];
      double t0 = nowNs();
      runners[c](calls[c]);
      double t = nowNs() - t0;
      rates[c].push_back(work * double(calls[c]) / t);
    }
  for (size_t c : present) {
    row.cells[c].state = State::Measured;
    row.cells[c].rate = summarize(rates[c]);
    if (registry.contenders[c].isPeer &&
        (row.best < 0 || row.cells[c].rate.median > row.cells[row.best].rate.median))
      row.best = int(c);
  }
  return row;
}

//===-- Accuracy ----------------------------------------------------------===//

std::string kindName(Kind k);
std::string dtypeName(DType t);

/// Max ULP of each contender, per (function, kind, dtype).
std::map<std::string, std::vector<Accuracy>> accuracy;

std::string accuracyKey(const std::string &fn, Kind k, DType t, int64_t cols = 0) {
  return fn + "/" + std::to_string(int(k)) + "/" + std::to_string(int(t)) + "/" +
         std::to_string(cols);
}

void measureAccuracy(const std::string &fn, DType t) {
  AccuracySample sample(fn, t);
  if (!sample.ok())
    return;
  size_t es = elementSize(t);
  std::vector<char> out(size_t(sample.size()) * es + 64);
  for (Kind k : {Kind::Forward, Kind::Backward}) {
    std::vector<Accuracy> per(registry.contenders.size());
    Problem p{fn,   k,  t, sample.size(), 0, 0, 0, sample.input(), sample.gradIn(),
              sample.forwardOut(), out.data()};
    for (size_t c = 0; c < per.size(); ++c) {
      Runner r = registry.contenders[c].prepare(p, 1);
      if (!r)
        continue;
      std::memset(out.data(), 0xff, out.size()); // NaN: a kernel must write all
      r(1);
      r(0);
      per[c] = sample.check(k, out.data());
      if (std::getenv("BENCH_DEBUG"))
        std::fprintf(stderr, "    %s %s %s %s: max %g ulp at x = %a\n", fn.c_str(),
                     kindName(k).c_str(), dtypeName(t).c_str(),
                     registry.contenders[c].name.c_str(), per[c].all, per[c].worstX);
    }
    accuracy[accuracyKey(fn, k, t)] = per;
  }
}

void measureRowAccuracy(const std::string &fn, int64_t cols) {
  RowSample sample(cols, fn == "log_softmax");
  std::vector<float> out(size_t(sample.rows() * cols));
  for (Kind k : {Kind::RowForward, Kind::RowBackward}) {
    std::vector<Accuracy> per(registry.contenders.size());
    Problem p{fn, k, DType::F32, sample.rows() * cols, sample.rows(), cols, 0,
              k == Kind::RowForward ? sample.input() : sample.forwardOut(),
              sample.gradIn(), nullptr, out.data()};
    for (size_t c = 0; c < per.size(); ++c) {
      Runner r = registry.contenders[c].prepare(p, 1);
      if (!r)
        continue;
      std::fill(out.begin(), out.end(), NAN);
      r(1);
      r(0);
      per[c] = sample.check(k, out.data());
    }
    accuracy[accuracyKey(fn + std::to_string(cols), k, DType::F32, cols)] = per;
  }
}

//===-- Markdown ----------------------------------------------------------===//

std::string fmt(const char *format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

/// 3 significant digits.
std::string num(double v) {
  if (v >= 100)
    return fmt("%.0f", v);
  if (v >= 10)
    return fmt("%.1f", v);
  if (v >= 1)
    return fmt("%.2f", v);
  return fmt("%.3f", v);
}

std::string ulpNum(double u, bool nan) {
  if (nan)
    return "**NaN**";
  if (u >= 1e5)
    return fmt("%.0e", u);
  return u >= 100 ? fmt("%.0f", u) : u >= 10 ? fmt("%.1f", u) : fmt("%.2f", u);
}

/// "core / all": max ULP on [-8, 8] and over the whole sample.
std::string ulpText(const Accuracy &a) {
  if (!a.measured)
    return "n/a";
  return ulpNum(a.core, a.nanCore) + " / " + ulpNum(a.all, a.nanAll);
}

/// `scale` turns the rate (units/ns) into the printed unit.
std::string cellText(const Row &row, size_t c, double scale) {
  const Cell &cell = row.cells[c];
  if (cell.state == State::Skipped)
    return "—";
  if (cell.state == State::Absent)
    return "n/a";
  std::string s = num(cell.rate.median * scale) + " [" + num(cell.rate.min * scale) +
                  "-" + num(cell.rate.max * scale) + "]";
  if (row.best >= 0) {
    double ratio = cell.rate.median / row.cells[row.best].rate.median;
    std::string r = fmt("%.2fx", ratio);
    s += " " + (int(c) == row.best ? "**" + r + "**" : r);
  }
  return s;
}

bool rowHas(const Row &row, size_t c) { return row.cells[c].state == State::Measured; }

/// Results of all rows: key (section/function/kind/dtype/config) -> Row.
std::map<std::string, Row> results;

std::string kindName(Kind k) {
  switch (k) {
  case Kind::Forward:
  case Kind::RowForward:
    return "forward";
  case Kind::Backward:
  case Kind::RowBackward:
    return "backward";
  case Kind::Matmul:
    return "matmul";
  }
  return "";
}

std::string dtypeName(DType t) { return t == DType::F32 ? "f32" : "bf16"; }

/// Bytes moved per element: 2 streams forward, 3 backward.
double bytesPerElement(Kind k, DType t) {
  return double(elementSize(t)) * (k == Kind::Forward || k == Kind::RowForward ? 2 : 3);
}

/// One block of lines per function: a line per contender, a column per
/// config; DRAM columns in GB/s, the others in elements per ns.
void printBlocks(std::ostream &os, const std::string &section,
                 const std::vector<std::string> &fns, Kind kind, DType t,
                 const std::vector<Config> &configs, int64_t cols) {
  auto rowsOf = [&](const std::string &fn) {
    std::vector<const Row *> rows;
    for (const Config &c : configs) {
      auto it = results.find(section + "/" + fn + "/" + kindName(kind) + "/" +
                             dtypeName(t) + "/" + c.label);
      rows.push_back(it == results.end() ? nullptr : &it->second);
    }
    return rows;
  };
  // A peer with no kernel anywhere in this table gets no lines, only a
  // mention below it; actc's modes always get theirs.
  size_t count = registry.contenders.size();
  std::vector<bool> inTable(count, false);
  for (const std::string &fn : fns)
    for (const Row *r : rowsOf(fn))
      for (size_t c = 0; r && c < count; ++c)
        if (rowHas(*r, c))
          inTable[c] = true;
  os << "| function | contender | max ULP |";
  for (const Config &c : configs)
    os << " " << c.label << (c.n >= kDram ? " GB/s" : " el/ns") << " |";
  os << "\n|---|---|---:|";
  for (size_t i = 0; i < configs.size(); ++i)
    os << "---:|";
  os << "\n";
  for (const std::string &fn : fns) {
    std::vector<const Row *> rows = rowsOf(fn);
    if (std::all_of(rows.begin(), rows.end(), [](const Row *r) { return !r; }))
      continue;
    auto acc = accuracy.find(accuracyKey(fn, kind, t, cols));
    bool first = true;
    for (size_t c = 0; c < count; ++c) {
      const Contender &con = registry.contenders[c];
      bool shown = false;
      for (const Row *r : rows)
        shown |= r && rowHas(*r, c);
      if (!shown && (con.hideWhenAbsent || (con.isPeer && !inTable[c])))
        continue;
      os << "| " << (first ? "**" + fn + "**" : "") << " | " << con.name << " | "
         << (acc != accuracy.end() ? ulpText(acc->second[c]) : "—") << " |";
      first = false;
      for (size_t i = 0; i < configs.size(); ++i) {
        double scale = configs[i].n >= kDram ? bytesPerElement(kind, t) : 1.0;
        os << " " << (rows[i] ? cellText(*rows[i], c, scale) : "—") << " |";
      }
      os << "\n";
    }
  }
  std::string absent;
  for (size_t c = 0; c < count; ++c)
    if (registry.contenders[c].isPeer && !registry.contenders[c].hideWhenAbsent &&
        !inTable[c])
      absent += (absent.empty() ? "" : ", ") + registry.contenders[c].name;
  if (!absent.empty())
    os << "\nNo such kernel in: " << absent << ".\n";
  os << "\n";
}

//===-- The sections ------------------------------------------------------===//

int repeatsFor(const Options &o, int64_t n) {
  if (o.quick)
    return 3;
  return n >= kDram ? 5 : 15;
}

void progress(const std::string &what, double t0) {
  std::fprintf(stderr, "  %-48s %6.1f s\n", what.c_str(), (nowNs() - t0) * 1e-9);
}

void runEltwise(const Options &o, Buffers &b, DType t, const std::string &section) {
  for (const char *fn : kFunctions) {
    if (!o.wantsFn(fn))
      continue;
    double t0 = nowNs();
    measureAccuracy(fn, t);
    progress(std::string(fn) + " " + dtypeName(t) + " accuracy", t0);
    for (Kind k : {Kind::Forward, Kind::Backward})
      for (const Config &c : eltwiseConfigs(o, t)) {
        if (!o.wantsKind(kindName(k)))
          continue;
        t0 = nowNs();
        bool bf = t == DType::BF16;
        const void *x = c.wide ? (bf ? (const void *)b.hwide : b.wide)
                               : (bf ? (const void *)b.hx : b.x);
        if (k == Kind::Backward)
          b.prepareAux(fn, c.n, c.wide, t);
        Problem p{fn, k, t, c.n, 0, 0, 0, x, bf ? (const void *)b.hdy : b.dy,
                  bf ? (const void *)b.haux : b.aux, bf ? (void *)b.hout : b.out};
        results[section + "/" + fn + "/" + kindName(k) + "/" + dtypeName(t) + "/" +
                c.label] = measure(p, c.threads, double(c.n), repeatsFor(o, c.n));
        progress(std::string(fn) + " " + kindName(k) + " " + dtypeName(t) + " " + c.label,
                 t0);
      }
  }
}

std::vector<Config> softmaxConfigs(const Options &o, int64_t cols) {
  std::vector<Config> c;
  for (const Config &e : eltwiseConfigs(o, DType::F32))
    if (!e.wide && e.n >= cols)
      c.push_back({e.label, e.n / cols * cols, e.threads, false});
  return c;
}

/// Fills aux with rows that look like fn's output, for the backward rows'
/// timing (any such rows do; the accuracy sample has the exact ones): for
/// softmax, x shifted to be positive and small; for log_softmax, x less
/// about the log of its row's sum of exp (x ~ U[-6, 6]: 6 + log(cols / 12)).
void fillRowOutput(Buffers &b, const std::string &fn, int64_t cols, int64_t n) {
  if (fn == "log_softmax") {
    float shift = 6.0f + std::log(float(cols) / 12.0f);
    for (int64_t i = 0; i < n; ++i)
      b.aux[i] = b.x[i] - shift;
  } else {
    for (int64_t i = 0; i < n; ++i)
      b.aux[i] = (b.x[i] + 6.0f) * (1.0f / (6.0f * float(cols)));
  }
  b.auxFn.clear();
}

void runRows(const Options &o, Buffers &b, const std::string &fn, int64_t cols) {
  std::string name = fn + std::to_string(cols);
  double t0 = nowNs();
  measureRowAccuracy(fn, cols);
  progress(fn + " " + std::to_string(cols) + " accuracy", t0);
  for (Kind k : {Kind::RowForward, Kind::RowBackward})
    for (const Config &c : softmaxConfigs(o, cols)) {
      t0 = nowNs();
      // Backward reads a forward output (in x, as the kernels name it).
      if (k == Kind::RowBackward)
        fillRowOutput(b, fn, cols, c.n);
      Problem p{fn, k, DType::F32, c.n, c.n / cols, cols, 0,
                k == Kind::RowForward ? b.x : b.aux, b.dy, nullptr, b.out};
      results["softmax/" + name + "/" + kindName(k) + "/f32/" + c.label] =
          measure(p, c.threads, double(c.n), repeatsFor(o, c.n));
      progress(fn + " " + std::to_string(cols) + " " + kindName(k) + " " + c.label, t0);
    }
}

void runSoftmax(const Options &o, Buffers &b) {
  for (const char *fn : kRowFunctions)
    if (o.wantsFn(fn))
      for (int64_t cols : kRowCols)
        runRows(o, b, fn, cols);
}

struct Shape {
  int64_t m, n, k;
};

std::map<std::string, std::vector<double>> matmulError; // per contender

void runMatmul(const Options &o, std::ostream &os) {
  std::vector<Shape> shapes = {{128, 1024, 1024}};
  if (!o.quick)
    shapes.push_back({1024, 1024, 1024});
  os << "| dtype | m x n x k | activation | contender | max error | GFLOP/s |\n"
        "|---|---|---|---|---:|---:|\n";
  for (DType t : {DType::F32, DType::BF16})
    for (const Shape &s : shapes) {
      // a, b, bias: values that put a . b + bias mostly in [-4, 4].
      std::vector<float> a(size_t(s.m * s.k)), bm(size_t(s.k * s.n)), bias(size_t(s.n));
      rngState = 3;
      for (float &v : a)
        v = float(-1.0 + 2.0 * uniform01());
      float scale = float(3.0 / std::sqrt(double(s.k)));
      for (float &v : bm)
        v = float((-1.0 + 2.0 * uniform01()) * scale);
      for (float &v : bias)
        v = float(-1.0 + 2.0 * uniform01());
      std::vector<uint16_t> ha, hb, hbias;
      if (t == DType::BF16) {
        for (float &v : a)
          ha.push_back(floatToBf16(v)), v = bf16ToFloat(ha.back());
        for (float &v : bm)
          hb.push_back(floatToBf16(v)), v = bf16ToFloat(hb.back());
        for (float &v : bias)
          hbias.push_back(floatToBf16(v)), v = bf16ToFloat(hbias.back());
      }
      // The exact pre-activation, in double.
      std::vector<double> z(size_t(s.m * s.n));
      for (int64_t i = 0; i < s.m; ++i)
        for (int64_t kk = 0; kk < s.k; ++kk) {
          double av = a[size_t(i * s.k + kk)];
          const float *brow = &bm[size_t(kk * s.n)];
          double *zr = &z[size_t(i * s.n)];
          for (int64_t j = 0; j < s.n; ++j)
            zr[j] += av * brow[j];
        }
      for (const char *fn : {"relu", "gelu"}) {
        if (!o.wantsFn(fn))
          continue;
        double t0 = nowNs();
        std::vector<char> out(size_t(s.m * s.n) * elementSize(t) + 64);
        bool bf = t == DType::BF16;
        Problem p{fn, Kind::Matmul, t, s.m * s.n, s.m, s.n, s.k,
                  bf ? (const void *)ha.data() : a.data(),
                  bf ? (const void *)hb.data() : bm.data(),
                  bf ? (const void *)hbias.data() : bias.data(), out.data()};
        Row row = measure(p, 1, 2.0 * double(s.m * s.n * s.k), o.quick ? 3 : s.m < 1024 ? 15 : 9);
        // Error of each contender: max |c - exact| / max |exact|.
        std::vector<std::string> err(registry.contenders.size(), "n/a");
        for (size_t c = 0; c < registry.contenders.size(); ++c) {
          if (row.cells[c].state != State::Measured)
            continue;
          Runner r = registry.contenders[c].prepare(p, 1);
          r(1);
          r(0);
          double maxErr = 0, maxRef = 0;
          for (int64_t i = 0; i < s.m; ++i)
            for (int64_t j = 0; j < s.n; ++j) {
              double zz = z[size_t(i * s.n + j)] + bias[size_t(j)];
              double ref = std::string(fn) == "relu"
                               ? std::max(zz, 0.0)
                               : 0.5 * zz * std::erfc(-zz / std::sqrt(2.0));
              size_t at = size_t(i * s.n + j);
              double got = bf ? bf16ToFloat(reinterpret_cast<uint16_t *>(out.data())[at])
                              : reinterpret_cast<float *>(out.data())[at];
              maxErr = std::max(maxErr, std::isfinite(got) ? std::fabs(got - ref) : INFINITY);
              maxRef = std::max(maxRef, std::fabs(ref));
            }
          err[c] = fmt("%.1e", maxErr / maxRef);
        }
        bool first = true;
        for (size_t c = 0; c < registry.contenders.size(); ++c) {
          const Contender &con = registry.contenders[c];
          // Only the contenders with a matmul, and actc's modes regardless.
          if (row.cells[c].state != State::Measured && (con.isPeer || con.hideWhenAbsent))
            continue;
          if (!first)
            os << "| | | |";
          else
            os << "| " << dtypeName(t) << " | " << s.m << "x" << s.n << "x" << s.k
               << " | " << fn << " |";
          first = false;
          os << " " << con.name << " | " << err[c] << " | " << cellText(row, c, 1.0)
             << " |\n";
        }
        progress(std::string("matmul ") + fn + " " + dtypeName(t) + " " +
                     std::to_string(s.m),
                 t0);
      }
    }
  os << "\n";
}

//===-- The summary -------------------------------------------------------===//

/// The most accurate peer of a function (fewest ULP over the whole sample,
/// then on [-8, 8]; none that returns NaN), or -1.
int mostAccuratePeer(const std::vector<Accuracy> &acc) {
  int best = -1;
  for (size_t c = 0; c < acc.size(); ++c) {
    const Accuracy &a = acc[c];
    if (!registry.contenders[c].isPeer || !a.measured || a.nanAll)
      continue;
    if (best < 0 || a.all < acc[best].all ||
        (a.all == acc[best].all && a.core < acc[best].core))
      best = int(c);
  }
  return best;
}

/// Each actc mode against the fastest peer, per function and column, and at
/// 262144 against the most accurate peer.
void printSummary(std::ostream &os, const std::vector<std::string> &fns, Kind kind,
                  DType t, const std::vector<Config> &configs, const std::string &prefix) {
  size_t count = registry.contenders.size();
  std::vector<size_t> modes;
  for (size_t c = 0; c < count; ++c)
    if (!registry.contenders[c].isPeer && !registry.contenders[c].hideWhenAbsent)
      modes.push_back(c);
  size_t nt = count;
  for (size_t c = 0; c < count; ++c)
    if (registry.contenders[c].name == "limit: NT stores")
      nt = c;
  os << "| function | actc mode | max ULP (most accurate peer) |";
  for (const Config &c : configs)
    os << " " << c.label << " |";
  os << " 262144 vs most accurate peer |\n|---|---|---|";
  for (size_t i = 0; i <= configs.size(); ++i)
    os << "---:|";
  os << "\n";
  auto rowAt = [&](const std::string &fn, const std::string &label) -> const Row * {
    auto it = results.find(prefix + fn + "/" + kindName(kind) + "/" + dtypeName(t) + "/" +
                           label);
    return it == results.end() ? nullptr : &it->second;
  };
  for (const std::string &fn : fns)
    for (size_t m : modes) {
      os << "| " << fn << " | " << registry.contenders[m].name << " | ";
      auto acc = accuracy.find(accuracyKey(fn, kind, t, 0));
      int accuratePeer = -1;
      if (acc != accuracy.end()) {
        accuratePeer = mostAccuratePeer(acc->second);
        os << ulpText(acc->second[m]);
        if (accuratePeer >= 0)
          os << " (" << ulpText(acc->second[accuratePeer]) << " "
             << registry.contenders[accuratePeer].name << ")";
      } else {
        os << "—";
      }
      os << " |";
      for (const Config &c : configs) {
        const Row *row = rowAt(fn, c.label);
        std::string cell = "—";
        if (row && rowHas(*row, m) && row->best >= 0) {
          cell = fmt("%.2fx", row->cells[m].rate.median / row->cells[row->best].rate.median);
          if (nt < count && rowHas(*row, nt))
            cell += fmt(" (%.0f%% NT)",
                        100.0 * row->cells[m].rate.median / row->cells[nt].rate.median);
        } else if (row && rowHas(*row, m)) {
          cell = "no peer";
        } else if (row) {
          cell = "n/a";
        }
        os << " " << cell << " |";
      }
      const Row *row = rowAt(fn, "262144");
      if (row && accuratePeer >= 0 && rowHas(*row, m) && rowHas(*row, size_t(accuratePeer)))
        os << " " << fmt("%.2fx", row->cells[m].rate.median /
                                      row->cells[size_t(accuratePeer)].rate.median)
           << " |\n";
      else
        os << " — |\n";
    }
  os << "\n";
}

/// Issue 3's bar names two peers for the gradients: PyTorch's *_backward ops
/// and oneDNN's eltwise backward. Each actc kernel (from x, and from y where
/// it exists: both of those peers read y for sigmoid and tanh) against the
/// faster of the two, per column.
void printBarPeerSummary(std::ostream &os, const std::vector<std::string> &fns,
                         const std::vector<Config> &configs, const std::string &prefix) {
  size_t count = registry.contenders.size();
  std::vector<size_t> mine, barPeers;
  for (size_t c = 0; c < count; ++c) {
    const Contender &con = registry.contenders[c];
    if (!con.isPeer && con.name.rfind("actc", 0) == 0)
      mine.push_back(c);
    else if (con.isPeer && (con.name.rfind("PyTorch", 0) == 0 ||
                            con.name.rfind("oneDNN", 0) == 0))
      barPeers.push_back(c);
  }
  os << "| function | actc kernel |";
  for (const Config &c : configs)
    os << " " << c.label << " |";
  os << "\n|---|---|";
  for (size_t i = 0; i < configs.size(); ++i)
    os << "---:|";
  os << "\n";
  for (const std::string &fn : fns)
    for (size_t m : mine) {
      std::string cells;
      bool any = false;
      for (const Config &c : configs) {
        auto it = results.find(prefix + fn + "/" + kindName(Kind::Backward) + "/" +
                               dtypeName(DType::F32) + "/" + c.label);
        std::string cell = "—";
        if (it != results.end() && rowHas(it->second, m)) {
          const Row &row = it->second;
          int best = -1;
          for (size_t b : barPeers)
            if (rowHas(row, b) &&
                (best < 0 || row.cells[b].rate.median > row.cells[size_t(best)].rate.median))
              best = int(b);
          any = true;
          cell = best < 0 ? "no peer"
                          : fmt("%.2fx ", row.cells[m].rate.median /
                                              row.cells[size_t(best)].rate.median) +
                                    (registry.contenders[size_t(best)].name.rfind("PyTorch", 0) == 0
                                         ? "PyTorch"
                                         : "oneDNN");
        }
        cells += " " + cell + " |";
      }
      if (any)
        os << "| " << fn << " | " << registry.contenders[m].name << " |" << cells << "\n";
    }
  os << "\n";
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto list = [&](std::set<std::string> &into) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "actc-bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      std::stringstream ss(argv[++i]);
      for (std::string item; std::getline(ss, item, ',');)
        into.insert(item);
    };
    if (a == "--quick")
      o.quick = true;
    else if (a == "--only")
      list(o.only);
    else if (a == "--sections")
      list(o.sections);
    else if (a == "--kinds")
      list(o.kinds);
    else if (a == "--configs")
      list(o.configs);
    else {
      std::fprintf(stderr, "usage: actc-bench [--quick] [--only f,...] "
                           "[--sections eltwise,bf16,softmax,matmul] "
                           "[--kinds forward,backward] [--configs label,...]\n");
      return 2;
    }
  }
#define BENCH_REGISTER(P)                                                      \
  if (register##P)                                                             \
    register##P(registry);
  BENCH_PEERS(BENCH_REGISTER)
#undef BENCH_REGISTER
  Worker helper;
  worker = &helper;
  Buffers buffers(o.quick ? 262144 : kDram);

  std::vector<std::string> fns;
  for (const char *fn : kFunctions)
    if (o.wantsFn(fn))
      fns.push_back(fn);

  std::ostringstream body, matmulTable;
  double start = nowNs();
  if (o.wants("eltwise"))
    runEltwise(o, buffers, DType::F32, "eltwise");
  if (o.wants("bf16"))
    runEltwise(o, buffers, DType::BF16, "bf16");
  if (o.wants("softmax"))
    runSoftmax(o, buffers);
  if (o.wants("matmul"))
    runMatmul(o, matmulTable);
  std::fprintf(stderr, "actc-bench: %.0f s\n", (nowNs() - start) * 1e-9);

  std::ostream &os = std::cout;
  os << "Contenders: ";
  const char *sep = "";
  for (const Contender &c : registry.contenders)
    if (c.isPeer || !c.hideWhenAbsent) {
      os << sep << c.name;
      sep = ", ";
    }
  os << ".\n\n";

  if (o.wants("eltwise") && !fns.empty()) {
    auto configs = eltwiseConfigs(o, DType::F32);
    os << "## Summary: actc against the fastest peer (f32)\n\n"
          "Each cell is actc's median speed over the fastest peer's in the same "
          "row (>1: actc is faster); the DRAM columns add actc's share of the "
          "non-temporal-store bandwidth limit. Max ULP on [-8, 8] / over the "
          "whole sample: actc's, and the most accurate peer's (fewest ULP over "
          "the whole sample, no NaN); the last column is actc's speed over that "
          "peer's.\n\n";
    if (o.wantsKind("forward")) {
      os << "### Forward\n\n";
      printSummary(os, fns, Kind::Forward, DType::F32, configs, "eltwise/");
    }
    if (o.wantsKind("backward")) {
      os << "### Backward\n\n";
      printSummary(os, fns, Kind::Backward, DType::F32, configs, "eltwise/");
      os << "### Backward against the bar's peers\n\n"
            "Issue 3 measures the gradients against PyTorch's backward ops and "
            "oneDNN's eltwise backward only: each actc kernel over the faster of "
            "the two in the same row (named after the ratio). Both read y = f(x) "
            "for sigmoid and tanh, as actc's from-y kernels do.\n\n";
      printBarPeerSummary(os, fns, configs, "eltwise/");
    }
    os << "## Elementwise, f32\n\nEl/ns: elements per ns (higher is better); GB/s "
          "at 64M counts 8 bytes per element forward (read x, write y) and 12 "
          "backward (x, dy, dx). [min-max] over the repeats, then the ratio to "
          "the fastest peer (**bold**). —: not run (a scalar loop at 64M); n/a: "
          "the contender has no such kernel.\n\n";
    if (o.wantsKind("forward")) {
      os << "### Forward\n\n";
      printBlocks(os, "eltwise", fns, Kind::Forward, DType::F32, configs, 0);
    }
    if (o.wantsKind("backward")) {
      os << "### Backward (dx = dy * f'(x))\n\n";
      printBlocks(os, "eltwise", fns, Kind::Backward, DType::F32, configs, 0);
    }
  }
  for (const char *fn : kRowFunctions) {
    if (!o.wants("softmax") || !o.wantsFn(fn))
      continue;
    std::string title = std::string(fn) == "softmax" ? "Softmax" : "Log-softmax";
    for (int64_t cols : kRowCols) {
      os << "## " << title << ", rows of " << cols << ", f32\n\n";
      for (Kind k : {Kind::RowForward, Kind::RowBackward}) {
        os << "### " << (k == Kind::RowForward ? "Forward" : "Backward (from y)")
           << "\n\n";
        printBlocks(os, "softmax", {fn + std::to_string(cols)}, k, DType::F32,
                    softmaxConfigs(o, cols), cols);
      }
    }
  }
  if (o.wants("bf16") && !fns.empty()) {
    auto configs = eltwiseConfigs(o, DType::BF16);
    os << "## Elementwise, bf16 (storage; f32 arithmetic)\n\nMax ULP in bf16 "
          "ULPs, over every bf16 input with |x| <= 128.\n\n### Forward\n\n";
    printBlocks(os, "bf16", fns, Kind::Forward, DType::BF16, configs, 0);
    os << "### Backward\n\n";
    printBlocks(os, "bf16", fns, Kind::Backward, DType::BF16, configs, 0);
  }
  if (o.wants("matmul")) {
    os << "## Matmul + bias + activation\n\nc = f(a . b + bias), row-major, one "
          "thread, GFLOP/s (2mnk per call). Max error: max |c - exact| / max "
          "|exact| over the output (exact: double from the same inputs).\n\n"
       << matmulTable.str();
  }
  if (!registry.notes.empty()) {
    os << "## Notes from the harness\n\n";
    for (const std::string &n : registry.notes)
      os << "- " << n << "\n";
    os << "\n";
  }
  return 0;
}
