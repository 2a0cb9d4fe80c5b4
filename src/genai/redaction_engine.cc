#include "src/genai/redaction_engine.h"

#include <hs.h>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

namespace llmtrace::genai::internal {
namespace {

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
            void* context) {
  auto* candidates = static_cast<std::vector<Candidate>*>(context);
  candidates->push_back(Candidate{from, to, id});
  return 0;  // keep scanning
}

Result<hs_database_t*> CompileDatabase(const std::vector<EngineRule>& rules, unsigned mode) {
  std::vector<const char*> patterns;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    patterns.push_back(rules[i].pattern.c_str());
    flags.push_back(HS_FLAG_SOM_LEFTMOST | (rules[i].caseless ? HS_FLAG_CASELESS : 0));
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(patterns.size()), mode, nullptr, &database,
                       &error) != HS_SUCCESS) {
    std::string message;
    if (error != nullptr && error->expression >= 0 &&
        static_cast<std::size_t>(error->expression) < rules.size()) {
      const EngineRule& rule = rules[static_cast<std::size_t>(error->expression)];
      message = "redaction rule '" + rule.name + "' (pattern " + rule.pattern +
                "): " + (error->message ? error->message : "does not compile");
    } else {
      message = std::string("redaction rules: vectorscan: ") +
                (error != nullptr && error->message ? error->message : "compile failed");
    }
    hs_free_compile_error(error);
    return InvalidArgumentError(std::move(message));
  }
  return database;
}

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
  for (const EngineRule& rule : rules) {
    if (rule.max_length > kShortMatchBound && rule.open_prefix.empty()) {
      return InternalError("redaction rule '" + rule.name +
                           "': a long rule needs a literal open_prefix");
    }
  }
  std::shared_ptr<RedactionEngine> engine(new RedactionEngine());
  engine->rules_ = std::move(rules);
  Result<hs_database_t*> block = CompileDatabase(engine->rules_, HS_MODE_BLOCK);
  if (!block.ok()) return block.status();
  engine->block_database_ = *block;
  Result<hs_database_t*> stream =
      CompileDatabase(engine->rules_, HS_MODE_STREAM | HS_MODE_SOM_HORIZON_LARGE);
  if (!stream.ok()) return stream.status();
  engine->stream_database_ = *stream;
  if (hs_alloc_scratch(engine->block_database_, &engine->prototype_scratch_) != HS_SUCCESS ||
      hs_alloc_scratch(engine->stream_database_, &engine->prototype_scratch_) != HS_SUCCESS) {
    return ResourceExhaustedError("redaction rules: cannot allocate vectorscan scratch");
  }
  return std::shared_ptr<const RedactionEngine>(std::move(engine));
}

RedactionEngine::~RedactionEngine() {
  for (hs_scratch_t* scratch : free_scratch_) hs_free_scratch(scratch);
  hs_free_scratch(prototype_scratch_);
  hs_free_database(block_database_);
  hs_free_database(stream_database_);
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
  ScratchLease scratch(*this);
  if (scratch.get() == nullptr) return false;
  return hs_scan(block_database_, text.data(), static_cast<unsigned>(text.size()), 0, scratch.get(),
                 OnMatch, candidates) == HS_SUCCESS;
}

hs_stream_t* RedactionEngine::OpenStream() const noexcept {
  hs_stream_t* stream = nullptr;
  if (hs_open_stream(stream_database_, 0, &stream) != HS_SUCCESS) return nullptr;
  return stream;
}

bool RedactionEngine::ScanStream(hs_stream_t* stream, std::string_view chunk,
                                 std::vector<Candidate>* candidates) const noexcept {
  if (stream == nullptr || chunk.size() > std::numeric_limits<unsigned>::max()) return false;
  ScratchLease scratch(*this);
  if (scratch.get() == nullptr) return false;
  return hs_scan_stream(stream, chunk.data(), static_cast<unsigned>(chunk.size()), 0, scratch.get(),
                        OnMatch, candidates) == HS_SUCCESS;
}

bool RedactionEngine::CloseStream(hs_stream_t* stream,
                                  std::vector<Candidate>* candidates) const noexcept {
  if (stream == nullptr) return false;
  ScratchLease scratch(*this);
  const bool ok = scratch.get() != nullptr;
  hs_close_stream(stream, scratch.get(), ok ? OnMatch : nullptr, candidates);
  return ok;
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
