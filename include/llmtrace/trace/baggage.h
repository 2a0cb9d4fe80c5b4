// Baggage: the W3C `baggage` header, application-defined key=value pairs (with optional
// properties) that travel with a request across services (https://www.w3.org/TR/baggage/).
//
// Used by BaggagePropagator and by applications that tag a whole request (user tier, tenant,
// experiment arm) so downstream services can read it. A Baggage is immutable: Set and Remove
// return a new object, so one instance can be shared by every span and thread of a request.
// Keys are RFC 7230 tokens and are stored as received; values are stored decoded (any bytes) and
// percent-encoded again by ToHeader; properties ("metadata") are kept verbatim, as in
// "k=v;p1;p2=x" -> metadata "p1;p2=x". Parse skips invalid members one by one and keeps at most
// 64 members / 8192 bytes, dropping whole members, never part of one. Parse returns nullptr when
// nothing valid is left, which is how Context spells "no baggage".
// Thread-safety: immutable after construction; safe to share and read from any thread.
//
//   std::shared_ptr<const Baggage> b = Baggage::Empty()->Set("user.tier", "free plan");
//   b->ToHeader();          // "user.tier=free%20plan"
//   b->Get("user.tier");    // "free plan"
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmtrace::trace {

class Baggage final : public std::enable_shared_from_this<Baggage> {
 public:
  struct Entry {
    std::string key;
    std::string value;     // decoded
    std::string metadata;  // the properties after the first ';', verbatim; "" when none
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  static constexpr std::size_t kMaxMembers = 64;
  static constexpr std::size_t kMaxHeaderSize = 8192;

  // Null when the header holds no valid member. Members with a bad key, a bad value octet, a
  // malformed %XX escape or a malformed property are skipped; beyond kMaxMembers members or
  // kMaxHeaderSize bytes whole members are dropped. A later duplicate key replaces the earlier
  // value. Percent-decoded bytes that are not UTF-8 become U+FFFD, as the W3C spec asks.
  static std::shared_ptr<const Baggage> Parse(std::string_view header) noexcept;
  // A shared, empty baggage to build on with Set.
  static std::shared_ptr<const Baggage> Empty() noexcept;

  // An RFC 7230 token: 1*tchar.
  static bool IsValidKey(std::string_view key) noexcept;
  // "" or a ';'-separated list of `key` or `key=value` properties (OWS allowed around).
  static bool IsValidMetadata(std::string_view metadata) noexcept;

  // "k1=v1,k2=v2;prop" with values percent-encoded; keeps the first members that fit within
  // kMaxMembers and kMaxHeaderSize (a member that does not fit is dropped whole). "" when empty.
  std::string ToHeader() const;

  std::optional<std::string_view> Get(std::string_view key) const noexcept;
  const Entry* Find(std::string_view key) const noexcept;
  // A new baggage with `key` set (in place if present, appended otherwise). An invalid key or
  // metadata returns this baggage unchanged. Values may hold any bytes.
  std::shared_ptr<const Baggage> Set(std::string_view key, std::string_view value,
                                     std::string_view metadata = {}) const;
  // A new baggage without `key`; this baggage itself when `key` is absent.
  std::shared_ptr<const Baggage> Remove(std::string_view key) const;

  const std::vector<Entry>& entries() const noexcept { return entries_; }
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

  Baggage(const Baggage&) = delete;
  Baggage& operator=(const Baggage&) = delete;

 private:
  // Only through the factories, so that every instance is owned by a shared_ptr.
  explicit Baggage(std::vector<Entry> entries) noexcept : entries_(std::move(entries)) {}
  static std::shared_ptr<const Baggage> Make(std::vector<Entry> entries);

  std::vector<Entry> entries_;
};

}  // namespace llmtrace::trace
