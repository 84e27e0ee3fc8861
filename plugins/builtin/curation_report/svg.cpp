// Inline SVG charts (see svg.hpp).
//
// Implementation notes: hidden cells (small-cell rule) are never drawn with a height, since
// a bar would publish the count; they get a grey hatch at the baseline and a "<10" tooltip.
// Tooltips use SVG <title> elements, which browsers show without any script.
#include "svg.hpp"

#include <algorithm>
#include <cstdio>

namespace clinflow_curation_report {

namespace {

constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c",
                                    "#9467bd", "#ff7f0e", "#8c564b"};
constexpr const char* kHatch = "url(#hidden-hatch)";

std::string px(double value) {
  return fixed(value, 1);
}

std::string open_svg(const char* css_class, double width, double height) {
  return std::string("<svg class=\"") + css_class + "\" width=\"" + px(width) + "\" height=\"" +
         px(height) + "\" viewBox=\"0 0 " + px(width) + " " + px(height) + "\" role=\"img\">";
}

std::string rect(double x, double y, double w, double h, const std::string& fill,
                 const std::string& extra = "") {
  return "<rect x=\"" + px(x) + "\" y=\"" + px(y) + "\" width=\"" + px(w) + "\" height=\"" + px(h) +
         "\" fill=\"" + fill + "\"" + extra + ">";
}

std::string text(double x, double y, const std::string& body, const char* anchor = "start") {
  return "<text x=\"" + px(x) + "\" y=\"" + px(y) + "\" text-anchor=\"" + anchor + "\">" + body +
         "</text>";
}

std::string title(const std::string& body) {
  return "<title>" + body + "</title>";
}

std::string percent(double fraction) {
  return fixed(100.0 * fraction, 1) + "%";
}

}  // namespace

std::string escape_html(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return std::string(buf) == "-0.0" ? "0.0" : buf;
}

std::string shown_count(const Cell& cell, std::int64_t min_cell) {
  return cell.hidden ? "&lt;" + std::to_string(min_cell) : std::to_string(cell.count);
}

const char* part_colour(std::size_t index) {
  return kPalette[index % std::size(kPalette)];
}

std::string defs_svg() {
  return "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>"
         "<pattern id=\"hidden-hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\">"
         "<rect width=\"4\" height=\"4\" fill=\"#dddddd\"/><path d=\"M0,4 L4,0\" "
         "stroke=\"#999999\"/></pattern></defs></svg>";
}

std::string attrition_svg(const Attrition& a) {
  const double bar = 18, gap = 6, label = 260, width = 720, plot = width - label - 90;
  const double height = double(a.stages.size()) * (bar + gap) + gap;
  const double initial = double(std::max<std::int64_t>(1, a.stages.front().rows));
  std::string svg = open_svg("attrition", width, height);
  for (std::size_t i = 0; i < a.stages.size(); ++i) {
    const AttritionStage& s = a.stages[i];
    const double y = gap + double(i) * (bar + gap);
    const double w = plot * std::min(1.0, double(s.rows) / initial);
    const bool end = i == 0 || i + 1 == a.stages.size();
    std::string name = s.criterion;
    if (name.size() > 40) name = name.substr(0, 37) + "...";
    svg += text(label - 8, y + 13, escape_html(name), "end");
    svg += rect(label, y, std::max(w, 1.0), bar, end ? "#555555" : "#1f77b4") +
           title(escape_html(s.criterion) + ": " + std::to_string(s.rows) + " rows") + "</rect>";
    svg += text(label + w + 6, y + 13, std::to_string(s.rows));
  }
  return svg + "</svg>";
}

std::string missingness_svg(const Profile& profile, std::int64_t min_cell) {
  const double cell = 14, label = 90;
  const std::size_t n = std::max<std::size_t>(1, profile.features.size());
  const double width = label + double(n) * cell + 10;
  const double height = double(profile.parts.size()) * cell + 24;
  std::string svg = open_svg("missingness", width, height);
  for (std::size_t p = 0; p < profile.parts.size(); ++p) {
    const PartProfile& part = profile.parts[p];
    const double y = double(p) * cell;
    svg += text(label - 6, y + 11, escape_html(part.name), "end");
    for (std::size_t f = 0; f < profile.features.size(); ++f) {
      const FeatureProfile& feature = profile.features[f];
      const auto fraction = feature.fraction(feature.missing[p], part);
      std::string fill = kHatch, tip = shown_count(feature.missing[p], min_cell);
      if (fraction) {
        const int shade = int(255.0 - 200.0 * *fraction);
        char colour[16];
        std::snprintf(colour, sizeof colour, "#ff%02x%02x", shade, shade);
        fill = colour;
        tip = percent(*fraction);
      }
      svg += rect(label + double(f) * cell, y, cell - 1, cell - 1, fill,
                  " stroke=\"#cccccc\" stroke-width=\"0.5\"") +
             title(escape_html(feature.name) + " / " + escape_html(part.name) + ": " + tip +
                   " missing") +
             "</rect>";
    }
  }
  const double y = double(profile.parts.size()) * cell + 16;
  svg += text(label, y,
              "features 1-" + std::to_string(profile.features.size()) +
                  " in table order; white = none missing, red = all missing");
  return svg + "</svg>";
}

std::string histogram_svg(const FeatureProfile& f, const std::vector<PartProfile>& parts,
                          std::int64_t min_cell) {
  const double width = 420, height = 170, left = 44, right = 12, top = 10, bottom = 34;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const std::size_t bins = f.edges.size() - 1;
  double peak = 0;
  for (std::size_t p = 0; p < parts.size(); ++p)
    for (const Cell& c : f.counts[p])
      if (auto x = f.fraction(c, parts[p])) peak = std::max(peak, *x);
  if (peak <= 0) peak = 1;
  const double bin_w = plot_w / double(bins);
  std::string svg = open_svg("dist", width, height);
  svg += "<line x1=\"" + px(left) + "\" y1=\"" + px(top + plot_h) + "\" x2=\"" + px(left + plot_w) +
         "\" y2=\"" + px(top + plot_h) + "\" stroke=\"#333333\"/>";
  for (std::size_t p = 0; p < parts.size(); ++p) {
    std::string path = "M" + px(left) + "," + px(top + plot_h);
    for (std::size_t b = 0; b < bins; ++b) {
      const auto x = f.fraction(f.counts[p][b], parts[p]);
      const double y = top + plot_h - plot_h * (x ? *x / peak : 0.0);
      path += " L" + px(left + double(b) * bin_w) + "," + px(y) + " L" +
              px(left + double(b + 1) * bin_w) + "," + px(y);
      if (!x)  // hidden: a hatch at the baseline instead of a height
        svg +=
            rect(left + double(b) * bin_w, top + plot_h - 4 - 4.0 * double(p), bin_w, 4, kHatch) +
            title(escape_html(parts[p].name) + ": &lt;" + std::to_string(min_cell)) + "</rect>";
    }
    path += " L" + px(left + plot_w) + "," + px(top + plot_h) + " Z";
    svg += std::string("<path d=\"") + path + "\" fill=\"" + part_colour(p) +
           "\" fill-opacity=\"0.25\" stroke=\"" + part_colour(p) + "\" stroke-width=\"1.5\"/>";
  }
  const double range = f.edges.back() - f.edges.front();
  const int digits = range >= 100 ? 0 : range >= 1 ? 1 : 3;
  svg += text(left, height - 18, fixed(f.edges.front(), digits), "start");
  svg += text(left + plot_w, height - 18, fixed(f.edges.back(), digits), "end");
  svg += text(left + plot_w / 2, height - 4,
              "share of part rows per bin (peak " + percent(peak) + "); outer bins open-ended",
              "middle");
  return svg + "</svg>";
}

std::string categories_svg(const FeatureProfile& f, const std::vector<PartProfile>& parts,
                           std::int64_t min_cell) {
  const double bar = 9, label = 170, width = 560, plot = width - label - 80;
  const double row = bar * double(parts.size()) + 6;
  const double height = row * double(std::max<std::size_t>(1, f.categories.size())) + 6;
  std::string svg = open_svg("dist", width, height);
  for (std::size_t c = 0; c < f.categories.size(); ++c) {
    const double y = 4 + double(c) * row;
    std::string name = f.categories[c];
    if (name.size() > 24) name = name.substr(0, 21) + "...";
    svg += text(label - 6, y + row / 2 + 2, escape_html(name), "end");
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const Cell& cell = f.counts[p][c];
      const auto x = f.fraction(cell, parts[p]);
      const double by = y + bar * double(p);
      const std::string tip =
          escape_html(parts[p].name) + ": " + (x ? percent(*x) : shown_count(cell, min_cell));
      const double w = x ? std::max(plot * *x, 0.5) : 12.0;
      svg += rect(label, by, w, bar - 1, x ? part_colour(p) : kHatch) + title(tip) + "</rect>";
      svg += "<text class=\"value\" x=\"" + px(label + w + 4) + "\" y=\"" + px(by + bar - 2) +
             "\">" + (x ? percent(*x) : shown_count(cell, min_cell)) + "</text>";
    }
  }
  return svg + "</svg>";
}

}  // namespace clinflow_curation_report
