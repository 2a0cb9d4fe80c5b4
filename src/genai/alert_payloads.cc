#include "src/genai/alert_payloads.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string_view>
#include <utility>
#include <vector>

#include "src/genai/json_text.h"

namespace llmtrace::genai::internal {
namespace {

void AppendKey(std::string& out, std::string_view key) {
  AppendJsonString(out, key);
  out.push_back(':');
}

// A JSON number, or null for NaN and infinities (JSON has no literal for them).
void AppendJsonNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  out += FormatAlertNumber(value);
}

void AppendLabels(std::string& out, const std::vector<std::pair<std::string, std::string>>& labels,
                  std::string_view alertname) {
  out.push_back('{');
  bool has_alertname = false;
  for (const auto& [name, value] : labels) has_alertname |= name == "alertname";
  bool first = true;
  if (!has_alertname) {  // the contract says it is there; Alertmanager cannot group without it
    AppendKey(out, "alertname");
    AppendJsonString(out, alertname);
    first = false;
  }
  for (const auto& [name, value] : labels) {
    if (!first) out.push_back(',');
    first = false;
    AppendKey(out, name);
    AppendJsonString(out, value);
  }
  out.push_back('}');
}

}  // namespace

std::string FormatRfc3339Millis(Timestamp time) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  const auto since_epoch = time.time_since_epoch();
  auto whole_seconds = duration_cast<seconds>(since_epoch);
  if (whole_seconds > since_epoch) whole_seconds -= seconds(1);  // floor before 1970
  const auto millis = duration_cast<milliseconds>(since_epoch - whole_seconds).count();
  const std::time_t t = static_cast<std::time_t>(whole_seconds.count());
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buffer[40];
  const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::string out(buffer, n);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
  out += fraction;
  return out;
}

std::string FormatAlertNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::string("NaN");
}

std::string WebhookAlertBody(const Alert& alert) {
  std::string out;
  out.reserve(512);
  out.push_back('{');
  AppendKey(out, "name");
  AppendJsonString(out, alert.name);
  out.push_back(',');
  AppendKey(out, "type");
  AppendJsonString(out, alert.type);
  out.push_back(',');
  AppendKey(out, "severity");
  AppendJsonString(out, AlertSeverityName(alert.severity));
  out.push_back(',');
  AppendKey(out, "state");
  AppendJsonString(out, AlertStateName(alert.state));
  out.push_back(',');
  AppendKey(out, "summary");
  AppendJsonString(out, alert.summary);
  out.push_back(',');
  AppendKey(out, "message");
  AppendJsonString(out, alert.message);
  out.push_back(',');
  AppendKey(out, "value");
  AppendJsonNumber(out, alert.value);
  out.push_back(',');
  AppendKey(out, "threshold");
  AppendJsonNumber(out, alert.threshold);
  out.push_back(',');
  AppendKey(out, "labels");
  AppendLabels(out, alert.labels, alert.name);
  out.push_back(',');
  AppendKey(out, "startsAt");
  AppendJsonString(out, FormatRfc3339Millis(alert.starts_at));
  out.push_back(',');
  AppendKey(out, "endsAt");
  if (alert.ends_at == Timestamp{}) {
    out += "null";
  } else {
    AppendJsonString(out, FormatRfc3339Millis(alert.ends_at));
  }
  out.push_back(',');
  AppendKey(out, "fingerprint");
  AppendJsonString(out, alert.fingerprint.empty() ? AlertFingerprint(alert.name, alert.labels)
                                                  : alert.fingerprint);
  out.push_back('}');
  return out;
}

std::string AlertmanagerAlertBody(const Alert& alert, Timestamp ends_at,
                                  std::string_view generator_url) {
  std::string out;
  out.reserve(512);
  out += "[{";
  AppendKey(out, "labels");
  AppendLabels(out, alert.labels, alert.name);
  out.push_back(',');
  AppendKey(out, "annotations");
  out.push_back('{');
  AppendKey(out, "summary");
  AppendJsonString(out, alert.summary);
  out.push_back(',');
  AppendKey(out, "description");
  AppendJsonString(out, alert.message);
  out.push_back(',');
  AppendKey(out, "value");
  AppendJsonString(out, FormatAlertNumber(alert.value));
  out.push_back(',');
  AppendKey(out, "threshold");
  AppendJsonString(out, FormatAlertNumber(alert.threshold));
  out.push_back(',');
  AppendKey(out, "type");
  AppendJsonString(out, alert.type);
  out += "},";
  if (alert.starts_at != Timestamp{}) {  // Alertmanager uses the time it received the alert
    AppendKey(out, "startsAt");
    AppendJsonString(out, FormatRfc3339Millis(alert.starts_at));
    out.push_back(',');
  }
  AppendKey(out, "endsAt");
  AppendJsonString(out, FormatRfc3339Millis(ends_at));
  if (!generator_url.empty()) {
    out.push_back(',');
    AppendKey(out, "generatorURL");
    AppendJsonString(out, generator_url);
  }
  out += "}]";
  return out;
}

}  // namespace llmtrace::genai::internal
