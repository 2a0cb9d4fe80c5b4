#include "llmtrace/genai/content_capture.h"

#include "llmtrace/common/strings.h"
#include "llmtrace/genai/redactor.h"
#include "src/genai/json_text.h"

namespace llmtrace::genai {

std::optional<ContentCaptureMode> ParseContentCaptureMode(std::string_view value) {
  value = TrimWhitespace(value);
  if (EqualsIgnoreCase(value, "NO_CONTENT") || EqualsIgnoreCase(value, "false")) {
    return ContentCaptureMode::kNoContent;
  }
  if (EqualsIgnoreCase(value, "SPAN_ONLY") || EqualsIgnoreCase(value, "true")) {
    return ContentCaptureMode::kSpanOnly;
  }
  if (EqualsIgnoreCase(value, "EVENT_ONLY")) return ContentCaptureMode::kEventOnly;
  if (EqualsIgnoreCase(value, "SPAN_AND_EVENT")) return ContentCaptureMode::kSpanAndEvent;
  return std::nullopt;
}

Result<ContentCaptureOptions> ContentCaptureOptionsFromEnvironment(const Environment& env) {
  EnvironmentReader reader(env);
  ContentCaptureOptions options;
  constexpr std::string_view kModeVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";
  if (auto value = reader.GetString(kModeVariable)) {
    auto mode = ParseContentCaptureMode(*value);
    if (!mode) {
      return InvalidArgumentError(std::string(kModeVariable) + "='" + *value +
                                  "': expected NO_CONTENT, SPAN_ONLY, EVENT_ONLY or "
                                  "SPAN_AND_EVENT");
    }
    options.mode = *mode;
  }
  if (auto value = reader.GetString("LLMTRACE_CONTENT_MAX_LENGTH")) {
    char* end = nullptr;
    const long long parsed = std::strtoll(value->c_str(), &end, 10);
    if (end == value->c_str() || *end != '\0' || parsed < 16 || parsed > (1LL << 24)) {
      return InvalidArgumentError("LLMTRACE_CONTENT_MAX_LENGTH='" + *value +
                                  "': expected a whole number of bytes from 16 to 16777216");
    }
    options.max_length = static_cast<std::size_t>(parsed);
  }
  return options;
}

Result<std::shared_ptr<const ContentCapture>> ContentCapture::Create(
    ContentCaptureOptions options) {
  if (options.max_length < 16) {
    return InvalidArgumentError("content capture: max_length must be at least 16 bytes");
  }
  if (options.mode != ContentCaptureMode::kNoContent && options.redactor == nullptr) {
    auto redactor = Redactor::Create(RedactorOptions{});
    if (!redactor.ok()) return redactor.status().WithContext("content capture: default redactor");
    options.redactor = std::move(*redactor);
  }
  return std::make_shared<const ContentCapture>(options.mode, options.max_length,
                                                std::move(options.redactor));
}

std::string TruncateUtf8(std::string_view text, std::size_t max_length) {
  if (text.size() <= max_length) return std::string(text);
  std::size_t cut = max_length;
  // Back up over continuation bytes so a multi-byte character is never split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  out += "\xE2\x80\xA6[truncated]";
  return out;
}

std::string ContentCapture::Sanitize(std::string_view text) const {
  if (redactor_ == nullptr) return TruncateUtf8(text, max_length_);
  // Redact first: truncating first could cut a secret in half and hide it from the rules.
  return TruncateUtf8(redactor_->Redact(text), max_length_);
}

std::string ContentCapture::InputMessagesJson(std::span<const Message> messages) const {
  std::string json = "[";
  for (const Message& message : messages) {
    if (json.size() > 1) json += ',';
    json += "{\"role\":";
    internal::AppendJsonString(json, message.role);
    json += ",\"parts\":[{";
    if (message.role == "tool") {
      json += "\"type\":\"tool_call_response\",\"id\":";
      internal::AppendJsonString(json, message.tool_call_id);
      json += ",\"response\":";
    } else {
      json += "\"type\":\"text\",\"content\":";
    }
    internal::AppendJsonString(json, Sanitize(message.content));
    json += "}]}";
  }
  json += ']';
  return json;
}

std::string ContentCapture::OutputMessagesJson(std::string_view text,
                                               std::string_view finish_reason) const {
  std::string json = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":";
  internal::AppendJsonString(json, Sanitize(text));
  json += "}],\"finish_reason\":";
  internal::AppendJsonString(json, finish_reason);
  json += "}]";
  return json;
}

std::string ContentCapture::SystemInstructionsJson(std::string_view text) const {
  std::string json = "[{\"type\":\"text\",\"content\":";
  internal::AppendJsonString(json, Sanitize(text));
  json += "}]";
  return json;
}

}  // namespace llmtrace::genai
