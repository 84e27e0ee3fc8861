// The Boost.Test entry point of training_test; the cases live in the *_test.cpp files.
#define BOOST_TEST_MODULE training
#include <boost/test/unit_test.hpp>
