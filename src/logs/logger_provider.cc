#include "llmtrace/logs/logger_provider.h"

#include <string>

#include "src/logs/logger_core.h"
#include "src/logs/multi_log_record_processor.h"

namespace llmtrace::logs {

Result<std::shared_ptr<LoggerProvider>> LoggerProvider::Create(LoggerProviderOptions options) {
  for (std::size_t i = 0; i < options.processors.size(); ++i) {
    if (!options.processors[i]) {
      return InvalidArgumentError("logger provider: processors[" + std::to_string(i) + "] is null");
    }
  }
  try {
    const Environment& environment =
        options.environment ? *options.environment : ProcessEnvironment::Instance();
    EnvironmentReader env(environment);
    auto core = std::make_shared<internal::LoggerCore>();
    core->disabled = env.GetBool("OTEL_SDK_DISABLED", false);
    core->resource = Resource::Create(options.resource_attributes, env);
    core->clock = options.clock ? options.clock : &SystemClock::Instance();
    core->limits = options.limits ? *options.limits : LogRecordLimits::FromEnvironment(env);
    if (options.processors.size() == 1) {
      core->processor = std::move(options.processors.front());
    } else {
      core->processor =
          std::make_unique<internal::MultiLogRecordProcessor>(std::move(options.processors));
    }
    env.LogWarnings();
    return std::shared_ptr<LoggerProvider>(new LoggerProvider(std::move(core)));
  } catch (const std::exception& e) {
    return InternalError(std::string("logger provider: ") + e.what());
  }
}

LoggerProvider::~LoggerProvider() { (void)Shutdown(); }

std::shared_ptr<Logger> LoggerProvider::GetLogger(std::string_view name, std::string_view version,
                                                  std::string_view schema_url) {
  std::lock_guard lock(core_->scopes_mutex);
  for (const InstrumentationScope& scope : core_->scopes) {
    if (scope.name == name && scope.version == version && scope.schema_url == schema_url) {
      return std::make_shared<Logger>(core_, scope);
    }
  }
  core_->scopes.push_back(InstrumentationScope{std::string(name), std::string(version),
                                               std::string(schema_url), AttributeSet()});
  return std::make_shared<Logger>(core_, core_->scopes.back());
}

Status LoggerProvider::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  return core_->processor->ForceFlush(timeout);
}

Status LoggerProvider::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (core_->shut_down.exchange(true)) return Status::Ok();
  return core_->processor->Shutdown(timeout);
}

const Resource& LoggerProvider::resource() const noexcept { return core_->resource; }
bool LoggerProvider::disabled() const noexcept { return core_->disabled; }

}  // namespace llmtrace::logs
