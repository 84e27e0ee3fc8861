// The Boost.Test entry point of dp_mlp_test; the cases live in the *_test.cpp files.
#define BOOST_TEST_MODULE dp_mlp
#include <boost/test/unit_test.hpp>
