#include "llmtrace/genai/streaming_redactor.h"

#include <hs.h>

#include <algorithm>
#include <utility>

#include "src/genai/redaction_engine.h"

namespace llmtrace::genai {

using internal::kContextBytes;
using internal::kShortMatchBound;

StreamingRedactor::StreamingRedactor(std::shared_ptr<const Redactor> redactor)
    : redactor_(std::move(redactor)) {}

StreamingRedactor::~StreamingRedactor() {
  if (stream_ != nullptr) {
    hs_close_stream(static_cast<hs_stream_t*>(stream_), nullptr, nullptr, nullptr);
  }
}

std::string StreamingRedactor::Push(std::string_view chunk) {
  std::string out;
  if (chunk.empty() || failed_) return out;
  const internal::RedactionEngine& engine = *redactor_->engine_;
  if (stream_ == nullptr) stream_ = engine.OpenStream();
  if (!engine.ScanStream(static_cast<hs_stream_t*>(stream_), chunk, &candidates_)) {
    failed_ = true;  // fail closed: nothing more of this stream is released
    return out;
  }
  buffer_.append(chunk);
  received_ += chunk.size();

  // A candidate starting before `limit` has been reported in full, with the bytes after it that
  // its validator may read: short rules end within kShortMatchBound of their start...
  const std::uint64_t hold = kShortMatchBound + kContextBytes;
  if (received_ <= cursor_ + hold) return out;
  std::uint64_t limit = received_ - hold;
  // ...and a long rule (PEM key, JWT) that may still be open holds the text from its prefix on.
  // (A prefix may straddle `limit`, so search up to the end of the buffer.)
  const std::string_view held(buffer_.data() + (cursor_ - base_), received_ - cursor_);
  for (const internal::EngineRule& rule : engine.rules()) {
    if (rule.open_prefix.empty()) continue;
    std::size_t from = 0;
    while (true) {
      const std::size_t at = held.find(rule.open_prefix, from);
      if (at == std::string_view::npos || cursor_ + at >= limit) break;
      if (cursor_ + at + rule.max_length + kContextBytes > received_) {
        limit = cursor_ + at;
        break;
      }
      from = at + 1;
    }
  }
  Release(limit, /*at_end=*/false, &out);
  return out;
}

std::string StreamingRedactor::Finish() {
  std::string out;
  const internal::RedactionEngine& engine = *redactor_->engine_;
  if (stream_ != nullptr) {
    failed_ |= !engine.CloseStream(static_cast<hs_stream_t*>(stream_), &candidates_);
    stream_ = nullptr;
  }
  if (failed_) {
    out = internal::kRedactionFailedPlaceholder;
  } else {
    Release(received_, /*at_end=*/true, &out);
  }
  failed_ = false;
  buffer_.clear();
  candidates_.clear();
  base_ = cursor_ = received_ = 0;
  return out;
}

void StreamingRedactor::Release(std::uint64_t limit, bool at_end, std::string* out) {
  if (limit <= cursor_ && !at_end) return;
  const internal::RedactionEngine& engine = *redactor_->engine_;
  std::vector<internal::Decision> decisions;
  std::uint64_t decided_to = cursor_;
  engine.Decide(&candidates_, buffer_, base_, at_end ? UINT64_MAX : limit, &decided_to, &decisions);
  const std::uint64_t release_to = at_end ? received_ : std::max(limit, decided_to);
  engine.AppendRedacted(buffer_, base_, cursor_, release_to, decisions, out);
  cursor_ = release_to;
  // Keep kContextBytes before the cursor for the validators of candidates starting there.
  const std::uint64_t new_base = cursor_ - std::min<std::uint64_t>(cursor_, kContextBytes);
  buffer_.erase(0, new_base - base_);
  base_ = new_base;
}

}  // namespace llmtrace::genai
