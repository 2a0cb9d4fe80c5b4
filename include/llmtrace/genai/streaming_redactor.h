// StreamingRedactor: redacts a stream of chunks (an LLM response as it arrives) so that a secret
// split across chunks is still caught.
//
// It looks at each chunk once for triggers (the redactor's cheap first phase) and holds back
// only text that could still be part of a match: in clean text the last 258 bytes with the
// default rules (514 with user rules); after a trigger, its window until it is complete (about
// 200 bytes for digits, 770 for an email, 8.2 KiB after a PEM key's "-----BEGIN" or a JWT's
// "eyJ"). Everything else is returned at once. The concatenation of every Push and Finish
// equals Redactor::Redact on the whole text, however the text was split.
// Thread-safety: one StreamingRedactor per stream; not safe for concurrent use. Many streams
// may share one Redactor.
//
//   StreamingRedactor stream(redactor);
//   for (std::string_view chunk : chunks) Send(stream.Push(chunk));
//   Send(stream.Finish());
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/genai/redactor.h"

namespace llmtrace::genai {

namespace internal {
struct Candidate;
class CandidateFinder;
}  // namespace internal

class StreamingRedactor {
 public:
  explicit StreamingRedactor(std::shared_ptr<const Redactor> redactor);
  ~StreamingRedactor();
  StreamingRedactor(const StreamingRedactor&) = delete;
  StreamingRedactor& operator=(const StreamingRedactor&) = delete;

  // Feeds the next chunk; returns the redacted text that is now final (possibly empty).
  std::string Push(std::string_view chunk);
  // Ends the stream: returns the rest. The redactor then starts a new, empty stream.
  // If vectorscan failed during the stream (out of memory), the rest is withheld and Finish
  // returns "[REDACTION_FAILED]" instead: redaction fails closed.
  std::string Finish();

  // Bytes received but not yet returned.
  std::size_t held_back() const noexcept { return buffer_.size() - (cursor_ - base_); }

 private:
  void Release(std::uint64_t limit, bool at_end, std::string* out);

  std::shared_ptr<const Redactor> redactor_;
  std::unique_ptr<internal::CandidateFinder> finder_;  // created by the first Push
  std::string buffer_;        // input from base_ on: two bytes of context, then unreleased text
  std::uint64_t base_ = 0;    // stream offset of buffer_[0]
  std::uint64_t cursor_ = 0;  // stream offset of the first byte not yet returned
  std::uint64_t received_ = 0;
  bool failed_ = false;  // vectorscan could not scan: the rest of the stream is withheld
  std::vector<internal::Candidate> candidates_;  // reported, not yet decided
};

}  // namespace llmtrace::genai
