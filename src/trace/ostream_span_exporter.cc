#include "llmtrace/trace/ostream_span_exporter.h"

#include <cstdio>
#include <ostream>
#include <string>

namespace llmtrace::trace {

namespace {

std::string Milliseconds(std::chrono::nanoseconds d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f ms", static_cast<double>(d.count()) / 1e6);
  return buffer;
}

void AppendAttributes(std::string& out, std::span<const KeyValue> attributes) {
  for (const KeyValue& kv : attributes) {
    out += "  ";
    out += kv.key;
    out += '=';
    out += kv.value.ToString();
  }
}

}  // namespace

std::string FormatSpan(const SpanData& span) {
  std::string out = "span \"";
  out += span.name();
  out += "\" ";
  out += SpanKindName(span.kind());
  out += ' ';
  out += Milliseconds(span.end_time() - span.start_time());
  if (span.status() == SpanStatus::kOk) out += "  status=ok";
  if (span.status() == SpanStatus::kError) {
    out += "  status=error \"";
    out += span.status_description();
    out += '"';
  }
  out += "\n    trace_id=" + span.context().trace_id().ToHex();
  out += " span_id=" + span.context().span_id().ToHex();
  if (span.parent_span_id().IsValid()) out += " parent=" + span.parent_span_id().ToHex();
  if (!span.attributes().empty()) {
    out += "\n  ";
    AppendAttributes(out, span.attributes());
  }
  for (const SpanEvent& event : span.events()) {
    out += "\n    event ";
    out += event.name;
    out += " +" + Milliseconds(event.time - span.start_time());
    AppendAttributes(out, event.attributes);
  }
  for (const SpanLink& link : span.links()) {
    out += "\n    link trace_id=" + link.context.trace_id().ToHex() +
           " span_id=" + link.context.span_id().ToHex();
    AppendAttributes(out, link.attributes);
  }
  std::uint32_t dropped = span.dropped_attributes() + span.dropped_events() + span.dropped_links();
  if (dropped > 0) out += "\n    (dropped: " + std::to_string(dropped) + " over span limits)";
  out += '\n';
  return out;
}

OstreamSpanExporter::OstreamSpanExporter(std::ostream& out) : out_(out) {}

ExportResult OstreamSpanExporter::Export(std::span<const SpanDataPtr> batch,
                                         MonotonicTime /*deadline*/) noexcept {
  if (shut_down_.load()) return ExportResult::kFailure;
  try {
    for (const SpanDataPtr& span : batch) out_ << FormatSpan(*span);
    out_.flush();
    return out_ ? ExportResult::kSuccess : ExportResult::kFailure;
  } catch (...) {
    return ExportResult::kFailure;
  }
}

Status OstreamSpanExporter::Shutdown(std::chrono::milliseconds /*timeout*/) noexcept {
  shut_down_.store(true);
  return Status::Ok();
}

}  // namespace llmtrace::trace
