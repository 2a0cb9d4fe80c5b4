// The redaction engine behind Redactor and StreamingRedactor: the compiled rules, a pool of
// scratch spaces, the two-phase candidate search (CandidateFinder) and the decision step that
// turns candidate matches into non-overlapping redactions.
//
// Phase 1 finds cheap triggers (literal prefixes with vectorscan, digit runs and IPv6 starts by
// hand); phase 2 runs the exact patterns, with start of match, only on bounded windows around
// the triggers, so clean text costs only phase 1 and Create compiles small databases.
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
#include <utility>
#include <vector>

#include "llmtrace/common/result.h"
#include "src/genai/redaction_validators.h"

struct hs_database;
struct hs_scratch;
struct hs_stream;

namespace llmtrace::genai::internal {

// A match longer than its rule's max_length is not redacted. Short rules (all user rules):
inline constexpr std::uint32_t kShortMatchBound = 512;
// PEM keys and JWTs.
inline constexpr std::uint32_t kLongMatchBound = 8192;
// What Redact returns, and a stream emits, when vectorscan cannot scan: never the raw text.
inline constexpr std::string_view kRedactionFailedPlaceholder = "[REDACTION_FAILED]";
// Bytes on each side of a candidate that validators may look at.
inline constexpr std::size_t kContextBytes = 2;

// How phase 1 finds where a rule may match. Every match of a rule contains a trigger of its
// kind; phase 2 runs the rule's exact pattern only on a window around each trigger.
enum class TriggerKind : std::uint8_t {
  kSelf,       // the rule's own pattern without start of match (user rules)
  kDigits,     // 9+ digits (8+ from a leading 0) with short separators, or '+' and a digit
  kIpv4,       // four dot-separated digit groups
  kIpv6,       // "::" or "h:h:" at the start of an address
  kEmail,      // "x@y"
  kSecretKey,  // a secret's key name and its ':' or '='
  kKeyPrefix,  // an API key prefix ("sk-", "AKIA", "ghp_", ...)
  kPem,        // "-----BEGIN"
  kJwt,        // "eyJ"
};
inline constexpr std::size_t kTriggerKinds = 9;

struct EngineRule {
  std::string name;
  std::string pattern;
  std::string placeholder;
  Validator validator = Validator::kNone;
  bool caseless = false;
  std::uint32_t max_length = kShortMatchBound;  // a longer candidate is not a match
  TriggerKind trigger = TriggerKind::kSelf;
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

class CandidateFinder;

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
  friend class CandidateFinder;
  RedactionEngine() = default;

  struct Database {
    hs_database* database = nullptr;
    std::vector<std::uint32_t> rules;  // pattern id -> index in rules_
  };
  // The rules of one trigger kind: their exact patterns (with start of match), run only on
  // windows [trigger end - back, trigger end + ahead).
  struct Group {
    TriggerKind kind;
    std::uint32_t back = 0;
    std::uint32_t ahead = 0;
    std::vector<std::uint32_t> rules;  // index in rules_
    // One database per group, but one per rule for the digit and secret rules: vectorscan
    // compiles those one by one in less than half the time it takes for them together (digit
    // rules 40 ms against 100, secrets 27 against 44) and scans them no faster together.
    std::vector<Database> databases;
  };

  class ScratchLease;
  hs_scratch* AcquireScratch() const noexcept;
  void ReleaseScratch(hs_scratch* scratch) const noexcept;

  std::vector<EngineRule> rules_;
  std::vector<Group> groups_;
  int group_of_kind_[kTriggerKinds];  // -1 if no enabled rule has this kind
  std::uint32_t max_back_ = 0;
  // Phase 1: the vectorscan triggers (no start of match), block and stream mode; id = group.
  // Digit, IP address and secret key-name triggers are found by hand (CandidateFinder).
  hs_database* trigger_block_ = nullptr;
  hs_database* trigger_stream_ = nullptr;
  hs_scratch* prototype_scratch_ = nullptr;  // cloned for each concurrent caller
  mutable std::mutex pool_mutex_;
  mutable std::vector<hs_scratch*> free_scratch_;
};

// Phase 1 and 2 over one text or one stream. Block mode feeds the whole text once with
// at_end; a stream feeds each chunk. Both run the same window logic on the same trigger
// offsets, so a stream reports the same candidates as a block scan of the whole text.
class CandidateFinder {
 public:
  CandidateFinder(const RedactionEngine& engine, bool streaming) noexcept;
  ~CandidateFinder();
  CandidateFinder(const CandidateFinder&) = delete;
  CandidateFinder& operator=(const CandidateFinder&) = delete;

  // `buffer` holds the input from offset `base` on, up to the end of the new bytes; it must
  // start at or before KeepFrom(). Appends candidates whose windows are complete. False if
  // vectorscan failed.
  bool Feed(std::string_view buffer, std::uint64_t base, bool at_end,
            std::vector<Candidate>* candidates) noexcept;
  // Every candidate that starts before this offset has been reported.
  std::uint64_t SafeLimit() const noexcept;
  // The earliest input byte a later Feed may still read.
  std::uint64_t KeepFrom() const noexcept;

  // Where a window's bytes sit in the batch scanned for its group.
  struct Segment {
    std::uint64_t scanned_at;  // offset in the batch
    std::uint64_t from;        // stream offset of that byte (the context byte before `begin`)
    std::uint64_t begin;       // the window proper
    std::uint64_t end;
  };

 private:
  struct Window {
    std::uint64_t begin;
    std::uint64_t end;            // may pass the end of the input; clipped when scanned
    std::uint64_t first_trigger;  // end offsets of the first and last trigger in it
    std::uint64_t last_trigger;
    std::uint64_t triggers_from;  // its triggers: trigger_ends_[group], counted from the start
    std::uint64_t triggers_to;
  };
  void AddTrigger(std::size_t group, std::uint64_t end) noexcept;
  void FindHandTriggers(std::string_view buffer, std::uint64_t base, std::uint64_t to) noexcept;
  void TrimToRuns(TriggerKind kind, std::string_view buffer, std::uint64_t base,
                  const Window& window, std::uint64_t* begin, std::uint64_t* end) const noexcept;
  bool ScanReadyWindows(std::string_view buffer, std::uint64_t base, bool at_end,
                        hs_scratch* scratch, std::vector<Candidate>* candidates);
  void AddSegment(std::string_view buffer, std::uint64_t base, std::uint64_t begin,
                  std::uint64_t end);
  bool ScanBatch(const RedactionEngine::Group& group, hs_scratch* scratch,
                 std::vector<Candidate>* candidates);

  const RedactionEngine& engine_;
  bool streaming_;
  hs_stream* stream_ = nullptr;
  std::uint64_t received_ = 0;
  bool closed_ = false;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> triggers_;  // (end, group), unsorted
  std::vector<std::vector<Window>> windows_;                       // per group, by begin
  std::vector<std::vector<std::uint64_t>> trigger_ends_;           // per group, of pending windows
  std::vector<std::uint64_t> trigger_ends_dropped_;                // per group: ends erased so far
  std::string batch_;                                              // reused between scans
  std::vector<Segment> segments_;
  // Hand-trigger state: the last digit seen, the digit run it belongs to (digits joined by at
  // most three of " ().-/") and its dotted run ("1.2.3" has two dots).
  std::int64_t last_digit_ = -10;
  int run_digits_ = 0;
  bool run_starts_with_zero_ = false;
  int dots_ = 0;
};

}  // namespace llmtrace::genai::internal
