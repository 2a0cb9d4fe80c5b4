#include "llmtrace/trace/baggage.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "llmtrace/common/strings.h"

namespace llmtrace::trace {

namespace {

// W3C "OWS": spaces and horizontal tabs only.
// RFC 7230 tchar.
bool IsTokenChar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// W3C baggage-octet: printable US-ASCII except DQUOTE, comma, semicolon and backslash.
bool IsBaggageOctet(char c) noexcept {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7e && u != '"' && u != ',' && u != ';' && u != '\\';
}

bool IsBaggageValue(std::string_view value) noexcept {
  return std::all_of(value.begin(), value.end(), IsBaggageOctet);
}

// Printed as-is by ToHeader; everything else becomes %XX ('%' itself must be encoded).
bool NeedsNoEncoding(char c) noexcept { return IsBaggageOctet(c) && c != '%'; }

std::size_t EncodedSize(std::string_view value) noexcept {
  std::size_t size = 0;
  for (char c : value) size += NeedsNoEncoding(c) ? 1 : 3;
  return size;
}

void AppendPercentEncoded(std::string_view value, std::string& out) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (char c : value) {
    if (NeedsNoEncoding(c)) {
      out += c;
      continue;
    }
    auto u = static_cast<unsigned char>(c);
    out += '%';
    out += kDigits[u >> 4];
    out += kDigits[u & 0xf];
  }
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one; `*prefix` gets
// the length of the longest valid prefix so a broken sequence is replaced as one unit.
std::size_t Utf8SequenceSize(std::string_view s, std::size_t i, std::size_t* prefix) noexcept {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = byte(i);
  *prefix = 1;
  if (lead < 0x80) return 1;
  std::size_t size = 0;
  unsigned char low = 0x80, high = 0xbf;  // allowed range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    size = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    size = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    size = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  for (std::size_t k = 1; k < size; ++k) {
    if (i + k >= s.size()) return 0;
    unsigned char b = byte(i + k);
    bool ok = k == 1 ? (b >= low && b <= high) : (b >= 0x80 && b <= 0xbf);
    if (!ok) return 0;
    *prefix = k + 1;
  }
  return size;
}

// Replaces every ill-formed UTF-8 sequence with U+FFFD.
std::string SanitizeUtf8(std::string s) {
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    std::size_t prefix = 0;
    std::size_t size = Utf8SequenceSize(s, i, &prefix);
    if (size == 0) break;
    i += size - 1;
  }
  if (i == s.size()) return s;  // the common case: already valid, no copy
  std::string out(s, 0, i);
  while (i < s.size()) {
    std::size_t prefix = 0;
    std::size_t size = Utf8SequenceSize(s, i, &prefix);
    if (size == 0) {
      out += "\xEF\xBF\xBD";
      i += prefix;
    } else {
      out.append(s, i, size);
      i += size;
    }
  }
  return out;
}

// Bytes one member takes in the header ToHeader prints, commas excluded.
std::size_t MemberSize(const Baggage::Entry& entry) noexcept {
  std::size_t size = entry.key.size() + 1 + EncodedSize(entry.value);
  if (!entry.metadata.empty()) size += 1 + entry.metadata.size();
  return size;
}

// Parses one list-member; nullopt when it is invalid.
std::optional<Baggage::Entry> ParseMember(std::string_view member) {
  std::string_view metadata;
  std::size_t semicolon = member.find(';');
  if (semicolon != std::string_view::npos) {
    metadata = TrimOws(member.substr(semicolon + 1));
    if (metadata.empty() || !Baggage::IsValidMetadata(metadata)) return std::nullopt;
    member = member.substr(0, semicolon);
  }
  std::size_t eq = member.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view key = TrimOws(member.substr(0, eq));
  std::string_view raw_value = TrimOws(member.substr(eq + 1));
  if (!Baggage::IsValidKey(key) || !IsBaggageValue(raw_value)) return std::nullopt;
  std::optional<std::string> value = PercentDecode(raw_value);
  if (!value) return std::nullopt;
  return Baggage::Entry{std::string(key), SanitizeUtf8(std::move(*value)), std::string(metadata)};
}

}  // namespace

bool Baggage::IsValidKey(std::string_view key) noexcept {
  return !key.empty() && std::all_of(key.begin(), key.end(), IsTokenChar);
}

bool Baggage::IsValidMetadata(std::string_view metadata) noexcept {
  if (metadata.empty()) return true;
  std::size_t start = 0;
  while (true) {
    std::size_t end = metadata.find(';', start);
    std::string_view property =
        TrimOws(metadata.substr(start, end == std::string_view::npos ? end : end - start));
    // property = key OWS "=" OWS value / key OWS
    std::size_t eq = property.find('=');
    std::string_view key = TrimOws(property.substr(0, eq));
    if (!IsValidKey(key)) return false;
    if (eq != std::string_view::npos && !IsBaggageValue(TrimOws(property.substr(eq + 1)))) {
      return false;
    }
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

std::shared_ptr<const Baggage> Baggage::Make(std::vector<Entry> entries) {
  return std::shared_ptr<const Baggage>(new Baggage(std::move(entries)));
}

std::shared_ptr<const Baggage> Baggage::Empty() noexcept {
  static const std::shared_ptr<const Baggage> empty = Make({});
  return empty;
}

std::shared_ptr<const Baggage> Baggage::Parse(std::string_view header) noexcept {
  std::vector<Entry> entries;
  std::size_t header_size = 0;  // of the header ToHeader would print for `entries`
  auto comma = [&] { return entries.empty() ? 0 : std::size_t{1}; };
  for (std::string_view member : Split(header, ',')) {
    member = TrimOws(member);
    if (member.empty()) continue;
    std::optional<Entry> entry = ParseMember(member);
    if (!entry) continue;
    std::size_t size = MemberSize(*entry);
    auto existing = std::find_if(entries.begin(), entries.end(),
                                 [&](const Entry& e) { return e.key == entry->key; });
    if (existing != entries.end()) {
      std::size_t resized = header_size - MemberSize(*existing) + size;
      if (resized > kMaxHeaderSize) continue;  // keep the earlier value rather than overflow
      header_size = resized;
      *existing = std::move(*entry);
      continue;
    }
    if (entries.size() == kMaxMembers) continue;
    if (header_size + comma() + size > kMaxHeaderSize) continue;
    header_size += comma() + size;
    entries.push_back(std::move(*entry));
  }
  if (entries.empty()) return nullptr;
  return Make(std::move(entries));
}

std::string Baggage::ToHeader() const {
  std::string header;
  std::size_t members = 0;
  for (const Entry& entry : entries_) {
    if (members == kMaxMembers) break;
    std::size_t size = MemberSize(entry) + (members == 0 ? 0 : 1);
    if (header.size() + size > kMaxHeaderSize) continue;  // never print part of a member
    if (members != 0) header += ',';
    header += entry.key;
    header += '=';
    AppendPercentEncoded(entry.value, header);
    if (!entry.metadata.empty()) {
      header += ';';
      header += entry.metadata;
    }
    ++members;
  }
  return header;
}

std::optional<std::string_view> Baggage::Get(std::string_view key) const noexcept {
  const Entry* entry = Find(key);
  if (entry == nullptr) return std::nullopt;
  return std::string_view(entry->value);
}

const Baggage::Entry* Baggage::Find(std::string_view key) const noexcept {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

std::shared_ptr<const Baggage> Baggage::Set(std::string_view key, std::string_view value,
                                            std::string_view metadata) const {
  metadata = TrimOws(metadata);
  if (!IsValidKey(key) || !IsValidMetadata(metadata)) return shared_from_this();
  std::vector<Entry> entries = entries_;
  Entry updated{std::string(key), std::string(value), std::string(metadata)};
  auto existing =
      std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == key; });
  if (existing != entries.end()) {
    *existing = std::move(updated);
  } else {
    entries.push_back(std::move(updated));
  }
  return Make(std::move(entries));
}

std::shared_ptr<const Baggage> Baggage::Remove(std::string_view key) const {
  if (Find(key) == nullptr) return shared_from_this();
  std::vector<Entry> entries;
  entries.reserve(entries_.size() - 1);
  for (const Entry& entry : entries_) {
    if (entry.key != key) entries.push_back(entry);
  }
  return Make(std::move(entries));
}

}  // namespace llmtrace::trace
