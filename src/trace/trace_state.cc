#include "llmtrace/trace/trace_state.h"

#include <algorithm>
#include <utility>

#include "llmtrace/common/strings.h"

namespace llmtrace::trace {

namespace {

// W3C "OWS": spaces and horizontal tabs only.
bool IsLcAlpha(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
bool IsKeyChar(char c) noexcept {
  return IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}

// `first` accepted for the first char, IsKeyChar for the rest, total size in [1, max_size].
template <typename FirstCharPredicate>
bool MatchesKeyPart(std::string_view s, std::size_t max_size, FirstCharPredicate first) noexcept {
  if (s.empty() || s.size() > max_size || !first(s.front())) return false;
  return std::all_of(s.begin() + 1, s.end(), IsKeyChar);
}

// Bytes needed to print `entries` as a header: "k=v" for each, joined by commas.
std::size_t HeaderSize(const std::vector<TraceState::Entry>& entries) noexcept {
  std::size_t size = entries.empty() ? 0 : entries.size() - 1;
  for (const TraceState::Entry& entry : entries) size += entry.key.size() + 1 + entry.value.size();
  return size;
}

}  // namespace

bool TraceState::IsValidKey(std::string_view key) noexcept {
  std::size_t at = key.find('@');
  if (at == std::string_view::npos) return MatchesKeyPart(key, kMaxKeySize, IsLcAlpha);
  // multi-tenant-key = tenant-id "@" system-id: tenant up to 241 chars, system up to 14.
  auto lcalpha_or_digit = [](char c) { return IsLcAlpha(c) || IsDigit(c); };
  return MatchesKeyPart(key.substr(0, at), 241, lcalpha_or_digit) &&
         MatchesKeyPart(key.substr(at + 1), 14, IsLcAlpha);
}

bool TraceState::IsValidValue(std::string_view value) noexcept {
  if (value.empty() || value.size() > kMaxValueSize || value.back() == ' ') return false;
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e && c != ',' && c != '='; });
}

std::shared_ptr<const TraceState> TraceState::Make(std::vector<Entry> entries) {
  return std::shared_ptr<const TraceState>(new TraceState(std::move(entries)));
}

std::shared_ptr<const TraceState> TraceState::Empty() noexcept {
  static const std::shared_ptr<const TraceState> empty = Make({});
  return empty;
}

std::shared_ptr<const TraceState> TraceState::Parse(std::string_view header) noexcept {
  std::vector<Entry> entries;
  for (std::string_view member : Split(header, ',')) {
    member = TrimOws(member);
    if (member.empty()) continue;  // empty and OWS-only members are allowed and carry nothing
    if (entries.size() == kMaxMembers) return nullptr;
    std::size_t eq = member.find('=');
    if (eq == std::string_view::npos) return nullptr;
    std::string_view key = member.substr(0, eq);
    std::string_view value = member.substr(eq + 1);
    if (!IsValidKey(key) || !IsValidValue(value)) return nullptr;
    for (const Entry& entry : entries) {
      if (entry.key == key) return nullptr;
    }
    entries.push_back(Entry{std::string(key), std::string(value)});
  }
  if (entries.empty()) return nullptr;
  return Make(std::move(entries));
}

std::string TraceState::ToHeader() const {
  std::vector<Entry> kept = entries_;
  // W3C truncation: drop members larger than 128 chars first, then from the end; never cut a
  // member in half.
  while (HeaderSize(kept) > kMaxHeaderSize) {
    auto large = std::find_if(kept.rbegin(), kept.rend(), [](const Entry& entry) {
      return entry.key.size() + 1 + entry.value.size() > 128;
    });
    if (large != kept.rend()) {
      kept.erase(std::next(large).base());
    } else {
      kept.pop_back();
    }
  }
  std::string header;
  header.reserve(HeaderSize(kept));
  for (const Entry& entry : kept) {
    if (!header.empty()) header += ',';
    header += entry.key;
    header += '=';
    header += entry.value;
  }
  return header;
}

std::optional<std::string_view> TraceState::Get(std::string_view key) const noexcept {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return std::string_view(entry.value);
  }
  return std::nullopt;
}

std::shared_ptr<const TraceState> TraceState::Set(std::string_view key,
                                                  std::string_view value) const {
  if (!IsValidKey(key) || !IsValidValue(value)) return shared_from_this();
  std::vector<Entry> entries;
  entries.reserve(entries_.size() + 1);
  entries.push_back(Entry{std::string(key), std::string(value)});
  for (const Entry& entry : entries_) {
    if (entry.key != key) entries.push_back(entry);
  }
  if (entries.size() > kMaxMembers) entries.resize(kMaxMembers);
  return Make(std::move(entries));
}

std::shared_ptr<const TraceState> TraceState::Delete(std::string_view key) const {
  if (!Get(key)) return shared_from_this();
  std::vector<Entry> entries;
  entries.reserve(entries_.size() - 1);
  for (const Entry& entry : entries_) {
    if (entry.key != key) entries.push_back(entry);
  }
  return Make(std::move(entries));
}

}  // namespace llmtrace::trace
