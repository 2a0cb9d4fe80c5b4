// LoggerProvider: owns the log pipeline (resource, limits, clock, processors) and hands out
// Loggers.
//
// Build one at start-up with LoggerProvider::Create; options left unset come from the OTEL_*
// environment (OTEL_SDK_DISABLED, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
// OTEL_LOGRECORD_ATTRIBUTE_* limits). The resource is built exactly as TracerProvider builds
// its own, so spans and log records of one process carry the same resource. Call Shutdown (the
// destructor does too) to flush the processors before the process exits. A disabled provider
// (OTEL_SDK_DISABLED=true) hands out loggers whose Emit does nothing.
// Thread-safety: GetLogger, ForceFlush and Shutdown may be called from any thread.
//
//   LoggerProviderOptions options;
//   options.processors.push_back(*BatchLogRecordProcessor::Create(std::move(exporter)));
//   auto provider = LoggerProvider::Create(std::move(options));
//   auto logger = (*provider)->GetLogger("rag-app.llm_calls");
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "llmtrace/common/attribute_set.h"
#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/common/resource.h"
#include "llmtrace/common/result.h"
#include "llmtrace/logs/log_record_limits.h"
#include "llmtrace/logs/log_record_processor.h"
#include "llmtrace/logs/logger.h"

namespace llmtrace::logs {

struct LoggerProviderOptions {
  // Merged over Resource::Default() and the environment (code wins).
  AttributeSet resource_attributes;
  // Records go to every processor, in order. None: records are emitted nowhere.
  std::vector<std::unique_ptr<LogRecordProcessor>> processors;
  // Null: SystemClock::Instance(). Must outlive the provider.
  const Clock* clock = nullptr;
  // Nullopt: OTEL_LOGRECORD_ATTRIBUTE_* / OTEL_ATTRIBUTE_* variables.
  std::optional<LogRecordLimits> limits;
  // Null: the process environment. Must outlive Create().
  const Environment* environment = nullptr;
};

class LoggerProvider {
 public:
  // Fails only for options that cannot work (a null processor in the list).
  static Result<std::shared_ptr<LoggerProvider>> Create(LoggerProviderOptions options);
  ~LoggerProvider();
  LoggerProvider(const LoggerProvider&) = delete;
  LoggerProvider& operator=(const LoggerProvider&) = delete;

  // The same scope (name, version, schema URL) always yields a logger of the same scope.
  std::shared_ptr<Logger> GetLogger(std::string_view name, std::string_view version = {},
                                    std::string_view schema_url = {});

  Status ForceFlush(std::chrono::milliseconds timeout = std::chrono::seconds(30)) noexcept;
  // Idempotent. Afterwards loggers discard what they are given.
  Status Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(30)) noexcept;

  const Resource& resource() const noexcept;
  bool disabled() const noexcept;

 private:
  explicit LoggerProvider(std::shared_ptr<internal::LoggerCore> core) : core_(std::move(core)) {}
  std::shared_ptr<internal::LoggerCore> core_;
};

}  // namespace llmtrace::logs
