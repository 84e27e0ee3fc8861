// The report_synth test executable's main().
#define BOOST_TEST_MODULE report_synth
#include <boost/test/unit_test.hpp>
