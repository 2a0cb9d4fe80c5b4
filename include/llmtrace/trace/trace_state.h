// TraceState: the W3C `tracestate` header, an ordered list of vendor key=value pairs that travels
// with a SpanContext (https://www.w3.org/TR/trace-context/#tracestate-header).
//
// Used by TraceContextPropagator (parse on extract, print on inject) and by samplers that keep
// their own state in the header (OpenTelemetry's "ot" key). A TraceState is immutable: Set and
// Delete return a new object and leave the original untouched, so one instance can be shared by
// every span of a trace. Keys and values follow the W3C grammar; invalid ones are refused (the
// state comes back unchanged), never "fixed up". Parse returns nullptr for an empty or invalid
// header, which is how SpanContext spells "no trace state".
// Thread-safety: immutable after construction; safe to share and read from any thread.
//
//   std::shared_ptr<const TraceState> ts = TraceState::Parse("rojo=00f067aa0ba902b7");
//   ts = (ts ? ts : TraceState::Empty())->Set("congo", "t61rcWkgMzE");
//   ts->ToHeader();  // "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmtrace::trace {

class TraceState final : public std::enable_shared_from_this<TraceState> {
 public:
  struct Entry {
    std::string key;
    std::string value;
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  static constexpr std::size_t kMaxMembers = 32;
  static constexpr std::size_t kMaxKeySize = 256;
  static constexpr std::size_t kMaxValueSize = 256;
  // ToHeader drops whole members (those over 128 chars first, then from the end) to stay
  // within this many bytes, the size every W3C participant must be able to pass on.
  static constexpr std::size_t kMaxHeaderSize = 512;

  // Null for an empty header (only commas and OWS) or an invalid one: more than 32 members, a
  // bad key or value, or a duplicate key. Never throws, whatever the bytes.
  static std::shared_ptr<const TraceState> Parse(std::string_view header) noexcept;
  // A shared, empty state to build on with Set.
  static std::shared_ptr<const TraceState> Empty() noexcept;

  // simple-key (lcalpha then lcalpha/digit/_-*/, at most 256) or tenant@system.
  static bool IsValidKey(std::string_view key) noexcept;
  // 1 to 256 printable ASCII chars other than ',' and '=', not ending in a space.
  static bool IsValidValue(std::string_view value) noexcept;

  // "k1=v1,k2=v2" in list order, at most kMaxHeaderSize bytes; "" when empty.
  std::string ToHeader() const;

  std::optional<std::string_view> Get(std::string_view key) const noexcept;
  // A new state with `key` set to `value` and moved to the front (W3C: the most recently
  // updated member comes first). When the list is full, the last member is dropped to make
  // room. An invalid key or value returns this state unchanged.
  std::shared_ptr<const TraceState> Set(std::string_view key, std::string_view value) const;
  // A new state without `key`; this state itself when `key` is absent.
  std::shared_ptr<const TraceState> Delete(std::string_view key) const;

  const std::vector<Entry>& entries() const noexcept { return entries_; }
  bool empty() const noexcept { return entries_.empty(); }
  std::size_t size() const noexcept { return entries_.size(); }

  TraceState(const TraceState&) = delete;
  TraceState& operator=(const TraceState&) = delete;

 private:
  // Only through the factories, so that every instance is owned by a shared_ptr.
  explicit TraceState(std::vector<Entry> entries) noexcept : entries_(std::move(entries)) {}
  static std::shared_ptr<const TraceState> Make(std::vector<Entry> entries);

  std::vector<Entry> entries_;
};

}  // namespace llmtrace::trace
