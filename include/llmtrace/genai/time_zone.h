// TimeZone: UTC offsets of one IANA zone ("Europe/Berlin"), read from the system's TZif files.
//
// Budgets reset at local midnight (or the first of the month) in a configured zone. GCC 12's
// libstdc++ has no std::chrono::tzdb/zoned_time, so this is a small reader of the TZif format
// (RFC 8536) as Debian's tzdata installs it under /usr/share/zoneinfo: version 2+ files are read
// from their 64-bit section, and instants after the last listed transition follow the file's
// footer, a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3"; Mm.w.d, Jn and n rules). Version 1
// files (32-bit, no footer) are read too. Leap seconds are ignored, as in POSIX time.
// Thread-safety: a loaded TimeZone is immutable; share it freely between threads.
//
//   Result<TimeZone> berlin = TimeZone::Load("Europe/Berlin");
//   std::chrono::seconds offset = berlin->OffsetAt(std::chrono::sys_seconds{...});  // +1h/+2h
//   std::chrono::sys_seconds midnight = berlin->LocalToUtc(std::chrono::local_days{...});
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "llmtrace/common/result.h"

namespace llmtrace::genai {

inline constexpr std::string_view kDefaultZoneInfoDirectory = "/usr/share/zoneinfo";

class TimeZone {
 public:
  // Reads <zoneinfo_directory>/<name>. "UTC" (and "Etc/UTC") need no file. Fails with kNotFound
  // when there is no such zone and kInvalidArgument when the name is not a zone name (empty,
  // absolute, "..") or the file is not valid TZif; the message names the zone and the file.
  static Result<TimeZone> Load(std::string_view name,
                               std::string_view zoneinfo_directory = kDefaultZoneInfoDirectory);
  // Parses TZif bytes already in memory; `name` is only used in messages and name().
  static Result<TimeZone> FromTzif(std::string_view name, std::string_view tzif_bytes);
  static TimeZone Utc();

  const std::string& name() const noexcept;

  // The offset of local time from UTC at `utc` (local = utc + offset).
  std::chrono::seconds OffsetAt(std::chrono::sys_seconds utc) const noexcept;
  std::chrono::local_seconds ToLocal(std::chrono::sys_seconds utc) const noexcept;
  // The first UTC instant whose local time is `local` or later: in a repeated hour the earlier
  // instant, in a skipped hour the moment of the jump (so a day that begins in a gap begins at
  // the transition). This is what "start of the local day" needs.
  std::chrono::sys_seconds LocalToUtc(std::chrono::local_seconds local) const noexcept;

 private:
  struct Data;
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

}  // namespace llmtrace::genai
