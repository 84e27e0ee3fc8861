// The Boost.Test entry point of privacy_tests; the cases live in the *_test.cpp files.
#define BOOST_TEST_MODULE privacy
#include <boost/test/unit_test.hpp>
