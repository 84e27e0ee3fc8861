// A shared library with no clinflow symbols: the loader must refuse it by name.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int not_a_plugin_answer() {
  return 42;
}
