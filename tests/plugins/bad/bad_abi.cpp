// A plugin built for another ABI version: the loader must refuse it before calling anything.
#include <clinflow/plugin.hpp>
#include <cstdlib>

extern "C" {
BOOST_SYMBOL_EXPORT int clinflow_abi_version = 999;
}

namespace bad_abi {
// Must never run: the host checks the version first. Aborting makes a wrong host fail loudly.
inline void register_plugins(clinflow::Registrar&) {
  std::abort();
}
}  // namespace bad_abi

BOOST_DLL_ALIAS(bad_abi::register_plugins, clinflow_register)
