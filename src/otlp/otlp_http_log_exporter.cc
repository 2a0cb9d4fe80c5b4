#include "llmtrace/otlp/otlp_http_log_exporter.h"

#include "llmtrace/otlp/logs_encoder.h"
#include "src/otlp/otlp_http_sender.h"

namespace llmtrace::otlp {

namespace {

Result<PartialSuccess> DecodeLogsPartialSuccess(std::string_view body, bool json) {
  return json ? DecodeLogsPartialSuccessJson(body) : DecodeLogsPartialSuccessProto(body);
}

}  // namespace

Result<std::unique_ptr<OtlpHttpLogExporter>> OtlpHttpLogExporter::Create(
    OtlpHttpOptions options, OtlpExporterDependencies dependencies) {
  auto sender =
      internal::OtlpHttpSender::Create(std::move(options), std::move(dependencies), "logs");
  if (!sender.ok()) return sender.status();
  return std::unique_ptr<OtlpHttpLogExporter>(new OtlpHttpLogExporter(std::move(*sender)));
}

OtlpHttpLogExporter::OtlpHttpLogExporter(std::unique_ptr<internal::OtlpHttpSender> sender)
    : sender_(std::move(sender)) {}
OtlpHttpLogExporter::~OtlpHttpLogExporter() = default;

ExportResult OtlpHttpLogExporter::Export(std::span<const logs::LogRecordDataPtr> batch,
                                         MonotonicTime deadline) noexcept {
  if (batch.empty()) return ExportResult::kSuccess;
  try {
    body_.clear();
    if (sender_->options().protocol == OtlpProtocol::kHttpJson) {
      EncodeLogsRequestJson(batch, body_);
    } else {
      EncodeLogsRequestProto(batch, body_);
    }
  } catch (...) {  // out of memory while encoding: the batch is lost and counted
    body_.clear();
    body_.shrink_to_fit();
    sender_->Send(body_, batch.size(), MonotonicTime{}, &DecodeLogsPartialSuccess);
    return ExportResult::kFailure;
  }
  return sender_->Send(body_, batch.size(), deadline, &DecodeLogsPartialSuccess)
             ? ExportResult::kSuccess
             : ExportResult::kFailure;
}

Status OtlpHttpLogExporter::Shutdown(std::chrono::milliseconds /*timeout*/) noexcept {
  sender_->Shutdown();
  return Status::Ok();
}

OtlpExporterStats OtlpHttpLogExporter::stats() const noexcept { return sender_->stats(); }
std::function<OtlpExporterStats()> OtlpHttpLogExporter::StatsReader() const {
  return internal::OtlpHttpSender::StatsReader(sender_);
}
const OtlpHttpOptions& OtlpHttpLogExporter::options() const noexcept { return sender_->options(); }

}  // namespace llmtrace::otlp
