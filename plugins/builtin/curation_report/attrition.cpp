// Reading the attrition metrics (schema in attrition.hpp). Only counts and criterion texts are
// read; errors name the JSON member, never a value.
#include "attrition.hpp"

#include <clinflow/plugin.hpp>

namespace clinflow_curation_report {

namespace {

using Json = nlohmann::ordered_json;

const Json& member(const Json& object, const char* key, const std::string& where,
                   const std::string& step) {
  if (!object.is_object() || !object.contains(key))
    throw clinflow::StepError(step + ": attrition input has no '" + where + "." + key + "'");
  return object.at(key);
}

std::int64_t count(const Json& object, const char* key, const std::string& where,
                   const std::string& step) {
  const Json& v = member(object, key, where, step);
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
    throw clinflow::StepError(step + ": attrition '" + where + "." + key +
                              "' must be a non-negative integer");
  return v.get<std::int64_t>();
}

std::string text(const Json& object, const char* key, const std::string& where,
                 const std::string& step) {
  const Json& v = member(object, key, where, step);
  if (!v.is_string())
    throw clinflow::StepError(step + ": attrition '" + where + "." + key + "' must be a string");
  return v.get<std::string>();
}

AttritionStage end(const Json& root, const char* name, const std::string& step) {
  const Json& o = member(root, name, "attrition", step);
  const std::string where = std::string("attrition.") + name;
  return AttritionStage{name, "", count(o, "rows", where, step), count(o, "patients", where, step),
                        0};
}

}  // namespace

Attrition parse_attrition(const std::string& input, const std::string& step) {
  Attrition a;
  a.raw = Json::parse(input, nullptr, false);
  if (a.raw.is_discarded() || !a.raw.is_object())
    throw clinflow::StepError(step + ": the attrition input is not a JSON object");
  a.stages.push_back(end(a.raw, "initial", step));
  const Json& criteria = member(a.raw, "criteria", "attrition", step);
  if (!criteria.is_array())
    throw clinflow::StepError(step + ": attrition 'attrition.criteria' must be a list");
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    const std::string where = "attrition.criteria[" + std::to_string(i) + "]";
    const Json& c = criteria[i];
    a.stages.push_back(AttritionStage{text(c, "criterion", where, step),
                                      text(c, "kind", where, step), count(c, "rows", where, step),
                                      count(c, "patients", where, step),
                                      count(c, "excluded", where, step)});
  }
  a.stages.push_back(end(a.raw, "final", step));
  return a;
}

}  // namespace clinflow_curation_report
