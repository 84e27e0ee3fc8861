// A plugin whose registration throws: the loader reports the message and skips the library.
#include <clinflow/plugin.hpp>

namespace throws_on_register {
static void register_all(clinflow::Registrar&) {
  throw std::runtime_error("registration exploded on purpose");
}
}  // namespace throws_on_register

CLINFLOW_PLUGIN_ENTRY(throws_on_register::register_all)
