// Shared fixtures for the plugin tests: a recording Context and the build's plugin folders.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>

#include <clinflow/plugin.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace clinflow_test {

/// A Context that records log lines and never cancels.
class FakeContext : public clinflow::Context {
 public:
  explicit FakeContext(std::uint64_t seed = 7) : seed_(seed) {}
  std::uint64_t seed() const override { return seed_; }
  const std::string& step_name() const override { return name_; }
  void progress(double) override {}
  bool cancelled() const override { return false; }
  void log(const std::string& line) override { lines.push_back(line); }
  std::vector<std::string> lines;

 private:
  std::uint64_t seed_;
  std::string name_ = "test_step";
};

/// A fresh, empty temporary folder, removed when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "clinflow-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// What a command printed (stdout and stderr) and its exit code (-1 when it did not exit).
struct CommandResult {
  int exit_code = -1;
  std::string output;
};

/// Runs `clinflow ARGS` (the binary at `clinflow`) in folder `dir` with the built-in plugins
/// only; its output goes to dir/out.txt and is returned.
inline CommandResult run_clinflow(const std::filesystem::path& dir, const std::string& clinflow,
                                  const std::string& args) {
  const std::string out = (dir / "out.txt").string();
  const std::string cmd = "cd '" + dir.string() + "' && env -u CLINFLOW_PLUGIN_PATH '" + clinflow +
                          "' " + args + " > '" + out + "' 2>&1";
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out);
  r.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return r;
}

}  // namespace clinflow_test
