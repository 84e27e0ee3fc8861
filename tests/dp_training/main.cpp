// The Boost.Test entry point of dp_training_test; the cases live in the *_test.cpp files.
#define BOOST_TEST_MODULE dp_training
#include <boost/test/unit_test.hpp>
