// DP-SGD for logistic regression: see dp_sgd.hpp.
//
// Implementation notes. A logistic example's gradient is r_i [x_i; 1] with r_i = p_i - y_i, so
// its norm is |r_i| sqrt(||x_i||^2 + 1): clipping needs only one scale factor per example, and
// the clipped sum is X_b^T (s .* r) plus sum(s .* r) for the intercept. Row norms are computed
// once. per_example_gradients materialises the same factors for the tests. The sampling and the
// noise draw from separate streams, so noise_multiplier = 0 trains on the very same batches.
// Noise is drawn even for an empty batch: skipping it would reveal the batch was empty.
//
// Speed (bench/training): the trainer works on a row-major copy of x, so a step reads each
// sampled row's cache lines once instead of one line per cell of a column-major matrix; and the
// sampling draws the gaps between kept rows (geometric), O(q n) draws per step instead of n,
// on a stream per (step, half), one step ahead on a second thread when there is one.
#include "dp_sgd.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <future>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>

namespace clinflow::dp {

namespace {

/// Below this many rows, sampling on another thread costs more than it saves.
constexpr Eigen::Index kPipelineRows = 65536;

/// The factor that brings a gradient of this norm within `clip` (1 when it already is).
double clip_scale(double norm, double clip) {
  return clip > 0.0 && norm > clip ? clip / norm : 1.0;
}

void check_config(const DpSgdConfig& c) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("dp_logistic: " + what); };
  if (!(c.sampling_rate > 0.0 && c.sampling_rate <= 1.0)) fail("sampling_rate must be in (0, 1]");
  if (c.steps < 0) fail("steps must be >= 0");
  if (!(c.clip > 0.0) || std::isinf(c.clip)) fail("clip must be a finite number > 0");
  if (!(c.noise_multiplier >= 0.0) || std::isinf(c.noise_multiplier))
    fail("noise_multiplier must be a finite number >= 0");
  if (!(c.learning_rate > 0.0) || std::isinf(c.learning_rate))
    fail("learning_rate must be a finite number > 0");
  if (!(c.l2 >= 0.0) || std::isinf(c.l2)) fail("l2 must be a finite number >= 0");
}

void check_data(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  if (x.rows() != y.size())
    throw std::invalid_argument("dp_logistic: " + std::to_string(x.rows()) + " rows but " +
                                std::to_string(y.size()) + " labels");
  if (x.rows() == 0) throw std::invalid_argument("dp_logistic: no training rows");
  if (!x.allFinite()) throw std::invalid_argument("dp_logistic: features hold non-finite values");
  for (Eigen::Index i = 0; i < y.size(); ++i)
    if (y[i] != 0.0 && y[i] != 1.0)
      throw std::invalid_argument("dp_logistic: label at row " + std::to_string(i) +
                                  " is not 0 or 1");
}

}  // namespace

double sigmoid(double z) {
  if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

namespace {

/// Appends the kept rows of [begin, end) to `out` (see poisson_sample).
void geometric_sample(SplitMix64& rng, Eigen::Index begin, Eigen::Index end, double q,
                      std::vector<Eigen::Index>& out) {
  if (q >= 1.0) {
    for (Eigen::Index i = begin; i < end; ++i) out.push_back(i);
    return;
  }
  const double log_keep_not = std::log1p(-q);  // log(1 - q) < 0
  for (Eigen::Index i = begin;; ++i) {
    // u in (0, 1]: log(u) <= 0, so the gap is a non-negative whole number of rows.
    const double u = static_cast<double>((rng.next() >> 11) + 1) * 0x1.0p-53;
    const double gap = std::floor(std::log(u) / log_keep_not);
    if (!(gap < static_cast<double>(end - i))) return;  // also ends on +inf (u tiny, q tiny)
    i += static_cast<Eigen::Index>(gap);
    out.push_back(i);
  }
}

/// The stream of part `part` of step `step`: independent of every other (step, part).
SplitMix64 part_stream(std::uint64_t seed, std::int64_t step, int part) {
  SplitMix64 mix(seed ^ (0x9E3779B97F4A7C15ULL * (static_cast<std::uint64_t>(step) * 2 +
                                                  static_cast<std::uint64_t>(part) + 1)));
  return SplitMix64(mix.next());
}

int parts_for(Eigen::Index rows) { return rows >= kPipelineRows ? 2 : 1; }

std::pair<Eigen::Index, Eigen::Index> part_range(Eigen::Index rows, int part) {
  const int parts = parts_for(rows);
  return {rows * part / parts, rows * (part + 1) / parts};
}

/// Part `part` of step `step`'s sample, appended to `out`.
void sample_part(std::uint64_t seed, std::int64_t step, Eigen::Index rows, double q, int part,
                 std::vector<Eigen::Index>& out) {
  SplitMix64 rng = part_stream(seed, step, part);
  const auto [begin, end] = part_range(rows, part);
  out.reserve(out.size() + static_cast<std::size_t>(q * static_cast<double>(end - begin) * 1.5) +
              8);
  geometric_sample(rng, begin, end, q, out);
}

}  // namespace

std::vector<Eigen::Index> poisson_sample(SplitMix64& rng, Eigen::Index rows, double q) {
  std::vector<Eigen::Index> batch;
  batch.reserve(static_cast<std::size_t>(q * static_cast<double>(rows) * 1.5) + 8);
  geometric_sample(rng, 0, rows, q, batch);
  return batch;
}

Eigen::MatrixXd per_example_gradients(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      const Eigen::VectorXd& w, double b,
                                      const std::vector<Eigen::Index>& rows, double clip) {
  const Eigen::Index d = x.cols();
  Eigen::MatrixXd g(static_cast<Eigen::Index>(rows.size()), d + 1);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Eigen::Index i = rows[k], r = static_cast<Eigen::Index>(k);
    const double residual = sigmoid(x.row(i).dot(w) + b) - y[i];
    g.row(r).head(d) = residual * x.row(i);
    g(r, d) = residual;
    const double norm = std::abs(residual) * std::sqrt(x.row(i).squaredNorm() + 1.0);
    g.row(r) *= clip_scale(norm, clip);
  }
  return g;
}

std::vector<Eigen::Index> poisson_sample_step(std::uint64_t seed, std::int64_t step,
                                              Eigen::Index rows, double q, int threads) {
  const int parts = parts_for(rows);
  std::vector<std::vector<Eigen::Index>> found(static_cast<std::size_t>(parts));
  std::vector<std::thread> pool;
  for (int t = 1; t < parts; ++t) {
    if (threads >= 2)
      pool.emplace_back(sample_part, seed, step, rows, q, t,
                        std::ref(found[static_cast<std::size_t>(t)]));
    else
      sample_part(seed, step, rows, q, t, found[static_cast<std::size_t>(t)]);
  }
  sample_part(seed, step, rows, q, 0, found[0]);
  for (auto& thread : pool) thread.join();
  for (std::size_t t = 1; t < found.size(); ++t)
    found[0].insert(found[0].end(), found[t].begin(), found[t].end());
  return std::move(found[0]);
}

namespace {

/// Memory for the row-major copy in 2 MB pages where the kernel allows it (Linux, THP in
/// "madvise" mode): sampled rows are ~1/q rows apart, so with 4 KB pages nearly every row costs
/// a TLB miss, which made a step latency-bound.
struct HugeBuffer {
  struct Free {
    void operator()(double* p) const { std::free(p); }
  };
  std::unique_ptr<double, Free> memory;
  explicit HugeBuffer(std::size_t doubles) {
    constexpr std::size_t kHuge = std::size_t(2) << 20;
    const std::size_t bytes = (doubles * sizeof(double) + kHuge - 1) / kHuge * kHuge;
    memory.reset(static_cast<double*>(std::aligned_alloc(kHuge, std::max(bytes, kHuge))));
    if (!memory) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(memory.get(), bytes, MADV_HUGEPAGE);  // a hint: without it, 4 KB pages
#endif
  }
};

/// Row i of x, then y_i and ||x_i||^2, contiguous: one sampled row is one run of cache lines.
struct Rows {
  HugeBuffer buffer;
  Eigen::Map<RowMajorMatrix> cells;  // n x (d + 2)
  Eigen::Index d;
  Rows(Eigen::Index n, Eigen::Index d_)
      : buffer(std::size_t(n) * std::size_t(d_ + 2)),
        cells(buffer.memory.get(), n, d_ + 2),
        d(d_) {}
};

Rows row_major_rows(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  Rows rows(x.rows(), x.cols());
  constexpr Eigen::Index kBlock = 256;  // copy by blocks of rows: both sides stay in cache
  for (Eigen::Index b = 0; b < x.rows(); b += kBlock) {
    const Eigen::Index m = std::min(kBlock, x.rows() - b);
    rows.cells.middleRows(b, m).leftCols(x.cols()) = x.middleRows(b, m);
    rows.cells.middleRows(b, m).col(x.cols()) = y.segment(b, m);
    for (Eigen::Index i = b; i < b + m; ++i)
      rows.cells(i, x.cols() + 1) = rows.cells.row(i).head(x.cols()).squaredNorm();
  }
  return rows;
}

Eigen::VectorXd clipped_sum(const Rows& data, const Eigen::VectorXd& w, double b,
                            const std::vector<Eigen::Index>& rows, double clip) {
  const Eigen::Index d = data.d, width = d + 2;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(d + 1);
  // Sampled rows are ~1/q rows apart: the hardware prefetcher cannot guess the next one, so it
  // is asked for a couple of rows ahead.
  constexpr std::size_t kAhead = 16;
  const auto prefetch_row = [&](Eigen::Index i) {
    const char* begin = reinterpret_cast<const char*>(data.cells.data() + i * width);
    for (Eigen::Index byte = 0; byte < width * Eigen::Index(sizeof(double)); byte += 64)
      __builtin_prefetch(begin + byte, 0, 1);
  };
  for (std::size_t k = 0; k < std::min(kAhead, rows.size()); ++k) prefetch_row(rows[k]);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (k + kAhead < rows.size()) prefetch_row(rows[k + kAhead]);
    const auto row = data.cells.row(rows[k]);
    const double residual = sigmoid(row.head(d).dot(w.transpose()) + b) - row(d);
    const double norm = std::abs(residual) * std::sqrt(row(d + 1) + 1.0);
    const double coef = residual * clip_scale(norm, clip);
    sum.head(d) += coef * row.head(d).transpose();
    sum[d] += coef;
  }
  return sum;
}

}  // namespace

Eigen::VectorXd clipped_gradient_sum(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     const Eigen::VectorXd& row_sq_norms, const Eigen::VectorXd& w,
                                     double b, const std::vector<Eigen::Index>& rows, double clip) {
  // The trainer's kernel on the gathered rows (with the caller's norms).
  Rows batch = row_major_rows(x(rows, Eigen::all), y(rows));
  batch.cells.col(x.cols() + 1) = row_sq_norms(rows);
  std::vector<Eigen::Index> local(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) local[k] = static_cast<Eigen::Index>(k);
  return clipped_sum(batch, w, b, local, clip);
}

LogisticFit train_dp_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                              const DpSgdConfig& config, const KeepGoing& keep_going) {
  check_config(config);
  check_data(x, y);
  const Eigen::Index n = x.rows(), d = x.cols();
  const Rows data = row_major_rows(x, y);
  const double expected_batch = config.sampling_rate * static_cast<double>(n);
  const double noise_sd = config.noise_multiplier * config.clip;
  const std::uint64_t sampler_seed = sampling_seed(config.seed);
  GaussianStream noise(noise_seed(config.seed));
  LogisticFit fit;
  fit.weights = Eigen::VectorXd::Zero(d);
  const std::int64_t report_every = std::max<std::int64_t>(1, config.steps / 100);
  // Rows are cut in two halves when n is large (the cut depends on n only): each half's batch
  // rows are sampled and its clipped sum computed on its own thread when there are two, and the
  // step's sum is always half 0's plus half 1's, so the bits do not depend on the threads. The
  // batches do not depend on the weights, so step t + 1's halves are drawn during step t.
  const int halves = parts_for(n);
  const bool parallel = halves == 2 && config.threads >= 2;
  std::vector<Eigen::Index> batch[2], next[2];
  Eigen::VectorXd half_sum[2];
  auto sample = [&](std::int64_t step, int h, std::vector<Eigen::Index>& out) {
    out.clear();
    sample_part(sampler_seed, step, n, config.sampling_rate, h, out);
  };
  auto work = [&](std::int64_t step, int h) {
    half_sum[h] = clipped_sum(data, fit.weights, fit.intercept, batch[h], config.clip);
    if (step + 1 < config.steps) sample(step + 1, h, next[h]);
  };
  for (int h = 0; h < halves; ++h) sample(0, h, batch[h]);
  for (std::int64_t step = 0; step < config.steps; ++step) {
    if (keep_going && step % report_every == 0 &&
        !keep_going(static_cast<double>(step) / static_cast<double>(config.steps)))
      throw std::runtime_error("training cancelled");
    if (parallel) {
      std::future<void> other = std::async(std::launch::async, work, step, 1);
      work(step, 0);
      other.get();
    } else {
      for (int h = 0; h < halves; ++h) work(step, h);
    }
    Eigen::VectorXd g = half_sum[0];
    for (int h = 0; h < halves; ++h) {
      if (h > 0) g += half_sum[h];
      fit.sampled_rows += static_cast<std::int64_t>(batch[h].size());
      batch[h].swap(next[h]);
    }
    if (noise_sd > 0.0)
      for (Eigen::Index k = 0; k <= d; ++k) g[k] += noise_sd * noise.next();
    g /= expected_batch;
    g.head(d) += config.l2 * fit.weights;
    fit.weights -= config.learning_rate * g.head(d);
    fit.intercept -= config.learning_rate * g[d];
  }
  fit.steps = config.steps;
  return fit;
}

}  // namespace clinflow::dp
