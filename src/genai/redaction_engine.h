// The redaction engine behind Redactor and StreamingRedactor: the compiled rules (one vectorscan
// block database and one stream database), a pool of scratch spaces, and the decision step that
// turns vectorscan's candidate matches into non-overlapping redactions.
//
// Both public classes go through Decide, which is what makes streaming output equal block
// output: a candidate is decided only once every candidate that could start before it or at
// the same place has been seen, and the decision looks at no byte past kContextBytes after it.
// Thread-safety: immutable after Compile; Scan and the stream calls are safe from any thread
// (each borrows its own scratch). A stream handle belongs to one caller.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/result.h"
#include "src/genai/redaction_validators.h"

struct hs_database;
struct hs_scratch;
struct hs_stream;

namespace llmtrace::genai::internal {

// Every match of a rule without an open_prefix is at most this long, so a stream holds back at
// most this much (plus kContextBytes) to be sure no match is cut.
inline constexpr std::uint32_t kShortMatchBound = 512;
// The bound for rules whose matches are long (PEM keys, JWTs); each has a literal open_prefix
// so a stream holds back more only while such a match may be open.
inline constexpr std::uint32_t kLongMatchBound = 8192;
// What Redact returns, and a stream emits, when vectorscan cannot scan: never the raw text.
inline constexpr std::string_view kRedactionFailedPlaceholder = "[REDACTION_FAILED]";
// Bytes on each side of a candidate that validators may look at.
inline constexpr std::size_t kContextBytes = 2;

struct EngineRule {
  std::string name;
  std::string pattern;
  std::string placeholder;
  Validator validator = Validator::kNone;
  bool caseless = false;
  std::uint32_t max_length = kShortMatchBound;  // a longer candidate is not a match
  std::string open_prefix;  // required when max_length > kShortMatchBound: every match starts so
};

struct Candidate {
  std::uint64_t start;
  std::uint64_t end;
  std::uint32_t rule;
};

struct Decision {
  std::uint64_t start;  // the candidate's extent
  std::uint64_t end;
  std::uint64_t redact_begin;  // the replaced part, absolute offsets
  std::uint64_t redact_end;
  std::uint32_t rule;
};

class RedactionEngine {
 public:
  static Result<std::shared_ptr<const RedactionEngine>> Compile(std::vector<EngineRule> rules);
  ~RedactionEngine();
  RedactionEngine(const RedactionEngine&) = delete;
  RedactionEngine& operator=(const RedactionEngine&) = delete;

  const std::vector<EngineRule>& rules() const noexcept { return rules_; }

  // Block mode: appends every candidate in `text` (offsets from its start). False if vectorscan
  // could not scan (no memory for a scratch, text over 4 GiB): callers then fail closed.
  bool Scan(std::string_view text, std::vector<Candidate>* candidates) const noexcept;

  // Stream mode: offsets are from the start of the stream. nullptr or false on failure.
  hs_stream* OpenStream() const noexcept;
  bool ScanStream(hs_stream* stream, std::string_view chunk,
                  std::vector<Candidate>* candidates) const noexcept;
  // Reports matches that end at the end of the data ("\b" there) and frees the stream.
  bool CloseStream(hs_stream* stream, std::vector<Candidate>* candidates) const noexcept;

  // Sorts `candidates` and decides those that start before `limit` and not before `*cursor`,
  // leftmost first, then longest, then by rule order; each decision moves *cursor to its end.
  // `text` holds the input from stream offset `base` on and must cover every decided candidate
  // plus kContextBytes on each side where the input has them. Removes every candidate that
  // starts before the final cursor or before `limit`.
  void Decide(std::vector<Candidate>* candidates, std::string_view text, std::uint64_t base,
              std::uint64_t limit, std::uint64_t* cursor,
              std::vector<Decision>* decisions) const noexcept;

  // Appends text[from, to) (stream offsets, `text` starting at `base`) with each decision's
  // replaced part swapped for its placeholder.
  void AppendRedacted(std::string_view text, std::uint64_t base, std::uint64_t from,
                      std::uint64_t to, const std::vector<Decision>& decisions,
                      std::string* out) const;

 private:
  RedactionEngine() = default;

  class ScratchLease;
  hs_scratch* AcquireScratch() const noexcept;
  void ReleaseScratch(hs_scratch* scratch) const noexcept;

  std::vector<EngineRule> rules_;
  hs_database* block_database_ = nullptr;
  hs_database* stream_database_ = nullptr;
  hs_scratch* prototype_scratch_ = nullptr;  // cloned for each concurrent caller
  mutable std::mutex pool_mutex_;
  mutable std::vector<hs_scratch*> free_scratch_;
};

}  // namespace llmtrace::genai::internal
