#include "llmtrace/otlp/json_lines_span_exporter.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>

#include "llmtrace/otlp/trace_encoder.h"

namespace llmtrace::otlp {

JsonLinesSpanExporter::JsonLinesSpanExporter(std::ostream& out) noexcept
    : out_(out), description_("json lines span exporter") {}

JsonLinesSpanExporter::JsonLinesSpanExporter(std::unique_ptr<std::ostream> file,
                                             std::string description) noexcept
    : owned_(std::move(file)), out_(*owned_), description_(std::move(description)) {}

JsonLinesSpanExporter::~JsonLinesSpanExporter() = default;

Result<std::unique_ptr<JsonLinesSpanExporter>> JsonLinesSpanExporter::OpenFile(
    const std::filesystem::path& path) {
  try {
    std::string description = "json lines span exporter to '" + path.string() + "'";
    errno = 0;
    auto file =
        std::make_unique<std::ofstream>(path, std::ios::out | std::ios::app | std::ios::binary);
    if (!file->is_open()) {
      const int error = errno;
      return UnavailableError(description + ": cannot open for appending" +
                              (error != 0 ? std::string(": ") + std::strerror(error) : ""));
    }
    return std::unique_ptr<JsonLinesSpanExporter>(
        new JsonLinesSpanExporter(std::move(file), std::move(description)));
  } catch (const std::exception& e) {
    return InternalError("json lines span exporter to '" + path.string() + "': " + e.what());
  }
}

ExportResult JsonLinesSpanExporter::Export(std::span<const trace::SpanDataPtr> batch,
                                           MonotonicTime /*deadline*/) noexcept {
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  bool any = false;
  for (const trace::SpanDataPtr& span : batch) any = any || span != nullptr;
  if (!any) return ExportResult::kSuccess;
  std::lock_guard<std::mutex> lock(mutex_);
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  try {
    line_.clear();
    EncodeTraceRequestJson(batch, line_);
    line_.push_back('\n');
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    out_.flush();
    // Keep the buffer from growing without bound after one huge batch.
    if (line_.capacity() > (std::size_t{4} << 20)) std::string().swap(line_);
    return out_.good() ? ExportResult::kSuccess : ExportResult::kFailure;
  } catch (...) {  // bad_alloc, or a stream with exceptions() enabled
    return ExportResult::kFailure;
  }
}

Status JsonLinesSpanExporter::ForceFlush(std::chrono::milliseconds /*timeout*/) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    out_.flush();
    if (out_.good()) return Status::Ok();
  } catch (...) {
  }
  return UnavailableError(description_ + ": flush failed");
}

Status JsonLinesSpanExporter::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (shut_down_.exchange(true, std::memory_order_acq_rel)) return Status::Ok();
  Status flushed = ForceFlush(timeout);
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto* file = dynamic_cast<std::ofstream*>(owned_.get())) {
    try {
      file->close();
    } catch (...) {
    }
  }
  return flushed;
}

}  // namespace llmtrace::otlp
