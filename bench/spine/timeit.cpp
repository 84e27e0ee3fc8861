// clinflow_bench_timeit: runs a command and writes its wall and CPU time, in seconds, to a file.
//
//   clinflow_bench_timeit OUT_FILE COMMAND [ARGS...]    -> OUT_FILE: "<wall> <user+sys>\n"
//
// The exit status is the command's (128 + signal when a signal ended it; 127 when it could not be
// started). Implementation notes: GNU time prints CPU time with 10 ms resolution, too coarse for a
// 1000-step run that costs 30 ms; wait4() gives the child's rusage in microseconds, and
// CLOCK_MONOTONIC around fork/wait gives the wall time. Only the command's own process tree is
// counted (children it waited for), as with GNU time.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace {
double seconds(const timeval& tv) {
  return double(tv.tv_sec) + double(tv.tv_usec) * 1e-6;
}

double monotonic() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: clinflow_bench_timeit OUT_FILE COMMAND [ARGS...]\n");
    return 2;
  }
  const double start = monotonic();
  const pid_t child = ::fork();
  if (child < 0) {
    std::fprintf(stderr, "clinflow: error: cannot fork: %s\n", std::strerror(errno));
    return 2;
  }
  if (child == 0) {
    ::execvp(argv[2], argv + 2);
    std::fprintf(stderr, "clinflow: error: cannot run '%s': %s\n", argv[2], std::strerror(errno));
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  while (::wait4(child, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::fprintf(stderr, "clinflow: error: wait4: %s\n", std::strerror(errno));
      return 2;
    }
  }
  const double wall = monotonic() - start;
  if (std::FILE* out = std::fopen(argv[1], "w")) {
    std::fprintf(out, "%.6f %.6f\n", wall, seconds(usage.ru_utime) + seconds(usage.ru_stime));
    std::fclose(out);
  } else {
    std::fprintf(stderr, "clinflow: error: cannot write '%s': %s\n", argv[1], std::strerror(errno));
    return 2;
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}
