// The cohort test executable's main().
#define BOOST_TEST_MODULE cohort
#include <boost/test/unit_test.hpp>
