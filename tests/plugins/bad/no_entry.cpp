// A library with the ABI stamp but no registration function.
#include <clinflow/plugin.hpp>

extern "C" {
BOOST_SYMBOL_EXPORT int clinflow_abi_version = clinflow::kPluginAbiVersion;
}
