// Diagnostics: source positions, the exact rendering, truncation, tabs, closest_match.
#include <boost/test/unit_test.hpp>
#include <clinflow/core/diagnostic.hpp>

using clinflow::closest_match;
using clinflow::Diagnostics;
using clinflow::SourceText;
using clinflow::Span;

BOOST_AUTO_TEST_SUITE(diagnostic)

BOOST_AUTO_TEST_CASE(source_positions_and_lines) {
  SourceText src("wf.toml", "ab\ncde\r\n\nf");
  BOOST_TEST(src.line(1) == "ab");
  BOOST_TEST(src.line(2) == "cde");  // \r dropped
  BOOST_TEST(src.line(3) == "");
  BOOST_TEST(src.line(4) == "f");
  BOOST_TEST(src.line(5) == "");
  Span s = src.position(4, 2);
  BOOST_TEST(s.line == 2);
  BOOST_TEST(s.column == 2);
  BOOST_TEST(s.end_column == 4);
  Span at_newline = src.position(2);
  BOOST_TEST(at_newline.line == 1);
  BOOST_TEST(at_newline.column == 3);
}

BOOST_AUTO_TEST_CASE(renders_header_line_and_caret) {
  Diagnostics d;
  d.add_source(SourceText("wf.toml",
                          "[flow]\nsteps = '''\n    smooth = gausian(vitals, sigma: 2.0)\n'''\n"));
  d.error("wf.toml", Span{3, 14, 21}, "unknown plugin 'gausian'; did you mean 'gaussian'?");
  d.note("", {}, "plugins are searched in ./plugins");
  d.warning("wf.toml", Span{}, "no position");
  d.note("other.toml", Span{}, "a note in a file without a position");
  BOOST_TEST(d.errors() == 1);
  BOOST_TEST(d.warnings() == 1);
  BOOST_TEST(d.render() ==
             "wf.toml:3:14: error: unknown plugin 'gausian'; did you mean 'gaussian'?\n"
             "    3 |     smooth = gausian(vitals, sigma: 2.0)\n"
             "      |              ^~~~~~~\n"
             "note: plugins are searched in ./plugins\n"
             "wf.toml: warning: no position\n"
             "other.toml: note: a note in a file without a position\n");
}

BOOST_AUTO_TEST_CASE(tabs_expand_and_the_caret_follows) {
  Diagnostics d;
  d.add_source(SourceText("t", "a\t= f(x)"));
  d.error("t", Span{1, 3, 4}, "here");  // the '=' after the tab: display column 5
  BOOST_TEST(d.render() == "t:1:3: error: here\n    1 | a   = f(x)\n      |     ^\n");
}

BOOST_AUTO_TEST_CASE(long_lines_are_cut_around_the_caret) {
  std::string line(150, 'x');
  line.replace(130, 3, "BAD");
  Diagnostics d;
  d.add_source(SourceText("t", line));
  d.error("t", Span{1, 131, 134}, "bad");
  std::string out = d.render();
  auto second = out.substr(out.find('\n') + 1);
  std::string shown = second.substr(0, second.find('\n'));
  BOOST_TEST(shown.size() <= 8 + 100u);
  BOOST_TEST(shown.find("...") == 8u);
  std::string caret = second.substr(second.find('\n') + 1);
  // the caret sits under "BAD" in the cut line
  BOOST_TEST(caret.find('^') == shown.find("BAD"));
}

BOOST_AUTO_TEST_CASE(closest_match_within_a_third_of_the_length) {
  std::vector<std::string> names{"gaussian", "median", "t_source", "t_split", "t_split3"};
  BOOST_TEST(closest_match("gausian", names) == "gaussian");
  BOOST_TEST(closest_match("T_Source", names) == "t_source");  // case does not count
  BOOST_TEST(closest_match("t_sourse", names) == "t_source");
  BOOST_TEST(closest_match("t_spilt", names) == "t_split");  // a transposition is one edit
  BOOST_TEST(closest_match("banana", names) == "");
  BOOST_TEST(closest_match("x", {"y"}) == "");            // nothing left of the word
  BOOST_TEST(closest_match("ab", {"ac", "ad"}) == "ac");  // ties: alphabetical
  BOOST_TEST(closest_match("ab", {"ad", "ac"}) == "ac");
}

BOOST_AUTO_TEST_SUITE_END()
