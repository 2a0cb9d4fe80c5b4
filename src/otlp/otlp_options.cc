#include "llmtrace/otlp/otlp_options.h"

#include "llmtrace/common/strings.h"

namespace llmtrace::otlp {

std::string_view OtlpSignalPath(OtlpSignal signal) noexcept {
  switch (signal) {
    case OtlpSignal::kTraces:
      return "/v1/traces";
    case OtlpSignal::kMetrics:
      return "/v1/metrics";
    case OtlpSignal::kLogs:
      return "/v1/logs";
  }
  return "/v1/traces";
}

namespace {

std::string_view SignalInfix(OtlpSignal signal) {
  switch (signal) {
    case OtlpSignal::kTraces:
      return "TRACES_";
    case OtlpSignal::kMetrics:
      return "METRICS_";
    case OtlpSignal::kLogs:
      return "LOGS_";
  }
  return "TRACES_";
}

// The signal-specific variable if set, else the generic one; `used` names the one read.
std::optional<std::string> ReadEither(EnvironmentReader& env, OtlpSignal signal,
                                      std::string_view suffix, std::string* used) {
  std::string specific =
      "OTEL_EXPORTER_OTLP_" + std::string(SignalInfix(signal)) + std::string(suffix);
  if (auto v = env.GetString(specific)) {
    *used = specific;
    return v;
  }
  std::string generic = "OTEL_EXPORTER_OTLP_" + std::string(suffix);
  *used = generic;
  return env.GetString(generic);
}

bool ParseHeaders(std::string_view raw, http::HeaderList& out) {
  for (std::string_view member : Split(raw, ',')) {
    member = TrimWhitespace(member);
    if (member.empty()) continue;
    std::size_t eq = member.find('=');
    if (eq == std::string_view::npos) return false;
    std::string_view key = TrimWhitespace(member.substr(0, eq));
    std::optional<std::string> value = PercentDecode(TrimWhitespace(member.substr(eq + 1)));
    if (key.empty() || !value) return false;
    // A header value with CR or LF would let configuration inject headers.
    if (value->find_first_of("\r\n") != std::string::npos) return false;
    out.emplace_back(std::string(key), std::move(*value));
  }
  return true;
}

}  // namespace

OtlpHttpOptions OtlpHttpOptions::FromEnvironment(EnvironmentReader& env, OtlpSignal signal) {
  OtlpHttpOptions options;
  std::string path(OtlpSignalPath(signal));
  options.endpoint = "http://localhost:4318" + path;
  std::string specific_endpoint =
      "OTEL_EXPORTER_OTLP_" + std::string(SignalInfix(signal)) + "ENDPOINT";
  if (auto v = env.GetString(specific_endpoint)) {
    options.endpoint = *v;
  } else if (auto generic = env.GetString("OTEL_EXPORTER_OTLP_ENDPOINT")) {
    std::string base = *generic;
    while (!base.empty() && base.back() == '/') base.pop_back();
    options.endpoint = base + path;
  }

  std::string used;
  if (auto protocol = ReadEither(env, signal, "PROTOCOL", &used)) {
    if (*protocol == "http/json") {
      options.protocol = OtlpProtocol::kHttpJson;
    } else if (*protocol != "http/protobuf") {
      env.AddWarning(used + ": '" + *protocol +
                     "' is not supported (expected http/protobuf or http/json); using "
                     "http/protobuf");
    }
  }
  if (auto headers = ReadEither(env, signal, "HEADERS", &used)) {
    if (!ParseHeaders(*headers, options.headers)) {
      options.headers.clear();
      env.AddWarning(used +
                     ": malformed (expected key=value pairs separated by commas, values "
                     "%-encoded); sending no extra headers");
    }
  }
  if (ReadEither(env, signal, "TIMEOUT", &used)) {
    options.timeout = env.GetMilliseconds(used, options.timeout);
  }
  if (auto compression = ReadEither(env, signal, "COMPRESSION", &used)) {
    if (*compression == "gzip") {
      options.compression = OtlpCompression::kGzip;
    } else if (*compression != "none") {
      env.AddWarning(used + ": expected gzip or none, got '" + *compression + "'; using none");
    }
  }
  return options;
}

}  // namespace llmtrace::otlp
