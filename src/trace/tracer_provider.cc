#include "llmtrace/trace/tracer_provider.h"

#include <mutex>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/common/strings.h"
#include "src/trace/multi_span_processor.h"
#include "src/trace/tracer_core.h"

namespace llmtrace::trace {

Result<std::shared_ptr<TracerProvider>> TracerProvider::Create(TracerProviderOptions options) {
  for (std::size_t i = 0; i < options.processors.size(); ++i) {
    if (!options.processors[i]) {
      return InvalidArgumentError("tracer provider: processors[" + std::to_string(i) + "] is null");
    }
  }
  const Environment& environment =
      options.environment ? *options.environment : ProcessEnvironment::Instance();
  EnvironmentReader env(environment);

  if (std::optional<std::string> level = env.GetString("OTEL_LOG_LEVEL")) {
    LogLevel parsed = ParseLogLevel(*level, LogLevel::kNone);
    if (parsed == LogLevel::kNone && !EqualsIgnoreCase(*level, "none")) {
      env.AddWarning("OTEL_LOG_LEVEL: expected debug, info, warn, error or none, got '" + *level +
                     "'; keeping the current level");
    } else {
      SetInternalLogLevel(parsed);
    }
  }

  auto core = std::make_shared<internal::TracerCore>();
  core->disabled = env.GetBool("OTEL_SDK_DISABLED", false);
  core->resource = Resource::Create(options.resource_attributes, env);
  core->sampler = options.sampler ? std::move(options.sampler) : SamplerFromEnvironment(env);
  core->id_generator =
      options.id_generator
          ? std::move(options.id_generator)
          : std::shared_ptr<IdGenerator>(std::shared_ptr<void>(), &RandomIdGenerator::Instance());
  core->clock = options.clock ? options.clock : &SystemClock::Instance();
  core->limits = options.limits ? *options.limits : SpanLimits::FromEnvironment(env);
  if (options.processors.size() == 1) {
    core->processor = std::move(options.processors.front());
  } else {
    core->processor = std::make_unique<internal::MultiSpanProcessor>(std::move(options.processors));
  }
  env.LogWarnings();
  return std::shared_ptr<TracerProvider>(new TracerProvider(std::move(core)));
}

TracerProvider::~TracerProvider() { (void)Shutdown(); }

std::shared_ptr<Tracer> TracerProvider::GetTracer(std::string_view name, std::string_view version,
                                                  std::string_view schema_url) {
  std::lock_guard lock(core_->scopes_mutex);
  for (const InstrumentationScope& scope : core_->scopes) {
    if (scope.name == name && scope.version == version && scope.schema_url == schema_url) {
      return std::make_shared<Tracer>(core_, scope);
    }
  }
  core_->scopes.push_back(InstrumentationScope{std::string(name), std::string(version),
                                               std::string(schema_url), AttributeSet()});
  return std::make_shared<Tracer>(core_, core_->scopes.back());
}

Status TracerProvider::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  return core_->processor->ForceFlush(timeout);
}

Status TracerProvider::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (core_->shut_down.exchange(true)) return Status::Ok();
  return core_->processor->Shutdown(timeout);
}

const Resource& TracerProvider::resource() const noexcept { return core_->resource; }
bool TracerProvider::disabled() const noexcept { return core_->disabled; }

namespace {

std::mutex global_mutex;
std::shared_ptr<TracerProvider>& GlobalProvider() {
  static std::shared_ptr<TracerProvider>* provider = new std::shared_ptr<TracerProvider>();
  return *provider;
}

std::shared_ptr<TracerProvider> MakeDisabledProvider() {
  MapEnvironment env{{"OTEL_SDK_DISABLED", "true"}};
  TracerProviderOptions options;
  options.environment = &env;
  options.sampler = std::make_shared<AlwaysOffSampler>();
  return *TracerProvider::Create(std::move(options));
}

}  // namespace

std::shared_ptr<TracerProvider> GetGlobalTracerProvider() noexcept {
  std::lock_guard lock(global_mutex);
  std::shared_ptr<TracerProvider>& provider = GlobalProvider();
  if (!provider) provider = MakeDisabledProvider();
  return provider;
}

void SetGlobalTracerProvider(std::shared_ptr<TracerProvider> provider) noexcept {
  std::lock_guard lock(global_mutex);
  GlobalProvider() = std::move(provider);
}

}  // namespace llmtrace::trace
