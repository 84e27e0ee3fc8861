// File input/output and parameter helpers shared by the built-in plugins.
//
// Implementation notes: gzip is read through zlib's gz* API in 64 KiB chunks; plain files with
// one read. write_file_atomic writes "<name>.tmp-<pid>-<n>" beside the target and renames it, so
// a reader never sees a half-written file and a crash leaves the old file intact.
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "csv.hpp"

namespace clinflow::builtin {
namespace fs = std::filesystem;

namespace {

std::string read_gzip(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw StepError("cannot open '" + path + "'");
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(file, buf, sizeof buf)) > 0) out.append(buf, std::size_t(n));
  int err = Z_OK;
  const char* message = n < 0 ? gzerror(file, &err) : nullptr;
  const std::string reason = message ? message : "";
  gzclose(file);
  if (n < 0) throw StepError("cannot decompress '" + path + "': " + reason);
  return out;
}

}  // namespace

std::string read_file(const std::string& path) {
  if (fs::path(path).extension() == ".gz") return read_gzip(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StepError("cannot open '" + path + "'");
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw StepError("cannot read '" + path + "'");
  return out;
}

void write_file_atomic(const std::string& path, std::string_view bytes) {
  static std::atomic<unsigned> counter{0};
  const fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw StepError("cannot create folder for '" + path + "': " + ec.message());
  }
  const std::string temp =
      path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    if (!out) {
      fs::remove(temp, ec);
      throw StepError("cannot write '" + path + "'");
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw StepError("cannot write '" + path + "': " + ec.message());
  }
}

Value param(const Params& params, const Manifest& manifest, const std::string& name) {
  if (auto it = params.find(name); it != params.end()) return it->second;
  for (const auto& spec : manifest.params)
    if (spec.name == name) return spec.default_value;
  return {};
}

std::vector<std::string> symbol_list(const Value& value) {
  std::vector<std::string> out;
  auto name_of = [](const Value& v) -> std::string {
    if (v.is<Symbol>()) return v.as<Symbol>().name;
    if (v.is<std::string>()) return v.as<std::string>();
    throw StepError("expected a column name, got " + to_text(v));
  };
  if (value.is<List>()) {
    for (const auto& v : value.as<List>()) out.push_back(name_of(v));
  } else if (!value.is_none()) {
    out.push_back(name_of(value));
  }
  return out;
}

}  // namespace clinflow::builtin
