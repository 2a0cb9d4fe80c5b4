#include "llmtrace/logs/json_lines_log_exporter.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <ostream>

#include "llmtrace/common/strings.h"

namespace llmtrace::logs {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (1-4), or 0 if it is ill-formed
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t Utf8SequenceLength(std::string_view s) noexcept {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return 1;
  auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    if (i >= s.size()) return false;
    const auto b = static_cast<unsigned char>(s[i]);
    return b >= lo && b <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b0 == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// A quoted JSON string (RFC 8259): '"', '\\' and control characters escaped; each ill-formed
// UTF-8 byte becomes U+FFFD, so the line always parses.
void AppendString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      // A run of plain ASCII, copied at once.
      std::size_t j = i + 1;
      while (j < s.size()) {
        const auto d = static_cast<unsigned char>(s[j]);
        if (d < 0x20 || d == '"' || d == '\\' || d >= 0x80) break;
        ++j;
      }
      out.append(s.data() + i, j - i);
      i = j;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\b':
        out += "\\b";
        ++i;
        continue;
      case '\f':
        out += "\\f";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      ++i;
      continue;
    }
    const std::size_t length = Utf8SequenceLength(s.substr(i));
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(s.data() + i, length);
      i += length;
    }
  }
  out.push_back('"');
}

void AppendDouble(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else if (value == 0 && std::signbit(value)) {
    out += "-0.0";
  } else {
    out += FormatDouble(value);
  }
}

void AppendValue(const AttributeValue& value, std::string& out) {
  auto array = [&](auto items, auto&& one) {
    out.push_back('[');
    bool first = true;
    for (const auto& item : items) {
      if (!first) out.push_back(',');
      first = false;
      one(item);
    }
    out.push_back(']');
  };
  switch (value.type()) {
    case AttributeValue::Type::kBool:
      out += value.AsBool() ? "true" : "false";
      break;
    case AttributeValue::Type::kInt:
      out += std::to_string(value.AsInt());
      break;
    case AttributeValue::Type::kDouble:
      AppendDouble(value.AsDouble(), out);
      break;
    case AttributeValue::Type::kString:
      AppendString(value.AsString(), out);
      break;
    case AttributeValue::Type::kBoolArray:
      array(value.AsBoolArray(), [&](bool b) { out += b ? "true" : "false"; });
      break;
    case AttributeValue::Type::kIntArray:
      array(value.AsIntArray(), [&](std::int64_t v) { out += std::to_string(v); });
      break;
    case AttributeValue::Type::kDoubleArray:
      array(value.AsDoubleArray(), [&](double v) { AppendDouble(v, out); });
      break;
    case AttributeValue::Type::kStringArray:
      array(value.AsStringArray(), [&](std::string_view v) { AppendString(v, out); });
      break;
  }
}

void AppendDigits(std::uint64_t value, int width, std::string& out) {
  char buffer[20];
  for (int i = width - 1; i >= 0; --i) {
    buffer[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buffer, static_cast<std::size_t>(width));
}

// "2026-11-25T02:32:19.123456Z". Days to civil date: Howard Hinnant's algorithm, exact for the
// proleptic Gregorian calendar, so no locale or time zone database is involved.
void AppendIso8601Micros(Timestamp t, std::string& out) {
  const std::int64_t micros_total =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  std::int64_t days = micros_total / 86'400'000'000;
  std::int64_t micros_of_day = micros_total % 86'400'000'000;
  if (micros_of_day < 0) {
    micros_of_day += 86'400'000'000;
    --days;
  }
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<std::uint64_t>(z - era * 146097);
  const std::uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::uint64_t mp = (5 * doy + 2) / 153;
  const std::uint64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::uint64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  const auto seconds_of_day = static_cast<std::uint64_t>(micros_of_day / 1'000'000);

  out.push_back('"');
  if (year < 0 || year > 9999) {
    out += std::to_string(year);
  } else {
    AppendDigits(static_cast<std::uint64_t>(year), 4, out);
  }
  out.push_back('-');
  AppendDigits(month, 2, out);
  out.push_back('-');
  AppendDigits(day, 2, out);
  out.push_back('T');
  AppendDigits(seconds_of_day / 3600, 2, out);
  out.push_back(':');
  AppendDigits(seconds_of_day / 60 % 60, 2, out);
  out.push_back(':');
  AppendDigits(seconds_of_day % 60, 2, out);
  out.push_back('.');
  AppendDigits(static_cast<std::uint64_t>(micros_of_day % 1'000'000), 6, out);
  out += "Z\"";
}

void AppendHex(std::span<const std::uint8_t> bytes, std::string& out) {
  const std::size_t at = out.size();
  out.resize(at + 2 + 2 * bytes.size());
  out[at] = '"';
  HexEncode(bytes, out.data() + at + 1);
  out.back() = '"';
}

}  // namespace

void AppendJsonLine(const LogRecordData& record, std::string& out) {
  const Timestamp when = record.timestamp().time_since_epoch().count() != 0
                             ? record.timestamp()
                             : record.observed_timestamp();
  out += "{\"timestamp\":";
  AppendIso8601Micros(when, out);
  out += ",\"severity\":";
  AppendString(record.severity_text(), out);
  out += ",\"severity_number\":";
  out += std::to_string(static_cast<int>(record.severity()));
  out += ",\"body\":";
  if (record.has_body()) {
    AppendValue(record.body(), out);
  } else {
    out += "null";
  }
  if (record.trace_id().IsValid()) {
    out += ",\"trace_id\":";
    AppendHex(record.trace_id().bytes(), out);
    out += ",\"span_id\":";
    AppendHex(record.span_id().bytes(), out);
  }
  out += ",\"attributes\":{";
  bool first = true;
  for (const KeyValue& kv : record.attributes()) {
    if (!first) out.push_back(',');
    first = false;
    AppendString(kv.key, out);
    out.push_back(':');
    AppendValue(kv.value, out);
  }
  out.push_back('}');
  if (record.dropped_attributes() != 0) {
    out += ",\"dropped_attributes\":";
    out += std::to_string(record.dropped_attributes());
  }
  if (const AttributeValue* service = record.resource().attributes().Find("service.name")) {
    out += ",\"service.name\":";
    AppendValue(*service, out);
  }
  if (!record.scope().name.empty()) {
    out += ",\"scope\":";
    AppendString(record.scope().name, out);
  }
  out.push_back('}');
}

JsonLinesLogExporter::JsonLinesLogExporter(std::ostream& out) noexcept
    : out_(out), description_("json lines log exporter") {}

JsonLinesLogExporter::JsonLinesLogExporter(std::unique_ptr<std::ostream> file,
                                           std::string description) noexcept
    : owned_(std::move(file)), out_(*owned_), description_(std::move(description)) {}

JsonLinesLogExporter::~JsonLinesLogExporter() = default;

Result<std::unique_ptr<JsonLinesLogExporter>> JsonLinesLogExporter::OpenFile(
    const std::filesystem::path& path) {
  try {
    std::string description = "json lines log exporter to '" + path.string() + "'";
    errno = 0;
    auto file =
        std::make_unique<std::ofstream>(path, std::ios::out | std::ios::app | std::ios::binary);
    if (!file->is_open()) {
      const int error = errno;
      return UnavailableError(description + ": cannot open for appending" +
                              (error != 0 ? std::string(": ") + std::strerror(error) : ""));
    }
    return std::unique_ptr<JsonLinesLogExporter>(
        new JsonLinesLogExporter(std::move(file), std::move(description)));
  } catch (const std::exception& e) {
    return InternalError("json lines log exporter to '" + path.string() + "': " + e.what());
  }
}

ExportResult JsonLinesLogExporter::Export(std::span<const LogRecordDataPtr> batch,
                                          MonotonicTime /*deadline*/) noexcept {
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  std::lock_guard<std::mutex> lock(mutex_);
  if (shut_down_.load(std::memory_order_acquire)) return ExportResult::kFailure;
  try {
    lines_.clear();
    for (const LogRecordDataPtr& record : batch) {
      if (!record) continue;
      AppendJsonLine(*record, lines_);
      lines_.push_back('\n');
    }
    if (lines_.empty()) return ExportResult::kSuccess;
    out_.write(lines_.data(), static_cast<std::streamsize>(lines_.size()));
    out_.flush();
    // Keep the buffer from growing without bound after one huge batch.
    if (lines_.capacity() > (std::size_t{4} << 20)) std::string().swap(lines_);
    return out_.good() ? ExportResult::kSuccess : ExportResult::kFailure;
  } catch (...) {  // bad_alloc, or a stream with exceptions() enabled
    return ExportResult::kFailure;
  }
}

Status JsonLinesLogExporter::ForceFlush(std::chrono::milliseconds /*timeout*/) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    out_.flush();
    if (out_.good()) return Status::Ok();
  } catch (...) {
  }
  return UnavailableError(description_ + ": flush failed");
}

Status JsonLinesLogExporter::Shutdown(std::chrono::milliseconds timeout) noexcept {
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

}  // namespace llmtrace::logs
