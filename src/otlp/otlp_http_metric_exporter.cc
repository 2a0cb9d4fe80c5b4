#include "llmtrace/otlp/otlp_http_metric_exporter.h"

#include <algorithm>
#include <cctype>

#include "llmtrace/otlp/metrics_encoder.h"
#include "src/otlp/otlp_http_sender.h"

namespace llmtrace::otlp {
namespace {

Result<PartialSuccess> DecodeMetricsPartialSuccess(std::string_view body, bool json) {
  return json ? DecodeMetricsPartialSuccessJson(body) : DecodeMetricsPartialSuccessProto(body);
}

}  // namespace

OtlpHttpMetricExporterOptions OtlpHttpMetricExporterOptions::FromEnvironment(
    EnvironmentReader& env) {
  OtlpHttpMetricExporterOptions options;
  options.http = OtlpHttpOptions::FromEnvironment(env, OtlpSignal::kMetrics);
  constexpr std::string_view kVariable = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE";
  if (std::optional<std::string> value = env.GetString(kVariable)) {
    std::string lower = *value;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "cumulative") {
      options.temporality = &metrics::CumulativeTemporality;
    } else if (lower == "delta") {
      options.temporality = &metrics::DeltaTemporality;
    } else if (lower == "lowmemory") {
      options.temporality = &metrics::LowMemoryTemporality;
    } else {
      env.AddWarning(std::string(kVariable) + ": expected cumulative, delta or lowmemory, got '" +
                     *value + "'; using cumulative");
    }
  }
  return options;
}

Result<std::unique_ptr<OtlpHttpMetricExporter>> OtlpHttpMetricExporter::Create(
    OtlpHttpMetricExporterOptions options, OtlpExporterDependencies dependencies) {
  if (options.temporality == nullptr) {
    return InvalidArgumentError("otlp metric exporter: temporality selector is null");
  }
  auto sender =
      internal::OtlpHttpSender::Create(std::move(options.http), std::move(dependencies), "metrics");
  if (!sender.ok()) return sender.status();
  return std::unique_ptr<OtlpHttpMetricExporter>(
      new OtlpHttpMetricExporter(std::move(*sender), options.temporality));
}

OtlpHttpMetricExporter::OtlpHttpMetricExporter(std::unique_ptr<internal::OtlpHttpSender> sender,
                                               metrics::TemporalitySelector temporality)
    : sender_(std::move(sender)), temporality_(temporality) {}
OtlpHttpMetricExporter::~OtlpHttpMetricExporter() = default;

ExportResult OtlpHttpMetricExporter::Export(const metrics::ResourceMetrics& metrics,
                                            MonotonicTime deadline) noexcept {
  const std::size_t points = CountDataPoints(metrics);
  if (metrics.scopes.empty()) return ExportResult::kSuccess;
  try {
    body_.clear();
    if (sender_->options().protocol == OtlpProtocol::kHttpJson) {
      EncodeMetricsRequestJson(metrics, body_);
    } else {
      EncodeMetricsRequestProto(metrics, body_);
    }
  } catch (...) {  // out of memory while encoding: the snapshot is lost and counted
    body_.clear();
    body_.shrink_to_fit();
    sender_->Send(body_, points, MonotonicTime{}, &DecodeMetricsPartialSuccess);
    return ExportResult::kFailure;
  }
  return sender_->Send(body_, points, deadline, &DecodeMetricsPartialSuccess)
             ? ExportResult::kSuccess
             : ExportResult::kFailure;
}

Status OtlpHttpMetricExporter::Shutdown(std::chrono::milliseconds /*timeout*/) noexcept {
  sender_->Shutdown();
  return Status::Ok();
}

OtlpExporterStats OtlpHttpMetricExporter::stats() const noexcept { return sender_->stats(); }
std::function<OtlpExporterStats()> OtlpHttpMetricExporter::StatsReader() const {
  return internal::OtlpHttpSender::StatsReader(sender_);
}
const OtlpHttpOptions& OtlpHttpMetricExporter::options() const noexcept {
  return sender_->options();
}

}  // namespace llmtrace::otlp
