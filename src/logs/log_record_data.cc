#include "llmtrace/logs/log_record_data.h"

#include <cstring>
#include <mutex>
#include <vector>

#include "src/common/attribute_key_ops.h"

namespace llmtrace::logs {

using internal::CopySmall;
using internal::KeyFilterBit;
using internal::SameKey;

const AttributeValue* LogRecordData::FindAttribute(std::string_view key) const noexcept {
  for (const KeyValue& kv : attributes_) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

void LogRecordData::Begin(Timestamp timestamp, Timestamp observed_timestamp, Severity severity,
                          const LogRecordLimits& limits, const Resource& resource,
                          const InstrumentationScope& scope) noexcept {
  timestamp_ = timestamp;
  observed_timestamp_ = observed_timestamp;
  severity_ = severity;
  severity_text_ = SeverityText(severity);  // static storage: no copy
  limits_ = limits;
  resource_ = &resource;
  scope_ = &scope;
}

void LogRecordData::SetSeverity(Severity severity) noexcept {
  severity_ = severity;
  severity_text_ = SeverityText(severity);
}

void LogRecordData::SetSeverityText(std::string_view text) noexcept {
  try {
    severity_text_ = arena_.CopyString(text);
  } catch (...) {
    severity_text_ = SeverityText(severity_);
  }
}

void LogRecordData::SetBody(const AttributeValue& body) noexcept {
  try {
    body_ = arena_.Copy(body);  // the body is not an attribute: no length limit
    has_body_ = true;
  } catch (...) {  // out of memory: the record keeps no body
    body_ = AttributeValue();
    has_body_ = false;
  }
}

void LogRecordData::SetAttribute(std::string_view key, const AttributeValue& value) noexcept {
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
      // The common case: key and value in one arena allocation.
      std::string_view text = value.AsString();
      if (text.size() > limits_.attribute_value_length) {
        text = TruncateUtf8(text, limits_.attribute_value_length);
      }
      char* bytes = arena_.AllocateBytes(key.size() + text.size());
      CopySmall(bytes, key.data(), key.size());
      CopySmall(bytes + key.size(), text.data(), text.size());
      attributes_.emplace_back(std::string_view(bytes, key.size()),
                               AttributeValue(std::string_view(bytes + key.size(), text.size())));
    } else {
      char* key_bytes = arena_.AllocateBytes(key.size());
      CopySmall(key_bytes, key.data(), key.size());
      // Scalars own no bytes: only arrays need copying into the arena.
      const bool scalar = type == AttributeValue::Type::kBool ||
                          type == AttributeValue::Type::kInt ||
                          type == AttributeValue::Type::kDouble;
      attributes_.emplace_back(std::string_view(key_bytes, key.size()),
                               scalar ? value : arena_.Copy(value, limits_.attribute_value_length));
    }
    key_filter_ |= filter_bit;
  } catch (...) {  // out of memory: the attribute is lost, and counted
    ++dropped_attributes_;
  }
}

void LogRecordData::SetSpanContext(const trace::SpanContext& context) noexcept {
  if (context.IsValid()) {
    SetTraceIds(context.trace_id(), context.span_id(), context.flags());
  } else {
    SetTraceIds(TraceId(), SpanId(), trace::TraceFlags());
  }
}

void LogRecordData::SetTraceIds(const TraceId& trace_id, const SpanId& span_id,
                                trace::TraceFlags flags) noexcept {
  trace_id_ = trace_id;
  span_id_ = span_id;
  trace_flags_ = flags;
}

std::unique_ptr<LogRecordData> LogRecordData::Clone() const noexcept {
  try {
    auto copy = std::make_unique<LogRecordData>();
    copy->Begin(timestamp_, observed_timestamp_, severity_, limits_, *resource_, *scope_);
    if (severity_text_ != SeverityText(severity_)) copy->SetSeverityText(severity_text_);
    if (has_body_) {
      copy->body_ = copy->arena_.Copy(body_);
      copy->has_body_ = true;
    }
    // The source already applied the limits; copy what it kept as it is.
    copy->attributes_.reserve(attributes_.size());
    for (const KeyValue& kv : attributes_) {
      copy->attributes_.push_back(
          KeyValue{copy->arena_.CopyString(kv.key), copy->arena_.Copy(kv.value)});
    }
    copy->key_filter_ = key_filter_;
    copy->dropped_attributes_ = dropped_attributes_;
    copy->SetTraceIds(trace_id_, span_id_, trace_flags_);
    return copy;
  } catch (...) {
    return nullptr;
  }
}

void LogRecordData::Reset() noexcept {
  timestamp_ = {};
  observed_timestamp_ = {};
  severity_ = Severity::kUnspecified;
  severity_text_ = {};
  has_body_ = false;
  body_ = AttributeValue();
  attributes_.clear();
  key_filter_ = 0;
  dropped_attributes_ = 0;
  trace_id_ = TraceId();
  span_id_ = SpanId();
  trace_flags_ = trace::TraceFlags();
  resource_ = nullptr;
  scope_ = nullptr;
  arena_.Reset();
}

// --- The pool ---------------------------------------------------------------------------------
//
// The same design as the SpanData pool (src/trace/span_data.cc, docs/design.md): records are
// emitted on application threads and released on the batch processor's thread, so each thread
// keeps a small magazine and trades whole batches with a shared depot, taking its lock once per
// kBatch records. Records are reset when taken, on the thread about to write them.
// Under AddressSanitizer the pool is bypassed so use-after-release bugs are caught.

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooling = false;
#else
constexpr bool kPooling = true;
#endif

constexpr std::size_t kBatch = 64;
constexpr std::size_t kMagazineMax = 2 * kBatch;
constexpr std::size_t kDepotMax = 16384;  // records kept idle process-wide, beyond that freed

class Depot {
 public:
  void Take(std::vector<LogRecordData*>& out) {
    std::lock_guard lock(mutex_);
    std::size_t n = std::min(kBatch, free_.size());
    out.insert(out.end(), free_.end() - static_cast<std::ptrdiff_t>(n), free_.end());
    free_.resize(free_.size() - n);
  }
  void Give(std::vector<LogRecordData*>& in, std::size_t count) {
    std::lock_guard lock(mutex_);
    while (count-- > 0) {
      LogRecordData* data = in.back();
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
  std::vector<LogRecordData*> free_;
};

// Never destroyed: threads may still release records while the process exits.
Depot& GlobalDepot() {
  static Depot* depot = new Depot();
  return *depot;
}

struct Magazine {
  std::vector<LogRecordData*> items;
  Magazine() { items.reserve(kMagazineMax + 1); }
  ~Magazine() { GlobalDepot().Give(items, items.size()); }
};

Magazine& ThreadMagazine() {
  thread_local Magazine magazine;
  return magazine;
}

}  // namespace

LogRecordDataPtr AcquireLogRecordData() noexcept {
  try {
    if constexpr (kPooling) {
      Magazine& magazine = ThreadMagazine();
      if (magazine.items.empty()) GlobalDepot().Take(magazine.items);
      if (!magazine.items.empty()) {
        LogRecordData* data = magazine.items.back();
        magazine.items.pop_back();
        data->Reset();
        return LogRecordDataPtr(data);
      }
    }
    return LogRecordDataPtr(new LogRecordData());
  } catch (...) {
    return nullptr;
  }
}

void LogRecordDataRecycler::operator()(LogRecordData* data) const noexcept {
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

}  // namespace llmtrace::logs
