#include "llmtrace/genai/time_zone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace llmtrace::genai {
namespace {

using namespace std::chrono;  // NOLINT: calendar literals keep the dates readable

sys_seconds Utc(year_month_day date, hours h = hours(0), minutes m = minutes(0)) {
  return sys_seconds(sys_days(date)) + h + m;
}
local_seconds Local(year_month_day date, hours h = hours(0), minutes m = minutes(0)) {
  return local_seconds(local_days(date)) + h + m;
}

TimeZone LoadOrDie(std::string_view name) {
  Result<TimeZone> zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone::Utc();
}

// A TZif file built in memory: `version` 0 writes only the 32-bit block.
struct TzifSpec {
  char version = '2';
  std::vector<std::int64_t> transitions;
  std::vector<std::uint8_t> transition_types;
  std::vector<std::int32_t> offsets;
  std::string footer;
};

void PutBigEndian(std::string& out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::string Block(const TzifSpec& spec, int width, char version) {
  std::string out = "TZif";
  out.push_back(version);
  out.append(15, '\0');
  for (std::int64_t count : {std::int64_t{0}, std::int64_t{0}, std::int64_t{0},
                             static_cast<std::int64_t>(spec.transitions.size()),
                             static_cast<std::int64_t>(spec.offsets.size()), std::int64_t{4}}) {
    PutBigEndian(out, count, 4);
  }
  for (std::int64_t t : spec.transitions) PutBigEndian(out, t, width);
  for (std::uint8_t type : spec.transition_types) out.push_back(static_cast<char>(type));
  for (std::int32_t offset : spec.offsets) {
    PutBigEndian(out, offset, 4);
    out.push_back('\0');
    out.push_back('\0');
  }
  out.append("ABC", 4);  // the abbreviation table ("ABC\0")
  return out;
}

std::string MakeTzif(const TzifSpec& spec) {
  if (spec.version == '\0') return Block(spec, 4, '\0');
  return Block(spec, 4, spec.version) + Block(spec, 8, spec.version) + "\n" + spec.footer + "\n";
}

TEST(TimeZoneTest, BerlinIsOneHourAheadInWinterAndTwoInSummer) {
  const TimeZone berlin = LoadOrDie("Europe/Berlin");
  EXPECT_EQ(berlin.name(), "Europe/Berlin");
  EXPECT_EQ(berlin.OffsetAt(Utc(2024y / January / 15, hours(12))), hours(1));
  EXPECT_EQ(berlin.OffsetAt(Utc(2024y / July / 15, hours(12))), hours(2));
  // Summer time starts on the last Sunday of March at 01:00 UTC.
  EXPECT_EQ(berlin.OffsetAt(Utc(2024y / March / 31, hours(1)) - seconds(1)), hours(1));
  EXPECT_EQ(berlin.OffsetAt(Utc(2024y / March / 31, hours(1))), hours(2));
}

TEST(TimeZoneTest, FarFutureInstantsFollowTheFooterRule) {
  const TimeZone berlin = LoadOrDie("Europe/Berlin");
  EXPECT_EQ(berlin.OffsetAt(Utc(2100y / January / 15)), hours(1));
  EXPECT_EQ(berlin.OffsetAt(Utc(2100y / July / 15)), hours(2));
  const TimeZone new_york = LoadOrDie("America/New_York");
  EXPECT_EQ(new_york.OffsetAt(Utc(2100y / July / 15)), hours(-4));
}

TEST(TimeZoneTest, NewYorkShanghaiAndUtcHaveTheirKnownOffsets) {
  const TimeZone new_york = LoadOrDie("America/New_York");
  EXPECT_EQ(new_york.OffsetAt(Utc(2024y / January / 15)), hours(-5));
  EXPECT_EQ(new_york.OffsetAt(Utc(2024y / July / 15)), hours(-4));
  // Second Sunday of March, 02:00 local = 07:00 UTC.
  EXPECT_EQ(new_york.OffsetAt(Utc(2024y / March / 10, hours(7)) - seconds(1)), hours(-5));
  EXPECT_EQ(new_york.OffsetAt(Utc(2024y / March / 10, hours(7))), hours(-4));

  const TimeZone shanghai = LoadOrDie("Asia/Shanghai");
  EXPECT_EQ(shanghai.OffsetAt(Utc(2024y / January / 15)), hours(8));
  EXPECT_EQ(shanghai.OffsetAt(Utc(2024y / July / 15)), hours(8));

  for (const char* name : {"UTC", "Etc/UTC"}) {
    const TimeZone utc = LoadOrDie(name);
    EXPECT_EQ(utc.OffsetAt(Utc(2024y / July / 15)), seconds(0)) << name;
  }
}

TEST(TimeZoneTest, AgreesWithTheCLibraryAcrossADecadeOfInstants) {
  // glibc reads the same files; any disagreement is a bug in our reader.
  const char* previous = std::getenv("TZ");
  const std::string saved = previous ? previous : "";
  for (const char* name :
       {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
        "America/Sao_Paulo", "Pacific/Chatham", "Europe/Dublin", "Africa/Casablanca"}) {
    const TimeZone zone = LoadOrDie(name);
    ::setenv("TZ", (std::string(":") + name).c_str(), 1);
    ::tzset();
    int checked = 0;
    for (std::int64_t t = 946684800; t < 2'100'000'000; t += 86400 * 7 + 3607) {
      const std::time_t time = static_cast<std::time_t>(t);
      std::tm tm{};
      ASSERT_NE(::localtime_r(&time, &tm), nullptr);
      ASSERT_EQ(zone.OffsetAt(sys_seconds(seconds(t))).count(), tm.tm_gmtoff)
          << name << " at unix " << t;
      ++checked;
    }
    EXPECT_GT(checked, 1000);
  }
  if (previous) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

TEST(TimeZoneTest, LocalMidnightConvertsToTheRightUtcInstant) {
  const TimeZone berlin = LoadOrDie("Europe/Berlin");
  EXPECT_EQ(berlin.LocalToUtc(Local(2024y / January / 1)), Utc(2023y / December / 31, hours(23)));
  EXPECT_EQ(berlin.LocalToUtc(Local(2024y / July / 1)), Utc(2024y / June / 30, hours(22)));
  EXPECT_EQ(berlin.ToLocal(Utc(2024y / June / 30, hours(22))), Local(2024y / July / 1));
}

TEST(TimeZoneTest, SkippedLocalTimeMapsToTheMomentOfTheJump) {
  const TimeZone berlin = LoadOrDie("Europe/Berlin");
  // 02:30 does not exist on 2024-03-31 in Berlin: clocks jump from 02:00 to 03:00 (01:00 UTC).
  EXPECT_EQ(berlin.LocalToUtc(Local(2024y / March / 31, hours(2), minutes(30))),
            Utc(2024y / March / 31, hours(1)));
}

TEST(TimeZoneTest, RepeatedLocalTimeMapsToItsEarlierInstant) {
  const TimeZone berlin = LoadOrDie("Europe/Berlin");
  // 02:30 happens twice on 2024-10-27: first at 00:30 UTC (CEST), again at 01:30 UTC (CET).
  EXPECT_EQ(berlin.LocalToUtc(Local(2024y / October / 27, hours(2), minutes(30))),
            Utc(2024y / October / 27, hours(0), minutes(30)));
}

TEST(TimeZoneTest, ADayThatBeginsInAGapBeginsAtTheTransition) {
  // A zone whose clocks jump from 00:00 to 01:00 (as Havana's and Santiago's do): footer only.
  TzifSpec spec;
  spec.offsets = {-5 * 3600};
  spec.footer = "XST5XDT,M3.2.0/0,M11.1.0/1";
  Result<TimeZone> zone = TimeZone::FromTzif("Test/MidnightJump", MakeTzif(spec));
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  // 2024-03-10 00:00 local does not exist; the day starts at 05:00 UTC, when clocks read 01:00.
  EXPECT_EQ(zone->LocalToUtc(Local(2024y / March / 10)), Utc(2024y / March / 10, hours(5)));
}

TEST(TimeZoneTest, UnknownZoneIsAClearNotFoundError) {
  Result<TimeZone> zone = TimeZone::Load("Mars/Olympus_Mons");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.status().code(), StatusCode::kNotFound);
  EXPECT_NE(zone.status().message().find("Mars/Olympus_Mons"), std::string::npos);
  EXPECT_NE(zone.status().message().find("/usr/share/zoneinfo/Mars/Olympus_Mons"),
            std::string::npos);
}

TEST(TimeZoneTest, NamesThatCouldEscapeTheZoneDirectoryAreRejected) {
  for (const char* name :
       {"", "../../etc/passwd", "/etc/localtime", "Europe/../../etc/passwd", "Europe/Berlin\n"}) {
    Result<TimeZone> zone = TimeZone::Load(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument) << name;
  }
}

TEST(TimeZoneTest, AFileThatIsNotTzifIsRejectedWithTheFileName) {
  Result<TimeZone> zone = TimeZone::Load("leapseconds");  // exists, but is a text file
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(zone.status().message().find("leapseconds"), std::string::npos);
  EXPECT_NE(zone.status().message().find("TZif"), std::string::npos);
}

TEST(TimeZoneTest, TruncatedTzifIsRejectedNotReadPastItsEnd) {
  TzifSpec spec;
  spec.transitions = {0, 100000};
  spec.transition_types = {0, 1};
  spec.offsets = {3600, 7200};
  const std::string bytes = MakeTzif(spec);
  for (std::size_t length = 0; length + 1 < bytes.size(); ++length) {
    EXPECT_FALSE(TimeZone::FromTzif("Test/Cut", bytes.substr(0, length)).ok()) << length;
  }
  EXPECT_TRUE(TimeZone::FromTzif("Test/Cut", bytes).ok());
}

TEST(TimeZoneTest, VersionOneFilesUseTheirTransitions) {
  TzifSpec spec;
  spec.version = '\0';
  spec.transitions = {1'000'000'000};
  spec.transition_types = {1};
  spec.offsets = {3600, 5 * 3600 + 1800};
  Result<TimeZone> zone = TimeZone::FromTzif("Test/V1", MakeTzif(spec));
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  EXPECT_EQ(zone->OffsetAt(sys_seconds(seconds(999'999'999))), hours(1));
  EXPECT_EQ(zone->OffsetAt(sys_seconds(seconds(1'000'000'000))), hours(5) + minutes(30));
}

TEST(TimeZoneTest, SouthernHemisphereFooterWrapsTheYear) {
  TzifSpec spec;
  spec.offsets = {10 * 3600};
  spec.footer = "AEST-10AEDT,M10.1.0,M4.1.0/3";
  Result<TimeZone> zone = TimeZone::FromTzif("Test/Sydney", MakeTzif(spec));
  ASSERT_TRUE(zone.ok()) << zone.status().ToString();
  EXPECT_EQ(zone->OffsetAt(Utc(2030y / January / 15)), hours(11));
  EXPECT_EQ(zone->OffsetAt(Utc(2030y / June / 15)), hours(10));
  EXPECT_EQ(zone->OffsetAt(Utc(2030y / December / 15)), hours(11));
}

TEST(TimeZoneTest, FooterAcceptsQuotedNamesJulianDaysAndExplicitDstOffsets) {
  struct Case {
    const char* footer;
    sys_seconds at;
    seconds expected;
  };
  const Case cases[] = {
      {"<+0330>-3:30", Utc(2030y / June / 1), hours(3) + minutes(30)},
      {"<-03>3", Utc(2030y / June / 1), hours(-3)},
      // Jn never counts Feb 29: J60 is March 1 even in a leap year.
      {"AAA0BBB,J60/0,J300/0", Utc(2028y / February / 29, hours(12)), hours(0)},
      {"AAA0BBB,J60/0,J300/0", Utc(2028y / March / 1, hours(12)), hours(1)},
      // n counts from 0 and includes Feb 29: day 59 is Feb 29 in a leap year.
      {"AAA0BBB,59/0,300/0", Utc(2028y / February / 29, hours(12)), hours(1)},
      {"AAA0BBB-2,M3.5.0,M10.5.0/3", Utc(2030y / July / 1), hours(2)},
  };
  for (const Case& c : cases) {
    TzifSpec spec;
    spec.offsets = {0};
    spec.footer = c.footer;
    Result<TimeZone> zone = TimeZone::FromTzif("Test/Footer", MakeTzif(spec));
    ASSERT_TRUE(zone.ok()) << c.footer << ": " << zone.status().ToString();
    EXPECT_EQ(zone->OffsetAt(c.at), c.expected) << c.footer;
  }
}

TEST(TimeZoneTest, MalformedFooterIsRejected) {
  for (const char* footer : {"C-1", "CET", "CET-1CEST", "CET-1CEST,M13.5.0,M10.5.0",
                             "CET-1CEST,M3.5.0", "CET-1CEST,M3.5.0,M10.5.0/x"}) {
    TzifSpec spec;
    spec.offsets = {3600};
    spec.footer = footer;
    EXPECT_FALSE(TimeZone::FromTzif("Test/Bad", MakeTzif(spec)).ok()) << footer;
  }
}

}  // namespace
}  // namespace llmtrace::genai
