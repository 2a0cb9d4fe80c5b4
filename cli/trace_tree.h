// Reading a trace back from llmtrace's JSON-lines span export (the OpenTelemetry Collector's
// file-exporter format: one OTLP/JSON ExportTraceServiceRequest per line) into span trees.
//
// Used by `llmtrace tree`; pure functions from text to data, so the tests need no files.
// Accepts what the Collector writes too: intValue as a JSON string (the OTLP/JSON rule) or a
// number. Spans of one trace may be spread over many lines (batches) and mixed with others.
//
//   auto traces = ParseSpanLines(text, "spans.jsonl");
//   for (const Trace& trace : *traces) std::cout << RenderTrace(trace, {});
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "llmtrace/common/result.h"

namespace llmtrace::cli {

// An attribute value as the tree needs it; arrays are kept as their JSON-ish text.
using TreeValue = std::variant<std::string, std::int64_t, double, bool>;

struct TreeSpan {
  std::string span_id;
  std::string parent_span_id;  // empty for a root
  std::string name;
  std::uint64_t start_unix_nano = 0;
  std::uint64_t end_unix_nano = 0;
  int status_code = 0;  // 0 unset, 1 ok, 2 error
  std::string status_message;
  std::map<std::string, TreeValue, std::less<>> attributes;
  std::vector<std::size_t> children;  // indexes into Trace::spans, by start time
  bool parent_missing = false;        // has a parent id that is not in the input

  const std::string* String(std::string_view key) const;
  // An int attribute (or a double that is a whole number).
  std::optional<std::int64_t> Int(std::string_view key) const;
  std::optional<double> Double(std::string_view key) const;
  double duration_ms() const {
    return end_unix_nano > start_unix_nano ? (end_unix_nano - start_unix_nano) / 1e6 : 0.0;
  }
};

struct Trace {
  std::string trace_id;
  std::vector<TreeSpan> spans;
  std::vector<std::size_t> roots;  // by start time
  std::uint64_t start_unix_nano = 0;
};

// Every trace in `text`, ordered by start time. Errors name the source and the line:
// "spans.jsonl:12: not valid JSON (...)". Blank lines are skipped.
Result<std::vector<Trace>> ParseSpanLines(std::string_view text, std::string_view source_name);

}  // namespace llmtrace::cli
