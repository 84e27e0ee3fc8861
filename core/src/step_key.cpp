// Step keys and seeds. A key is SHA-256 over a length-prefixed list of its parts, so no two
// different part lists can produce the same byte stream.
#include <sys/stat.h>

#include <clinflow/core/hash.hpp>

#include "engine_parts.hpp"

namespace clinflow {

std::uint64_t step_seed(std::uint64_t workflow_seed, const std::string& step_name) {
  std::string hex =
      Sha256().update(std::to_string(workflow_seed)).update("\n").update(step_name).hex();
  return std::stoull(hex.substr(0, 16), nullptr, 16);
}

namespace engine_detail {

namespace {
void field(Sha256& hash, std::string_view tag, std::string_view value) {
  hash.update(tag)
      .update(":")
      .update(std::to_string(value.size()))
      .update(":")
      .update(value)
      .update("\n");
}
}  // namespace

std::string step_key(const KeyParts& parts) {
  Sha256 hash;
  hash.update("clinflow-step-key-v1\n");
  field(hash, "plugin", parts.plugin);
  field(hash, "version", parts.plugin_version);
  field(hash, "binary", parts.plugin_hash);
  field(hash, "params", parts.params);
  field(hash, "seed", std::to_string(parts.seed));
  for (const auto& input : parts.inputs) field(hash, "input", input);
  for (const auto& [param, file_hash] : parts.data_files) field(hash, "data:" + param, file_hash);
  return hash.hex();
}

std::map<std::string, std::string> hash_data_files(const Manifest& manifest, const Params& params) {
  std::map<std::string, std::string> hashes;
  for (const ParamSpec& spec : manifest.params) {
    if (spec.type != ParamType::kPath) continue;
    auto it = params.find(spec.name);
    if (it == params.end() || !it->second.is<std::string>()) continue;
    const std::string& path = it->second.as<std::string>();
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
      throw StepError("data file '" + path + "' (parameter '" + spec.name + "') does not exist");
    if (S_ISDIR(st.st_mode))
      throw StepError("data file '" + path + "' (parameter '" + spec.name + "') is a folder");
    try {
      hashes[spec.name] = sha256_file(path);
    } catch (const std::exception& e) {
      throw StepError(e.what());
    }
  }
  return hashes;
}

}  // namespace engine_detail
}  // namespace clinflow
