// The Boost.Test entry point of features_test; the cases live in the *_test.cpp files.
#define BOOST_TEST_MODULE features
#include <boost/test/unit_test.hpp>
