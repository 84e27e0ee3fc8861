// clinflow_training_bench: times clinflow's training kernels on a matrix kept as raw float64
// files, so scikit-learn (bench/training/sklearn_fit.py) fits the very same numbers.
//
//   clinflow_training_bench gen DIR [--rows N] [--cols P] [--seed S] [--factors K]
//   clinflow_training_bench logistic DIR [--l2 L] [--tol T] [--threads K] [--reps R]
//                           [--peer COEF_FILE]
//   clinflow_training_bench dp DIR [--epochs E] [--q Q] [--reps R]
//   clinflow_training_bench design DIR --table ARTIFACT [--exclude COLUMN]
//
// DIR holds x.f64 (n x p, column-major as Eigen stores it: numpy reads it as
// fromfile().reshape(p, n).T), y.f64 (n labels 0/1) and shape.txt ("n p"). Or, for a sparse
// design, csr_indptr.i64, csr_indices.i32, csr_data.f64 (CSR, as scipy.sparse.csr_matrix).
// `design` writes the sparse design of a clinflow table artifact (a file of the project's cache,
// e.g. Diabetes 130-US's train_x) as `logistic` builds it: fit_design, sparse_matrix, labels.
// `gen` plants a logistic model on 1M x 100 by default: K = 10 latent factors shared by groups
// of columns (correlated columns; K = 0: independent standard normal columns, the easy case for
// a quasi-Newton solver), 20 0/1 indicator columns, intercept -1.
// `logistic` times logistic::fit (best of R) and prints key=value lines, among them the
// penalised loss of clinflow's fit and of the peer's coefficients (COEF_FILE: p weights then
// the intercept, whitespace separated), both by penalised_loss() below: one formula for both.
// `dp` times R runs of E epochs of clinflow::dp::train_dp_logistic and a streaming read of the
// same matrix (the sum of all cells), on one thread. The epoch time excludes the trainer's
// setup (checks, row-major copy: a run with 0 steps), printed apart as setup_seconds.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "design.hpp"
#include "dp_random.hpp"
#include "dp_sgd.hpp"
#include "logistic_fit.hpp"

namespace {

namespace lf = clinflow::builtin::logistic;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Args {
  std::string mode, dir;
  long rows = 1000000, cols = 100, reps = 3, threads = 2, factors = 10;
  std::uint64_t seed = 42;
  double l2 = 1.0, tol = 1e-10, epochs = 1, q = 0.01;
  std::string peer, table, exclude;
};

Args parse(int argc, char** argv) {
  if (argc < 3) throw std::runtime_error("usage: clinflow_training_bench gen|logistic|dp DIR ...");
  Args a;
  a.mode = argv[1];
  a.dir = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--rows")
      a.rows = std::stol(v);
    else if (k == "--cols")
      a.cols = std::stol(v);
    else if (k == "--factors")
      a.factors = std::stol(v);
    else if (k == "--seed")
      a.seed = std::stoull(v);
    else if (k == "--reps")
      a.reps = std::stol(v);
    else if (k == "--threads")
      a.threads = std::stol(v);
    else if (k == "--l2")
      a.l2 = std::stod(v);
    else if (k == "--tol")
      a.tol = std::stod(v);
    else if (k == "--epochs")
      a.epochs = std::stod(v);
    else if (k == "--q")
      a.q = std::stod(v);
    else if (k == "--peer")
      a.peer = v;
    else if (k == "--table")
      a.table = v;
    else if (k == "--exclude")
      a.exclude = v;
    else
      throw std::runtime_error("unknown option " + k);
  }
  return a;
}

template <class T>
void write_raw(const std::string& path, const T* data, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), std::streamsize(count * sizeof(T)));
  if (!out) throw std::runtime_error("cannot write " + path);
}

template <class T>
std::vector<T> read_raw(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<T> v(std::size_t(in.tellg()) / sizeof(T));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), std::streamsize(v.size() * sizeof(T)));
  return v;
}

void generate(const Args& a) {
  const Eigen::Index n = a.rows, p = a.cols, factors = a.factors,
                     indicators = std::min<long>(20, p);
  clinflow::dp::GaussianStream gauss(a.seed);
  clinflow::dp::SplitMix64 uniform(a.seed + 1);
  Eigen::VectorXd w(p);
  for (Eigen::Index j = 0; j < p; ++j) w(j) = 1.5 * gauss.next() / std::sqrt(double(p) / 10);
  Eigen::MatrixXd x(n, p);
  Eigen::VectorXd y(n), f(factors);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index k = 0; k < factors; ++k) f(k) = gauss.next();
    for (Eigen::Index j = 0; j < p - indicators; ++j)
      x(i, j) = factors > 0 ? 0.7 * f(j % factors) + 0.7 * gauss.next() : gauss.next();
    for (Eigen::Index j = p - indicators; j < p; ++j)
      x(i, j) = uniform.uniform() < 0.05 + 0.1 * double(j % 5) ? 1.0 : 0.0;
    const double z = x.row(i).dot(w) - 1.0;
    y(i) = uniform.uniform() < clinflow::dp::sigmoid(z) ? 1.0 : 0.0;
  }
  write_raw(a.dir + "/x.f64", x.data(), std::size_t(x.size()));
  write_raw(a.dir + "/y.f64", y.data(), std::size_t(y.size()));
  std::ofstream(a.dir + "/shape.txt") << n << ' ' << p << '\n';
  std::printf("rows=%ld cols=%ld prevalence=%.4f\n", long(n), long(p), y.mean());
}

void write_design(const Args& a) {
  std::ifstream in(a.table, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) throw std::runtime_error("cannot read " + a.table);
  // A cache object starts with its artifact type and a newline ("table\n"), then the bytes.
  if (bytes.rfind("table\n", 0) == 0) bytes.erase(0, 6);
  namespace cb = clinflow::builtin;
  const cb::Table table = cb::deserialize(bytes, a.table);
  const std::vector<std::string> exclude =
      a.exclude.empty() ? std::vector<std::string>() : std::vector<std::string>{a.exclude};
  const cb::Design design = cb::fit_design(table, exclude, "bench");
  Eigen::SparseMatrix<double, Eigen::RowMajor> x = cb::sparse_matrix(design, table, "bench");
  x.makeCompressed();
  const Eigen::VectorXd y = cb::labels(table, "bench");
  std::vector<std::int64_t> ptr(x.outerIndexPtr(), x.outerIndexPtr() + x.rows() + 1);
  std::vector<std::int32_t> idx(x.innerIndexPtr(), x.innerIndexPtr() + x.nonZeros());
  write_raw(a.dir + "/csr_indptr.i64", ptr.data(), ptr.size());
  write_raw(a.dir + "/csr_indices.i32", idx.data(), idx.size());
  write_raw(a.dir + "/csr_data.f64", x.valuePtr(), std::size_t(x.nonZeros()));
  write_raw(a.dir + "/y.f64", y.data(), std::size_t(y.size()));
  std::ofstream(a.dir + "/shape.txt") << x.rows() << ' ' << x.cols() << '\n';
  std::printf("rows=%ld cols=%ld nonzeros=%ld prevalence=%.4f\n", long(x.rows()), long(x.cols()),
              long(x.nonZeros()), y.mean());
}

struct Data {
  Eigen::MatrixXd dense;
  Eigen::SparseMatrix<double> sparse;
  bool is_sparse = false;
  Eigen::VectorXd y;
  Eigen::Index rows() const { return y.size(); }
};

Data load(const std::string& dir) {
  long n = 0, p = 0;
  std::ifstream(dir + "/shape.txt") >> n >> p;
  if (n <= 0 || p <= 0) throw std::runtime_error("no shape.txt in " + dir);
  Data d;
  const auto y = read_raw<double>(dir + "/y.f64");
  d.y = Eigen::Map<const Eigen::VectorXd>(y.data(), Eigen::Index(y.size()));
  if (std::ifstream(dir + "/csr_indptr.i64")) {
    const auto ptr = read_raw<std::int64_t>(dir + "/csr_indptr.i64");
    const auto idx = read_raw<std::int32_t>(dir + "/csr_indices.i32");
    const auto val = read_raw<double>(dir + "/csr_data.f64");
    std::vector<Eigen::Triplet<double>> t;
    t.reserve(val.size());
    for (long i = 0; i < n; ++i)
      for (auto k = ptr[std::size_t(i)]; k < ptr[std::size_t(i) + 1]; ++k)
        t.emplace_back(i, idx[std::size_t(k)], val[std::size_t(k)]);
    d.sparse.resize(n, p);
    d.sparse.setFromTriplets(t.begin(), t.end());
    d.is_sparse = true;
  } else {
    const auto x = read_raw<double>(dir + "/x.f64");
    d.dense = Eigen::Map<const Eigen::MatrixXd>(x.data(), n, p);
  }
  return d;
}

/// sum_i [log(1 + e^z_i) - y_i z_i] + l2/2 |w|^2 in plain loops, for clinflow's and the peer's
/// coefficients alike; compensated (Kahan) sum so the two losses compare to the last digits.
template <class Margins>
double penalised_loss(const Margins& z, const Eigen::VectorXd& y, const Eigen::VectorXd& w,
                      double l2) {
  double sum = 0, carry = 0;
  auto add = [&](double v) {
    const double t = sum + (v - carry);
    carry = (t - sum) - (v - carry);
    sum = t;
  };
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double zi = z(i);
    add((zi > 0 ? zi + std::log1p(std::exp(-zi)) : std::log1p(std::exp(zi))) - y(i) * zi);
  }
  for (Eigen::Index j = 0; j < w.size(); ++j) add(0.5 * l2 * w(j) * w(j));
  return sum;
}

double loss_of(const Data& d, const Eigen::VectorXd& w, double b, double l2) {
  Eigen::VectorXd z = d.is_sparse ? Eigen::VectorXd(d.sparse * w) : Eigen::VectorXd(d.dense * w);
  z.array() += b;
  return penalised_loss(z, d.y, w, l2);
}

void bench_logistic(const Args& a) {
  const Data d = load(a.dir);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(d.rows());
  lf::Options o;
  o.l2 = a.l2;
  o.tol = a.tol;
  o.threads = int(a.threads);
  double best = 1e300;
  lf::Fit fit;
  for (long r = 0; r < a.reps; ++r) {
    const auto t0 = Clock::now();
    fit = d.is_sparse ? lf::fit(d.sparse, d.y, ones, o) : lf::fit(d.dense, d.y, ones, o);
    best = std::min(best, seconds_since(t0));
  }
  std::printf(
      "rows=%ld cols=%ld sparse=%d threads=%ld tol=%g seconds=%.3f iterations=%d "
      "converged=%d relative_gradient=%.3g loss=%.10f\n",
      long(d.rows()), long(d.is_sparse ? d.sparse.cols() : d.dense.cols()), int(d.is_sparse),
      a.threads, a.tol, best, fit.iterations, int(fit.converged),
      fit.gradient_norm / fit.initial_gradient_norm, loss_of(d, fit.weights, fit.intercept, a.l2));
  if (a.peer.empty()) return;
  std::ifstream in(a.peer);
  Eigen::VectorXd w(fit.weights.size());
  double b = 0;
  for (Eigen::Index j = 0; j < w.size(); ++j) in >> w(j);
  in >> b;
  if (!in) throw std::runtime_error("cannot read coefficients from " + a.peer);
  std::printf("peer_loss=%.10f\n", loss_of(d, w, b, a.l2));
}

/// One streaming read of the matrix: the sum of all cells (4 accumulators so the adds pipeline).
double stream_sum(const Eigen::MatrixXd& x) {
  const double* v = x.data();
  const std::size_t size = std::size_t(x.size());
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= size; i += 4) {
    s0 += v[i];
    s1 += v[i + 1];
    s2 += v[i + 2];
    s3 += v[i + 3];
  }
  for (; i < size; ++i) s0 += v[i];
  return (s0 + s1) + (s2 + s3);
}

void bench_dp(const Args& a) {
  const Data d = load(a.dir);
  if (d.is_sparse) throw std::runtime_error("dp: dense data only");
  double stream = 1e300, check = 0;
  for (long r = 0; r < a.reps; ++r) {
    const auto t0 = Clock::now();
    check += stream_sum(d.dense);
    stream = std::min(stream, seconds_since(t0));
  }
  clinflow::dp::DpSgdConfig c;
  c.sampling_rate = a.q;
  c.steps = std::int64_t(std::ceil(a.epochs / a.q));
  c.clip = 1.0;
  c.noise_multiplier = 1.1;
  c.learning_rate = 0.5;
  c.l2 = 1e-4;
  c.seed = a.seed;
  double best = 1e300, setup = 1e300;
  clinflow::dp::LogisticFit fit;
  for (long r = 0; r < a.reps; ++r) {
    clinflow::dp::DpSgdConfig none = c;  // checks and the row-major copy only
    none.steps = 0;
    auto t0 = Clock::now();
    clinflow::dp::train_dp_logistic(d.dense, d.y, none);
    setup = std::min(setup, seconds_since(t0));
    t0 = Clock::now();
    fit = clinflow::dp::train_dp_logistic(d.dense, d.y, c);
    best = std::min(best, seconds_since(t0));
  }
  const double epoch = (best - setup) / a.epochs;
  std::printf(
      "rows=%ld cols=%ld q=%g steps=%ld epochs=%g seconds=%.3f setup_seconds=%.3f "
      "epoch_seconds=%.4f "
      "epochs_per_second=%.2f stream_seconds=%.4f stream_gb_per_s=%.2f "
      "epoch_over_stream=%.2f loss=%.6f checksum=%.6g\n",
      long(d.rows()), long(d.dense.cols()), a.q, long(c.steps), a.epochs, best, setup, epoch,
      1 / epoch, stream, double(d.dense.size()) * 8 / stream / 1e9, epoch / stream,
      loss_of(d, fit.weights, fit.intercept, 0) / double(d.rows()), check);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args a = parse(argc, argv);
    if (a.mode == "gen")
      generate(a);
    else if (a.mode == "logistic")
      bench_logistic(a);
    else if (a.mode == "dp")
      bench_dp(a);
    else if (a.mode == "design")
      write_design(a);
    else
      throw std::runtime_error("unknown mode " + a.mode);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clinflow_training_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
