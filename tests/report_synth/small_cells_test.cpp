// The small-cell rule on its own: primary and complementary suppression.
#include "small_cells.hpp"

#include <boost/test/unit_test.hpp>

using clinflow_curation_report::Cell;

namespace {

std::vector<bool> hidden_after(std::vector<std::int64_t> counts, std::int64_t min_cell = 10) {
  std::vector<Cell> cells;
  for (auto n : counts) cells.push_back(Cell{n, false});
  std::vector<Cell*> group;
  for (auto& c : cells) group.push_back(&c);
  clinflow_curation_report::suppress_group(group, min_cell);
  std::vector<bool> hidden;
  for (const auto& c : cells) hidden.push_back(c.hidden);
  return hidden;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(small_cells)

BOOST_AUTO_TEST_CASE(counts_below_min_cell_are_hidden_zero_is_shown) {
  BOOST_TEST(hidden_after({0, 20, 30}) == std::vector<bool>({false, false, false}));
  BOOST_TEST(hidden_after({9, 3, 30}) == std::vector<bool>({true, true, false}));
  BOOST_TEST(hidden_after({10, 11, 12}) == std::vector<bool>({false, false, false}));
}

BOOST_AUTO_TEST_CASE(a_lone_hidden_cell_takes_the_smallest_other_with_it) {
  // 5 alone could be recovered as total - 20 - 30: the 20 is hidden too.
  BOOST_TEST(hidden_after({5, 30, 20, 0}) == std::vector<bool>({true, false, true, false}));
  // Ties: the first smallest.
  BOOST_TEST(hidden_after({12, 4, 12}) == std::vector<bool>({true, true, false}));
}

BOOST_AUTO_TEST_CASE(single_cells_follow_the_primary_rule) {
  BOOST_TEST(clinflow_curation_report::single_cell(3, 10).hidden);
  BOOST_TEST(!clinflow_curation_report::single_cell(0, 10).hidden);
  BOOST_TEST(!clinflow_curation_report::single_cell(10, 10).hidden);
  BOOST_TEST(!clinflow_curation_report::single_cell(3, 10).shown().has_value());
}

BOOST_AUTO_TEST_SUITE_END()
