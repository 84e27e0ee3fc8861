// read_table_test: one executable for the reader kernel, the SQLite source and the plugin.
#define BOOST_TEST_MODULE read_table
#include <boost/test/unit_test.hpp>
