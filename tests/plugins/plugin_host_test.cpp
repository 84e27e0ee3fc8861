// Loader tests: the good test library, every bad file, duplicates, search folders.
#define BOOST_TEST_MODULE plugins
#include <boost/test/unit_test.hpp>
#include <clinflow/core/hash.hpp>
#include <clinflow/core/plugin_host.hpp>
#include <clinflow/rdp.hpp>
#include <cstdlib>

#include "test_support.hpp"

namespace {

const std::string kGood = CLINFLOW_TEST_PLUGIN_DIR "/libclinflow_test_plugins.so";
const std::string kBad = CLINFLOW_TEST_PLUGIN_DIR "/bad";
const std::string kDup = CLINFLOW_TEST_PLUGIN_DIR "/dup";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Loads one bad file and returns its single error line.
std::string single_error(const std::string& file) {
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  BOOST_TEST(!registry.load_library(file, errors));
  BOOST_TEST_REQUIRE(errors.size() == 1u);
  BOOST_TEST(registry.names().empty());
  BOOST_TEST(contains(errors[0], "clinflow: error: "));
  BOOST_TEST(contains(errors[0], file));
  return errors[0];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plugin_host)

BOOST_AUTO_TEST_CASE(good_library_registers_every_test_step) {
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  BOOST_TEST(registry.load_library(kGood, errors));
  BOOST_TEST(errors.empty());
  const std::vector<std::string> expected = {
      "t_apply",  "t_bad_outputs", "t_concat", "t_crash_std", "t_deid",     "t_dp",
      "t_eval",   "t_export",      "t_fit",    "t_join",      "t_metrics",  "t_sleep",
      "t_source", "t_split",       "t_split3", "t_throw",     "t_transform"};
  BOOST_TEST(registry.names() == expected, boost::test_tools::per_element());
  const clinflow::LoadedPlugin* source = registry.find("t_source");
  BOOST_TEST_REQUIRE(source != nullptr);
  BOOST_TEST(source->library == kGood);
  BOOST_TEST(source->binary_hash == clinflow::sha256_file(kGood));
  BOOST_TEST(registry.find("no_such_step") == nullptr);
  // A second load of the same file is a no-op, not a duplicate.
  BOOST_TEST(registry.load_library(kGood, errors));
  BOOST_TEST(errors.empty());
}

BOOST_AUTO_TEST_CASE(steps_run_and_errors_cross_the_boundary) {
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  BOOST_TEST_REQUIRE(registry.load_library(kGood, errors));
  clinflow_test::FakeContext ctx(42);
  clinflow::Outputs out = registry.find("t_source")->plugin->run(ctx, {}, {{"rows", 3}});
  BOOST_TEST_REQUIRE(out.size() == 1u);
  BOOST_TEST(out[0].bytes == "rows=3 seed=42");
  BOOST_TEST(out[0].type == "table");
  const clinflow::Plugin* thrower = registry.find("t_throw")->plugin;
  BOOST_CHECK_EXCEPTION(
      thrower->run(ctx, {}, {{"message", "kaput"}}), clinflow::StepError,
      [](const clinflow::StepError& e) { return std::string(e.what()) == "kaput"; });
}

BOOST_AUTO_TEST_CASE(dp_step_spends_what_its_parameters_say) {
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  BOOST_TEST_REQUIRE(registry.load_library(kGood, errors));
  const clinflow::Plugin* dp = registry.find("t_dp")->plugin;
  BOOST_TEST(dp->manifest().safety.differentially_private);
  auto fixed = dp->privacy_spend({{"noise_multiplier", 1.3}, {"steps", 50}});
  BOOST_TEST_REQUIRE(fixed.size() == 1u);
  BOOST_TEST(fixed[0].noise_multiplier == 1.3);
  BOOST_TEST(fixed[0].sampling_rate == 0.01);
  BOOST_TEST(fixed[0].steps == 50);
  auto calibrated = dp->privacy_spend({{"epsilon", 1.0}});
  BOOST_TEST_REQUIRE(calibrated.size() == 1u);
  BOOST_TEST(calibrated[0].noise_multiplier > 0.1);
  BOOST_TEST(clinflow::rdp::epsilon(calibrated, 1e-5) <= 1.0 + 1e-9);
}

BOOST_AUTO_TEST_CASE(garbage_is_not_a_shared_library) {
  const std::string e = single_error(kBad + "/garbage.so");
  BOOST_TEST(contains(e, "not a shared library or cannot be loaded: "));
  BOOST_TEST(contains(e, "garbage.so: "));  // the dlerror text, which names the file again
}

BOOST_AUTO_TEST_CASE(library_without_symbols_is_not_a_plugin) {
  const std::string file = kBad + "/libnot_a_plugin.so";
  BOOST_TEST(single_error(file) ==
             "clinflow: error: " + file +
                 " is not a clinflow plugin: no symbol 'clinflow_abi_version'");
}

BOOST_AUTO_TEST_CASE(abi_mismatch_names_both_versions) {
  const std::string file = kBad + "/libbad_abi.so";
  const std::string e = single_error(file);
  BOOST_TEST(contains(e, "built for plugin ABI version 999"));
  BOOST_TEST(contains(
      e, "this clinflow uses plugin ABI version " + std::to_string(clinflow::kPluginAbiVersion)));
}

BOOST_AUTO_TEST_CASE(missing_register_function) {
  const std::string e = single_error(kBad + "/libno_entry.so");
  BOOST_TEST(contains(e, "is not a clinflow plugin: no symbol 'clinflow_register'"));
}

BOOST_AUTO_TEST_CASE(exception_during_registration) {
  const std::string e = single_error(kBad + "/libthrows_on_register.so");
  BOOST_TEST(contains(e, "plugin registration failed: registration exploded on purpose"));
}

BOOST_AUTO_TEST_CASE(missing_file) {
  const std::string e = single_error(kBad + "/no_such_plugin.so");
  BOOST_TEST(contains(e, "no such plugin file"));
}

BOOST_AUTO_TEST_CASE(bad_folder_reports_every_file_in_order_and_goes_on) {
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  registry.load_directory(kBad, errors);
  BOOST_TEST_REQUIRE(errors.size() == 5u);
  BOOST_TEST(contains(errors[0], "garbage.so"));
  BOOST_TEST(contains(errors[1], "libbad_abi.so"));
  BOOST_TEST(contains(errors[4], "libthrows_on_register.so"));
  registry.load_directory(CLINFLOW_TEST_PLUGIN_DIR, errors);
  BOOST_TEST(errors.size() == 5u);
  BOOST_TEST(registry.find("t_source") != nullptr);
}

BOOST_AUTO_TEST_CASE(duplicate_step_names_both_files) {
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  registry.load_directory(CLINFLOW_TEST_PLUGIN_DIR, errors);
  BOOST_TEST(errors.empty());
  registry.load_directory(kDup, errors);
  BOOST_TEST_REQUIRE(errors.size() == 1u);
  const std::string dup = kDup + "/libdup_source.so";
  BOOST_TEST(errors[0] ==
             "clinflow: error: " + dup + ": step 't_source' is already registered by " + kGood);
  BOOST_TEST(registry.find("t_source")->library == kGood);
  BOOST_TEST(registry.find("t_source")->plugin->manifest().version == "1.0.0");
}

BOOST_AUTO_TEST_CASE(missing_folder) {
  clinflow::PluginRegistry registry;
  std::vector<std::string> errors;
  registry.load_directory("/nonexistent/clinflow-plugins", errors, false);
  BOOST_TEST(errors.empty());
  registry.load_directory("/nonexistent/clinflow-plugins", errors, true);
  BOOST_TEST_REQUIRE(errors.size() == 1u);
  BOOST_TEST(errors[0] ==
             "clinflow: error: plugin folder '/nonexistent/clinflow-plugins' does not exist");
  BOOST_TEST(registry.searched().size() == 2u);
}

BOOST_AUTO_TEST_CASE(default_directories_end_with_the_environment_path) {
  setenv("CLINFLOW_PLUGIN_PATH", "/opt/team-a/plugins::/opt/team-b", 1);
  std::vector<std::string> dirs = clinflow::PluginRegistry::default_directories();
  BOOST_TEST_REQUIRE(dirs.size() >= 2u);
  BOOST_TEST(dirs[dirs.size() - 2] == "/opt/team-a/plugins");
  BOOST_TEST(dirs.back() == "/opt/team-b");
  unsetenv("CLINFLOW_PLUGIN_PATH");
  std::vector<std::string> plain = clinflow::PluginRegistry::default_directories();
  BOOST_TEST(plain.size() == dirs.size() - 2);
  for (const auto& d : plain) BOOST_TEST(!contains(d, "/opt/team"));
}

BOOST_AUTO_TEST_SUITE_END()
