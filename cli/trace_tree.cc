#include "cli/trace_tree.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace llmtrace::cli {
namespace {

namespace dom = simdjson::dom;

std::string Where(std::string_view source, std::size_t line) {
  return std::string(source) + ":" + std::to_string(line) + ": ";
}

// OTLP/JSON writes 64-bit integers as strings; the Collector and others may write numbers.
bool ReadUint64(dom::element value, std::uint64_t& out) {
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
  }
  return value.get(out) == simdjson::SUCCESS;
}

std::string ArrayText(dom::array values);

// The value of an OTLP AnyValue object.
TreeValue ReadAnyValue(dom::element any) {
  std::string_view s;
  if (any["stringValue"].get(s) == simdjson::SUCCESS) return std::string(s);
  dom::element int_value;
  if (any["intValue"].get(int_value) == simdjson::SUCCESS) {
    std::int64_t i = 0;
    if (int_value.get(s) == simdjson::SUCCESS) {
      std::from_chars(s.data(), s.data() + s.size(), i);
      return i;
    }
    if (int_value.get(i) == simdjson::SUCCESS) return i;
  }
  double d = 0;
  if (any["doubleValue"].get(d) == simdjson::SUCCESS) return d;
  std::int64_t whole_double = 0;
  if (any["doubleValue"].get(whole_double) == simdjson::SUCCESS) {
    return static_cast<double>(whole_double);
  }
  bool b = false;
  if (any["boolValue"].get(b) == simdjson::SUCCESS) return b;
  dom::array values;
  if (any["arrayValue"]["values"].get(values) == simdjson::SUCCESS) return ArrayText(values);
  return std::string();
}

std::string ArrayText(dom::array values) {
  std::string text = "[";
  for (dom::element v : values) {
    if (text.size() > 1) text += ", ";
    TreeValue value = ReadAnyValue(v);
    if (const auto* s = std::get_if<std::string>(&value)) {
      text += *s;
    } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
      text += std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      text += std::to_string(*d);
    } else {
      text += std::get<bool>(value) ? "true" : "false";
    }
  }
  return text + "]";
}

Status ReadSpan(dom::element json, std::string& trace_id, TreeSpan& span) {
  std::string_view text;
  if (json["traceId"].get(text) != simdjson::SUCCESS || text.empty()) {
    return InvalidArgumentError("span without a traceId");
  }
  trace_id.assign(text);
  if (json["spanId"].get(text) != simdjson::SUCCESS || text.empty()) {
    return InvalidArgumentError("span without a spanId");
  }
  span.span_id.assign(text);
  if (json["parentSpanId"].get(text) == simdjson::SUCCESS) span.parent_span_id.assign(text);
  if (json["name"].get(text) == simdjson::SUCCESS) span.name.assign(text);
  dom::element time;
  if (json["startTimeUnixNano"].get(time) != simdjson::SUCCESS ||
      !ReadUint64(time, span.start_unix_nano)) {
    return InvalidArgumentError("span '" + span.name + "': startTimeUnixNano missing or invalid");
  }
  if (json["endTimeUnixNano"].get(time) != simdjson::SUCCESS ||
      !ReadUint64(time, span.end_unix_nano)) {
    return InvalidArgumentError("span '" + span.name + "': endTimeUnixNano missing or invalid");
  }
  dom::element status;
  if (json["status"].get(status) == simdjson::SUCCESS) {
    std::int64_t code = 0;
    if (status["code"].get(code) == simdjson::SUCCESS) span.status_code = static_cast<int>(code);
    if (status["message"].get(text) == simdjson::SUCCESS) span.status_message.assign(text);
  }
  dom::array attributes;
  if (json["attributes"].get(attributes) == simdjson::SUCCESS) {
    for (dom::element kv : attributes) {
      std::string_view key;
      dom::element value;
      if (kv["key"].get(key) != simdjson::SUCCESS || kv["value"].get(value) != simdjson::SUCCESS) {
        continue;
      }
      span.attributes.insert_or_assign(std::string(key), ReadAnyValue(value));
    }
  }
  return Status::Ok();
}

void BuildTree(Trace& trace) {
  std::sort(trace.spans.begin(), trace.spans.end(), [](const TreeSpan& a, const TreeSpan& b) {
    return a.start_unix_nano != b.start_unix_nano ? a.start_unix_nano < b.start_unix_nano
                                                  : a.span_id < b.span_id;
  });
  std::unordered_map<std::string_view, std::size_t> by_id;
  for (std::size_t i = 0; i < trace.spans.size(); ++i) by_id.emplace(trace.spans[i].span_id, i);
  for (std::size_t i = 0; i < trace.spans.size(); ++i) {
    TreeSpan& span = trace.spans[i];
    auto parent = span.parent_span_id.empty() ? by_id.end() : by_id.find(span.parent_span_id);
    if (parent == by_id.end() || parent->second == i) {
      span.parent_missing = !span.parent_span_id.empty();
      trace.roots.push_back(i);
    } else {
      trace.spans[parent->second].children.push_back(i);
    }
  }
  trace.start_unix_nano = trace.spans.empty() ? 0 : trace.spans.front().start_unix_nano;
}

}  // namespace

const std::string* TreeSpan::String(std::string_view key) const {
  auto it = attributes.find(key);
  return it == attributes.end() ? nullptr : std::get_if<std::string>(&it->second);
}

std::optional<std::int64_t> TreeSpan::Int(std::string_view key) const {
  auto it = attributes.find(key);
  if (it == attributes.end()) return std::nullopt;
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return *i;
  if (const auto* d = std::get_if<double>(&it->second)) {
    if (std::trunc(*d) == *d) return static_cast<std::int64_t>(*d);
  }
  return std::nullopt;
}

std::optional<double> TreeSpan::Double(std::string_view key) const {
  auto it = attributes.find(key);
  if (it == attributes.end()) return std::nullopt;
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return static_cast<double>(*i);
  return std::nullopt;
}

Result<std::vector<Trace>> ParseSpanLines(std::string_view text, std::string_view source_name) {
  dom::parser parser;
  std::vector<Trace> traces;
  std::unordered_map<std::string, std::size_t> trace_index;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    dom::element document;
    if (auto error = parser.parse(line.data(), line.size()).get(document)) {
      return InvalidArgumentError(Where(source_name, line_number) + "not valid JSON (" +
                                  simdjson::error_message(error) + ")");
    }
    dom::array resource_spans;
    if (document["resourceSpans"].get(resource_spans) != simdjson::SUCCESS) {
      return InvalidArgumentError(Where(source_name, line_number) +
                                  "not an OTLP/JSON trace export (no resourceSpans array)");
    }
    for (dom::element resource : resource_spans) {
      dom::array scope_spans;
      if (resource["scopeSpans"].get(scope_spans) != simdjson::SUCCESS) continue;
      for (dom::element scope : scope_spans) {
        dom::array spans;
        if (scope["spans"].get(spans) != simdjson::SUCCESS) continue;
        for (dom::element json : spans) {
          std::string trace_id;
          TreeSpan span;
          if (Status status = ReadSpan(json, trace_id, span); !status.ok()) {
            return InvalidArgumentError(Where(source_name, line_number) + status.message());
          }
          auto [it, added] = trace_index.emplace(trace_id, traces.size());
          if (added) traces.push_back(Trace{trace_id, {}, {}, 0});
          traces[it->second].spans.push_back(std::move(span));
        }
      }
    }
  }
  for (Trace& trace : traces) BuildTree(trace);
  std::stable_sort(traces.begin(), traces.end(), [](const Trace& a, const Trace& b) {
    return a.start_unix_nano < b.start_unix_nano;
  });
  return traces;
}

}  // namespace llmtrace::cli
