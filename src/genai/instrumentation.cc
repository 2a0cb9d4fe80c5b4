#include "llmtrace/genai/instrumentation.h"

#include <array>
#include <utility>

#include "llmtrace/common/strings.h"
#include "llmtrace/genai/content_capture.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/trace/baggage.h"
#include "llmtrace/trace/tracer_provider.h"
#include "src/genai/budget_gauges.h"
#include "src/genai/instrumentation_state.h"

namespace llmtrace::genai {
namespace {

// Start attributes plus baggage members never exceed this; more baggage keys are ignored.
constexpr std::size_t kMaxStartAttributes = 48;

}  // namespace

namespace internal {

bool InstrumentationState::capture_content() const noexcept {
  return content_capture != nullptr && content_capture->enabled();
}

trace::Span InstrumentationState::StartSpan(std::string_view name,
                                            std::span<const KeyValue> attributes,
                                            trace::SpanKind kind,
                                            const trace::Context* parent) const noexcept {
  if (tracer == nullptr) return trace::Span();
  trace::StartSpanOptions options{.kind = kind, .parent = parent};
  const trace::Context& context = parent ? *parent : trace::internal::CurrentContextRef();
  const trace::Baggage* baggage = context.baggage().get();
  if (baggage == nullptr || baggage->empty() || baggage_keys.empty()) {
    return tracer->StartSpan(name, attributes, options);
  }
  std::array<KeyValue, kMaxStartAttributes> all;
  std::size_t n = 0;
  for (const KeyValue& kv : attributes) {
    if (n < all.size()) all[n++] = kv;
  }
  for (const std::string& key : baggage_keys) {
    if (n == all.size()) break;
    if (auto value = baggage->Get(key)) all[n++] = KeyValue{key, *value};
  }
  return tracer->StartSpan(name, std::span<const KeyValue>(all.data(), n), options);
}

std::string OperationSpanName(std::string_view operation, std::string_view target) noexcept {
  std::string name;
  try {
    name.reserve(operation.size() + 1 + target.size());
    name.append(operation);
    if (!target.empty()) name.append(" ").append(target);
  } catch (...) {
  }
  return name;
}

}  // namespace internal

Result<InstrumentationOptions> InstrumentationOptionsFromEnvironment(const Environment& env) {
  InstrumentationOptions options;
  EnvironmentReader reader(env);
  options.semconv = SemconvFlavourFromEnvironment(env);
  if (auto keys = reader.GetString("LLMTRACE_BAGGAGE_KEYS")) {
    options.baggage_keys.clear();
    for (std::string_view key : Split(*keys, ',')) {
      key = TrimWhitespace(key);
      if (key.empty()) continue;
      if (!trace::Baggage::IsValidKey(key)) {
        return InvalidArgumentError("LLMTRACE_BAGGAGE_KEYS: '" + std::string(key) +
                                    "' is not a valid baggage key");
      }
      options.baggage_keys.emplace_back(key);
    }
  }
  options.hash_content = reader.GetBool("LLMTRACE_HASH_CONTENT", true);
  auto capture_options = ContentCaptureOptionsFromEnvironment(env);
  if (!capture_options.ok()) return capture_options.status();
  auto capture = ContentCapture::Create(std::move(*capture_options));
  if (!capture.ok()) return capture.status();
  options.content_capture = std::move(*capture);
  return options;
}

Result<std::shared_ptr<Instrumentation>> Instrumentation::Create(InstrumentationOptions options) {
  if (options.default_output_tokens_estimate < 0) {
    return InvalidArgumentError(
        "genai instrumentation: default_output_tokens_estimate must not be negative");
  }
  if (options.baggage_keys.size() > kMaxStartAttributes / 2) {
    return InvalidArgumentError("genai instrumentation: at most " +
                                std::to_string(kMaxStartAttributes / 2) + " baggage_keys");
  }
  auto state = std::make_shared<internal::InstrumentationState>();
  if (options.tracer_provider) {
    state->tracer =
        options.tracer_provider->GetTracer(internal::kGenAiScopeName, internal::kGenAiScopeVersion);
  }
  if (options.meter_provider) {
    auto meter =
        options.meter_provider->GetMeter(internal::kGenAiScopeName, internal::kGenAiScopeVersion);
    state->instruments = internal::GenAiInstruments(*meter, options.semconv);
  }
  if (options.logger_provider) {
    state->logger =
        options.logger_provider->GetLogger(internal::kGenAiScopeName, internal::kGenAiScopeVersion);
  }
  state->pricing = std::move(options.pricing);
  state->budgets = std::move(options.budgets);
  if (options.meter_provider && state->budgets) {
    auto meter =
        options.meter_provider->GetMeter(internal::kGenAiScopeName, internal::kGenAiScopeVersion);
    state->budget_gauges = internal::RegisterBudgetGauges(*meter, state->budgets);
  }
  state->content_capture = std::move(options.content_capture);
  state->sla_monitor = std::move(options.sla_monitor);
  state->semconv = options.semconv;
  state->baggage_keys = std::move(options.baggage_keys);
  state->hash_content = options.hash_content;
  state->default_output_tokens_estimate = options.default_output_tokens_estimate;
  state->clock = options.clock ? options.clock : &SystemClock::Instance();
  return std::shared_ptr<Instrumentation>(new Instrumentation(std::move(state)));
}

Instrumentation::~Instrumentation() = default;

SemconvFlavour Instrumentation::semconv() const noexcept { return state_->semconv; }

// --- OperationSpan

trace::Context OperationSpan::context() const {
  const trace::Context& current = trace::internal::CurrentContextRef();
  return trace::Context(span_.context(), current.baggage());
}

void OperationSpan::SetError(std::string_view error_type, std::string_view message) noexcept {
  if (ended_) return;
  try {
    error_type_.assign(error_type.empty() ? std::string_view("_OTHER") : error_type);
  } catch (...) {  // out of memory: keep the span, lose the type
  }
  span_.SetAttribute(attr::kErrorType, error_type_);
  span_.RecordException(error_type_, message);
}

void OperationSpan::SetError(const LlmError& error) noexcept {
  if (ended_) return;
  SetError(ToString(error.type), error.message);
  if (error.http_status != 0) {
    span_.SetAttribute(attr::kHttpResponseStatusCode, static_cast<std::int64_t>(error.http_status));
  }
}

double OperationSpan::ElapsedSeconds() const noexcept {
  if (state_ == nullptr) return 0;
  return std::chrono::duration<double>(state_->clock->MonotonicNow() - start_).count();
}

bool OperationSpan::MarkEnded(std::string_view operation, std::string_view provider,
                              std::string_view model) noexcept {
  if (ended_) return false;
  ended_ = true;
  if (failed() && state_ != nullptr && state_->instruments.errors.enabled()) {
    std::array<KeyValue, 4> attributes;
    std::size_t n = 0;
    attributes[n++] = {attr::kErrorType, error_type_};
    if (!operation.empty()) attributes[n++] = {attr::kOperationName, operation};
    if (!provider.empty()) attributes[n++] = {attr::kProviderName, provider};
    if (!model.empty()) attributes[n++] = {attr::kRequestModel, model};
    state_->instruments.errors.Add(1, metrics::Attributes(attributes.data(), n));
  }
  return true;
}

}  // namespace llmtrace::genai
