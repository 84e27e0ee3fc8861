// The Boost.Test entry point of fairness_test; the cases live in the *_test.cpp files.
#define BOOST_TEST_MODULE fairness
#include <boost/test/unit_test.hpp>
