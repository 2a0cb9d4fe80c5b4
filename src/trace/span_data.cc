#include "llmtrace/trace/span_data.h"

#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "src/common/attribute_key_ops.h"

namespace llmtrace::trace {

using internal::CopySmall;
using internal::KeyFilterBit;
using internal::SameKey;

std::string_view SpanKindName(SpanKind kind) noexcept {
  switch (kind) {
    case SpanKind::kInternal:
      return "internal";
    case SpanKind::kServer:
      return "server";
    case SpanKind::kClient:
      return "client";
    case SpanKind::kProducer:
      return "producer";
    case SpanKind::kConsumer:
      return "consumer";
  }
  return "unknown";
}

const AttributeValue* SpanData::FindAttribute(std::string_view key) const noexcept {
  for (const KeyValue& kv : attributes_) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

void SpanData::Begin(const SpanContext& context, const SpanId& parent_span_id,
                     bool parent_is_remote, std::string_view name, SpanKind kind,
                     Timestamp start_time, const SpanLimits& limits, const Resource& resource,
                     const InstrumentationScope& scope) noexcept {
  context_ = context;
  parent_span_id_ = parent_span_id;
  parent_is_remote_ = parent_is_remote;
  kind_ = kind;
  start_time_ = start_time;
  end_time_ = start_time;
  limits_ = limits;
  resource_ = &resource;
  scope_ = &scope;
  SetName(name);
}

void SpanData::SetName(std::string_view name) noexcept {
  try {
    name_ = arena_.CopyString(name);
  } catch (...) {
    name_ = {};
  }
}

void SpanData::SetAttribute(std::string_view key, const AttributeValue& value) noexcept {
  const std::uint64_t filter_bit = KeyFilterBit(key);
  try {
    if ((key_filter_ & filter_bit) != 0) {  // the key may be present: last value wins
      for (KeyValue& kv : attributes_) {
        if (SameKey(kv.key, key)) {
          kv.value = arena_.Copy(value, limits_.attribute_value_length);
          return;
        }
      }
    }
    if (attributes_.size() >= limits_.attribute_count) {
      ++dropped_attributes_;
      return;
    }
    const AttributeValue::Type type = value.type();
    if (type == AttributeValue::Type::kString) {
      // The common case, on every span: key and value in one arena allocation.
      std::string_view text = value.AsString();
      if (text.size() > limits_.attribute_value_length) {
        text = TruncateUtf8(text, limits_.attribute_value_length);
      }
      char* bytes = arena_.AllocateBytes(key.size() + text.size());
      CopySmall(bytes, key.data(), key.size());
      CopySmall(bytes + key.size(), text.data(), text.size());
      // Built in place: a KeyValue temporary copied in costs a store-forwarding stall.
      attributes_.emplace_back(std::string_view(bytes, key.size()),
                               AttributeValue(std::string_view(bytes + key.size(), text.size())));
    } else {
      char* key_bytes = arena_.AllocateBytes(key.size());
      CopySmall(key_bytes, key.data(), key.size());
      const std::string_view stored_key(key_bytes, key.size());
      // Scalars own no bytes: only arrays need copying into the arena.
      const bool scalar = type == AttributeValue::Type::kBool ||
                          type == AttributeValue::Type::kInt ||
                          type == AttributeValue::Type::kDouble;
      AttributeValue stored_value =
          scalar ? value : arena_.Copy(value, limits_.attribute_value_length);
      attributes_.emplace_back(stored_key, stored_value);
    }
    key_filter_ |= filter_bit;
  } catch (...) {  // out of memory: the attribute is lost, and counted
    ++dropped_attributes_;
  }
}

std::span<const KeyValue> SpanData::CopyAttributes(std::span<const KeyValue> attributes,
                                                   std::size_t limit, std::uint32_t& dropped) {
  // Events and links get all their attributes at once, so they are copied into one arena array
  // that never moves. Duplicate keys keep the last value, as for span attributes.
  if (attributes.empty()) return {};
  std::size_t capacity = std::min(attributes.size(), limit);
  auto* out =
      static_cast<KeyValue*>(arena_.Allocate(capacity * sizeof(KeyValue), alignof(KeyValue)));
  std::size_t count = 0;
  for (const KeyValue& in : attributes) {
    KeyValue* existing = nullptr;
    for (std::size_t i = 0; i < count; ++i) {
      if (out[i].key == in.key) existing = &out[i];
    }
    if (existing != nullptr) {
      existing->value = arena_.Copy(in.value, limits_.attribute_value_length);
    } else if (count < capacity) {
      new (&out[count++]) KeyValue{arena_.CopyString(in.key),
                                   arena_.Copy(in.value, limits_.attribute_value_length)};
    } else {
      ++dropped;
    }
  }
  return {out, count};
}

void SpanData::AddEvent(std::string_view name, Timestamp time,
                        std::span<const KeyValue> attributes) noexcept {
  if (events_.size() >= limits_.event_count) {
    ++dropped_events_;
    return;
  }
  try {
    SpanEvent event;
    event.name = arena_.CopyString(name);
    event.time = time;
    event.attributes =
        CopyAttributes(attributes, limits_.attributes_per_event, event.dropped_attributes);
    events_.push_back(event);
  } catch (...) {
    ++dropped_events_;
  }
}

void SpanData::AddLink(const SpanContext& context, std::span<const KeyValue> attributes) noexcept {
  if (links_.size() >= limits_.link_count) {
    ++dropped_links_;
    return;
  }
  try {
    SpanLink link;
    link.context = context;
    link.attributes =
        CopyAttributes(attributes, limits_.attributes_per_link, link.dropped_attributes);
    links_.push_back(std::move(link));
  } catch (...) {
    ++dropped_links_;
  }
}

void SpanData::SetStatus(SpanStatus status, std::string_view description) noexcept {
  if (status == SpanStatus::kUnset || status_ == SpanStatus::kOk) return;
  status_ = status;
  try {
    // The description is meaningful only for ERROR.
    status_description_ = status == SpanStatus::kError ? arena_.CopyString(description) : "";
  } catch (...) {
    status_description_ = {};
  }
}

std::unique_ptr<SpanData> SpanData::Clone() const noexcept {
  try {
    auto copy = std::make_unique<SpanData>();
    SpanLimits unlimited = limits_;  // the source already applied the limits
    copy->Begin(context_, parent_span_id_, parent_is_remote_, name_, kind_, start_time_, unlimited,
                *resource_, *scope_);
    for (const KeyValue& kv : attributes_) copy->SetAttribute(kv.key, kv.value);
    for (const SpanEvent& e : events_) {
      copy->AddEvent(e.name, e.time, e.attributes);
      copy->events_.back().dropped_attributes = e.dropped_attributes;
    }
    for (const SpanLink& l : links_) {
      copy->AddLink(l.context, l.attributes);
      copy->links_.back().dropped_attributes = l.dropped_attributes;
    }
    copy->status_ = status_;
    copy->status_description_ = copy->arena_.CopyString(status_description_);
    copy->end_time_ = end_time_;
    copy->dropped_attributes_ = dropped_attributes_;
    copy->dropped_events_ = dropped_events_;
    copy->dropped_links_ = dropped_links_;
    return copy;
  } catch (...) {
    return nullptr;
  }
}

void SpanData::Reset() noexcept {
  context_ = SpanContext();
  parent_span_id_ = SpanId();
  parent_is_remote_ = false;
  kind_ = SpanKind::kInternal;
  status_ = SpanStatus::kUnset;
  name_ = {};
  status_description_ = {};
  attributes_.clear();
  key_filter_ = 0;
  events_.clear();
  links_.clear();
  dropped_attributes_ = dropped_events_ = dropped_links_ = 0;
  resource_ = nullptr;
  scope_ = nullptr;
  arena_.Reset();
}

// --- The pool ---------------------------------------------------------------------------------
//
// Spans are started on application threads and released on the batch processor's thread, so a
// plain free list would be a contended lock per span. Each thread keeps a small magazine and
// trades whole batches with a shared depot, taking the lock once per kBatch spans.
// Spans are reset when taken from the pool, on the thread about to write them, not when
// released on the export thread: resetting there would drag every cache line of the span to the
// other core and back.
// Under AddressSanitizer the pool is bypassed so use-after-release bugs are caught.

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooling = false;
#else
constexpr bool kPooling = true;
#endif

constexpr std::size_t kBatch = 64;
constexpr std::size_t kMagazineMax = 2 * kBatch;
constexpr std::size_t kDepotMax = 16384;  // spans kept idle process-wide, beyond that freed

class Depot {
 public:
  // Moves up to kBatch spans into `out`.
  void Take(std::vector<SpanData*>& out) {
    std::lock_guard lock(mutex_);
    std::size_t n = std::min(kBatch, free_.size());
    out.insert(out.end(), free_.end() - static_cast<std::ptrdiff_t>(n), free_.end());
    free_.resize(free_.size() - n);
  }
  // Takes `count` spans from the back of `in`.
  void Give(std::vector<SpanData*>& in, std::size_t count) {
    std::lock_guard lock(mutex_);
    while (count-- > 0) {
      SpanData* data = in.back();
      in.pop_back();
      if (free_.size() < kDepotMax) {
        free_.push_back(data);
      } else {
        delete data;
      }
    }
  }

 private:
  std::mutex mutex_;
  std::vector<SpanData*> free_;
};

// Never destroyed: threads may still release spans while the process exits.
Depot& GlobalDepot() {
  static Depot* depot = new Depot();
  return *depot;
}

struct Magazine {
  std::vector<SpanData*> items;
  Magazine() { items.reserve(kMagazineMax + 1); }
  ~Magazine() { GlobalDepot().Give(items, items.size()); }
};

Magazine& ThreadMagazine() {
  thread_local Magazine magazine;
  return magazine;
}

}  // namespace

SpanDataPtr AcquireSpanData() noexcept {
  try {
    if constexpr (kPooling) {
      Magazine& magazine = ThreadMagazine();
      if (magazine.items.empty()) GlobalDepot().Take(magazine.items);
      if (!magazine.items.empty()) {
        SpanData* data = magazine.items.back();
        magazine.items.pop_back();
        data->Reset();
        return SpanDataPtr(data);
      }
    }
    return SpanDataPtr(new SpanData());
  } catch (...) {
    return nullptr;
  }
}

void SpanDataRecycler::operator()(SpanData* data) const noexcept {
  if (data == nullptr) return;
  if constexpr (kPooling) {
    try {
      Magazine& magazine = ThreadMagazine();
      magazine.items.push_back(data);  // capacity reserved: does not allocate
      if (magazine.items.size() > kMagazineMax) GlobalDepot().Give(magazine.items, kBatch);
      return;
    } catch (...) {
    }
  }
  delete data;
}

}  // namespace llmtrace::trace
