// Implementation notes: every C API call goes through check(), which turns a non-zero return
// into a StepError carrying XGBGetLastError() (xgboost's messages name parameters and shapes,
// not cell values). Handles live in small RAII holders so an exception (a failing call, a
// cancelled run) never leaks a booster. Matrices are copied once into row-major float buffers
// (dense: XGDMatrixCreateFromMat with missing = 0; sparse: CSR of the non-zero cells), which
// give xgboost the same entries, hence the same trees; xgboost computes in float anyway. Zero
// as missing is what makes the sparse path possible: a 52k x 2,200 one-hot design trains from
// ~1% of its cells.
//
// Determinism: tree_method "hist" with a fixed nthread builds and sums histograms in a fixed
// order, and row sampling draws from xgboost's own generator seeded with `seed`, so the same
// data, options and library version give the same trees and the same saved bytes.
#include "xgboost_model.hpp"

#include <xgboost/c_api.h>

#include <clinflow/plugin.hpp>
#include <cmath>
#include <limits>
#include <memory>

namespace clinflow::builtin {
namespace {

std::string prefix(const std::string& step) {
  return step.empty() ? std::string() : step + ": ";
}

void check(int rc, const char* call, const std::string& step) {
  if (rc == 0) return;
  const char* why = XGBGetLastError();
  throw StepError(prefix(step) + "libxgboost " + call +
                  " failed: " + (why && *why ? why : "no message"));
}

struct DMatrixFree {
  void operator()(void* h) const { XGDMatrixFree(h); }
};
struct BoosterFree {
  void operator()(void* h) const { XGBoosterFree(h); }
};
using DMatrix = std::unique_ptr<void, DMatrixFree>;
using Booster = std::unique_ptr<void, BoosterFree>;

/// A double as the float xgboost stores; an infinite value, or one beyond float's range, is an
/// error naming the feature column.
float to_float(double v, Eigen::Index column, const std::string& step) {
  if (std::isinf(v) || (std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max()))
    throw StepError(prefix(step) + "feature column " + std::to_string(column) +
                    " holds a value xgboost cannot represent (infinite or beyond float range)");
  return float(v);
}

/// `X` as a row-major float DMatrix; zero and NaN cells are missing (kZeroIsMissing).
DMatrix dmatrix(const Eigen::MatrixXd& X, const std::string& step) {
  std::vector<float> data(std::size_t(X.rows()) * std::size_t(X.cols()));
  for (Eigen::Index j = 0; j < X.cols(); ++j)
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      data[std::size_t(i) * std::size_t(X.cols()) + std::size_t(j)] = to_float(X(i, j), j, step);
    }
  DMatrixHandle h = nullptr;
  check(XGDMatrixCreateFromMat(data.data(), bst_ulong(X.rows()), bst_ulong(X.cols()), 0.0f, &h),
        "XGDMatrixCreateFromMat", step);
  return DMatrix(h);
}

/// `X` as a CSR float DMatrix: the stored non-zero cells, so the same matrix dense or sparse
/// gives the same DMatrix (a cell that rounds to float zero is dropped, as dense drops it).
DMatrix dmatrix(const Eigen::SparseMatrix<double>& X, const std::string& step) {
  std::vector<std::size_t> indptr(std::size_t(X.rows()) + 1, 0);
  for (Eigen::Index j = 0; j < X.outerSize(); ++j)
    for (Eigen::SparseMatrix<double>::InnerIterator it(X, j); it; ++it)
      if (to_float(it.value(), j, step) != 0.0f) ++indptr[std::size_t(it.row()) + 1];
  for (std::size_t r = 0; r < std::size_t(X.rows()); ++r) indptr[r + 1] += indptr[r];
  std::vector<unsigned> indices(indptr.back());
  std::vector<float> values(indptr.back());
  std::vector<std::size_t> next(indptr.begin(), indptr.end() - 1);
  // Columns in ascending order, so each row's column indices come out sorted.
  for (Eigen::Index j = 0; j < X.outerSize(); ++j)
    for (Eigen::SparseMatrix<double>::InnerIterator it(X, j); it; ++it) {
      const float v = float(it.value());
      if (v == 0.0f) continue;
      const std::size_t k = next[std::size_t(it.row())]++;
      indices[k] = unsigned(j);
      values[k] = v;
    }
  DMatrixHandle h = nullptr;
  check(XGDMatrixCreateFromCSREx(indptr.data(), indices.data(), values.data(), indptr.size(),
                                 values.size(), std::size_t(X.cols()), &h),
        "XGDMatrixCreateFromCSREx", step);
  return DMatrix(h);
}

void set(const Booster& b, const char* name, const std::string& value, const std::string& step) {
  check(XGBoosterSetParam(b.get(), name, value.c_str()), "XGBoosterSetParam", step);
}

Booster new_booster(const DMatrix* train, const std::string& step) {
  BoosterHandle h = nullptr;
  DMatrixHandle dm[1] = {train ? train->get() : nullptr};
  check(XGBoosterCreate(dm, train ? 1 : 0, &h), "XGBoosterCreate", step);
  Booster b(h);
  set(b, "verbosity", "0", step);  // no chatter on stdout/stderr from inside a step
  return b;
}

std::vector<double> scores(const Booster& b, const DMatrix& dm, const std::string& step) {
  bst_ulong n = 0;
  const float* out = nullptr;
  check(XGBoosterPredict(b.get(), dm.get(), 0, 0, 0, &n, &out), "XGBoosterPredict", step);
  return std::vector<double>(out, out + n);
}

void validate(const XgboostOptions& o, const std::string& step) {
  auto bad = [&](const std::string& what) { throw StepError(prefix(step) + what); };
  if (o.rounds < 1) bad("rounds must be at least 1, got " + std::to_string(o.rounds));
  if (o.max_depth < 1 || o.max_depth > 32)
    bad("max_depth must be in [1, 32], got " + std::to_string(o.max_depth));
  if (!(o.eta > 0 && o.eta <= 1))
    bad("eta must be in (0, 1], got " + clinflow::detail::format_double(o.eta));
  if (!(o.subsample > 0 && o.subsample <= 1))
    bad("subsample must be in (0, 1], got " + clinflow::detail::format_double(o.subsample));
  if (o.threads < 1) bad("threads must be at least 1, got " + std::to_string(o.threads));
  if (o.format != "ubj" && o.format != "json")
    bad("booster format must be ubj or json, got '" + o.format + "'");
}

/// Throws unless options, shape and labels make a training problem.
void check_problem(Eigen::Index rows, Eigen::Index cols, const Eigen::VectorXd& y,
                   const XgboostOptions& o, const std::string& step) {
  validate(o, step);
  if (rows == 0 || cols == 0)
    throw StepError(prefix(step) + "nothing to train on (" + std::to_string(rows) + " rows, " +
                    std::to_string(cols) + " features)");
  if (y.size() != rows)
    throw StepError(prefix(step) + "labels (" + std::to_string(y.size()) + ") and rows (" +
                    std::to_string(rows) + ") differ in number");
}

XgboostFit train_on(const DMatrix& train, const Eigen::VectorXd& y, const XgboostOptions& o,
                    const std::string& step) {
  const std::vector<float> label(y.data(), y.data() + y.size());
  check(XGDMatrixSetFloatInfo(train.get(), "label", label.data(), bst_ulong(label.size())),
        "XGDMatrixSetFloatInfo", step);

  const Booster b = new_booster(&train, step);
  set(b, "objective", "binary:logistic", step);
  set(b, "tree_method", "hist", step);
  set(b, "nthread", std::to_string(o.threads), step);
  // xgboost's seed is a signed 64-bit integer: keep 63 bits of ours.
  set(b, "seed", std::to_string(o.seed >> 1), step);
  set(b, "max_depth", std::to_string(o.max_depth), step);
  set(b, "eta", clinflow::detail::format_double(o.eta), step);
  set(b, "subsample", clinflow::detail::format_double(o.subsample), step);
  for (int round = 0; round < o.rounds; ++round) {
    check(XGBoosterUpdateOneIter(b.get(), round, train.get()), "XGBoosterUpdateOneIter", step);
    if (o.on_round) o.on_round(round + 1);
  }

  XgboostFit fit;
  fit.train_risk = scores(b, train, step);
  bst_ulong len = 0;
  const char* bytes = nullptr;
  const std::string config = "{\"format\": \"" + o.format + "\"}";
  check(XGBoosterSaveModelToBuffer(b.get(), config.c_str(), &len, &bytes),
        "XGBoosterSaveModelToBuffer", step);
  fit.booster.assign(bytes, len);  // copied before the next call reuses xgboost's buffer
  return fit;
}

}  // namespace

XgboostFit xgboost_train(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                         const XgboostOptions& options, const std::string& step) {
  check_problem(X.rows(), X.cols(), y, options, step);
  return train_on(dmatrix(X, step), y, options, step);
}

XgboostFit xgboost_train(const Eigen::SparseMatrix<double>& X, const Eigen::VectorXd& y,
                         const XgboostOptions& options, const std::string& step) {
  check_problem(X.rows(), X.cols(), y, options, step);
  return train_on(dmatrix(X, step), y, options, step);
}

namespace {

/// A booster loaded from saved bytes, checked to expect `columns` features.
Booster load(const std::string& booster_bytes, Eigen::Index columns, int threads) {
  const std::string step = "xgboost";
  if (booster_bytes.empty()) throw StepError("xgboost: the model holds no booster bytes");
  Booster b = new_booster(nullptr, step);
  check(
      XGBoosterLoadModelFromBuffer(b.get(), booster_bytes.data(), bst_ulong(booster_bytes.size())),
      "XGBoosterLoadModelFromBuffer", step);
  set(b, "nthread", std::to_string(threads < 1 ? 1 : threads), step);
  bst_ulong features = 0;
  check(XGBoosterGetNumFeature(b.get(), &features), "XGBoosterGetNumFeature", step);
  if (bst_ulong(columns) != features)
    throw StepError(std::string("xgboost: the booster was trained on ")
                        .append(std::to_string(features))
                        .append(" features but the matrix has ")
                        .append(std::to_string(columns)));
  return b;
}

}  // namespace

std::vector<double> xgboost_predict(const std::string& booster_bytes, const Eigen::MatrixXd& X,
                                    int threads) {
  const Booster b = load(booster_bytes, X.cols(), threads);
  if (X.rows() == 0) return {};
  return scores(b, dmatrix(X, "xgboost"), "xgboost");
}

std::vector<double> xgboost_predict(const std::string& booster_bytes,
                                    const Eigen::SparseMatrix<double>& X, int threads) {
  const Booster b = load(booster_bytes, X.cols(), threads);
  if (X.rows() == 0) return {};
  return scores(b, dmatrix(X, "xgboost"), "xgboost");
}

std::string xgboost_version() {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace clinflow::builtin
