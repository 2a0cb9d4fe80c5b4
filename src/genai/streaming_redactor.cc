#include "llmtrace/genai/streaming_redactor.h"

#include <algorithm>
#include <utility>

#include "src/genai/redaction_engine.h"

namespace llmtrace::genai {

using internal::kContextBytes;

namespace {
// The buffer drops released text once this much of it is dead, so a stream of small chunks
// does not move the held bytes on every Push.
constexpr std::uint64_t kCompactAfter = 4096;
}  // namespace

StreamingRedactor::StreamingRedactor(std::shared_ptr<const Redactor> redactor)
    : redactor_(std::move(redactor)) {}

StreamingRedactor::~StreamingRedactor() = default;

std::string StreamingRedactor::Push(std::string_view chunk) {
  std::string out;
  if (chunk.empty() || failed_) return out;
  if (finder_ == nullptr) {
    finder_ = std::make_unique<internal::CandidateFinder>(*redactor_->engine_, /*streaming=*/true);
  }
  buffer_.append(chunk);
  received_ += chunk.size();
  if (!finder_->Feed(buffer_, base_, /*at_end=*/false, &candidates_)) {
    failed_ = true;  // fail closed: nothing more of this stream is released
    return out;
  }
  // Every candidate starting before the finder's limit has been reported, with the bytes after
  // it that its validator may read.
  Release(finder_->SafeLimit(), /*at_end=*/false, &out);
  return out;
}

std::string StreamingRedactor::Finish() {
  std::string out;
  if (finder_ != nullptr && !failed_) {
    failed_ = !finder_->Feed(buffer_, base_, /*at_end=*/true, &candidates_);
  }
  if (failed_) {
    out = internal::kRedactionFailedPlaceholder;
  } else {
    Release(received_, /*at_end=*/true, &out);
  }
  finder_.reset();
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
  if (at_end) return;
  // Keep kContextBytes before the cursor for the validators, and what the finder still reads.
  const std::uint64_t keep =
      std::min(cursor_ - std::min<std::uint64_t>(cursor_, kContextBytes), finder_->KeepFrom());
  if (keep > base_ + kCompactAfter) {
    buffer_.erase(0, keep - base_);
    base_ = keep;
  }
}

}  // namespace llmtrace::genai
