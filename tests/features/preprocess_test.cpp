// fit_preprocessing on train, apply_preprocessing to test: the test part gets the TRAIN numbers.
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace {

using namespace features_test;

clinflow::Outputs fit(Plugins& p, const Table& train, clinflow::Params params = {}) {
  return p.run("fit_preprocessing", {artifact(train)}, params);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(preprocessing)

BOOST_AUTO_TEST_CASE(fit_on_train_apply_to_test_uses_train_statistics) {
  Plugins plugins;
  Table train = cohort_of(
      "stay_id,subject_id,label,pred_time,lab_x_mean,lab_x_count,lab_x_missing,sex\n"
      "1,1,0,2100-01-01,1,1,0,F\n2,2,1,2100-01-01,2,3,0,M\n3,3,0,2100-01-01,6,2,0,F\n"
      "4,4,0,2100-01-01,,0,1,M\n");
  const Table test = cohort_of(
      "stay_id,subject_id,label,pred_time,lab_x_mean,lab_x_count,lab_x_missing,sex\n"
      "9,9,1,2100-01-01,10,5,0,F\n8,8,0,2100-01-01,,0,1,M\n");
  const auto prep = fit(plugins, train);
  BOOST_TEST_REQUIRE(prep.size() == 1u);
  BOOST_TEST(prep[0].type == "preprocessing");
  const auto j = nlohmann::json::parse(prep[0].bytes);
  BOOST_TEST(j["fitted_rows"] == 4);
  BOOST_TEST(j["impute"] == "median");
  BOOST_TEST(j["scale"] == "standard");
  // Default columns: numeric, not roles, not *_missing: lab_x_mean and lab_x_count.
  BOOST_TEST_REQUIRE(j["columns"].size() == 2u);
  const auto& x = j["columns"][0];
  BOOST_TEST(x["name"] == "lab_x_mean");
  BOOST_TEST(x["observed"] == 3);
  BOOST_TEST(x["impute"].get<double>() == 2.0);  // median of 1, 2, 6
  BOOST_TEST(x["mean"].get<double>() == 3.0);
  BOOST_TEST(same(x["sd"].get<double>(), std::sqrt(7.0)));  // sample sd of 1, 2, 6
  const auto& n = j["columns"][1];
  BOOST_TEST(n["impute"].get<double>() == 1.5);  // median of 0, 1, 2, 3
  BOOST_TEST(n["mean"].get<double>() == 1.5);

  const auto applied = plugins.run(
      "apply_preprocessing", {artifact(test), std::make_shared<clinflow::Artifact>(prep[0])}, {});
  const Table t = clinflow::builtin::deserialize(applied[0].bytes, "applied");
  const Column& m = t.column("lab_x_mean");
  BOOST_TEST((m.type == clinflow::builtin::ColumnType::kFloat));
  BOOST_TEST(same(m.floats[0], (10 - 3) / std::sqrt(7.0)));  // train mean/sd, not test's
  BOOST_TEST(same(m.floats[1], (2 - 3) / std::sqrt(7.0)));   // train median imputed
  BOOST_TEST(same(t.column("lab_x_count").floats[0], (5 - 1.5) / n["sd"].get<double>()));
  BOOST_TEST(t.column("lab_x_missing").ints == test.column("lab_x_missing").ints,
             boost::test_tools::per_element());  // untouched
  BOOST_TEST((t.roles == test.roles));
  BOOST_TEST(t.columns.size() == test.columns.size());
}

BOOST_AUTO_TEST_CASE(methods_and_explicit_columns) {
  Plugins plugins;
  const Table train = csv("a,b\n1,\n3,4\n,4\n5,4\n");
  clinflow::Params params;
  params["impute"] = clinflow::Symbol{"mean"};
  params["scale"] = clinflow::Symbol{"none"};
  params["columns"] = clinflow::List{clinflow::Symbol{"b"}, clinflow::Symbol{"a"}};
  auto j = nlohmann::json::parse(fit(plugins, train, params)[0].bytes);
  BOOST_TEST(j["columns"][0]["name"] == "b");
  BOOST_TEST(j["columns"][0]["impute"].get<double>() == 4.0);
  BOOST_TEST(j["columns"][0]["mean"].is_null());
  BOOST_TEST(j["columns"][1]["impute"].get<double>() == 3.0);

  params["impute"] = clinflow::Symbol{"none"};
  params["scale"] = clinflow::Symbol{"standard"};
  const auto prep = fit(plugins, train, params);
  j = nlohmann::json::parse(prep[0].bytes);
  BOOST_TEST(j["columns"][0]["sd"].get<double>() == 1.0);  // constant column: sd 0 -> 1
  const Table t = clinflow::builtin::deserialize(
      plugins
          .run("apply_preprocessing",
               {artifact(train), std::make_shared<clinflow::Artifact>(prep[0])}, {})[0]
          .bytes,
      "t");
  BOOST_TEST(std::isnan(t.column("b").floats[0]));  // impute none keeps it missing
  BOOST_TEST(t.column("b").floats[1] == 0.0);
}

BOOST_AUTO_TEST_CASE(errors_name_the_column) {
  Plugins plugins;
  const Table train = csv("a,b,s\n1,2,x\n3,4,y\n");
  const auto prep = fit(plugins, train);
  const Table other = csv("a,c\n1,2\n");
  auto message = [&](auto f) {
    try {
      f();
    } catch (const clinflow::StepError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  BOOST_TEST(message([&] {
               plugins.run("apply_preprocessing",
                           {artifact(other), std::make_shared<clinflow::Artifact>(prep[0])}, {});
             }) == "apply_preprocessing: column 'b' is missing from the table");
  clinflow::Params params;
  params["columns"] = clinflow::List{clinflow::Symbol{"s"}};
  BOOST_TEST(message([&] { fit(plugins, train, params); }) ==
             "fit_preprocessing: column 's' is string, not numeric");
  BOOST_TEST(message([&] {
               plugins.run("apply_preprocessing",
                           {artifact(train), std::make_shared<clinflow::Artifact>(
                                                 clinflow::Artifact{"preprocessing", "{}"})},
                           {});
             }).find("not a clinflow preprocessing artifact") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
