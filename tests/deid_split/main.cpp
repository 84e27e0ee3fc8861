// The test runner of deid_split_test.
#define BOOST_TEST_MODULE deid_split
#include <boost/test/unit_test.hpp>
