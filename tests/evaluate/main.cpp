// The Boost.Test entry point of evaluate_test; the cases live in the *_test.cpp files.
#define BOOST_TEST_MODULE evaluate
#include <boost/test/unit_test.hpp>
