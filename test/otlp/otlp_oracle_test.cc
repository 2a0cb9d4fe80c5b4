// Conformance of the OTLP trace encoders against the official OpenTelemetry JS decoder
// (@opentelemetry/otlp-transformer@0.52.1, run by test/oracles/decode_otlp.js).
//
// Spans recorded through the real SDK (TracerProvider, Tracer, Span) and built by hand are
// encoded in both formats, decoded by the oracle, and every decoded field is compared with what
// the SpanData holds. A missing node or node_modules fails these tests: run scripts/setup.sh.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/strings.h"
#include "llmtrace/otlp/json_lines_span_exporter.h"
#include "llmtrace/otlp/trace_encoder.h"
#include "llmtrace/trace/trace_state.h"
#include "llmtrace/trace/tracer_provider.h"
#include "src/otlp/utf8.h"
#include "test/otlp/otlp_test_util.h"

namespace llmtrace::otlp {
namespace {

using simdjson::dom::element;
using testing::CollectingProcessor;
using testing::RunOracle;
using testing::SequentialIdGenerator;
using trace::SpanContext;
using trace::SpanData;
using trace::SpanDataPtr;
using trace::SpanKind;
using trace::SpanStatus;
using trace::TraceFlags;
using trace::TraceState;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

Timestamp At(std::int64_t unix_nanos) { return Timestamp{std::chrono::nanoseconds(unix_nanos)}; }

// ---------------------------------------------------------------------------------------------
// The spans under test.

// Three groups: a main provider (two scopes), a provider with tiny limits, and spans built by
// hand on a resource with a schema URL and dropped attributes and a scope with attributes.
// `batch` interleaves them so that grouping is exercised too.
class Corpus {
 public:
  Corpus() {
    BuildMain();
    BuildLimited();
    BuildManual();
    Interleave();
  }

  const std::vector<SpanDataPtr>& batch() const { return batch_; }
  const SpanData& Find(std::string_view name) const {
    for (const SpanDataPtr& span : batch_) {
      if (span->name() == name) return *span;
    }
    ADD_FAILURE() << "no span named " << name;
    return *batch_.front();
  }

 private:
  void BuildMain();
  void BuildLimited();
  void BuildManual();
  void Interleave();

  // Declared in dependency order: spans go back to the pool before what they point to goes.
  ManualClock clock_{At(1'700'000'000'000'000'000)};
  MapEnvironment env_;
  std::vector<SpanDataPtr> main_spans_;
  std::vector<SpanDataPtr> limited_spans_;
  std::vector<SpanDataPtr> manual_spans_;
  std::shared_ptr<trace::TracerProvider> main_;
  std::shared_ptr<trace::TracerProvider> limited_;
  Resource manual_resource_;
  InstrumentationScope manual_scope_;
  std::vector<SpanDataPtr> batch_;
};

void Corpus::BuildMain() {
  trace::TracerProviderOptions options;
  options.clock = &clock_;
  options.environment = &env_;
  options.id_generator = std::make_shared<SequentialIdGenerator>(0xA0);
  options.limits = trace::SpanLimits{};
  const std::array<std::string_view, 2> tags = {"rag", "eval"};
  options.resource_attributes = AttributeSet({{"service.name", "oracle-test"},
                                              {"deployment.environment.name", "ci"},
                                              {"host.cores", 2},
                                              {"sample.ratio", 0.25},
                                              {"feature.enabled", true},
                                              {"tags", tags}});
  options.processors.push_back(std::make_unique<CollectingProcessor>(&main_spans_));
  main_ = *trace::TracerProvider::Create(std::move(options));
  auto tracer =
      main_->GetTracer("oracle-scope", "2.1.0", "https://opentelemetry.io/schemas/1.26.0");
  auto other_tracer = main_->GetTracer("second-scope");

  const std::array<bool, 3> bools = {true, false, true};
  const std::array<std::int64_t, 5> ints = {0, 1, -1, kMin, kMax};
  const std::array<double, 7> doubles = {
      1.5, -0.0, kNaN, kInf, -kInf, 5e-324, 1.7976931348623157e308};
  const std::array<std::string_view, 4> strings = {"a", "", "ü \"q\"\n", "日本語 😀"};
  static constexpr char kControl[] = "nul\0bell\x07 del\x7f esc\x1b \\ \" \r\n\t\b\f end";
  const std::string_view control(kControl, sizeof kControl - 1);

  // A root server span with every attribute type, explicit timestamps, events and OK status.
  trace::Span root =
      tracer->StartSpan("root server",
                        {{"bool.true", true},
                         {"bool.false", false},
                         {"int.zero", 0},
                         {"int.positive", 42},
                         {"int.negative", -7},
                         {"int.min", kMin},
                         {"int.max", kMax},
                         {"double.half", 0.5},
                         {"double.neg_zero", -0.0},
                         {"double.nan", kNaN},
                         {"double.inf", kInf},
                         {"double.neg_inf", -kInf},
                         {"double.tiny", 5e-324},
                         {"double.tenth", 0.1},
                         {"string.empty", ""},
                         {"string.unicode", "héllo wörld ✓ 😀 日本"},
                         {"string.control", control},
                         {"array.bool", bools},
                         {"array.int", ints},
                         {"array.double", doubles},
                         {"array.string", strings},
                         {"array.bool.empty", std::span<const bool>()},
                         {"array.int.empty", std::span<const std::int64_t>()},
                         {"array.double.empty", std::span<const double>()},
                         {"array.string.empty", std::span<const std::string_view>()}},
                        {.kind = SpanKind::kServer, .start_time = At(1'700'000'000'123'456'789)});
  const std::array<KeyValue, 2> event_attributes = {
      KeyValue{"cache.hit", false}, KeyValue{"cache.keys", AttributeValue(strings)}};
  root.AddEvent("cache lookup", At(1'700'000'000'200'000'000), event_attributes);
  root.AddEvent("no attributes", At(1'700'000'000'300'000'001));
  root.SetStatus(SpanStatus::kOk);

  // A client child with links (one with a trace state and attributes, one remote), and an
  // error status whose message needs escaping.
  trace::Context root_context(root.context());
  auto link_state = TraceState::Parse("vendor=abc,congo=t61rcWkgMzE");
  const SpanContext linked_remote(TraceId::FromHex("0af7651916cd43dd8448eb211c80319c").value(),
                                  SpanId::FromHex("b7ad6b7169203331").value(), TraceFlags(0x01),
                                  /*remote=*/true, link_state);
  const SpanContext linked_local(TraceId::FromHex("ffffffffffffffffffffffffffffffff").value(),
                                 SpanId::FromHex("0000000000000001").value(), TraceFlags(0x00),
                                 /*remote=*/false);
  const std::array<SpanContext, 1> start_links = {linked_local};
  clock_.Advance(std::chrono::milliseconds(5));
  trace::Span child = tracer->StartSpan(
      "chat gpt-4o", {{"gen_ai.operation.name", "chat"}, {"gen_ai.usage.input_tokens", 1200}},
      {.kind = SpanKind::kClient, .parent = &root_context, .links = start_links});
  const std::array<KeyValue, 3> link_attributes = {
      KeyValue{"link.kind", "follows"}, KeyValue{"link.index", 3},
      KeyValue{"link.weights", AttributeValue(doubles)}};
  child.AddLink(linked_remote, link_attributes);
  child.SetStatus(SpanStatus::kError, "upstream said \"no\"\nretry later");
  clock_.Advance(std::chrono::milliseconds(250));
  child.End();

  // Every other kind; one with a remote parent that carries a trace state.
  const SpanContext remote_parent(TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736").value(),
                                  SpanId::FromHex("00f067aa0ba902b7").value(), TraceFlags(0x01),
                                  /*remote=*/true,
                                  TraceState::Parse("rojo=00f067aa0ba902b7,ot=th:8"));
  trace::Context remote_context(remote_parent);
  trace::Span consumer =
      tracer->StartSpan("queue receive", {{"messaging.system", "kafka"}},
                        {.kind = SpanKind::kConsumer, .parent = &remote_context});
  consumer.End(At(1'700'000'001'000'000'000));
  trace::Span producer = tracer->StartSpan("queue send", std::span<const KeyValue>(),
                                           {.kind = SpanKind::kProducer, .new_root = true});
  clock_.Advance(std::chrono::microseconds(1));
  producer.End();
  trace::Span internal = other_tracer->StartSpan("tool call", {{"gen_ai.tool.name", "search"}},
                                                 {.parent = &root_context});
  internal.RecordException("std::runtime_error", "index \"docs\" unavailable", "frame 1\nframe 2");
  internal.End();
  root.End(At(1'700'000'002'000'000'000));
}

void Corpus::BuildLimited() {
  trace::TracerProviderOptions options;
  options.clock = &clock_;
  options.environment = &env_;
  options.id_generator = std::make_shared<SequentialIdGenerator>(0xB0);
  trace::SpanLimits limits;
  limits.attribute_count = 2;
  limits.attribute_value_length = 5;
  limits.event_count = 1;
  limits.link_count = 1;
  limits.attributes_per_event = 1;
  limits.attributes_per_link = 1;
  options.limits = limits;
  options.resource_attributes = AttributeSet({{"service.name", "limited"}});
  options.processors.push_back(std::make_unique<CollectingProcessor>(&limited_spans_));
  limited_ = *trace::TracerProvider::Create(std::move(options));
  auto tracer = limited_->GetTracer("limited-scope", "0.1");

  trace::Span span = tracer->StartSpan(
      "limited", {{"a", "truncated to five bytes"}, {"b", "ünïcode"}, {"c", 3}, {"d", 4}});
  const std::array<KeyValue, 3> three = {KeyValue{"x", 1}, KeyValue{"y", 2}, KeyValue{"z", 3}};
  span.AddEvent("kept", At(1'700'000'000'500'000'000), three);
  span.AddEvent("dropped 1", At(1'700'000'000'600'000'000), three);
  span.AddEvent("dropped 2", At(1'700'000'000'700'000'000), three);
  for (int i = 1; i <= 3; ++i) {
    std::array<std::uint8_t, 8> id{};
    id[7] = static_cast<std::uint8_t>(i);
    span.AddLink(SpanContext(TraceId::FromHex("11111111111111111111111111111111").value(),
                             SpanId(id), TraceFlags(0x01), /*remote=*/i == 1),
                 std::span<const KeyValue>(three.data(), 2));
  }
  span.End();
}

void Corpus::BuildManual() {
  AttributeSet many;
  for (int i = 0; i < 128; ++i) many.Set("key." + std::to_string(i), i);
  EnvironmentReader reader(env_);
  manual_resource_ = Resource::Create(many, reader);  // 128 + the defaults: some are dropped
  manual_resource_.set_schema_url("https://opentelemetry.io/schemas/1.24.0");
  manual_scope_.name = "manual-scope";
  manual_scope_.version = "9.9.9";
  manual_scope_.schema_url = "https://example.com/schema";
  manual_scope_.attributes =
      AttributeSet({{"scope.attr", "kept"}, {"scope.dropped", 1}}, AttributeLimits{.max_count = 1});

  SpanDataPtr span = trace::AcquireSpanData();
  span->Begin(SpanContext(TraceId::FromHex("0102030405060708090a0b0c0d0e0f10").value(),
                          SpanId::FromHex("1112131415161718").value(), TraceFlags(0x03),
                          /*remote=*/false, TraceState::Parse("k=v")),
              SpanId::FromHex("2122232425262728").value(), /*parent_is_remote=*/true, "manual",
              SpanKind::kProducer, At(1'000), trace::SpanLimits{}, manual_resource_, manual_scope_);
  span->SetAttribute("bad.utf8", std::string_view("ok\xff\xc3(\xed\xa0\x80!"));
  span->SetStatus(SpanStatus::kError, "");
  span->SetEndTime(At(2'000));
  manual_spans_.push_back(std::move(span));

  SpanDataPtr unnamed = trace::AcquireSpanData();
  unnamed->Begin(SpanContext(TraceId::FromHex("0102030405060708090a0b0c0d0e0f10").value(),
                             SpanId::FromHex("3132333435363738").value(), TraceFlags(0x00),
                             /*remote=*/false),
                 SpanId(), false, "", SpanKind::kInternal, At(5'000), trace::SpanLimits{},
                 manual_resource_, manual_scope_);
  unnamed->SetEndTime(At(5'000));
  manual_spans_.push_back(std::move(unnamed));
}

void Corpus::Interleave() {
  // End order of the main spans: chat, queue receive, queue send, tool call, root. Interleaved
  // with the others so that every group starts before the previous one is complete.
  batch_.push_back(std::move(main_spans_[0]));
  batch_.push_back(std::move(limited_spans_[0]));
  batch_.push_back(std::move(manual_spans_[0]));
  batch_.push_back(std::move(main_spans_[1]));
  batch_.push_back(std::move(manual_spans_[1]));
  for (std::size_t i = 2; i < main_spans_.size(); ++i) batch_.push_back(std::move(main_spans_[i]));
}

// ---------------------------------------------------------------------------------------------
// Comparing the oracle's decoded request with the SpanData.

std::optional<element> Member(const element& object, std::string_view key) {
  element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::string String(const element& value) {
  std::string_view s;
  EXPECT_EQ(value.get_string().get(s), simdjson::SUCCESS) << "not a string: " << value;
  return std::string(s);
}

std::size_t ArraySize(const std::optional<element>& value) {
  if (!value) return 0;
  simdjson::dom::array array;
  EXPECT_EQ(value->get_array().get(array), simdjson::SUCCESS) << "not an array: " << *value;
  return array.size();
}

element Item(const element& array, std::size_t i) {
  element value;
  EXPECT_EQ(array.at(i).get(value), simdjson::SUCCESS);
  return value;
}

// proto3: a default value may be absent; anything else must be present and equal.
void ExpectString(const element& object, std::string_view key, std::string_view expected) {
  SCOPED_TRACE(std::string(key));
  auto value = Member(object, key);
  if (expected.empty() && !value) return;
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  std::string want;
  internal::AppendSanitizedUtf8(expected, want);
  EXPECT_EQ(String(*value), want);
}

void ExpectNumber(const element& object, std::string_view key, std::uint64_t expected) {
  auto value = Member(object, key);
  if (expected == 0 && !value) return;
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  std::uint64_t actual = 0;
  ASSERT_EQ(value->get_uint64().get(actual), simdjson::SUCCESS) << key << ": " << *value;
  EXPECT_EQ(actual, expected) << key;
}

// 64-bit integers come back as decimal strings (toObject with longs: String).
void ExpectDecimal(const element& object, std::string_view key, std::uint64_t expected) {
  auto value = Member(object, key);
  if (expected == 0 && !value) return;
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  EXPECT_EQ(String(*value), std::to_string(expected)) << key;
}

void ExpectHex(const element& object, std::string_view key, std::span<const std::uint8_t> bytes) {
  auto value = Member(object, key);
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  EXPECT_EQ(String(*value), HexEncode(bytes)) << key;
}

// The oracle prints NaN and the infinities as strings, other doubles as numbers (-0 as -0.0).
void ExpectDouble(const element& value, double expected) {
  if (std::isnan(expected)) {
    EXPECT_EQ(String(value), "NaN");
  } else if (std::isinf(expected)) {
    EXPECT_EQ(String(value), expected > 0 ? "Infinity" : "-Infinity");
  } else {
    double actual = 0;
    ASSERT_EQ(value.get_double().get(actual), simdjson::SUCCESS) << value;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(actual), std::bit_cast<std::uint64_t>(expected))
        << "decoded " << actual << ", want " << expected;
  }
}

void ExpectInt64(const element& value, std::int64_t expected) {
  EXPECT_EQ(String(value), std::to_string(expected));
}

// `any` must hold exactly one member, named for the type of `expected`.
void ExpectAnyValue(const element& any, const AttributeValue& expected);

template <typename T, typename Check>
void ExpectArray(const element& any, std::span<const T> expected, std::string_view member,
                 Check check) {
  auto array_value = Member(any, "arrayValue");
  ASSERT_TRUE(array_value) << "want arrayValue, got " << any;
  auto values = Member(*array_value, "values");
  ASSERT_EQ(ArraySize(values), expected.size()) << *array_value;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    element item = Item(*values, i);
    auto member_value = Member(item, member);
    ASSERT_TRUE(member_value) << "want " << member << ", got " << item;
    check(*member_value, expected[i]);
  }
}

void ExpectAnyValue(const element& any, const AttributeValue& expected) {
  simdjson::dom::object object;
  ASSERT_EQ(any.get_object().get(object), simdjson::SUCCESS) << any;
  EXPECT_EQ(object.size(), 1u) << "an AnyValue sets one member: " << any;
  switch (expected.type()) {
    case AttributeValue::Type::kBool: {
      auto value = Member(any, "boolValue");
      ASSERT_TRUE(value) << "want boolValue, got " << any;
      bool actual = !expected.AsBool();
      ASSERT_EQ(value->get_bool().get(actual), simdjson::SUCCESS);
      EXPECT_EQ(actual, expected.AsBool());
      break;
    }
    case AttributeValue::Type::kInt: {
      auto value = Member(any, "intValue");
      ASSERT_TRUE(value) << "want intValue, got " << any;
      ExpectInt64(*value, expected.AsInt());
      break;
    }
    case AttributeValue::Type::kDouble: {
      auto value = Member(any, "doubleValue");
      ASSERT_TRUE(value) << "want doubleValue, got " << any;
      ExpectDouble(*value, expected.AsDouble());
      break;
    }
    case AttributeValue::Type::kString: {
      auto value = Member(any, "stringValue");
      ASSERT_TRUE(value) << "want stringValue, got " << any;
      std::string want;
      internal::AppendSanitizedUtf8(expected.AsString(), want);
      EXPECT_EQ(String(*value), want);
      break;
    }
    case AttributeValue::Type::kBoolArray:
      ExpectArray(any, expected.AsBoolArray(), "boolValue", [](const element& v, bool want) {
        bool actual = !want;
        ASSERT_EQ(v.get_bool().get(actual), simdjson::SUCCESS);
        EXPECT_EQ(actual, want);
      });
      break;
    case AttributeValue::Type::kIntArray:
      ExpectArray(any, expected.AsIntArray(), "intValue", ExpectInt64);
      break;
    case AttributeValue::Type::kDoubleArray:
      ExpectArray(any, expected.AsDoubleArray(), "doubleValue", ExpectDouble);
      break;
    case AttributeValue::Type::kStringArray:
      ExpectArray(any, expected.AsStringArray(), "stringValue",
                  [](const element& v, std::string_view want) {
                    std::string sanitized;
                    internal::AppendSanitizedUtf8(want, sanitized);
                    EXPECT_EQ(String(v), sanitized);
                  });
      break;
  }
}

void ExpectAttributes(const element& object, std::span<const KeyValue> expected) {
  auto attributes = Member(object, "attributes");
  ASSERT_EQ(ArraySize(attributes), expected.size()) << object;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("attribute " + std::string(expected[i].key));
    element kv = Item(*attributes, i);
    ExpectString(kv, "key", expected[i].key);
    auto value = Member(kv, "value");
    ASSERT_TRUE(value) << "attribute without a value: " << kv;
    ExpectAnyValue(*value, expected[i].value);
  }
}

std::uint32_t ExpectedFlags(TraceFlags flags, bool remote) {
  return flags.bits() | 0x100u | (remote ? 0x200u : 0u);
}

std::string TraceStateText(const SpanContext& context) {
  return context.trace_state() ? context.trace_state()->ToHeader() : "";
}

void ExpectSpan(const element& decoded, const SpanData& span) {
  SCOPED_TRACE("span '" + std::string(span.name()) + "'");
  ExpectHex(decoded, "traceId", span.context().trace_id().bytes());
  ExpectHex(decoded, "spanId", span.context().span_id().bytes());
  if (span.parent_span_id().IsValid()) {
    ExpectHex(decoded, "parentSpanId", span.parent_span_id().bytes());
  } else {
    EXPECT_FALSE(Member(decoded, "parentSpanId")) << decoded;
  }
  ExpectString(decoded, "traceState", TraceStateText(span.context()));
  ExpectNumber(decoded, "flags", ExpectedFlags(span.context().flags(), span.parent_is_remote()));
  ExpectString(decoded, "name", span.name());
  ExpectNumber(decoded, "kind", static_cast<std::uint64_t>(span.kind()));
  ExpectDecimal(decoded, "startTimeUnixNano", ToUnixNanos(span.start_time()));
  ExpectDecimal(decoded, "endTimeUnixNano", ToUnixNanos(span.end_time()));
  ExpectAttributes(decoded, span.attributes());
  ExpectNumber(decoded, "droppedAttributesCount", span.dropped_attributes());

  auto events = Member(decoded, "events");
  ASSERT_EQ(ArraySize(events), span.events().size());
  for (std::size_t i = 0; i < span.events().size(); ++i) {
    const trace::SpanEvent& event = span.events()[i];
    SCOPED_TRACE("event " + std::string(event.name));
    element e = Item(*events, i);
    ExpectDecimal(e, "timeUnixNano", ToUnixNanos(event.time));
    ExpectString(e, "name", event.name);
    ExpectAttributes(e, event.attributes);
    ExpectNumber(e, "droppedAttributesCount", event.dropped_attributes);
  }
  ExpectNumber(decoded, "droppedEventsCount", span.dropped_events());

  auto links = Member(decoded, "links");
  ASSERT_EQ(ArraySize(links), span.links().size());
  for (std::size_t i = 0; i < span.links().size(); ++i) {
    const trace::SpanLink& link = span.links()[i];
    SCOPED_TRACE("link " + std::to_string(i));
    element l = Item(*links, i);
    ExpectHex(l, "traceId", link.context.trace_id().bytes());
    ExpectHex(l, "spanId", link.context.span_id().bytes());
    ExpectString(l, "traceState", TraceStateText(link.context));
    ExpectAttributes(l, link.attributes);
    ExpectNumber(l, "droppedAttributesCount", link.dropped_attributes);
    ExpectNumber(l, "flags", ExpectedFlags(link.context.flags(), link.context.remote()));
  }
  ExpectNumber(decoded, "droppedLinksCount", span.dropped_links());

  auto status = Member(decoded, "status");
  if (span.status() == SpanStatus::kUnset && span.status_description().empty()) {
    EXPECT_FALSE(status) << decoded;
  } else {
    ASSERT_TRUE(status) << "missing status in " << decoded;
    ExpectString(*status, "message", span.status_description());
    ExpectNumber(*status, "code", static_cast<std::uint64_t>(span.status()));
  }
}

// The grouping the encoders promise: resources, then scopes, in order of first appearance.
struct ExpectedScope {
  const InstrumentationScope* scope;
  std::vector<const SpanData*> spans;
};
struct ExpectedResource {
  const Resource* resource;
  std::vector<ExpectedScope> scopes;
};

std::vector<ExpectedResource> ExpectedGroups(std::span<const SpanDataPtr> spans) {
  std::vector<ExpectedResource> resources;
  for (const SpanDataPtr& span : spans) {
    std::size_t r = 0;
    while (r < resources.size() && resources[r].resource != &span->resource()) ++r;
    if (r == resources.size()) resources.push_back(ExpectedResource{&span->resource(), {}});
    std::vector<ExpectedScope>& scopes = resources[r].scopes;
    std::size_t s = 0;
    while (s < scopes.size() && scopes[s].scope != &span->scope()) ++s;
    if (s == scopes.size()) scopes.push_back(ExpectedScope{&span->scope(), {}});
    scopes[s].spans.push_back(span.get());
  }
  return resources;
}

void ExpectRequest(std::string_view oracle_output, std::span<const SpanDataPtr> spans) {
  simdjson::dom::parser parser;
  element request;
  ASSERT_EQ(parser.parse(simdjson::padded_string(oracle_output)).get(request), simdjson::SUCCESS)
      << oracle_output;
  const std::vector<ExpectedResource> expected = ExpectedGroups(spans);
  auto resource_spans = Member(request, "resourceSpans");
  ASSERT_EQ(ArraySize(resource_spans), expected.size()) << oracle_output;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    SCOPED_TRACE("resourceSpans[" + std::to_string(r) + "]");
    element rs = Item(*resource_spans, r);
    const Resource& resource = *expected[r].resource;
    auto decoded_resource = Member(rs, "resource");
    ASSERT_TRUE(decoded_resource) << rs;
    ExpectAttributes(*decoded_resource, resource.attributes().entries());
    ExpectNumber(*decoded_resource, "droppedAttributesCount", resource.attributes().dropped());
    ExpectString(rs, "schemaUrl", resource.schema_url());

    auto scope_spans = Member(rs, "scopeSpans");
    ASSERT_EQ(ArraySize(scope_spans), expected[r].scopes.size());
    for (std::size_t s = 0; s < expected[r].scopes.size(); ++s) {
      SCOPED_TRACE("scopeSpans[" + std::to_string(s) + "]");
      element ss = Item(*scope_spans, s);
      const InstrumentationScope& scope = *expected[r].scopes[s].scope;
      auto decoded_scope = Member(ss, "scope");
      ASSERT_TRUE(decoded_scope) << ss;
      ExpectString(*decoded_scope, "name", scope.name);
      ExpectString(*decoded_scope, "version", scope.version);
      ExpectAttributes(*decoded_scope, scope.attributes.entries());
      ExpectNumber(*decoded_scope, "droppedAttributesCount", scope.attributes.dropped());
      ExpectString(ss, "schemaUrl", scope.schema_url);
      auto decoded_spans = Member(ss, "spans");
      const auto& want = expected[r].scopes[s].spans;
      ASSERT_EQ(ArraySize(decoded_spans), want.size());
      for (std::size_t i = 0; i < want.size(); ++i) ExpectSpan(Item(*decoded_spans, i), *want[i]);
    }
  }
}

// ---------------------------------------------------------------------------------------------

class OtlpOracleTest : public ::testing::Test {
 protected:
  static Result<std::string> Decode(std::string_view format, std::string_view body) {
    return RunOracle("traces", format, body);
  }
  Corpus corpus_;
};

TEST(OtlpOracleSetupTest, NodeAndTheOfficialDecoderAreInstalled) {
  EXPECT_EQ(testing::OracleUnavailableReason(), "");
}

TEST_F(OtlpOracleTest, CorpusCoversWhatTheComparisonChecks) {
  // Guards the corpus itself: if the SDK stopped recording something, the comparisons below
  // would pass vacuously.
  ASSERT_EQ(corpus_.batch().size(), 8u);
  const SpanData& root = corpus_.Find("root server");
  EXPECT_EQ(root.attributes().size(), 25u);
  EXPECT_EQ(root.events().size(), 2u);
  EXPECT_EQ(root.status(), SpanStatus::kOk);
  const SpanData& limited = corpus_.Find("limited");
  EXPECT_EQ(limited.dropped_attributes(), 2u);
  EXPECT_EQ(limited.dropped_events(), 2u);
  EXPECT_EQ(limited.dropped_links(), 2u);
  EXPECT_EQ(limited.events()[0].dropped_attributes, 2u);
  EXPECT_EQ(limited.links()[0].dropped_attributes, 1u);
  EXPECT_EQ(limited.attributes()[0].value.AsString(), "trunc");
  const SpanData& manual = corpus_.Find("manual");
  EXPECT_GT(manual.resource().attributes().dropped(), 0u);
  EXPECT_EQ(manual.scope().attributes.dropped(), 1u);
  const SpanData& child = corpus_.Find("chat gpt-4o");
  EXPECT_EQ(child.links().size(), 2u);
  EXPECT_EQ(child.status(), SpanStatus::kError);
  EXPECT_TRUE(corpus_.Find("queue receive").parent_is_remote());
  EXPECT_TRUE(corpus_.Find("queue receive").context().trace_state() != nullptr);
}

TEST_F(OtlpOracleTest, ProtobufRequestDecodesToTheRecordedSpans) {
  std::string body;
  EncodeTraceRequestProto(corpus_.batch(), body);
  Result<std::string> decoded = Decode("proto", body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectRequest(*decoded, corpus_.batch());
}

TEST_F(OtlpOracleTest, JsonRequestDecodesToTheRecordedSpans) {
  std::string body;
  EncodeTraceRequestJson(corpus_.batch(), body);
  Result<std::string> decoded = Decode("json", body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectRequest(*decoded, corpus_.batch());
}

TEST_F(OtlpOracleTest, ProtobufAndJsonDecodeToTheSameRequest) {
  std::string proto;
  std::string json;
  EncodeTraceRequestProto(corpus_.batch(), proto);
  EncodeTraceRequestJson(corpus_.batch(), json);
  Result<std::string> from_proto = Decode("proto", proto);
  Result<std::string> from_json = Decode("json", json);
  ASSERT_TRUE(from_proto.ok()) << from_proto.status().ToString();
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
  EXPECT_EQ(*from_proto, *from_json);
}

TEST_F(OtlpOracleTest, SpanAndLinkFlagsCarryTraceFlagsAndRemoteness) {
  for (std::string_view format : {"proto", "json"}) {
    SCOPED_TRACE(std::string(format));
    std::string body;
    if (format == "proto") {
      EncodeTraceRequestProto(corpus_.batch(), body);
    } else {
      EncodeTraceRequestJson(corpus_.batch(), body);
    }
    Result<std::string> decoded = Decode(format, body);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    simdjson::dom::parser parser;
    element request = parser.parse(simdjson::padded_string(*decoded)).value();
    std::map<std::string, std::uint64_t> flags_by_name;
    std::map<std::string, std::vector<std::uint64_t>> link_flags_by_name;
    for (element rs : request["resourceSpans"].get_array()) {
      for (element ss : rs["scopeSpans"].get_array()) {
        for (element span : ss["spans"].get_array()) {
          auto decoded_name = Member(span, "name");
          std::string name = decoded_name ? String(*decoded_name) : "<unnamed>";
          flags_by_name[name] = span["flags"].get_uint64().value();
          for (element link : span["links"].get_array()) {
            link_flags_by_name[name].push_back(link["flags"].get_uint64().value());
          }
        }
      }
    }
    EXPECT_EQ(flags_by_name["root server"], 0x103u);    // sampled + random, local root
    EXPECT_EQ(flags_by_name["queue receive"], 0x301u);  // sampled, remote parent
    EXPECT_EQ(flags_by_name["manual"], 0x303u);         // hand-built: flags 03, remote parent
    EXPECT_EQ(flags_by_name["<unnamed>"], 0x100u);      // not sampled, no parent
    EXPECT_EQ(link_flags_by_name["chat gpt-4o"], (std::vector<std::uint64_t>{0x100, 0x301}));
  }
}

TEST_F(OtlpOracleTest, InvalidUtf8IsReplacedNotRejected) {
  for (std::string_view format : {"proto", "json"}) {
    std::string body;
    if (format == "proto") {
      EncodeTraceRequestProto(corpus_.batch(), body);
    } else {
      EncodeTraceRequestJson(corpus_.batch(), body);
    }
    Result<std::string> decoded = Decode(format, body);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    // "ok" FF C3 "(" ED A0 80 "!": five maximal ill-formed subparts.
    EXPECT_NE(decoded->find("\"stringValue\":\"ok\xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD"
                            "\xEF\xBF\xBD!\""),
              std::string::npos)
        << format << ": " << *decoded;
  }
}

TEST_F(OtlpOracleTest, EmptyBatchIsAValidEmptyRequest) {
  std::string proto;
  std::string json;
  EncodeTraceRequestProto({}, proto);
  EncodeTraceRequestJson({}, json);
  Result<std::string> from_proto = Decode("proto", proto);
  Result<std::string> from_json = Decode("json", json);
  ASSERT_TRUE(from_proto.ok()) << from_proto.status().ToString();
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
  EXPECT_EQ(*from_proto, "{\"resourceSpans\":[]}\n");
  EXPECT_EQ(*from_json, "{\"resourceSpans\":[]}\n");
}

TEST(OtlpOracleLargeTest, MultiMegabyteBatchDecodes) {
  // ~2.5 MiB: the request, resource and scope lengths need four varint bytes, more than the
  // encoder reserves, so the bodies are moved once; span lengths need two or three.
  ManualClock clock;
  MapEnvironment env;
  std::vector<SpanDataPtr> spans;
  trace::TracerProviderOptions options;
  options.clock = &clock;
  options.environment = &env;
  options.id_generator = std::make_shared<SequentialIdGenerator>(0xC0);
  options.processors.push_back(std::make_unique<CollectingProcessor>(&spans));
  auto provider = *trace::TracerProvider::Create(std::move(options));
  auto tracer = provider->GetTracer("bulk");
  for (int i = 0; i < 300; ++i) {
    std::string text(static_cast<std::size_t>(60 * i + 1), static_cast<char>('a' + i % 26));
    trace::Span span = tracer->StartSpan("bulk " + std::to_string(i), {{"payload", text}});
    span.End();
  }
  for (std::string_view format : {"proto", "json"}) {
    SCOPED_TRACE(std::string(format));
    std::string body;
    if (format == "proto") {
      EncodeTraceRequestProto(spans, body);
    } else {
      EncodeTraceRequestJson(spans, body);
    }
    EXPECT_GT(body.size(), std::size_t{1} << 21);
    Result<std::string> decoded = RunOracle("traces", format, body);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    ExpectRequest(*decoded, spans);
  }
}

TEST_F(OtlpOracleTest, JsonLinesExporterWritesOneDecodableRequestPerLine) {
  std::ostringstream out;
  JsonLinesSpanExporter exporter(out);
  std::span<const SpanDataPtr> all(corpus_.batch());
  const auto first = all.subspan(0, 3);
  const auto second = all.subspan(3);
  ASSERT_EQ(exporter.Export(first, MonotonicTime{}), ExportResult::kSuccess);
  ASSERT_EQ(exporter.Export(second, MonotonicTime{}), ExportResult::kSuccess);

  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u) << out.str();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE("line " + std::to_string(i));
    Result<std::string> decoded = Decode("json", lines[i]);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    ExpectRequest(*decoded, i == 0 ? first : second);
  }
}

}  // namespace
}  // namespace llmtrace::otlp
