// The compiler's leakage check, through `clinflow check`: fitting preprocessing on a test part
// is refused; the ordinary fit-on-train, apply-to-both pipeline is accepted.
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "support.hpp"

namespace {

struct CheckResult {
  int exit_code = -1;
  std::string output;
};

CheckResult clinflow_check(const std::string& steps) {
  namespace fs = std::filesystem;
  std::string pattern = (fs::temp_directory_path() / "clinflow-features-XXXXXX").string();
  const fs::path dir = mkdtemp(pattern.data());
  const fs::path wf = dir / "wf.toml";
  std::ofstream(wf) << "[workflow]\nname = \"leak\"\nversion = \"1.0.0\"\nseed = 1\n\n"
                       "[flow]\nsteps = '''\n"
                    << steps << "'''\n";
  const fs::path out = dir / "out.txt";
  const std::string cmd = "cd '" + dir.string() + "' && CLINFLOW_PLUGIN_PATH='" +
                          CLINFLOW_TEST_PLUGIN_DIR + "' '" + CLINFLOW_BIN + "' check wf.toml > '" +
                          out.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  CheckResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out);
  r.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  fs::remove_all(dir);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(leakage_check)

BOOST_AUTO_TEST_CASE(fitting_preprocessing_on_the_test_part_is_refused) {
  const CheckResult r = clinflow_check(
      "data        = t_source(rows: 100)\n"
      "train, test = t_split(data, test_fraction: 0.25)\n"
      "prep        = fit_preprocessing(test)\n"
      "ready       = apply_preprocessing(train, prep)\n"
      "model       = t_fit(ready)\n");
  BOOST_TEST_INFO(r.output);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.output.find("fitting 'prep' on test part 'test'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_model_evaluated_on_preprocessing_of_train_data_is_refused) {
  // Applying train statistics is fine; evaluating on the TRAIN part (via apply) is not.
  const CheckResult r = clinflow_check(
      "data        = t_source(rows: 100)\n"
      "train, test = t_split(data, test_fraction: 0.25)\n"
      "prep        = fit_preprocessing(train)\n"
      "tr          = apply_preprocessing(train, prep)\n"
      "model       = t_fit(tr)\n"
      "eval        = t_eval(model, tr)\n");
  BOOST_TEST_INFO(r.output);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.output.find("overlaps its training data") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(fit_on_train_apply_to_both_is_accepted) {
  const CheckResult r = clinflow_check(
      "data        = t_source(rows: 100)\n"
      "train, test = t_split(data, test_fraction: 0.25)\n"
      "prep        = fit_preprocessing(train, impute: median, scale: standard)\n"
      "tr          = apply_preprocessing(train, prep)\n"
      "te          = apply_preprocessing(test, prep)\n"
      "model       = t_fit(tr)\n"
      "eval        = t_eval(model, te)\n");
  BOOST_TEST_INFO(r.output);
  BOOST_TEST(r.exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()
