// The Boost.Test entry point of xgboost_test; the cases live in the *_test.cpp files.
#define BOOST_TEST_MODULE xgboost
#include <boost/test/unit_test.hpp>
