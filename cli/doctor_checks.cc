#include "cli/doctor_checks.h"

#include <fstream>
#include <iterator>
#include <string_view>

#include "llmtrace/common/resource.h"
#include "llmtrace/genai/budget_config.h"
#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/content_capture.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "llmtrace/genai/redactor.h"
#include "llmtrace/genai/sla_config.h"
#include "llmtrace/http/curl_http_client.h"
#include "llmtrace/otlp/otlp_options.h"
#include "llmtrace/trace/propagation.h"
#include "llmtrace/trace/sampler.h"

namespace llmtrace::cli {
namespace {

using Results = std::vector<CheckResult>;

void Add(Results& results, std::string area, CheckLevel level, std::string detail) {
  results.push_back({std::move(area), level, std::move(detail)});
}

// Environment values the SDK ignored (and replaced with defaults) are configuration mistakes.
void AddWarnings(Results& results, std::string_view area, const EnvironmentReader& env) {
  for (const std::string& warning : env.warnings()) {
    Add(results, std::string(area), CheckLevel::kProblem, warning);
  }
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return NotFoundError("cannot open " + path);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

void CheckSdk(const DoctorInputs& in, Results& results) {
  EnvironmentReader env(*in.environment);
  if (env.GetBool("OTEL_SDK_DISABLED", false)) {
    Add(results, "SDK", CheckLevel::kWarning,
        "OTEL_SDK_DISABLED=true: no spans, metrics or logs are recorded");
  } else {
    Add(results, "SDK", CheckLevel::kOk, "enabled");
  }
  AddWarnings(results, "SDK", env);

  EnvironmentReader resource_env(*in.environment);
  const Resource resource = Resource::FromEnvironment(resource_env);
  std::string service = "unknown_service";
  for (const KeyValue& kv : resource.attributes().entries()) {
    if (kv.key == "service.name") {
      service = kv.value.type() == AttributeValue::Type::kString ? std::string(kv.value.AsString())
                                                                 : kv.value.ToString();
    }
  }
  if (service.find("unknown_service") != std::string::npos) {
    Add(results, "Resource", CheckLevel::kWarning,
        "service.name is " + service + ": set OTEL_SERVICE_NAME so traces say which app sent them");
  } else {
    Add(results, "Resource", CheckLevel::kOk, "service.name=" + service);
  }
  AddWarnings(results, "Resource", resource_env);

  EnvironmentReader sampler_env(*in.environment);
  const auto sampler = trace::SamplerFromEnvironment(sampler_env);
  if (sampler_env.warnings().empty()) {
    Add(results, "Sampler", CheckLevel::kOk, sampler->Description());
  }
  AddWarnings(results, "Sampler", sampler_env);  // each says what is used instead

  EnvironmentReader propagator_env(*in.environment);
  auto propagator = trace::PropagatorFromEnvironment(propagator_env);
  if (!propagator.ok()) {
    Add(results, "Propagators", CheckLevel::kProblem, propagator.status().message());
  } else {
    Add(results, "Propagators", CheckLevel::kOk,
        propagator_env.GetString("OTEL_PROPAGATORS").value_or("tracecontext,baggage"));
  }
  AddWarnings(results, "Propagators", propagator_env);
}

// POSTs an empty export request (valid OTLP: no resources) to see the collector answer.
void CheckOtlp(const DoctorInputs& in, otlp::OtlpSignal signal, std::string_view area,
               std::string_view signal_variable, Results& results) {
  EnvironmentReader env(*in.environment);
  const otlp::OtlpHttpOptions options = otlp::OtlpHttpOptions::FromEnvironment(env, signal);
  AddWarnings(results, area, env);
  const bool configured = env.GetString("OTEL_EXPORTER_OTLP_ENDPOINT").has_value() ||
                          env.GetString(signal_variable).has_value();
  const bool json = options.protocol == otlp::OtlpProtocol::kHttpJson;
  const std::string where = options.endpoint + (json ? " (http/json)" : " (http/protobuf)") +
                            (options.compression == otlp::OtlpCompression::kGzip ? ", gzip" : "");
  if (!in.check_network) {
    Add(results, std::string(area), CheckLevel::kInfo, where + "; not contacted (--offline)");
    return;
  }
  // Unconfigured, the exporters use the spec's default endpoint; applications that print to
  // the console instead never contact it, so an unreachable default is only a warning.
  const CheckLevel unreachable = configured ? CheckLevel::kProblem : CheckLevel::kWarning;
  auto client = http::CurlHttpClient::Create();
  if (!client.ok()) {
    Add(results, std::string(area), CheckLevel::kProblem, client.status().message());
    return;
  }
  http::HttpRequest request{.method = "POST",
                            .url = options.endpoint,
                            .headers = options.headers,
                            .body = json ? "{}" : "",
                            .timeout = in.network_timeout};
  request.headers.emplace_back("Content-Type",
                               json ? "application/json" : "application/x-protobuf");
  auto response = (*client)->Send(request);
  if (!response.ok()) {
    Add(results, std::string(area), unreachable,
        where + ": " + response.status().message() +
            (configured ? "" : " (no OTEL_EXPORTER_OTLP_ENDPOINT set: this is the default)"));
    return;
  }
  if (response->status / 100 == 2) {
    Add(results, std::string(area), CheckLevel::kOk,
        where + ": the collector accepted an empty export (HTTP " +
            std::to_string(response->status) + ")");
    return;
  }
  std::string why = "HTTP " + std::to_string(response->status);
  if (response->status == 404) why += ": nothing at this path (the endpoint must end in /v1/...)";
  if (response->status == 401 || response->status == 403) {
    why += ": check OTEL_EXPORTER_OTLP_HEADERS (authentication)";
  }
  if (response->status == 415) why += ": the collector does not take this protocol";
  Add(results, std::string(area), unreachable, where + ": " + why);
}

void CheckGenAi(const DoctorInputs& in, Results& results) {
  auto options = genai::InstrumentationOptionsFromEnvironment(*in.environment);
  if (!options.ok()) {
    Add(results, "GenAI", CheckLevel::kProblem, options.status().message());
    return;
  }
  const std::string_view semconv = options->semconv == genai::SemconvFlavour::kV141 ? "v1.41"
                                   : options->semconv == genai::SemconvFlavour::kLatest
                                       ? "latest"
                                       : "v1.41 and latest (gen_ai/dup)";
  Add(results, "GenAI", CheckLevel::kOk,
      "semantic conventions " + std::string(semconv) +
          (options->hash_content ? ", content hashed (SHA-256)" : ", content not hashed"));
  if (options->content_capture && options->content_capture->enabled()) {
    Add(results, "Content capture", CheckLevel::kWarning,
        "prompts and answers are recorded (redacted): "
        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT is on");
  } else {
    Add(results, "Content capture", CheckLevel::kOk, "off: prompts and answers stay in process");
  }
}

void CheckPricing(const DoctorInputs& in, Results& results) {
  auto catalog = genai::PricingCatalog::Create(
      {.catalog_path = in.pricing_file, .environment = in.environment});
  if (!catalog.ok()) {
    Add(results, "Pricing catalog", CheckLevel::kProblem, catalog.status().message());
    return;
  }
  Add(results, "Pricing catalog", CheckLevel::kOk,
      std::to_string((*catalog)->size()) + " models priced");
  std::string unpriced;
  for (const std::string& model : in.models) {
    if ((*catalog)->Find(model) == nullptr) unpriced += (unpriced.empty() ? "" : ", ") + model;
  }
  if (!unpriced.empty()) {
    Add(results, "Pricing catalog", CheckLevel::kProblem,
        "no price for " + unpriced +
            ": their calls record no cost (add them with LLMTRACE_PRICING_FILE; docs/pricing.md)");
  } else if (!in.models.empty()) {
    Add(results, "Pricing catalog", CheckLevel::kOk,
        "every model given is priced (" + std::to_string(in.models.size()) + ")");
  }
}

void CheckFiles(const DoctorInputs& in, Results& results) {
  if (!in.budgets_file.empty()) {
    auto text = ReadFile(in.budgets_file);
    auto budgets = text.ok() ? genai::ParseBudgetDefinitionsJson(*text)
                             : Result<std::vector<genai::BudgetDefinition>>(text.status());
    if (!budgets.ok()) {
      Add(results, "Budgets", CheckLevel::kProblem,
          in.budgets_file + ": " + budgets.status().message());
    } else {
      const std::size_t count = budgets->size();
      // Create validates what parsing cannot: limits set, unique names, time zones that exist.
      auto ledger = genai::BudgetLedger::Create({.budgets = std::move(*budgets)});
      if (!ledger.ok()) {
        Add(results, "Budgets", CheckLevel::kProblem,
            in.budgets_file + ": " + ledger.status().message());
      } else {
        Add(results, "Budgets", CheckLevel::kOk,
            in.budgets_file + ": " + std::to_string(count) + " budgets");
      }
    }
  }
  if (!in.sla_file.empty()) {
    auto text = ReadFile(in.sla_file);
    auto sla =
        text.ok() ? genai::ParseSlaConfigJson(*text) : Result<genai::SlaConfig>(text.status());
    if (!sla.ok()) {
      Add(results, "SLA", CheckLevel::kProblem, in.sla_file + ": " + sla.status().message());
    } else {
      Add(results, "SLA", CheckLevel::kOk, in.sla_file + ": valid");
    }
  }
  auto redactor = genai::Redactor::Create({.rules_file = in.redaction_rules_file});
  if (!redactor.ok()) {
    Add(results, "Redaction", CheckLevel::kProblem, redactor.status().message());
  } else {
    Add(results, "Redaction", CheckLevel::kOk,
        std::to_string((*redactor)->rule_count()) + " rules compile" +
            (in.redaction_rules_file.empty() ? " (the defaults)"
                                             : " (defaults and " + in.redaction_rules_file + ")"));
  }
}

}  // namespace

std::vector<CheckResult> RunDoctorChecks(const DoctorInputs& inputs) {
  Results results;
  CheckSdk(inputs, results);
  CheckOtlp(inputs, otlp::OtlpSignal::kTraces, "OTLP traces", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            results);
  CheckOtlp(inputs, otlp::OtlpSignal::kMetrics, "OTLP metrics",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", results);
  CheckOtlp(inputs, otlp::OtlpSignal::kLogs, "OTLP logs", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
            results);
  CheckGenAi(inputs, results);
  CheckPricing(inputs, results);
  CheckFiles(inputs, results);
  return results;
}

}  // namespace llmtrace::cli
