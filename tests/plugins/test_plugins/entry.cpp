// The test plugin library's single entry point.
#include "test_step.hpp"

namespace clinflow_test {
static void register_all(clinflow::Registrar& r) {
  register_data_steps(r);
  register_model_steps(r);
  register_misc_steps(r);
}
}  // namespace clinflow_test

CLINFLOW_PLUGIN_ENTRY(clinflow_test::register_all)
