// Leakage analysis: fitting on a test part, and evaluating a model on rows it was trained on.
//
// Implementation notes. Every value has a rowset: its origin (a step without inputs) plus the
// split parts taken on the way. A step's outputs inherit the rowset of its FIRST input; a split
// step's output k adds (split, k, role). Two rowsets are disjoint only when their origins differ
// or when they diverge at the same split with different parts; anything else may share rows.
// A model carries the rowsets it was trained on (its fits_on input, plus whatever its inputs were
// trained on), each with the path of values from the fitted data to the model, so an error can
// show how the rows got there. Only declared Safety properties are used; no plugin is named.
#include <algorithm>
#include <map>

#include "analyses.hpp"

namespace clinflow::dsl {

namespace {

struct Part {
  int split = -1;
  int output = -1;
  PartRole role = PartRole::kNone;
  bool operator==(const Part&) const = default;
};

struct Rowset {
  int origin = -1;
  std::vector<Part> parts;
  bool operator==(const Rowset&) const = default;
};

struct Trained {
  Rowset rows;
  std::vector<ValueRef> path;  ///< fitted data, ..., the model
};

struct Info {
  Rowset rows;
  std::vector<Trained> trained;
};

bool disjoint(const Rowset& a, const Rowset& b) {
  if (a.origin != b.origin) return true;
  for (std::size_t i = 0; i < std::min(a.parts.size(), b.parts.size()); ++i) {
    if (a.parts[i] == b.parts[i]) continue;
    return a.parts[i].split == b.parts[i].split;  // same split, other part: disjoint
  }
  return false;  // one is a superset of the other
}

class Leakage {
 public:
  Leakage(const Graph& g, const std::string& file, Diagnostics& d)
      : g_(g), file_(file), diags_(d) {}

  void run() {
    for (int s : topological_order(g_)) {
      propagate(s);
      check_fit(s);
      check_eval(s);
    }
  }

 private:
  void propagate(int s) {
    const StepNode& step = g_.steps[s];
    const Safety& safety = step.manifest->safety;
    for (int o = 0; o < static_cast<int>(step.outputs.size()); ++o) {
      Info out;
      if (step.inputs.empty()) {
        out.rows.origin = s;
      } else {
        out.rows = info_[step.inputs[0].ref].rows;
        if (!safety.split_parts.empty()) {
          PartRole role = o < static_cast<int>(safety.split_parts.size()) ? safety.split_parts[o]
                                                                          : PartRole::kNone;
          out.rows.parts.push_back(Part{s, o, role});
        }
      }
      auto add = [&](Trained t) {
        for (const Trained& e : out.trained)
          if (e.rows == t.rows && e.path.front() == t.path.front()) return;
        t.path.push_back({s, o});
        out.trained.push_back(std::move(t));
      };
      if (safety.fits_on && *safety.fits_on < static_cast<int>(step.inputs.size())) {
        ValueRef data = step.inputs[*safety.fits_on].ref;
        add(Trained{info_[data].rows, {data}});
      }
      for (const auto& in : step.inputs)
        for (const Trained& t : info_[in.ref].trained) add(t);
      info_[{s, o}] = std::move(out);
    }
  }

  /// The first-input chain from the origin to `v`.
  std::vector<ValueRef> lineage(ValueRef v) const {
    std::vector<ValueRef> chain{v};
    while (!g_.steps[v.step].inputs.empty()) {
      v = g_.steps[v.step].inputs[0].ref;
      chain.push_back(v);
    }
    std::reverse(chain.begin(), chain.end());
    return chain;
  }

  std::string path_text(const std::vector<ValueRef>& path) const {
    std::string out;
    for (ValueRef v : path) out += (out.empty() ? "" : " -> ") + g_.name_of(v);
    return out;
  }

  /// One note per hop after the first value of `path`, at the statement that makes it.
  void hop_notes(const std::vector<ValueRef>& path) {
    for (std::size_t i = 1; i < path.size(); ++i) {
      const StepNode& step = g_.steps[path[i].step];
      const Safety& safety = step.manifest->safety;
      const std::string v = g_.name_of(path[i]), u = g_.name_of(path[i - 1]);
      std::string how = safety.fits_on && step.inputs[*safety.fits_on].ref == path[i - 1]
                            ? "is fitted on"
                        : !safety.split_parts.empty() ? "is a part of"
                                                      : "comes from";
      diags_.note(file_, step.output_spans[path[i].output],
                  "'" + v + "' " + how + " '" + u + "' (" + step.plugin_name + ")");
    }
  }

  Span span_of(ValueRef v) const { return g_.steps[v.step].output_spans[v.output]; }

  void check_fit(int s) {
    const StepNode& step = g_.steps[s];
    const auto& fits = step.manifest->safety.fits_on;
    if (!fits || *fits >= static_cast<int>(step.inputs.size())) return;
    ValueRef data = step.inputs[*fits].ref;
    const Rowset& rows = info_[data].rows;
    if (rows.parts.empty() || rows.parts.back().role != PartRole::kTest) return;
    ValueRef part{rows.parts.back().split, rows.parts.back().output};
    const std::string split = g_.steps[part.step].name();
    std::string msg = "fitting '" + step.name() + "' on ";
    if (data == part)
      msg += "test part '" + g_.name_of(part) + "' of split '" + split + "'";
    else
      msg += "'" + g_.name_of(data) + "', which comes from test part '" + g_.name_of(part) +
             "' of split '" + split + "'";
    diags_.error(file_, step.inputs[*fits].where, msg);
    std::vector<ValueRef> chain = lineage(data);
    chain.erase(chain.begin(), std::find(chain.begin(), chain.end(), part));
    std::vector<ValueRef> path = chain;
    path.push_back({s, 0});
    diags_.note(
        file_, span_of(part),
        "'" + g_.name_of(part) + "' is the test part of split '" + split + "': " + path_text(path));
    hop_notes(chain);
  }

  void check_eval(int s) {
    const StepNode& step = g_.steps[s];
    const auto& ev = step.manifest->safety.evaluates;
    const int n = static_cast<int>(step.inputs.size());
    if (!ev || ev->model >= n || ev->data >= n) return;
    ValueRef model = step.inputs[ev->model].ref, data = step.inputs[ev->data].ref;
    for (const Trained& t : info_[model].trained) {
      if (disjoint(info_[data].rows, t.rows)) continue;
      report_eval(step, ev->data, model, data, t);
      return;
    }
  }

  void report_eval(const StepNode& step, int data_input, ValueRef model, ValueRef data,
                   const Trained& t) {
    const std::string m = g_.name_of(model), d = g_.name_of(data);
    diags_.error(file_, step.inputs[data_input].where,
                 "evaluating '" + m + "' on '" + d + "', which overlaps its training data");
    std::vector<ValueRef> chain_d = lineage(data), chain_fit = lineage(t.path.front());
    std::vector<ValueRef> chain_t = chain_fit;
    chain_t.insert(chain_t.end(), t.path.begin() + 1, t.path.end());
    std::size_t c = 0;
    while (c < chain_d.size() && c < chain_t.size() && chain_d[c] == chain_t[c]) ++c;
    if (c == 0) {
      diags_.note(file_, span_of(t.path.front()),
                  "'" + m + "' is trained on '" + g_.name_of(t.path.front()) + "'");
      return;
    }
    if (c == chain_d.size()) {  // the evaluation data is upstream of the training data
      std::vector<ValueRef> path(chain_t.begin() + (c - 1), chain_t.end());
      diags_.note(file_, span_of(data),
                  "'" + d + "' reaches the training data of '" + m + "': " + path_text(path));
      hop_notes(path);
    } else if (c >= chain_fit.size()) {  // the evaluation data is derived from the training data
      ValueRef fit = t.path.front();
      std::vector<ValueRef> path(chain_d.begin() + (chain_fit.size() - 1), chain_d.end());
      diags_.note(file_, span_of(fit),
                  "'" + d + "' comes from '" + g_.name_of(fit) + "', the training data of '" + m +
                      "': " + path_text(path));
      hop_notes(path);
      hop_notes(std::vector<ValueRef>(t.path.begin(), t.path.end()));
    } else {  // both come from one value with no split between them
      ValueRef common = chain_d[c - 1];
      std::vector<ValueRef> to_d(chain_d.begin() + (c - 1), chain_d.end());
      std::vector<ValueRef> to_m(chain_t.begin() + (c - 1), chain_t.end());
      diags_.note(file_, span_of(common),
                  "'" + d + "' and the training data of '" + m + "' both come from '" +
                      g_.name_of(common) + "' and no split separates them: " + path_text(to_d) +
                      "; " + path_text(to_m));
      hop_notes(to_d);
      hop_notes(to_m);
    }
  }

  const Graph& g_;
  const std::string& file_;
  Diagnostics& diags_;
  std::map<ValueRef, Info> info_;
};

}  // namespace

void check_leakage(const Graph& graph, const std::string& file, Diagnostics& diags) {
  Leakage(graph, file, diags).run();
}

}  // namespace clinflow::dsl
