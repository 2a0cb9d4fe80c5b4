// Helpers for integration tests that run a real server binary (Prometheus, Alertmanager): a
// temporary directory, a child process that is always stopped and reaped, and a free loopback
// port.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace llmtrace::testing {

// A temporary directory "<tmp>/<prefix>-XXXXXX", removed with everything in it at the end.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }  // empty if creation failed

 private:
  std::filesystem::path path_;
};

// A child process with stdout and stderr to `log`; on destruction SIGTERM, then SIGKILL after
// 10 s, and reaped either way.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // args[0] is looked up in PATH. False when it could not be started.
  bool Spawn(const std::vector<std::string>& args, const std::filesystem::path& log);
  bool Running();

 private:
  pid_t pid_ = -1;
};

// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed).
std::uint16_t FreeLoopbackPort();

// The whole file, or "" when it cannot be read (for showing a server's log on failure).
std::string ReadFileText(const std::filesystem::path& path);

}  // namespace llmtrace::testing
