// Progress output. On a terminal a ticker thread redraws one status line every 100 ms
// ("[12/40] 00:03  running: features 45%, model"); in a pipe or CI each finished step is one
// plain line, so logs stay readable and diffable.
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "engine_parts.hpp"

namespace clinflow::engine_detail {

namespace {
std::string elapsed_text(std::chrono::steady_clock::duration d) {
  long seconds = long(std::chrono::duration_cast<std::chrono::seconds>(d).count());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld", seconds / 60, seconds % 60);
  return buf;
}
}  // namespace

Progress::Progress(const RunOptions& options, std::size_t total)
    : options_(options), total_(total), start_(std::chrono::steady_clock::now()) {
  width_ = std::to_string(total_).size();
  if (options_.progress_line && options_.out) {
    ticker_ = std::thread([this] {
      std::unique_lock lock(mutex_);
      while (!stopping_) {
        lock.unlock();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        lock.lock();
        if (!stopping_) redraw();
      }
    });
  }
}

Progress::~Progress() {
  stop();
}

void Progress::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    if (options_.progress_line && options_.out) *options_.out << "\r\033[K" << std::flush;
  }
  if (ticker_.joinable()) ticker_.join();
}

void Progress::started(std::size_t step, const std::string& name) {
  if (!options_.progress_line) return;
  std::lock_guard lock(mutex_);
  running_[step] = {name, -1.0};
}

void Progress::fraction(std::size_t step, double value) {
  if (!options_.progress_line) return;
  std::lock_guard lock(mutex_);
  auto it = running_.find(step);
  if (it != running_.end()) it->second.second = value;
}

void Progress::finished(std::size_t step, const StepOutcome& outcome) {
  std::lock_guard lock(mutex_);
  ++done_;
  running_.erase(step);
  if (!options_.out || options_.quiet) return;
  std::ostream& out = *options_.out;
  if (options_.progress_line) out << "\r\033[K";
  out << '[' << std::setw(int(width_)) << done_ << '/' << total_ << "] " << std::left
      << std::setw(9) << to_string(outcome.status) << std::right << outcome.name;
  if (outcome.status == StepStatus::kRan) {
    out << " (" << std::fixed << std::setprecision(2) << outcome.seconds << " s)";
    out.unsetf(std::ios::floatfield);
  }
  if (options_.explain && !outcome.reason.empty()) out << ": " << outcome.reason;
  out << '\n';
  if (options_.progress_line) redraw();
}

void Progress::redraw() {
  if (!options_.out) return;
  std::ostringstream line;
  line << '[' << done_ << '/' << total_ << "] "
       << elapsed_text(std::chrono::steady_clock::now() - start_);
  if (!running_.empty()) {
    line << "  running: ";
    bool first = true;
    for (const auto& [step, entry] : running_) {
      if (!first) line << ", ";
      first = false;
      line << entry.first;
      if (entry.second >= 0) line << ' ' << int(entry.second * 100) << '%';
      if (line.tellp() > 100) {
        line << ", ...";
        break;
      }
    }
  }
  *options_.out << "\r\033[K" << line.str() << std::flush;
}

}  // namespace clinflow::engine_detail
