#include "src/genai/redaction_engine.h"

#include <hs.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

namespace llmtrace::genai::internal {
namespace {

// Merged windows stop growing at this size, so dense triggers cannot hold a stream back
// without bound; it exceeds the largest single window (PEM: 10 + 8192 bytes).
constexpr std::uint64_t kMaxWindow = 16384;
// A vectorscan trigger ending with "\b" or "$" is reported up to two bytes after its end.
constexpr std::uint64_t kTriggerLag = 2;
// Bytes before the next unscanned byte that the hand triggers look at.
constexpr std::uint64_t kHandLookback = 64;
// Blanks allowed between a secret's key name and its ':' or '=' (within the 64-byte reach).
constexpr int kMaxKeyBlanks = 40;

struct Geometry {
  std::uint32_t back;
  std::uint32_t ahead;
};

// Every match of a rule of this kind lies within [trigger end - back, trigger end + ahead).
Geometry GeometryOf(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::kSelf:
      return {kShortMatchBound, 0};
    case TriggerKind::kDigits:  // each digit rule's match is shorter than 64 bytes
      return {64, 64};
    case TriggerKind::kIpv4:
      return {20, 20};
    case TriggerKind::kIpv6:
      return {16, 48};
    case TriggerKind::kEmail:
      return {256, 256};
    case TriggerKind::kSecretKey:  // key name, quote and up to ~40 blanks before ':'/'='
      return {64, kShortMatchBound};
    case TriggerKind::kKeyPrefix:  // "https://" before "hooks.slack.com/"
      return {24, kShortMatchBound};
    case TriggerKind::kPem:
      return {10, kLongMatchBound};
    case TriggerKind::kJwt:
      return {3, kLongMatchBound};
  }
  return {kShortMatchBound, kShortMatchBound};
}

struct TriggerPattern {
  TriggerKind kind;
  const char* pattern;
  bool caseless;
};

// Literal-led, no leading wildcard: together they scan at over 10 GB/s (docs/redaction.md).
// Secrets' key names are found by hand: "token" is too common in LLM text for a literal.
constexpr TriggerPattern kTriggerPatterns[] = {
    {TriggerKind::kEmail, R"([A-Za-z0-9._%+\-]@[A-Za-z0-9\-])", false},
    {TriggerKind::kKeyPrefix, R"(sk-)", false},
    {TriggerKind::kKeyPrefix, R"(AKIA|ASIA|ABIA|ACCA)", false},
    {TriggerKind::kKeyPrefix, R"(gh[pousr]_|github_pat_)", false},
    {TriggerKind::kKeyPrefix, R"(xox[abprs]-|xapp-)", false},
    {TriggerKind::kKeyPrefix, R"(hooks\.slack\.com/)", false},
    {TriggerKind::kKeyPrefix, R"(AIza)", false},
    {TriggerKind::kPem, R"(-----BEGIN)", false},
    {TriggerKind::kJwt, R"(eyJ)", false},
};

struct PatternSet {
  std::vector<const char*> patterns;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  std::vector<const EngineRule*> owners;  // for error messages; nullptr for built-in triggers
};

Result<hs_database_t*> CompileDatabase(const PatternSet& set, unsigned mode) {
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(set.patterns.data(), set.flags.data(), set.ids.data(),
                       static_cast<unsigned>(set.patterns.size()), mode, nullptr, &database,
                       &error) != HS_SUCCESS) {
    std::string message;
    const char* detail = error != nullptr && error->message ? error->message : "compile failed";
    if (error != nullptr && error->expression >= 0 &&
        static_cast<std::size_t>(error->expression) < set.owners.size() &&
        set.owners[static_cast<std::size_t>(error->expression)] != nullptr) {
      const EngineRule& rule = *set.owners[static_cast<std::size_t>(error->expression)];
      message = "redaction rule '" + rule.name + "' (pattern " + rule.pattern + "): " + detail;
    } else {
      message = std::string("redaction rules: vectorscan: ") + detail;
    }
    hs_free_compile_error(error);
    return InvalidArgumentError(std::move(message));
  }
  return database;
}

int OnTrigger(unsigned int id, unsigned long long, unsigned long long to, unsigned int,
              void* context) {
  auto* triggers = static_cast<std::vector<std::pair<std::uint64_t, std::uint32_t>>*>(context);
  try {
    triggers->emplace_back(to, id);
  } catch (...) {  // no exception may cross vectorscan; stopping the scan fails closed
    return 1;
  }
  return 0;
}

// The windows of one group are copied into one buffer, separated by a newline, and scanned
// with one call: a scan costs about 1 us however short. No built-in pattern but the PEM key's
// matches a newline, so no match spans two windows and each is found as in its own scan.
constexpr char kWindowSeparator = '\n';

bool SeparatorSafe(TriggerKind kind) noexcept {
  return kind != TriggerKind::kSelf && kind != TriggerKind::kPem;
}

struct WindowScan {
  const std::vector<std::uint32_t>* rules;
  const std::vector<CandidateFinder::Segment>* segments;
  std::vector<Candidate>* candidates;
};

int OnWindowMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
                  void* context) {
  auto* scan = static_cast<WindowScan*>(context);
  const auto segment = std::upper_bound(
      scan->segments->begin(), scan->segments->end(), from,
      [](unsigned long long at, const CandidateFinder::Segment& s) { return at < s.scanned_at; });
  if (segment == scan->segments->begin()) return 0;
  const CandidateFinder::Segment& in = *std::prev(segment);
  const std::uint64_t start = in.from + (from - in.scanned_at);
  const std::uint64_t end = in.from + (to - in.scanned_at);
  // The byte on each side of a window is scanned only as context for \b.
  if (start >= in.begin && end <= in.end) {
    try {
      scan->candidates->push_back(Candidate{start, end, (*scan->rules)[id]});
    } catch (...) {  // as in OnTrigger
      return 1;
    }
  }
  return 0;
}

// Character classes: for the hand triggers, and the alphabets of the rules' matches.
enum : std::uint16_t {
  kDigit = 1 << 0,
  kColon = 1 << 1,
  kSeparator = 1 << 2,  // joins the digits of a digit run: " ().-/"
  kHex = 1 << 3,
  kJoins = 1 << 4,         // a character an IPv6 address may not touch
  kDigitRule = 1 << 5,     // IBAN, IDs, cards, SSNs, phones: [0-9A-Z ().\-/+x]
  kIpv4Rule = 1 << 6,      // [0-9.]
  kIpv6Rule = 1 << 7,      // [0-9A-Fa-f:.]
  kEmailLocal = 1 << 8,    // [A-Za-z0-9._%+\-]
  kEmailDomain = 1 << 9,   // [A-Za-z0-9.\-]
  kJwtBody = 1 << 10,      // [A-Za-z0-9_\-.]
  kKeyBody = 1 << 11,      // [A-Za-z0-9_\-/]
  kSecretValue = 1 << 12,  // anything but [\s"'`,;&<>\[\]{}()]
  kAssign = 1 << 13,       // =
};

struct ClassTable {
  std::uint16_t of[256] = {};
  constexpr void Add(const char* chars, std::uint16_t classes) {
    for (; *chars != 0; ++chars) of[static_cast<unsigned char>(*chars)] |= classes;
  }
  constexpr ClassTable() {
    const std::uint16_t alnum = kJoins | kEmailLocal | kEmailDomain | kJwtBody | kKeyBody;
    for (int c = '0'; c <= '9'; ++c)
      of[c] |= alnum | kDigit | kHex | kDigitRule | kIpv4Rule | kIpv6Rule;
    for (int c = 'a'; c <= 'z'; ++c) of[c] |= alnum | (c <= 'f' ? kHex | kIpv6Rule : 0);
    for (int c = 'A'; c <= 'Z'; ++c)
      of[c] |= alnum | kDigitRule | (c <= 'F' ? kHex | kIpv6Rule : 0);
    for (int c = 0; c < 256; ++c) of[c] |= kSecretValue;
    for (const char* c = " \t\n\v\f\r\"'`,;&<>[]{}()"; *c != 0; ++c) {
      of[static_cast<unsigned char>(*c)] &= static_cast<std::uint16_t>(~kSecretValue);
    }
    Add(":", kColon | kJoins | kIpv6Rule);
    Add("=", kAssign);
    Add("_", kJoins | kEmailLocal | kJwtBody | kKeyBody);
    Add(" ().-/", kSeparator | kDigitRule);
    Add("+x", kDigitRule);
    Add(".", kIpv4Rule | kIpv6Rule | kEmailLocal | kEmailDomain | kJwtBody);
    Add("%+-", kEmailLocal);
    Add("-", kEmailDomain | kJwtBody | kKeyBody);
    Add("/", kKeyBody);
  }
};
constexpr ClassTable kClasses;

}  // namespace

class RedactionEngine::ScratchLease {
 public:
  explicit ScratchLease(const RedactionEngine& engine)
      : engine_(engine), scratch_(engine.AcquireScratch()) {}
  ~ScratchLease() { engine_.ReleaseScratch(scratch_); }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  hs_scratch_t* get() const noexcept { return scratch_; }

 private:
  const RedactionEngine& engine_;
  hs_scratch_t* scratch_;
};

Result<std::shared_ptr<const RedactionEngine>> RedactionEngine::Compile(
    std::vector<EngineRule> rules) {
  if (rules.empty()) return InvalidArgumentError("redaction rules: no rule is enabled");
  std::shared_ptr<RedactionEngine> engine(new RedactionEngine());
  engine->rules_ = std::move(rules);
  for (int& group : engine->group_of_kind_) group = -1;

  // Phase 2: one database per trigger kind, with start of match.
  for (std::size_t i = 0; i < engine->rules_.size(); ++i) {
    const EngineRule& rule = engine->rules_[i];
    int& group = engine->group_of_kind_[static_cast<std::size_t>(rule.trigger)];
    if (group < 0) {
      group = static_cast<int>(engine->groups_.size());
      const Geometry geometry = GeometryOf(rule.trigger);
      engine->groups_.push_back(Group{rule.trigger, geometry.back, geometry.ahead, {}, {}});
      engine->max_back_ = std::max(engine->max_back_, geometry.back);
    }
    engine->groups_[static_cast<std::size_t>(group)].rules.push_back(static_cast<std::uint32_t>(i));
  }
  PatternSet triggers;
  for (std::size_t g = 0; g < engine->groups_.size(); ++g) {
    Group& group = engine->groups_[g];
    const bool one_per_rule =
        group.kind == TriggerKind::kDigits || group.kind == TriggerKind::kSecretKey;
    PatternSet exact;
    std::vector<std::uint32_t> exact_rules;
    for (std::size_t k = 0; k < group.rules.size(); ++k) {
      const EngineRule& rule = engine->rules_[group.rules[k]];
      exact.patterns.push_back(rule.pattern.c_str());
      exact.flags.push_back(HS_FLAG_SOM_LEFTMOST | (rule.caseless ? HS_FLAG_CASELESS : 0));
      exact.ids.push_back(static_cast<unsigned>(exact.ids.size()));
      exact.owners.push_back(&rule);
      exact_rules.push_back(group.rules[k]);
      if (group.kind == TriggerKind::kSelf) {  // the rule is its own trigger
        triggers.patterns.push_back(rule.pattern.c_str());
        triggers.flags.push_back(rule.caseless ? HS_FLAG_CASELESS : 0);
        triggers.ids.push_back(static_cast<unsigned>(g));
        triggers.owners.push_back(&rule);
      }
      if (one_per_rule || k + 1 == group.rules.size()) {
        Result<hs_database_t*> database = CompileDatabase(exact, HS_MODE_BLOCK);
        if (!database.ok()) return database.status();
        group.databases.push_back(Database{*database, std::move(exact_rules)});
        exact = PatternSet{};
        exact_rules.clear();
      }
    }
  }
  // Phase 1.
  for (const TriggerPattern& trigger : kTriggerPatterns) {
    const int group = engine->group_of_kind_[static_cast<std::size_t>(trigger.kind)];
    if (group < 0) continue;
    triggers.patterns.push_back(trigger.pattern);
    triggers.flags.push_back(trigger.caseless ? HS_FLAG_CASELESS : 0);
    triggers.ids.push_back(static_cast<unsigned>(group));
    triggers.owners.push_back(nullptr);
  }
  if (!triggers.patterns.empty()) {
    Result<hs_database_t*> block = CompileDatabase(triggers, HS_MODE_BLOCK);
    if (!block.ok()) return block.status();
    engine->trigger_block_ = *block;
    Result<hs_database_t*> stream = CompileDatabase(triggers, HS_MODE_STREAM);
    if (!stream.ok()) return stream.status();
    engine->trigger_stream_ = *stream;
  }
  std::vector<hs_database_t*> databases = {engine->trigger_block_, engine->trigger_stream_};
  for (const Group& group : engine->groups_) {
    for (const Database& database : group.databases) databases.push_back(database.database);
  }
  for (hs_database_t* database : databases) {
    if (database != nullptr &&
        hs_alloc_scratch(database, &engine->prototype_scratch_) != HS_SUCCESS) {
      return ResourceExhaustedError("redaction rules: cannot allocate vectorscan scratch");
    }
  }
  return std::shared_ptr<const RedactionEngine>(std::move(engine));
}

RedactionEngine::~RedactionEngine() {
  for (hs_scratch_t* scratch : free_scratch_) hs_free_scratch(scratch);
  hs_free_scratch(prototype_scratch_);
  for (Group& group : groups_) {
    for (Database& database : group.databases) hs_free_database(database.database);
  }
  hs_free_database(trigger_block_);
  hs_free_database(trigger_stream_);
}

// Scratch spaces are cloned once per concurrent caller and then reused, so a scan never
// allocates in the steady state; the pool holds as many as the peak number of callers.
hs_scratch_t* RedactionEngine::AcquireScratch() const noexcept {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!free_scratch_.empty()) {
      hs_scratch_t* scratch = free_scratch_.back();
      free_scratch_.pop_back();
      return scratch;
    }
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_clone_scratch(prototype_scratch_, &scratch) != HS_SUCCESS) return nullptr;
  return scratch;
}

void RedactionEngine::ReleaseScratch(hs_scratch_t* scratch) const noexcept {
  if (scratch == nullptr) return;
  std::lock_guard<std::mutex> lock(pool_mutex_);
  try {
    free_scratch_.push_back(scratch);
  } catch (...) {
    hs_free_scratch(scratch);
  }
}

bool RedactionEngine::Scan(std::string_view text,
                           std::vector<Candidate>* candidates) const noexcept {
  // vectorscan's block API takes an unsigned length.
  if (text.size() > std::numeric_limits<unsigned>::max()) return false;
  CandidateFinder finder(*this, /*streaming=*/false);
  return finder.Feed(text, 0, /*at_end=*/true, candidates);
}

CandidateFinder::CandidateFinder(const RedactionEngine& engine, bool streaming) noexcept
    : engine_(engine), streaming_(streaming) {}

CandidateFinder::~CandidateFinder() {
  if (stream_ != nullptr) hs_close_stream(stream_, nullptr, nullptr, nullptr);
}

bool CandidateFinder::Feed(std::string_view buffer, std::uint64_t base, bool at_end,
                           std::vector<Candidate>* candidates) noexcept {
  if (closed_) return false;
  const std::uint64_t to = base + buffer.size();
  const std::string_view chunk = buffer.substr(received_ - base);
  if (chunk.size() > std::numeric_limits<unsigned>::max()) return false;
  try {
    if (windows_.empty()) {
      windows_.resize(engine_.groups_.size());
      trigger_ends_.resize(engine_.groups_.size());
      trigger_ends_dropped_.resize(engine_.groups_.size());
    }
    RedactionEngine::ScratchLease scratch(engine_);
    if (scratch.get() == nullptr) return false;
    if (streaming_ && engine_.trigger_stream_ != nullptr) {
      if (stream_ == nullptr &&
          hs_open_stream(engine_.trigger_stream_, 0, &stream_) != HS_SUCCESS) {
        return false;
      }
      if (!chunk.empty() &&
          hs_scan_stream(stream_, chunk.data(), static_cast<unsigned>(chunk.size()), 0,
                         scratch.get(), OnTrigger, &triggers_) != HS_SUCCESS) {
        return false;
      }
      if (at_end) {
        const bool ok =
            hs_close_stream(stream_, scratch.get(), OnTrigger, &triggers_) == HS_SUCCESS;
        stream_ = nullptr;
        if (!ok) return false;
      }
    } else if (engine_.trigger_block_ != nullptr && !chunk.empty()) {
      const std::size_t first = triggers_.size();
      if (hs_scan(engine_.trigger_block_, chunk.data(), static_cast<unsigned>(chunk.size()), 0,
                  scratch.get(), OnTrigger, &triggers_) != HS_SUCCESS) {
        return false;
      }
      for (std::size_t i = first; i < triggers_.size(); ++i) triggers_[i].first += received_;
    }
    FindHandTriggers(buffer, base, to);
    received_ = to;
    closed_ = at_end;
    std::sort(triggers_.begin(), triggers_.end());
    for (const auto& [end, group] : triggers_) AddTrigger(group, end);
    triggers_.clear();
    return ScanReadyWindows(buffer, base, at_end, scratch.get(), candidates);
  } catch (...) {  // std::bad_alloc from a vector: fail closed
    return false;
  }
}

void CandidateFinder::AddTrigger(std::size_t group, std::uint64_t end) noexcept {
  const RedactionEngine::Group& geometry = engine_.groups_[group];
  const std::uint64_t begin = end > geometry.back ? end - geometry.back : 0;
  const std::uint64_t window_end = end + geometry.ahead;
  std::vector<Window>& windows = windows_[group];
  if (!windows.empty() && begin <= windows.back().end &&
      window_end - windows.back().begin <= kMaxWindow) {
    windows.back().end = std::max(windows.back().end, window_end);
    windows.back().last_trigger = end;
  } else {
    const std::uint64_t index = trigger_ends_dropped_[group] + trigger_ends_[group].size();
    windows.push_back(Window{begin, window_end, end, end, index, index});
  }
  windows.back().triggers_to++;
  trigger_ends_[group].push_back(end);
}

// A digit run triggers at its 9th digit (8th if it starts with 0) and every 8th digit after:
// every digit rule's match has such a digit, or ends at most 8 digits (32 bytes) after one,
// well within the 64 bytes a digit window reaches.
bool DigitRunTriggers(int run_digits, bool starts_with_zero) noexcept {
  const int first = starts_with_zero ? 8 : 9;
  return run_digits >= first && (run_digits - first) % 8 == 0;
}

// Bit i set if bytes[i] is a digit, ':' or '='.
std::uint64_t InterestingBytes(const unsigned char* bytes, std::uint64_t size) noexcept {
  std::uint64_t mask = 0;
#if defined(__SSE2__)
  if (size == 64) {
    for (int part = 0; part < 4; ++part) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + 16 * part));
      const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                          _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
      const __m128i punct = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')),
                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('=')));
      const auto bits = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(digit, punct)));
      mask |= static_cast<std::uint64_t>(bits) << (16 * part);
    }
    return mask;
  }
#endif
  for (std::uint64_t i = 0; i < size; ++i) {
    if (kClasses.of[bytes[i]] & (kDigit | kColon | kAssign)) mask |= std::uint64_t{1} << i;
  }
  return mask;
}

// True if the ':' or '=' at `at` follows a secret's key name: `key["']?[ \t]*` before it, the
// name ending (in any case) in password, passwd, pwd, secret, token or key (api_key,
// aws_secret_access_key...). A superset of the key names of generic_secret and
// aws_secret_access_key; the exact rules run in phase 2.
namespace {
template <typename ByteAt>
bool FollowsSecretKeyName(const ByteAt& byte_at, std::int64_t at) noexcept {
  std::int64_t q = at - 1;
  int blanks = 0;
  while (q >= 0 && blanks <= kMaxKeyBlanks && (byte_at(q) == ' ' || byte_at(q) == '\t')) {
    --q, ++blanks;
  }
  if (q >= 0 && (byte_at(q) == '"' || byte_at(q) == '\'')) --q;
  const auto ends_with = [&](std::string_view name) {
    if (q + 1 < static_cast<std::int64_t>(name.size())) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      const int c = byte_at(q - static_cast<std::int64_t>(i)) | 0x20;  // ASCII lower case
      if (c != name[name.size() - 1 - i]) return false;
    }
    return true;
  };
  return ends_with("key") || ends_with("token") || ends_with("secret") || ends_with("pwd") ||
         ends_with("passwd") || ends_with("password");
}
}  // namespace

// Phase 1 for digits, IP addresses and secrets' key names, by hand: a vectorscan database of these
// shapes scans at about 0.2 GB/s, this loop at several GB/s. Looks only backwards, so a stream
// needs no lookahead; each trigger is at least as permissive as the rules it stands for.
void CandidateFinder::FindHandTriggers(std::string_view buffer, std::uint64_t base,
                                       std::uint64_t to) noexcept {
  const int digits = engine_.group_of_kind_[static_cast<std::size_t>(TriggerKind::kDigits)];
  const int ipv4 = engine_.group_of_kind_[static_cast<std::size_t>(TriggerKind::kIpv4)];
  const int ipv6 = engine_.group_of_kind_[static_cast<std::size_t>(TriggerKind::kIpv6)];
  const int secret = engine_.group_of_kind_[static_cast<std::size_t>(TriggerKind::kSecretKey)];
  if (digits < 0 && ipv4 < 0 && ipv6 < 0 && secret < 0) return;
  const auto byte_at = [&](std::int64_t at) -> unsigned char {
    return static_cast<unsigned char>(buffer[static_cast<std::size_t>(at) - base]);
  };
  const auto trigger = [&](int group, std::uint64_t end) {
    if (group >= 0) triggers_.emplace_back(end, static_cast<std::uint32_t>(group));
  };
  const unsigned char* data = reinterpret_cast<const unsigned char*>(buffer.data());
  // 64 bytes at a time: a mask of the digits, ':' and '=' (most text has few), then each.
  for (std::uint64_t block = received_; block < to; block += 64) {
    std::uint64_t mask =
        InterestingBytes(data + (block - base), std::min<std::uint64_t>(64, to - block));
    for (; mask != 0; mask &= mask - 1) {
      const std::uint64_t p = block + static_cast<unsigned>(__builtin_ctzll(mask));
      const unsigned char c = data[p - base];
      const std::uint16_t cls = kClasses.of[c];
      const auto at = static_cast<std::int64_t>(p);
      if (cls & kDigit) {
        if (at == last_digit_ + 1) {  // the common case: the next digit of a number
          ++run_digits_;
          last_digit_ = at;
          if (DigitRunTriggers(run_digits_, run_starts_with_zero_)) trigger(digits, p + 1);
          continue;
        }
        const std::int64_t gap = at - last_digit_ - 1;
        bool joined = gap <= 3;
        for (std::int64_t q = last_digit_ + 1; joined && q < at; ++q) {
          joined = (kClasses.of[byte_at(q)] & kSeparator) != 0;
        }
        if (joined) {
          ++run_digits_;
        } else {
          run_digits_ = 1;
          run_starts_with_zero_ = c == '0';
        }
        if (gap == 1 && byte_at(at - 1) == '.') {
          ++dots_;
        } else if (gap != 0) {
          dots_ = 0;
        }
        last_digit_ = at;
        if ((at >= 1 && byte_at(at - 1) == '+') ||  // E.164
            DigitRunTriggers(run_digits_, run_starts_with_zero_)) {
          trigger(digits, p + 1);
        }
        // The first digit of the fourth (fifth...) dot-separated group: every dotted quad
        // ends at most two bytes after one.
        if (dots_ >= 3 && gap == 1) trigger(ipv4, p + 1);
        continue;
      }
      if (secret >= 0 && FollowsSecretKeyName(byte_at, at)) trigger(secret, p + 1);
      if (c != ':') continue;
      // A colon: is it the second colon of an address start ("::", "h::", "h:h:")?
      std::int64_t q = at - 1;
      int right = 0;
      while (right < 5 && q >= 0 && (kClasses.of[byte_at(q)] & kHex)) --q, ++right;
      if (right > 4 || q < 0 || byte_at(q) != ':') continue;
      std::int64_t r = q - 1;
      int left = 0;
      while (left < 5 && r >= 0 && (kClasses.of[byte_at(r)] & kHex)) --r, ++left;
      const bool stands_alone = r < 0 || (kClasses.of[byte_at(r)] & kJoins) == 0;
      if (stands_alone && left <= 4 && (left > 0 || right == 0)) trigger(ipv6, p + 1);
    }
  }
}

bool CandidateFinder::ScanReadyWindows(std::string_view buffer, std::uint64_t base, bool at_end,
                                       hs_scratch_t* scratch, std::vector<Candidate>* candidates) {
  for (std::size_t g = 0; g < windows_.size(); ++g) {
    const RedactionEngine::Group& group = engine_.groups_[g];
    std::vector<Window>& windows = windows_[g];
    if (windows.empty()) continue;
    batch_.clear();
    segments_.clear();
    std::size_t done = 0;
    for (; done < windows.size(); ++done) {
      const Window& window = windows[done];
      if (!at_end) {
        // Scan once the bytes (and the validators' context) are in, and no later trigger can
        // still widen the window.
        if (window.end + kContextBytes > received_) break;
        const bool last = done + 1 == windows.size();
        if (last && received_ < window.end + group.back + kTriggerLag + 1) break;
      }
      if (!SeparatorSafe(group.kind)) {
        AddSegment(buffer, base, window.begin, std::min(window.end, received_));
        if (!ScanBatch(group, scratch, candidates)) return false;
        continue;
      }
      // The runs around each trigger, merged where they touch: a window of a JWT or a key is
      // mostly text after the match, which the runs leave out.
      std::uint64_t segment_begin = 0, segment_end = 0;
      bool open = false;
      const std::vector<std::uint64_t>& ends = trigger_ends_[g];
      for (std::uint64_t i = window.triggers_from; i < window.triggers_to; ++i) {
        const std::uint64_t trigger = ends[i - trigger_ends_dropped_[g]];
        const Window single{std::max(window.begin, trigger > group.back ? trigger - group.back : 0),
                            std::min(window.end, trigger + group.ahead),
                            trigger,
                            trigger,
                            0,
                            0};
        std::uint64_t begin = single.begin;
        std::uint64_t end = std::min(single.end, received_);
        TrimToRuns(group.kind, buffer, base, single, &begin, &end);
        if (open && begin <= segment_end) {
          segment_end = std::max(segment_end, end);
          continue;
        }
        if (open) AddSegment(buffer, base, segment_begin, segment_end);
        segment_begin = begin;
        segment_end = end;
        open = true;
      }
      if (open) AddSegment(buffer, base, segment_begin, segment_end);
      if (batch_.size() > kMaxWindow) {
        if (!ScanBatch(group, scratch, candidates)) return false;
      }
    }
    if (!ScanBatch(group, scratch, candidates)) return false;
    // Drop the windows scanned, and their triggers.
    const std::uint64_t keep_from = done < windows.size()
                                        ? windows[done].triggers_from
                                        : trigger_ends_dropped_[g] + trigger_ends_[g].size();
    std::vector<std::uint64_t>& ends = trigger_ends_[g];
    ends.erase(ends.begin(),
               ends.begin() + static_cast<std::ptrdiff_t>(keep_from - trigger_ends_dropped_[g]));
    trigger_ends_dropped_[g] = keep_from;
    windows.erase(windows.begin(), windows.begin() + static_cast<std::ptrdiff_t>(done));
  }
  return true;
}

// Adds input [begin, end) to the batch, with the byte on each side as context for \b.
void CandidateFinder::AddSegment(std::string_view buffer, std::uint64_t base, std::uint64_t begin,
                                 std::uint64_t end) {
  const std::uint64_t from = begin > 0 ? begin - 1 : 0;
  const std::uint64_t until = std::min(end + 1, received_);
  if (until <= from) return;
  if (!batch_.empty()) batch_.push_back(kWindowSeparator);
  segments_.push_back(Segment{batch_.size(), from, begin, end});
  batch_.append(buffer.substr(from - base, until - from));
}

bool CandidateFinder::ScanBatch(const RedactionEngine::Group& group, hs_scratch_t* scratch,
                                std::vector<Candidate>* candidates) {
  if (segments_.empty()) return true;
  bool ok = true;
  for (const RedactionEngine::Database& database : group.databases) {
    WindowScan scan{&database.rules, &segments_, candidates};
    ok = ok && hs_scan(database.database, batch_.data(), static_cast<unsigned>(batch_.size()), 0,
                       scratch, OnWindowMatch, &scan) == HS_SUCCESS;
  }
  batch_.clear();
  segments_.clear();
  return ok;
}

// Most rules' matches consist only of characters from a small alphabet around the trigger
// (a JWT of base64url and dots, a phone number of digits and separators), so a match lies in
// the run of such characters around a trigger: phase 2 scans only those runs, not the whole
// window (a JWT window is 8 KiB). Runs are maximal, so the runs around the first and the last
// trigger of a window enclose the runs around the others.
void CandidateFinder::TrimToRuns(TriggerKind kind, std::string_view buffer, std::uint64_t base,
                                 const Window& window, std::uint64_t* begin,
                                 std::uint64_t* end) const noexcept {
  std::uint16_t before = 0;  // alphabet before the first trigger's end; 0: keep the begin
  std::uint16_t after = 0;   // alphabet from the last trigger's end on
  std::uint64_t back_from = window.first_trigger;
  std::uint64_t forward_from = window.last_trigger;
  switch (kind) {
    case TriggerKind::kDigits:
      before = after = kDigitRule;
      break;
    case TriggerKind::kIpv4:
      before = after = kIpv4Rule;
      break;
    case TriggerKind::kIpv6:
      before = after = kIpv6Rule;
      break;
    case TriggerKind::kEmail:  // trigger "x@y": the local part ends 2 bytes before its end
      before = kEmailLocal;
      after = kEmailDomain;
      back_from = window.first_trigger >= 2 ? window.first_trigger - 2 : 0;
      forward_from = window.last_trigger - 1;
      break;
    case TriggerKind::kJwt:
      after = kJwtBody;
      break;
    case TriggerKind::kKeyPrefix:
      after = kKeyBody;
      break;
    case TriggerKind::kSecretKey: {
      // After ':' or '=': blanks, an optional quote, then the value.
      std::uint64_t at = forward_from;
      const std::uint64_t limit = *end;
      while (at < limit && (buffer[at - base] == ' ' || buffer[at - base] == '\t')) ++at;
      if (at < limit && (buffer[at - base] == '"' || buffer[at - base] == '\'')) ++at;
      forward_from = at;
      after = kSecretValue;
      break;
    }
    case TriggerKind::kSelf:
    case TriggerKind::kPem:
      return;
  }
  if (before != 0) {
    std::uint64_t at = back_from;
    while (at > *begin &&
           (kClasses.of[static_cast<unsigned char>(buffer[at - 1 - base])] & before)) {
      --at;
    }
    *begin = at;
  }
  if (after != 0) {
    std::uint64_t at = std::max(forward_from, *begin);
    while (at < *end && (kClasses.of[static_cast<unsigned char>(buffer[at - base])] & after)) ++at;
    *end = at;
  }
}

std::uint64_t CandidateFinder::SafeLimit() const noexcept {
  if (closed_) return UINT64_MAX;
  const std::uint64_t lag = kTriggerLag + engine_.max_back_;
  std::uint64_t limit = received_ > lag ? received_ - lag : 0;
  for (const std::vector<Window>& windows : windows_) {
    if (!windows.empty()) limit = std::min(limit, windows.front().begin);
  }
  return limit;
}

std::uint64_t CandidateFinder::KeepFrom() const noexcept {
  const std::uint64_t lag = kTriggerLag + engine_.max_back_ + kHandLookback + 1;
  std::uint64_t keep = received_ > lag ? received_ - lag : 0;
  for (const std::vector<Window>& windows : windows_) {
    if (!windows.empty())
      keep = std::min(keep, windows.front().begin > 0 ? windows.front().begin - 1 : 0);
  }
  return keep;
}

void RedactionEngine::Decide(std::vector<Candidate>* candidates, std::string_view text,
                             std::uint64_t base, std::uint64_t limit, std::uint64_t* cursor,
                             std::vector<Decision>* decisions) const noexcept {
  std::sort(candidates->begin(), candidates->end(), [](const Candidate& a, const Candidate& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end > b.end;
    return a.rule < b.rule;
  });
  const std::uint64_t text_end = base + text.size();
  std::size_t next = 0;
  for (; next < candidates->size(); ++next) {
    const Candidate& candidate = (*candidates)[next];
    if (candidate.start >= limit) break;
    if (candidate.start < *cursor || candidate.end <= candidate.start) continue;
    const EngineRule& rule = rules_[candidate.rule];
    if (candidate.end - candidate.start > rule.max_length) continue;
    CandidateContext context;
    for (std::size_t k = 0; k < kContextBytes; ++k) {
      if (candidate.start >= base + k + 1) {
        context.before[k] = static_cast<unsigned char>(text[candidate.start - base - k - 1]);
      }
      if (candidate.end + k < text_end) {
        context.after[k] = static_cast<unsigned char>(text[candidate.end - base + k]);
      }
    }
    const std::string_view matched =
        text.substr(candidate.start - base, candidate.end - candidate.start);
    const std::optional<RedactSpan> span = Validate(rule.validator, matched, context);
    if (!span) continue;
    decisions->push_back(Decision{candidate.start, candidate.end, candidate.start + span->begin,
                                  candidate.start + span->end, candidate.rule});
    *cursor = candidate.end;
  }
  // Everything before `next` is decided; later candidates inside a decision can never win.
  const std::uint64_t keep_from = std::max(*cursor, limit);
  std::erase_if(*candidates, [&](const Candidate& c) { return c.start < keep_from; });
}

void RedactionEngine::AppendRedacted(std::string_view text, std::uint64_t base, std::uint64_t from,
                                     std::uint64_t to, const std::vector<Decision>& decisions,
                                     std::string* out) const {
  std::uint64_t at = from;
  for (const Decision& decision : decisions) {
    if (decision.redact_begin < at || decision.redact_end > to) continue;
    out->append(text.substr(at - base, decision.redact_begin - at));
    out->append(rules_[decision.rule].placeholder);
    at = decision.redact_end;
  }
  out->append(text.substr(at - base, to - at));
}

}  // namespace llmtrace::genai::internal
