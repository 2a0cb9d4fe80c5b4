// TracerProvider: owns the trace pipeline (resource, sampler, id generator, limits, processors)
// and hands out Tracers.
//
// Build one at start-up with TracerProvider::Create; options left unset come from the OTEL_*
// environment (OTEL_SDK_DISABLED, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
// OTEL_TRACES_SAMPLER[_ARG], span limits). Call Shutdown (the destructor does too) to flush the
// processors before the process exits. A disabled provider (OTEL_SDK_DISABLED=true) hands out
// non-recording spans that still propagate their parent's context.
// Thread-safety: GetTracer, ForceFlush and Shutdown may be called from any thread.
//
//   TracerProviderOptions options;
//   options.processors.push_back(std::make_unique<BatchSpanProcessor>(std::move(exporter)));
//   auto provider = TracerProvider::Create(std::move(options));
//   auto tracer = (*provider)->GetTracer("checkout");
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/common/ids.h"
#include "llmtrace/common/resource.h"
#include "llmtrace/common/result.h"
#include "llmtrace/trace/sampler.h"
#include "llmtrace/trace/span_limits.h"
#include "llmtrace/trace/span_processor.h"
#include "llmtrace/trace/tracer.h"

namespace llmtrace::trace {

struct TracerProviderOptions {
  // Merged over Resource::Default() and the environment (code wins).
  AttributeSet resource_attributes;
  // Null: OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on).
  std::shared_ptr<const Sampler> sampler;
  // Spans go to every processor, in order. None: spans are recorded for sampling but exported
  // nowhere.
  std::vector<std::unique_ptr<SpanProcessor>> processors;
  // Null: RandomIdGenerator::Instance().
  std::shared_ptr<IdGenerator> id_generator;
  // Null: SystemClock::Instance(). Must outlive the provider.
  const Clock* clock = nullptr;
  // Nullopt: OTEL_*_LIMIT variables.
  std::optional<SpanLimits> limits;
  // Null: the process environment. Must outlive Create().
  const Environment* environment = nullptr;
};

class TracerProvider {
 public:
  // Fails only for options that cannot work (for example a null processor in the list).
  static Result<std::shared_ptr<TracerProvider>> Create(TracerProviderOptions options);
  ~TracerProvider();
  TracerProvider(const TracerProvider&) = delete;
  TracerProvider& operator=(const TracerProvider&) = delete;

  // The same scope (name, version, schema URL) always yields a tracer of the same scope.
  std::shared_ptr<Tracer> GetTracer(std::string_view name, std::string_view version = {},
                                    std::string_view schema_url = {});

  Status ForceFlush(std::chrono::milliseconds timeout = std::chrono::seconds(30)) noexcept;
  // Idempotent. Afterwards tracers hand out non-recording spans.
  Status Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(30)) noexcept;

  const Resource& resource() const noexcept;
  bool disabled() const noexcept;

 private:
  explicit TracerProvider(std::shared_ptr<internal::TracerCore> core) : core_(std::move(core)) {}
  std::shared_ptr<internal::TracerCore> core_;
};

// The process-wide provider used by instrumentation that is not handed one. Until set, it is a
// disabled provider whose spans do not record.
std::shared_ptr<TracerProvider> GetGlobalTracerProvider() noexcept;
void SetGlobalTracerProvider(std::shared_ptr<TracerProvider> provider) noexcept;

}  // namespace llmtrace::trace
