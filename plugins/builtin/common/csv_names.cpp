// Column-name suggestions for errors ("unknown column 'x' (did you mean 'y'?)"): the closest
// name by edit distance, plus the list of the names the file has.
#include <algorithm>
#include <string>
#include <vector>

#include "csv_reader.hpp"

namespace clinflow::builtin {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string unknown_column_message(const std::string& name, const std::vector<std::string>& have) {
  std::string message = "unknown column '" + name + "'";
  if (const std::string hint = closest_name(name, have); !hint.empty())
    message += " (did you mean '" + hint + "'?)";
  return message + "; the file's columns: " + join(have);
}

}  // namespace clinflow::builtin
