#include "llmtrace/otlp/otlp_http_span_exporter.h"

#include "llmtrace/otlp/trace_encoder.h"
#include "src/otlp/otlp_http_sender.h"

namespace llmtrace::otlp {

namespace {

Result<PartialSuccess> DecodeTracePartialSuccess(std::string_view body, bool json) {
  return json ? DecodeTracePartialSuccessJson(body) : DecodeTracePartialSuccessProto(body);
}

}  // namespace

Result<std::unique_ptr<OtlpHttpSpanExporter>> OtlpHttpSpanExporter::Create(
    OtlpHttpOptions options, OtlpExporterDependencies dependencies) {
  auto sender =
      internal::OtlpHttpSender::Create(std::move(options), std::move(dependencies), "traces");
  if (!sender.ok()) return sender.status();
  return std::unique_ptr<OtlpHttpSpanExporter>(new OtlpHttpSpanExporter(std::move(*sender)));
}

OtlpHttpSpanExporter::OtlpHttpSpanExporter(std::shared_ptr<internal::OtlpHttpSender> sender)
    : sender_(std::move(sender)) {}
OtlpHttpSpanExporter::~OtlpHttpSpanExporter() = default;

ExportResult OtlpHttpSpanExporter::Export(std::span<const trace::SpanDataPtr> batch,
                                          MonotonicTime deadline) noexcept {
  if (batch.empty()) return ExportResult::kSuccess;
  try {
    body_.clear();
    if (sender_->options().protocol == OtlpProtocol::kHttpJson) {
      EncodeTraceRequestJson(batch, body_);
    } else {
      EncodeTraceRequestProto(batch, body_);
    }
  } catch (...) {  // out of memory while encoding: the batch is lost and counted
    body_.clear();
    body_.shrink_to_fit();
    sender_->Send(body_, batch.size(), MonotonicTime{}, &DecodeTracePartialSuccess);
    return ExportResult::kFailure;
  }
  return sender_->Send(body_, batch.size(), deadline, &DecodeTracePartialSuccess)
             ? ExportResult::kSuccess
             : ExportResult::kFailure;
}

Status OtlpHttpSpanExporter::Shutdown(std::chrono::milliseconds /*timeout*/) noexcept {
  sender_->Shutdown();
  return Status::Ok();
}

OtlpExporterStats OtlpHttpSpanExporter::stats() const noexcept { return sender_->stats(); }

std::function<OtlpExporterStats()> OtlpHttpSpanExporter::StatsReader() const {
  return internal::OtlpHttpSender::StatsReader(sender_);
}
const OtlpHttpOptions& OtlpHttpSpanExporter::options() const noexcept { return sender_->options(); }

}  // namespace llmtrace::otlp
