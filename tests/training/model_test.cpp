// The model artifact: exact JSON round trip, SHA-256 and base64 against known vectors.
#include "model.hpp"

#include <boost/test/unit_test.hpp>

#include "support.hpp"

using namespace clinflow::builtin;

BOOST_AUTO_TEST_SUITE(model_artifact_format)

BOOST_AUTO_TEST_CASE(sha256_known_vectors) {
  BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  BOOST_TEST(sha256_hex(std::string(1000000, 'a')) ==
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(base64_round_trip_and_vectors) {
  BOOST_TEST(base64_encode("") == "");
  BOOST_TEST(base64_encode("f") == "Zg==");
  BOOST_TEST(base64_encode("fo") == "Zm8=");
  BOOST_TEST(base64_encode("foobar") == "Zm9vYmFy");
  std::string all;
  for (int i = 0; i < 256; ++i) all += char(i);
  BOOST_TEST(base64_decode(base64_encode(all), "t") == all);
  BOOST_CHECK_THROW(base64_decode("Zm9v!mFy", "t"), clinflow::StepError);
  BOOST_CHECK_THROW(base64_decode("Zg=", "t"), clinflow::StepError);
  BOOST_CHECK_THROW(base64_decode("Zg==Zg==", "t"), clinflow::StepError);
}

BOOST_AUTO_TEST_CASE(json_round_trip_is_exact) {
  Model m;
  m.kind = "dp_logistic";
  m.design = fit_design(training_test::synthetic(50), {}, "t");
  LinearParameters p;
  p.intercept = 0.1 + 0.2;  // not representable in short decimal
  p.weights = Eigen::VectorXd::LinSpaced(Eigen::Index(m.design.size()), -1.0 / 3, 1e-300);
  m.parameters = to_json(p);
  m.training.rows = 50;
  m.training.positives = 17;
  m.training.seed = 0xfedcba9876543210ULL;  // above INT64_MAX
  m.training.data_hash = sha256_hex("x");
  m.training.privacy = PrivacyRecord{2.0, 1e-5, 1.0999999999999999, 0.01, 2000};
  m.training.details = {{"epochs", 20}};
  const std::string text = to_json_text(m);
  const Model back = model_from_json(text, "m");
  BOOST_TEST(to_json_text(back) == text);
  const LinearParameters q = linear_from_json(back.parameters, back.design.size(), "m");
  BOOST_TEST(q.intercept == p.intercept);
  BOOST_TEST((q.weights == p.weights));
  BOOST_TEST(back.training.seed == m.training.seed);
  BOOST_TEST(back.training.privacy->noise_multiplier == 1.0999999999999999);
  BOOST_TEST(text.find("\"format\":\"clinflow.model/1\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(not_a_model_is_a_clear_error) {
  BOOST_CHECK_EXCEPTION(model_from_json("{\"format\":\"other\"}", "predict input 1"),
                        clinflow::StepError, [](const clinflow::StepError& e) {
                          return std::string(e.what()).find("predict input 1: not a model") == 0;
                        });
  BOOST_CHECK_THROW(model_from_json("CFTABLE1...", "x"), clinflow::StepError);
}

BOOST_AUTO_TEST_CASE(non_finite_parameters_are_refused) {
  Model m;
  m.kind = "logistic";
  m.design = fit_design(training_test::synthetic(20), {}, "t");
  m.parameters = {{"intercept", std::nan("")}, {"weights", std::vector<double>(m.design.size())}};
  BOOST_CHECK_THROW(to_json_text(m), clinflow::StepError);
}

BOOST_AUTO_TEST_SUITE_END()
