// One pass over the rows of X giving the loss, the gradient and (on request) the Hessian of the
// penalised logistic loss, for dense and sparse X. Header-only so logistic_fit.cpp stays the
// one source file the plugin and the tests compile.
//
// Why it is shaped like this (1M x 100 dense is the target, see bench/training):
// - Fused: the margins, residuals, gradient and Hessian of a block of rows are computed while
//   the block is in cache, so each evaluation reads X from memory once.
// - Deterministic whatever the thread count: rows are cut into chunks whose size depends only
//   on n and p; each chunk's partial sums are computed in a fixed order, stored, and added up in
//   chunk order. Threads only decide who computes which chunk.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

namespace clinflow::builtin::logistic::passes {

/// log(1 + exp(z)) without overflow.
inline double softplus(double z) {
  return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

inline double sigmoid(double z) {
  if (z >= 0) return 1 / (1 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1 + e);
}

/// Sums over some rows: unpenalised loss, gradient (intercept last) and, when asked, the lower
/// triangle of the Hessian (intercept last).
struct Sums {
  double loss = 0;
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  void reset(Eigen::Index dims, bool hessian) {
    loss = 0;
    g.setZero(dims);
    if (hessian) h.setZero(dims, dims);
  }
};

/// Residual s (p - y) and curvature s p (1 - p) of one row; adds its loss term.
inline void row_terms(double z, double y, double s, double& loss, double& r, double& d) {
  if (s == 0) {
    r = d = 0;
    return;
  }
  loss += s * (softplus(z) - y * z);
  const double p = sigmoid(z);
  r = s * (p - y);
  d = s * p * (1 - p);
}

/// Rows per block: the block's columns (p x 256 doubles, 200 KB at p = 100) stay in L2 between
/// the margin product, the gradient product and the Hessian update.
constexpr Eigen::Index kBlockRows = 256;

/// Dense rows [begin, end): blocks of kBlockRows, each read once from memory. The Hessian sums
/// the rows whose index is a multiple of `stride` (0: no Hessian), each counted `stride` times.
inline void dense_chunk(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                        const Eigen::VectorXd& s, const Eigen::VectorXd& theta, Eigen::Index begin,
                        Eigen::Index end, Eigen::Index stride, Sums& out) {
  const Eigen::Index p = x.cols();
  out.reset(p + 1, stride > 0);
  Eigen::VectorXd z(kBlockRows), r(kBlockRows), d(kBlockRows);
  Eigen::MatrixXd scaled(stride == 1 ? kBlockRows : 0, p);
  // Sampled rows, row-major so gathering writes contiguously, and their d-scaled copies.
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMajor picked(stride > 1 ? kBlockRows : 0, p), picked_scaled(stride > 1 ? kBlockRows : 0, p);
  Eigen::Index k = 0;  // rows waiting in picked
  auto flush = [&] {
    if (k == 0) return;  // Eigen divides by the depth of an empty product
    out.h.topLeftCorner(p, p).triangularView<Eigen::Lower>() +=
        picked.topRows(k).transpose() * picked_scaled.topRows(k);
    out.h.row(p).head(p) += picked_scaled.topRows(k).colwise().sum();
    k = 0;
  };
  for (Eigen::Index b = begin; b < end; b += kBlockRows) {
    const Eigen::Index m = std::min(kBlockRows, end - b);
    const auto xb = x.middleRows(b, m);
    z.head(m).noalias() = xb * theta.head(p);
    for (Eigen::Index i = 0; i < m; ++i)
      row_terms(z(i) + theta(p), y(b + i), s(b + i), out.loss, r(i), d(i));
    out.g.head(p).noalias() += xb.transpose() * r.head(m);
    out.g(p) += r.head(m).sum();
    if (stride == 0) continue;
    if (stride == 1) {
      scaled.topRows(m) = xb.array().colwise() * d.head(m).array();
      out.h.topLeftCorner(p, p).triangularView<Eigen::Lower>() +=
          xb.transpose() * scaled.topRows(m);
      out.h.row(p).head(p).noalias() += d.head(m).transpose() * xb;
      out.h(p, p) += d.head(m).sum();
      continue;
    }
    // Sampled rows are gathered across blocks and multiplied kBlockRows at a time.
    for (Eigen::Index i = (stride - b % stride) % stride; i < m; i += stride) {
      picked.row(k) = xb.row(i);
      picked_scaled.row(k) = (double(stride) * d(i)) * picked.row(k);
      out.h(p, p) += double(stride) * d(i);
      if (++k == kBlockRows) flush();
    }
  }
  if (stride > 1) flush();
}

/// Sparse rows [begin, end) of a row-major copy: O(non-zeros) for the gradient and
/// O(sum of non-zeros per row squared) for the Hessian (rows sampled as in dense_chunk).
inline void sparse_chunk(const Eigen::SparseMatrix<double, Eigen::RowMajor>& x,
                         const Eigen::VectorXd& y, const Eigen::VectorXd& s,
                         const Eigen::VectorXd& theta, Eigen::Index begin, Eigen::Index end,
                         Eigen::Index stride, Sums& out) {
  using It = Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator;
  const Eigen::Index p = x.cols();
  out.reset(p + 1, stride > 0);
  for (Eigen::Index i = begin; i < end; ++i) {
    double z = theta(p);
    for (It a(x, i); a; ++a) z += a.value() * theta(a.index());
    double r, d;
    row_terms(z, y(i), s(i), out.loss, r, d);
    if (r == 0 && d == 0) continue;
    for (It a(x, i); a; ++a) out.g(a.index()) += r * a.value();
    out.g(p) += r;
    if (stride == 0 || i % stride != 0) continue;
    d *= double(stride);
    // Inner indices are increasing, so (a, c) with c up to a lands in the lower triangle.
    for (It a(x, i); a; ++a) {
      const double da = d * a.value();
      double* column_a_row = out.h.data() + a.index();  // h(., .) column-major: h(a, c)
      for (It c(x, i); c && c.index() <= a.index(); ++c)
        column_a_row[c.index() * out.h.rows()] += da * c.value();
      out.h(p, a.index()) += da;
    }
    out.h(p, p) += d;
  }
}

/// Chunk size: 16384 rows, or more when the chunks' partial Hessians would exceed ~64 MB.
/// Depends only on the shape, never on the thread count.
inline Eigen::Index chunk_rows(Eigen::Index n, Eigen::Index dims) {
  const double hessian_bytes = 8.0 * double(dims) * double(dims);
  const Eigen::Index max_chunks = std::max<Eigen::Index>(2, Eigen::Index(64e6 / hessian_bytes));
  return std::max<Eigen::Index>({Eigen::Index(16384), (n + max_chunks - 1) / max_chunks, 1});
}

/// Calls work(chunk) for chunk in [0, chunks) on up to `threads` threads.
template <class Work>
void for_each_chunk(Eigen::Index chunks, int threads, const Work& work) {
  const int workers = int(std::min<Eigen::Index>(std::max(threads, 1), chunks));
  if (workers <= 1) {
    for (Eigen::Index c = 0; c < chunks; ++c) work(c);
    return;
  }
  std::atomic<Eigen::Index> next{0};
  auto loop = [&] {
    for (Eigen::Index c = next++; c < chunks; c = next++) work(c);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < workers; ++t) pool.emplace_back(loop);
  loop();
  for (auto& t : pool) t.join();
}

}  // namespace clinflow::builtin::logistic::passes
