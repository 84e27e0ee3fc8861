// The Context a running plugin sees: its seed, progress reports, cancellation, log lines.
#pragma once

#include <atomic>
#include <ostream>

#include "engine_parts.hpp"

namespace clinflow::engine_detail {

class StepContext final : public Context {
 public:
  StepContext(std::uint64_t seed, const std::string& name, std::size_t index, Progress& progress,
              const RunOptions& options, std::mutex& out_mutex)
      : seed_(seed),
        name_(name),
        index_(index),
        progress_(progress),
        options_(options),
        out_mutex_(out_mutex) {}

  std::uint64_t seed() const override { return seed_; }
  const std::string& step_name() const override { return name_; }
  void progress(double fraction) override { progress_.fraction(index_, fraction); }
  bool cancelled() const override { return options_.cancel && options_.cancel->load(); }
  void log(const std::string& line) override {
    if (!options_.out || options_.quiet) return;
    std::lock_guard lock(out_mutex_);
    *options_.out << "  " << name_ << ": " << line << '\n';
  }

 private:
  std::uint64_t seed_;
  const std::string& name_;
  std::size_t index_;
  Progress& progress_;
  const RunOptions& options_;
  std::mutex& out_mutex_;
};

}  // namespace clinflow::engine_detail
