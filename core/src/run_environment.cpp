// Facts about the machine and the libraries, recorded with every run.
#include <oneapi/tbb/version.h>
#include <openssl/opensslv.h>
#include <pwd.h>
#include <sqlite3.h>
#include <unistd.h>

#include <boost/version.hpp>
#include <chrono>

#include "step_runner.hpp"

namespace clinflow::engine_detail {

std::string current_user() {
  if (const passwd* pw = ::getpwuid(::geteuid())) return pw->pw_name;
  return std::to_string(::geteuid());
}

std::string current_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::string versions_text() {
  std::string boost = std::to_string(BOOST_VERSION / 100000) + "." +
                      std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                      std::to_string(BOOST_VERSION % 100);
  return std::string("clinflow ") + CLINFLOW_VERSION + "; abi " +
         std::to_string(kPluginAbiVersion) + "; sqlite " + sqlite3_libversion() + "; " +
         OPENSSL_VERSION_TEXT + "; oneTBB " + TBB_VERSION_STRING + "; boost " + boost + "; " +
         "g++ " + __VERSION__;
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace clinflow::engine_detail
