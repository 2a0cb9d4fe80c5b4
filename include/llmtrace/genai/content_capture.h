// Content capture: whether prompts and completions leave the process, and in what form.
//
// Off by default, as the GenAI conventions ask (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
// = NO_CONTENT | SPAN_ONLY | EVENT_ONLY | SPAN_AND_EVENT). When on, every piece of content is
// redacted (see redactor.h; the default rule set unless another Redactor is given) and then
// truncated to `max_length` bytes (at a UTF-8 boundary, with a "…[truncated]" marker) before it
// is written to a span attribute, an event or a log record. Hashes of the raw content (see
// content_hash.h) are recorded whatever the mode.
// Thread-safety: an immutable policy; share it freely.
//
//   auto capture = ContentCapture::Create({.mode = ContentCaptureMode::kSpanOnly});
//   std::string safe = capture->Sanitize("mail me at jane@example.com");  // "mail me at [EMAIL]"
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/genai/message.h"

namespace llmtrace::genai {

class Redactor;  // redactor.h

enum class ContentCaptureMode { kNoContent, kSpanOnly, kEventOnly, kSpanAndEvent };

// "NO_CONTENT", "SPAN_ONLY", "EVENT_ONLY", "SPAN_AND_EVENT" (case-insensitive); also "true" as
// SPAN_ONLY and "false" as NO_CONTENT, the boolean form older instrumentations read. nullopt for
// anything else.
std::optional<ContentCaptureMode> ParseContentCaptureMode(std::string_view value);

struct ContentCaptureOptions {
  // OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT.
  ContentCaptureMode mode = ContentCaptureMode::kNoContent;
  // LLMTRACE_CONTENT_MAX_LENGTH: bytes kept of each captured piece of content.
  std::size_t max_length = 4096;
  // Null: the default rule set. Redaction cannot be switched off while capture is on.
  std::shared_ptr<const Redactor> redactor;
};

// The options above from the environment; an invalid value is an error naming the variable.
Result<ContentCaptureOptions> ContentCaptureOptionsFromEnvironment(const Environment& env);

class ContentCapture {
 public:
  static Result<std::shared_ptr<const ContentCapture>> Create(ContentCaptureOptions options);

  ContentCaptureMode mode() const noexcept { return mode_; }
  bool enabled() const noexcept { return mode_ != ContentCaptureMode::kNoContent; }
  bool on_span() const noexcept {
    return mode_ == ContentCaptureMode::kSpanOnly || mode_ == ContentCaptureMode::kSpanAndEvent;
  }
  bool as_event() const noexcept {
    return mode_ == ContentCaptureMode::kEventOnly || mode_ == ContentCaptureMode::kSpanAndEvent;
  }
  std::size_t max_length() const noexcept { return max_length_; }

  // Redacted, then truncated.
  std::string Sanitize(std::string_view text) const;
  // gen_ai.input.messages: [{"role":"user","parts":[{"type":"text","content":"..."}]}, ...]
  // (tool results become tool_call_response parts). Each content sanitized.
  std::string InputMessagesJson(std::span<const Message> messages) const;
  // gen_ai.output.messages: one assistant message with its text and finish reason.
  std::string OutputMessagesJson(std::string_view text, std::string_view finish_reason) const;
  // gen_ai.system_instructions: [{"type":"text","content":"..."}].
  std::string SystemInstructionsJson(std::string_view text) const;

  ContentCapture(ContentCaptureMode mode, std::size_t max_length,
                 std::shared_ptr<const Redactor> redactor)
      : mode_(mode), max_length_(max_length), redactor_(std::move(redactor)) {}

 private:
  ContentCaptureMode mode_;
  std::size_t max_length_;
  std::shared_ptr<const Redactor> redactor_;
};

// Cuts `text` to at most `max_length` bytes without splitting a UTF-8 sequence, appending
// "…[truncated]" when it cut (the marker is not counted in max_length).
std::string TruncateUtf8(std::string_view text, std::size_t max_length);

}  // namespace llmtrace::genai
