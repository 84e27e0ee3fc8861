// Failures a user can meet, each with a message that names the file and the cause, and a crash
// in the middle of a run (the database must reopen and verify).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "test_util.hpp"

using namespace clinflow;
using clinflow::test::Outside;
using clinflow::test::sample_run;
using clinflow::test::sample_step;
using clinflow::test::TempDir;

namespace {

/// The message of the ProvenanceError that open(path) throws, or "" when it does not throw.
std::string open_error(const std::string& path) {
  try {
    Provenance::open(path);
  } catch (const ProvenanceError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(provenance_errors)

BOOST_AUTO_TEST_CASE(missing_folder) {
  TempDir dir;
  const std::string path = dir.file("nope/prov.db");
  std::string message = open_error(path);
  BOOST_TEST(has(message, "'" + path + "'"), message);
  BOOST_TEST(has(message, "does not exist"), message);
}

BOOST_AUTO_TEST_CASE(unwritable_folder) {
  TempDir dir;
  const std::string folder = dir.file("readonly");
  BOOST_REQUIRE(mkdir(folder.c_str(), 0555) == 0);
  BOOST_REQUIRE(chmod(dir.path().c_str(), 0755) == 0);
  const std::string path = folder + "/prov.db";
  std::string message;
  if (geteuid() != 0) {
    message = open_error(path);
  } else {
    // Root writes anywhere, so try as an ordinary user in a child and pass the message back.
    int fds[2];
    BOOST_REQUIRE(pipe(fds) == 0);
    std::cout.flush();  // or the child's copy of the buffer is printed twice
    std::fflush(nullptr);
    pid_t child = fork();
    BOOST_REQUIRE(child >= 0);
    if (child == 0) {
      close(fds[0]);
      std::string m = "setuid failed";
      if (setgid(65534) == 0 && setuid(65534) == 0) m = open_error(path);
      if (write(fds[1], m.data(), m.size()) < 0) _exit(2);
      _exit(0);
    }
    close(fds[1]);
    char buf[1024];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) message.append(buf, std::size_t(n));
    close(fds[0]);
    waitpid(child, nullptr, 0);
  }
  BOOST_TEST(has(message, "'" + path + "'"), message);
  BOOST_TEST(has(message, "is not writable"), message);
}

BOOST_AUTO_TEST_CASE(file_that_is_not_a_database) {
  TempDir dir;
  const std::string path = dir.file("notes.txt");
  {
    std::ofstream out(path);
    for (int i = 0; i < 100; ++i) out << "this is a text file, not a database\n";
  }
  std::string message = open_error(path);
  BOOST_TEST(has(message, "'" + path + "'"), message);
  BOOST_TEST(has(message, "not a database"), message);
}

BOOST_AUTO_TEST_CASE(memory_database_has_no_write_ahead_log) {
  std::string message = open_error(":memory:");
  BOOST_TEST(has(message, "write-ahead logging"), message);
  BOOST_TEST(has(message, "journal mode is 'memory'"), message);
}

BOOST_AUTO_TEST_CASE(database_of_another_program) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  Outside(path).exec("CREATE TABLE patients(id INTEGER)");
  std::string message = open_error(path);
  BOOST_TEST(has(message, "another program"), message);
  BOOST_TEST(Outside(path).scalar("SELECT count(*) FROM sqlite_schema") == 1);  // untouched
}

BOOST_AUTO_TEST_CASE(newer_schema_is_refused) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  Provenance::open(path);
  Outside(path).exec("PRAGMA user_version = 99");
  std::string message = open_error(path);
  BOOST_TEST(has(message, "newer clinflow"), message);
  BOOST_TEST(has(message, "schema version 99"), message);
}

BOOST_AUTO_TEST_CASE(locked_database) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  auto writer = Provenance::open(path);
  Outside other(path);
  other.exec("BEGIN IMMEDIATE; INSERT INTO step_cache VALUES('held', '')");
  // Opening an existing database needs no write lock (readers get in during a run); the first
  // write waits out the busy timeout and names the file and the cause.
  auto second = Provenance::open(path);
  BOOST_CHECK_EXCEPTION(second->begin_run(RunRecord{}), ProvenanceError,
                        [&](const ProvenanceError& e) {
                          return has(e.what(), "'" + path + "'") &&
                                 has(e.what(), "locked by another clinflow process");
                        });
  // An open writer that cannot start its batch says the same.
  auto run = RunRecord{};
  BOOST_CHECK_EXCEPTION(writer->begin_run(run), ProvenanceError, [](const ProvenanceError& e) {
    return has(e.what(), "locked by another clinflow process");
  });
  other.exec("COMMIT");
  BOOST_TEST(writer->begin_run(run) > 0);
}

BOOST_AUTO_TEST_CASE(open_while_another_connection_records) {
  // A busy recorder holds the write lock almost all the time; a second open (as `clinflow
  // history` during a run does) must still get in instead of reporting a lock.
  TempDir dir;
  const std::string path = dir.file("prov.db");
  auto writer = Provenance::open(path);
  auto run = writer->begin_run(sample_run());
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread recorder([&] {
    for (int i = 0; !stop; ++i) {
      writer->add_step(sample_step(run, i));
      ++written;
    }
  });
  while (written < 2000) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  writer->flush();  // the run row is committed; the recorder goes on writing
  std::string message;
  std::size_t seen = 0;
  try {
    auto reader = Provenance::open(path);
    seen = reader->runs().size();
  } catch (const ProvenanceError& e) {
    message = e.what();
  }
  stop = true;
  recorder.join();
  BOOST_TEST(message == "");
  BOOST_TEST(seen == 1u);
  BOOST_TEST(writer->verify().ok);
}

BOOST_AUTO_TEST_CASE(reopen_after_a_crash) {
  TempDir dir;
  const std::string path = dir.file("prov.db");
  constexpr int kBatches = 3, kPerBatch = 20;
  std::cout.flush();
  std::fflush(nullptr);
  pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    // No exceptions may escape into the test runner's copy of the stack: exit codes only.
    try {
      auto p = Provenance::open(path);
      auto run = p->begin_run(sample_run());
      for (int b = 0; b < kBatches; ++b) {
        for (int i = 0; i < kPerBatch; ++i) p->add_step(sample_step(run, b * kPerBatch + i));
        p->flush();
      }
      for (int i = 0; i < 1000; ++i) p->add_step(sample_step(run, 100 + i));  // unflushed tail
      _exit(0);  // no destructor, no flush: as if killed
    } catch (...) {
      _exit(3);
    }
  }
  int status = 0;
  waitpid(child, &status, 0);
  BOOST_REQUIRE(WIFEXITED(status));
  BOOST_REQUIRE_EQUAL(WEXITSTATUS(status), 0);
  auto p = Provenance::open(path);
  auto result = p->verify();
  BOOST_TEST(result.ok);
  for (const auto& problem : result.problems) BOOST_TEST_MESSAGE(problem);
  auto runs = p->runs();
  BOOST_REQUIRE_EQUAL(runs.size(), 1u);
  BOOST_TEST(runs[0].status == "interrupted");
  BOOST_TEST(p->steps(runs[0].id).size() >= std::size_t(kBatches * kPerBatch));
  // The chain continues cleanly after the crash.
  p->end_run(runs[0].id, "failed", "recovered");
  BOOST_TEST(p->verify().ok);
}

BOOST_AUTO_TEST_SUITE_END()
