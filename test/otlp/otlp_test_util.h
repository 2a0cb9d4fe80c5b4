// Helpers shared by the OTLP tests: deterministic ids, a processor that keeps the ended spans as
// SpanDataPtr (what the encoders take), and a runner for the Node-based conformance oracle
// (test/oracles/decode_otlp.js, the official OpenTelemetry JS decoder).
#pragma once

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/ids.h"
#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/common/result.h"
#include "llmtrace/trace/span_processor.h"

#ifndef LLMTRACE_SOURCE_DIR
#error "LLMTRACE_SOURCE_DIR must name the repository root (see test/CMakeLists.txt)"
#endif

namespace llmtrace::otlp::testing {

// Ids 1, 2, 3... in the low bytes, with a per-generator tag in the high byte so that two
// generators never collide.
class SequentialIdGenerator final : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::uint8_t tag = 0xA0) : tag_(tag) {}
  TraceId NewTraceId() noexcept override {
    std::array<std::uint8_t, 16> bytes{};
    bytes[0] = tag_;
    bytes[15] = static_cast<std::uint8_t>(++traces_);
    return TraceId(bytes);
  }
  SpanId NewSpanId() noexcept override {
    ++spans_;
    std::array<std::uint8_t, 8> bytes{};
    bytes[0] = tag_;
    bytes[6] = static_cast<std::uint8_t>(spans_ >> 8);
    bytes[7] = static_cast<std::uint8_t>(spans_);
    return SpanId(bytes);
  }

 private:
  std::uint8_t tag_;
  unsigned traces_ = 0;
  unsigned spans_ = 0;
};

// Keeps every ended span, in end order.
class CollectingProcessor final : public trace::SpanProcessor {
 public:
  explicit CollectingProcessor(std::vector<trace::SpanDataPtr>* sink) : sink_(sink) {}
  void OnEnd(trace::SpanDataPtr span) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    sink_->push_back(std::move(span));
  }
  Status ForceFlush(std::chrono::milliseconds) noexcept override { return Status::Ok(); }
  Status Shutdown(std::chrono::milliseconds) noexcept override { return Status::Ok(); }

 private:
  std::mutex mutex_;
  std::vector<trace::SpanDataPtr>* sink_;
};

inline InstrumentationScope MakeScope(std::string name) {
  InstrumentationScope scope;
  scope.name = std::move(name);
  return scope;
}

inline std::filesystem::path OracleDir() {
  return std::filesystem::path(LLMTRACE_SOURCE_DIR) / "test" / "oracles";
}

// A file in the system temp directory, removed when this object goes away.
class TempFile {
 public:
  explicit TempFile(std::string_view contents) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "llmtrace-otlp-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
      std::ofstream(path_, std::ios::binary)
          .write(contents.data(), static_cast<std::streamsize>(contents.size()));
    }
  }
  ~TempFile() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Why the oracle cannot run here, or "" when it can. The oracle is a required part of the test
// suite: a missing node or node_modules is a failure with this message, never a skip.
inline std::string OracleUnavailableReason() {
  if (std::system("command -v node >/dev/null 2>&1") != 0) {
    return "node is not installed; run scripts/setup.sh (it installs nodejs and runs 'npm ci' in "
           "test/oracles)";
  }
  const auto root_js = OracleDir() / "node_modules" / "@opentelemetry" / "otlp-transformer" /
                       "build" / "src" / "generated" / "root.js";
  if (!std::filesystem::exists(root_js)) {
    return root_js.string() + " is missing; run scripts/setup.sh (or 'npm ci' in " +
           OracleDir().string() + ")";
  }
  return "";
}

// Runs `node decode_otlp.js <signal> <format> <file with body>`; returns its stdout, or an error
// carrying its stderr.
inline Result<std::string> RunOracle(std::string_view signal, std::string_view format,
                                     std::string_view body) {
  if (std::string reason = OracleUnavailableReason(); !reason.empty()) {
    return FailedPreconditionError(reason);
  }
  TempFile input(body);
  TempFile errors("");
  if (input.path().empty() || errors.path().empty()) {
    return InternalError("cannot create a temporary file");
  }
  const std::string command = "node " + ShellQuote((OracleDir() / "decode_otlp.js").string()) +
                              " " + std::string(signal) + " " + std::string(format) + " " +
                              ShellQuote(input.path().string()) + " 2>" +
                              ShellQuote(errors.path().string());
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return InternalError("popen failed: " + command);
  std::string output;
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (status != 0) {
    return InvalidArgumentError("oracle rejected the " + std::string(format) + " request (status " +
                                std::to_string(status) + "): " + ReadFile(errors.path()));
  }
  return output;
}

}  // namespace llmtrace::otlp::testing
