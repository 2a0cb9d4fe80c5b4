#include "llmtrace/genai/time_zone.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace llmtrace::genai {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::local_seconds;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

namespace {

// One rule of a POSIX TZ string: when DST starts or ends, in local time of the offset in force
// just before it.
struct PosixTransitionRule {
  enum class Kind { kMonthWeekDay, kJulianNoLeap, kZeroBasedDay };
  Kind kind = Kind::kMonthWeekDay;
  int month = 0;                 // 1..12       (Mm.w.d)
  int week = 0;                  // 1..5, 5 = last
  int weekday = 0;               // 0 = Sunday
  int day = 0;                   // Jn: 1..365 (Feb 29 never counted); n: 0..365
  std::int64_t time = 2 * 3600;  // seconds after local midnight; may be negative or > 24h

  sys_days DateIn(std::chrono::year year) const noexcept {
    using namespace std::chrono;
    switch (kind) {
      case Kind::kMonthWeekDay: {
        const auto wd = std::chrono::weekday(static_cast<unsigned>(weekday));
        const auto m = std::chrono::month(static_cast<unsigned>(month));
        if (week == 5) return sys_days(year_month_weekday_last(year, m, weekday_last(wd)));
        return sys_days(year_month_weekday(year, m, weekday_indexed(wd, week)));
      }
      case Kind::kJulianNoLeap: {
        int n = day;
        if (year.is_leap() && n >= 60) ++n;
        return sys_days(year / January / 1) + std::chrono::days(n - 1);
      }
      case Kind::kZeroBasedDay:
        return sys_days(year / January / 1) + std::chrono::days(day);
    }
    return sys_days(year / January / 1);
  }
};

// The footer of a TZif file: the rule for instants after the last transition. Offsets are kept
// as UTC offsets (local - utc), the opposite sign of the POSIX text.
struct PosixTimeZone {
  std::int64_t std_offset = 0;
  bool has_dst = false;
  std::int64_t dst_offset = 0;
  PosixTransitionRule start;
  PosixTransitionRule end;

  std::int64_t OffsetAt(std::int64_t utc) const noexcept {
    if (!has_dst) return std_offset;
    const sys_seconds t{seconds(utc)};
    const auto local_day = std::chrono::floor<days>(t + seconds(std_offset));
    const std::chrono::year year = std::chrono::year_month_day(local_day).year();
    const std::int64_t dst_start =
        (sys_seconds(start.DateIn(year)) + seconds(start.time - std_offset))
            .time_since_epoch()
            .count();
    const std::int64_t dst_end =
        (sys_seconds(end.DateIn(year)) + seconds(end.time - dst_offset)).time_since_epoch().count();
    const bool in_dst = dst_start < dst_end ? (utc >= dst_start && utc < dst_end)
                                            : !(utc >= dst_end && utc < dst_start);
    return in_dst ? dst_offset : std_offset;
  }
};

// A small cursor over the POSIX TZ text; every Parse* returns false on malformed input.
class PosixTzParser {
 public:
  explicit PosixTzParser(std::string_view text) : text_(text) {}

  std::optional<PosixTimeZone> Parse() {
    PosixTimeZone zone;
    std::int64_t posix_offset = 0;
    if (!ParseName() || !ParseOffset(/*max_hours=*/24, posix_offset)) return std::nullopt;
    zone.std_offset = -posix_offset;
    if (AtEnd()) return zone;
    if (!ParseName()) return std::nullopt;
    zone.has_dst = true;
    zone.dst_offset = zone.std_offset + 3600;
    if (!AtEnd() && Peek() != ',') {
      if (!ParseOffset(24, posix_offset)) return std::nullopt;
      zone.dst_offset = -posix_offset;
    }
    // A DST zone without rules has implementation-defined dates; TZif footers always carry them.
    if (!Consume(',') || !ParseRule(zone.start) || !Consume(',') || !ParseRule(zone.end)) {
      return std::nullopt;
    }
    if (!AtEnd()) return std::nullopt;
    return zone;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  bool ParseName() {
    if (Consume('<')) {
      const std::size_t close = text_.find('>', pos_);
      if (close == std::string_view::npos || close - pos_ < 3) return false;
      pos_ = close + 1;
      return true;
    }
    const std::size_t begin = pos_;
    while (!AtEnd() && ((Peek() >= 'A' && Peek() <= 'Z') || (Peek() >= 'a' && Peek() <= 'z'))) {
      ++pos_;
    }
    return pos_ - begin >= 3;
  }
  bool ParseNumber(int max, int& out) {
    const std::size_t begin = pos_;
    out = 0;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      out = out * 10 + (Peek() - '0');
      if (out > max) return false;
      ++pos_;
    }
    return pos_ > begin;
  }
  // [+-]hh[:mm[:ss]] in seconds; also the rule time form, which allows up to 167 hours.
  bool ParseOffset(int max_hours, std::int64_t& out) {
    int sign = 1;
    if (Consume('-')) {
      sign = -1;
    } else {
      Consume('+');
    }
    int h = 0, m = 0, s = 0;
    if (!ParseNumber(max_hours, h)) return false;
    if (Consume(':') && (!ParseNumber(59, m) || (Consume(':') && !ParseNumber(59, s)))) {
      return false;
    }
    out = sign * (std::int64_t{h} * 3600 + m * 60 + s);
    return true;
  }
  bool ParseRule(PosixTransitionRule& rule) {
    if (Consume('M')) {
      rule.kind = PosixTransitionRule::Kind::kMonthWeekDay;
      if (!ParseNumber(12, rule.month) || rule.month < 1 || !Consume('.') ||
          !ParseNumber(5, rule.week) || rule.week < 1 || !Consume('.') ||
          !ParseNumber(6, rule.weekday)) {
        return false;
      }
    } else if (Consume('J')) {
      rule.kind = PosixTransitionRule::Kind::kJulianNoLeap;
      if (!ParseNumber(365, rule.day) || rule.day < 1) return false;
    } else {
      rule.kind = PosixTransitionRule::Kind::kZeroBasedDay;
      if (!ParseNumber(365, rule.day)) return false;
    }
    rule.time = 2 * 3600;
    if (Consume('/')) return ParseOffset(167, rule.time);
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

struct LocalTimeType {
  std::int64_t utc_offset = 0;
};

bool ValidZoneName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/') return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '_' || c == '-' || c == '+';
    if (!ok) return false;
  }
  // No "." at all, so no ".." component can climb out of the zoneinfo directory.
  return true;
}

// Reads big-endian integers with bounds checks.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool Has(std::size_t n) const { return bytes_.size() - pos_ >= n; }
  std::size_t pos() const { return pos_; }
  void Skip(std::size_t n) { pos_ += n; }
  std::uint8_t U8() { return static_cast<std::uint8_t>(bytes_[pos_++]); }
  std::int64_t Signed(int width) {
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) v = (v << 8) | U8();
    if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
  }
  std::string_view Rest() const { return bytes_.substr(pos_); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct TzifHeader {
  char version = 0;
  std::int64_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  std::size_t DataLength(int time_width) const {
    return static_cast<std::size_t>(timecnt * time_width + timecnt + typecnt * 6 + charcnt +
                                    leapcnt * (time_width + 4) + isstdcnt + isutcnt);
  }
};

bool ReadHeader(ByteReader& reader, TzifHeader& header) {
  if (!reader.Has(44) || reader.Rest().substr(0, 4) != "TZif") return false;
  reader.Skip(4);
  header.version = static_cast<char>(reader.U8());
  reader.Skip(15);
  header.isutcnt = reader.Signed(4);
  header.isstdcnt = reader.Signed(4);
  header.leapcnt = reader.Signed(4);
  header.timecnt = reader.Signed(4);
  header.typecnt = reader.Signed(4);
  header.charcnt = reader.Signed(4);
  constexpr std::int64_t kSane = 1 << 20;
  for (std::int64_t n :
       {header.isutcnt, header.isstdcnt, header.leapcnt, header.timecnt, header.charcnt}) {
    if (n < 0 || n > kSane) return false;
  }
  return header.typecnt >= 1 && header.typecnt <= 256;
}

}  // namespace

struct TimeZone::Data {
  std::string name;
  std::vector<std::int64_t> transitions;  // UTC seconds, ascending
  std::vector<std::uint8_t> transition_types;
  std::vector<LocalTimeType> types;
  std::optional<PosixTimeZone> footer;

  std::int64_t OffsetAt(std::int64_t utc) const noexcept {
    if (transitions.empty() || utc < transitions.front()) {
      if (transitions.empty() && footer) return footer->OffsetAt(utc);
      return types.empty() ? 0 : types.front().utc_offset;
    }
    const auto it = std::upper_bound(transitions.begin(), transitions.end(), utc);
    const std::size_t i = static_cast<std::size_t>(it - transitions.begin()) - 1;
    if (i + 1 == transitions.size() && footer) return footer->OffsetAt(utc);
    return types[transition_types[i]].utc_offset;
  }
};

Result<TimeZone> TimeZone::FromTzif(std::string_view name, std::string_view tzif_bytes) {
  auto invalid = [&](std::string_view why) {
    return InvalidArgumentError("time zone '" + std::string(name) + "': not a valid TZif file (" +
                                std::string(why) + ")");
  };
  ByteReader reader(tzif_bytes);
  TzifHeader header;
  if (!ReadHeader(reader, header)) return invalid("bad header");
  int time_width = 4;
  if (header.version >= '2') {
    // Skip the 32-bit block; the 64-bit one that follows covers every year.
    const std::size_t v1_length = header.DataLength(4);
    if (!reader.Has(v1_length)) return invalid("truncated version 1 data");
    reader.Skip(v1_length);
    if (!ReadHeader(reader, header)) return invalid("bad second header");
    time_width = 8;
  }
  if (!reader.Has(header.DataLength(time_width))) return invalid("truncated data");

  auto data = std::make_shared<Data>();
  data->name = std::string(name);
  data->transitions.reserve(static_cast<std::size_t>(header.timecnt));
  for (std::int64_t i = 0; i < header.timecnt; ++i) {
    data->transitions.push_back(reader.Signed(time_width));
    if (i > 0 && data->transitions[i] <= data->transitions[i - 1]) {
      return invalid("transitions out of order");
    }
  }
  for (std::int64_t i = 0; i < header.timecnt; ++i) {
    const std::uint8_t type = reader.U8();
    if (type >= header.typecnt) return invalid("transition type out of range");
    data->transition_types.push_back(type);
  }
  for (std::int64_t i = 0; i < header.typecnt; ++i) {
    LocalTimeType type;
    type.utc_offset = reader.Signed(4);
    reader.Skip(2);  // is_dst, abbreviation index: not needed for offsets
    if (type.utc_offset < -25 * 3600 || type.utc_offset > 26 * 3600) {
      return invalid("offset out of range");
    }
    data->types.push_back(type);
  }
  reader.Skip(static_cast<std::size_t>(header.charcnt + header.leapcnt * (time_width + 4) +
                                       header.isstdcnt + header.isutcnt));

  if (time_width == 8) {
    // Footer: "\n<POSIX TZ>\n". An empty string means "no rule": keep the last type.
    const std::string_view rest = reader.Rest();
    if (rest.size() < 2 || rest.front() != '\n') return invalid("missing footer");
    const std::size_t close = rest.find('\n', 1);
    if (close == std::string_view::npos) return invalid("unterminated footer");
    const std::string_view tz = rest.substr(1, close - 1);
    if (!tz.empty()) {
      data->footer = PosixTzParser(tz).Parse();
      if (!data->footer) return invalid("unsupported footer TZ string '" + std::string(tz) + "'");
    }
  }
  return TimeZone(std::move(data));
}

Result<TimeZone> TimeZone::Load(std::string_view name, std::string_view zoneinfo_directory) {
  if (name == "UTC" || name == "Etc/UTC") {
    TimeZone utc = Utc();
    return utc;
  }
  if (!ValidZoneName(name)) {
    return InvalidArgumentError("time zone '" + std::string(name) +
                                "': not an IANA zone name (expected e.g. \"Europe/Berlin\")");
  }
  std::string path = std::string(zoneinfo_directory) + "/" + std::string(name);
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    const int error = errno;
    return NotFoundError("time zone '" + std::string(name) + "': cannot open " + path + ": " +
                         std::strerror(error) + " (is the tzdata package installed?)");
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  const std::string bytes = contents.str();
  constexpr std::size_t kMaxTzifBytes = 1 << 20;
  if (bytes.size() > kMaxTzifBytes) {
    return InvalidArgumentError("time zone '" + std::string(name) + "': " + path +
                                " is too large for a TZif file");
  }
  Result<TimeZone> zone = FromTzif(name, bytes);
  if (!zone.ok()) return zone.status().WithContext(path);
  return zone;
}

TimeZone TimeZone::Utc() {
  static const std::shared_ptr<const Data> utc = [] {
    auto data = std::make_shared<Data>();
    data->name = "UTC";
    data->types.push_back(LocalTimeType{0});
    return data;
  }();
  return TimeZone(utc);
}

const std::string& TimeZone::name() const noexcept { return data_->name; }

seconds TimeZone::OffsetAt(sys_seconds utc) const noexcept {
  return seconds(data_->OffsetAt(utc.time_since_epoch().count()));
}

local_seconds TimeZone::ToLocal(sys_seconds utc) const noexcept {
  return local_seconds(utc.time_since_epoch() + OffsetAt(utc));
}

sys_seconds TimeZone::LocalToUtc(local_seconds local) const noexcept {
  const std::int64_t l = local.time_since_epoch().count();
  auto local_of = [this](std::int64_t u) { return u + data_->OffsetAt(u); };
  // Offsets in force a day either side bracket every candidate; transitions are far apart.
  const std::array<std::int64_t, 3> candidates = {
      l - data_->OffsetAt(l - 86400), l - data_->OffsetAt(l), l - data_->OffsetAt(l + 86400)};
  std::optional<std::int64_t> best;
  for (std::int64_t c : candidates) {
    if (local_of(c) == l && (!best || c < *best)) best = c;
  }
  if (best) return sys_seconds(seconds(*best));
  // `local` was skipped (spring forward): find the jump, the first instant that reads later.
  std::int64_t lo = *std::min_element(candidates.begin(), candidates.end());
  std::int64_t hi = *std::max_element(candidates.begin(), candidates.end());
  if (local_of(lo) >= l) return sys_seconds(seconds(lo));
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (local_of(mid) >= l ? hi : lo) = mid;
  }
  return sys_seconds(seconds(hi));
}

}  // namespace llmtrace::genai
