// The provenance test executable: Boost.Test's own main, one suite per file.
#define BOOST_TEST_MODULE provenance_tests
#include <boost/test/unit_test.hpp>
