// The golden diagnostics suite: every errors/NAME.toml must render exactly NAME.expect, and every
// good/NAME.toml must compile with no diagnostic at all.
//
// Files compile with the working directory set to their folder, so paths print as `NAME.toml`.
// Absolute paths are replaced in the rendering: the plugin folders by ${TEST_PLUGINS} and
// ${BUILTIN_PLUGINS}, the test folder itself (the loader prints absolute paths) by ${HERE}.
// CLINFLOW_UPDATE_GOLDEN=1 rewrites the .expect files (review every change by eye).
#define BOOST_TEST_MODULE dsl_tests
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t i = s.find(from); !from.empty() && i != std::string::npos;
       i = s.find(from, i + to.size()))
    s.replace(i, from.size(), to);
}

/// Changes the working directory for one scope.
struct InDirectory {
  fs::path saved = fs::current_path();
  explicit InDirectory(const fs::path& dir) { fs::current_path(dir); }
  ~InDirectory() { fs::current_path(saved); }
};

struct Result {
  bool compiled = false;
  int count = 0;
  std::string rendered;
};

Result compile_in(const fs::path& dir, const std::string& name) {
  InDirectory cd(dir);
  auto registry = clinflow_test::test_registry();
  clinflow::Diagnostics diags;
  Result r;
  r.compiled = clinflow::dsl::compile_file(name, {}, *registry, diags).has_value();
  r.count = static_cast<int>(diags.all().size());
  r.rendered = diags.render();
  replace_all(r.rendered, CLINFLOW_TEST_PLUGIN_DIR, "${TEST_PLUGINS}");
  replace_all(r.rendered, CLINFLOW_BUILTIN_PLUGIN_DIR, "${BUILTIN_PLUGINS}");
  replace_all(r.rendered, fs::absolute(dir).lexically_normal().string(), "${HERE}");
  return r;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

/// A plain line diff: enough to see what changed in a few lines of diagnostics.
std::string diff(const std::string& expected, const std::string& actual) {
  auto a = lines(expected), b = lines(actual);
  std::ostringstream out;
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  std::size_t ea = a.size(), eb = b.size();
  while (ea > i && eb > i && a[ea - 1] == b[eb - 1]) --ea, --eb;
  out << "@@ line " << i + 1 << " @@\n";
  for (std::size_t k = i; k < ea; ++k) out << "-" << a[k] << "\n";
  for (std::size_t k = i; k < eb; ++k) out << "+" << b[k] << "\n";
  return out.str();
}

std::vector<fs::path> tomls(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".toml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(golden)

BOOST_AUTO_TEST_CASE(bad_workflows_render_exactly) {
  const fs::path dir = fs::path(CLINFLOW_DSL_TEST_DIR) / "errors";
  const bool update = std::getenv("CLINFLOW_UPDATE_GOLDEN") != nullptr &&
                      std::string(std::getenv("CLINFLOW_UPDATE_GOLDEN")) == "1";
  auto files = tomls(dir);
  BOOST_TEST(files.size() >= 45u);
  for (const fs::path& toml : files) {
    const std::string name = toml.filename().string();
    BOOST_TEST_CONTEXT(name) {
      Result r = compile_in(dir, name);
      BOOST_TEST(!r.compiled);
      BOOST_TEST(r.rendered.find(": error: ") != std::string::npos);
      fs::path expect = toml;
      expect.replace_extension(".expect");
      if (update) {
        std::ofstream(expect, std::ios::binary) << r.rendered;
        continue;
      }
      BOOST_TEST_REQUIRE(fs::exists(expect));
      const std::string wanted = read(expect);
      if (wanted != r.rendered) {
        BOOST_ERROR(name + " renders differently:\n" + diff(wanted, r.rendered));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(good_workflows_compile_cleanly) {
  const fs::path dir = fs::path(CLINFLOW_DSL_TEST_DIR) / "good";
  auto files = tomls(dir);
  BOOST_TEST(files.size() >= 3u);
  for (const fs::path& toml : files) {
    BOOST_TEST_CONTEXT(toml.filename().string()) {
      Result r = compile_in(dir, toml.filename().string());
      BOOST_TEST(r.compiled);
      BOOST_TEST(r.count == 0);
      BOOST_TEST(r.rendered == "");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
