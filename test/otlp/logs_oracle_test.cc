// Conformance of the OTLP logs encoders against the official OpenTelemetry JS decoder
// (@opentelemetry/otlp-transformer@0.52.1, run by test/oracles/decode_otlp.js logs ...).
//
// Log records emitted through the real SDK (LoggerProvider, Logger, correlated with real spans)
// and built by hand are encoded in both formats, decoded by the oracle, and every decoded field
// is compared with what the LogRecordData holds; members the comparison does not know fail the
// test too. A missing node or node_modules fails these tests: run scripts/setup.sh.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/strings.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/otlp/logs_encoder.h"
#include "llmtrace/trace/tracer_provider.h"
#include "src/otlp/utf8.h"
#include "test/otlp/otlp_test_util.h"

namespace llmtrace::otlp {
namespace {

using logs::LogRecordData;
using logs::LogRecordDataPtr;
using logs::Severity;
using simdjson::dom::element;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

Timestamp At(std::int64_t unix_nanos) { return Timestamp{std::chrono::nanoseconds(unix_nanos)}; }

// Keeps every emitted record, in emit order.
class CollectingLogProcessor final : public logs::LogRecordProcessor {
 public:
  explicit CollectingLogProcessor(std::vector<LogRecordDataPtr>* sink) : sink_(sink) {}
  void OnEmit(LogRecordDataPtr record) noexcept override { sink_->push_back(std::move(record)); }
  Status ForceFlush(std::chrono::milliseconds) noexcept override { return Status::Ok(); }
  Status Shutdown(std::chrono::milliseconds) noexcept override { return Status::Ok(); }

 private:
  std::vector<LogRecordDataPtr>* sink_;
};

// ---------------------------------------------------------------------------------------------
// The records under test: a main provider (two scopes, records inside and outside spans, every
// body and attribute type), a provider with tiny limits, and records built by hand on a
// resource with a schema URL and a scope with attributes. `batch` interleaves them.

class Corpus {
 public:
  Corpus() {
    BuildMain();
    BuildLimited();
    BuildManual();
    for (std::size_t i = 0; i < 16; ++i) {
      for (auto* source : {&main_records_, &limited_records_, &manual_records_}) {
        if (i < source->size()) batch_.push_back(std::move((*source)[i]));
      }
    }
  }
  const std::vector<LogRecordDataPtr>& batch() const { return batch_; }
  const LogRecordData* FindBody(std::string_view body) const {
    for (const LogRecordDataPtr& r : batch_) {
      if (r->has_body() && r->body().type() == AttributeValue::Type::kString &&
          r->body().AsString() == body) {
        return r.get();
      }
    }
    return nullptr;
  }

 private:
  void BuildMain();
  void BuildLimited();
  void BuildManual();

  // Declared in dependency order: records go back to the pool before what they point to goes.
  ManualClock clock_{At(1'700'000'000'000'000'000)};
  MapEnvironment env_;
  std::vector<LogRecordDataPtr> main_records_;
  std::vector<LogRecordDataPtr> limited_records_;
  std::vector<LogRecordDataPtr> manual_records_;
  std::shared_ptr<logs::LoggerProvider> main_;
  std::shared_ptr<logs::LoggerProvider> limited_;
  std::shared_ptr<trace::TracerProvider> tracer_provider_;
  Resource manual_resource_;
  InstrumentationScope manual_scope_;
  std::vector<LogRecordDataPtr> batch_;
};

void Corpus::BuildMain() {
  logs::LoggerProviderOptions options;
  options.clock = &clock_;
  options.environment = &env_;
  options.limits = logs::LogRecordLimits{};
  const std::array<std::string_view, 2> tags = {"rag", "eval"};
  options.resource_attributes = AttributeSet({{"service.name", "logs-oracle-test"},
                                              {"host.cores", 2},
                                              {"sample.ratio", 0.25},
                                              {"feature.enabled", true},
                                              {"tags", tags}});
  options.processors.push_back(std::make_unique<CollectingLogProcessor>(&main_records_));
  main_ = *logs::LoggerProvider::Create(std::move(options));
  auto logger = main_->GetLogger("llm_calls", "2.1.0", "https://opentelemetry.io/schemas/1.26.0");
  auto other_logger = main_->GetLogger("second-scope");

  trace::TracerProviderOptions trace_options;
  trace_options.clock = &clock_;
  trace_options.environment = &env_;
  tracer_provider_ = *trace::TracerProvider::Create(std::move(trace_options));
  auto tracer = tracer_provider_->GetTracer("t");

  const std::array<bool, 3> bools = {true, false, true};
  const std::array<std::int64_t, 5> ints = {0, 1, -1, kMin, kMax};
  const std::array<double, 7> doubles = {
      1.5, -0.0, kNaN, kInf, -kInf, 5e-324, 1.7976931348623157e308};
  const std::array<std::string_view, 4> strings = {"a", "", "ü \"q\"\n", "日本語 😀"};
  static constexpr char kControl[] = "nul\0bell\x07 del\x7f esc\x1b \\ \" \r\n\t\b\f end";
  const std::string_view control(kControl, sizeof kControl - 1);

  trace::Span span = tracer->StartSpan("chat gpt-4o");
  {
    trace::ContextScope scope = span.Activate();
    clock_.Advance(std::chrono::microseconds(1234));
    logger->Emit(Severity::kInfo, "LLM call completed",
                 {{"bool.true", true},
                  {"bool.false", false},
                  {"int.zero", 0},
                  {"int.min", kMin},
                  {"int.max", kMax},
                  {"double.neg_zero", -0.0},
                  {"double.nan", kNaN},
                  {"double.inf", kInf},
                  {"double.tiny", 5e-324},
                  {"string.empty", ""},
                  {"string.unicode", "héllo wörld ✓ 😀 日本"},
                  {"string.control", control},
                  {"array.bool", bools},
                  {"array.int", ints},
                  {"array.double", doubles},
                  {"array.string", strings},
                  {"array.string.empty", std::span<const std::string_view>()}});
    clock_.Advance(std::chrono::milliseconds(3));
    other_logger->Emit(Severity::kDebug4, control);
  }
  span.End();

  // Bodies of every type, outside any span.
  logger->Emit(Severity::kTrace, std::int64_t{kMin});
  logger->Emit(Severity::kWarn, kNaN);
  logger->Emit(Severity::kWarn2, -0.0);
  logger->Emit(Severity::kError, false);
  logger->Emit(Severity::kError4, strings);
  logger->Emit(Severity::kFatal, doubles);
  logger->Emit(Severity::kFatal4, ints, {{"k", "v"}});
  logger->Emit(Severity::kInfo2, bools);
  logger->Emit(Severity::kInfo3, "");

  // An explicit, unsampled, remote context: ids without the sampled flag.
  const trace::SpanContext unsampled(*TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                                     *SpanId::FromHex("00f067aa0ba902b7"), trace::TraceFlags(0),
                                     /*remote=*/true);
  logger->Emit(trace::Context(unsampled), Severity::kInfo4, "unsampled parent");
  const trace::SpanContext random_flag(*TraceId::FromHex("ffffffffffffffffffffffffffffffff"),
                                       *SpanId::FromHex("0000000000000001"),
                                       trace::TraceFlags(0x03), /*remote=*/false);
  other_logger->Emit(trace::Context(random_flag), Severity::kInfo, "sampled and random");
}

void Corpus::BuildLimited() {
  logs::LoggerProviderOptions options;
  options.clock = &clock_;
  options.environment = &env_;
  options.limits = logs::LogRecordLimits{.attribute_count = 2, .attribute_value_length = 5};
  options.resource_attributes = AttributeSet({{"service.name", "limited"}});
  options.processors.push_back(std::make_unique<CollectingLogProcessor>(&limited_records_));
  limited_ = *logs::LoggerProvider::Create(std::move(options));
  limited_->GetLogger("limited-scope")
      ->Emit(Severity::kWarn3, "limited", {{"a", "truncated value"}, {"b", 1}, {"c", 2}, {"d", 3}});
}

void Corpus::BuildManual() {
  manual_resource_ = Resource::Create({{"service.name", "manual"}}, MapEnvironment{});
  manual_resource_.set_schema_url("https://opentelemetry.io/schemas/1.24.0");
  manual_scope_.name = "manual-scope";
  manual_scope_.version = "0.0.1";
  manual_scope_.schema_url = "https://example.com/scope-schema";
  manual_scope_.attributes =
      AttributeSet({{"scope.attr", "x"}, {"scope.n", 7}}, AttributeLimits{.max_count = 2});
  manual_scope_.attributes.Set("one.too.many", 1);  // dropped and counted

  // A record the way a bridge from another log library would build it: original severity
  // text, an event time before the observed time, attributes that were already dropped.
  LogRecordDataPtr bridged = logs::AcquireLogRecordData();
  bridged->Begin(At(1'600'000'000'000'000'001), At(1'700'000'000'000'000'002), Severity::kWarn,
                 logs::LogRecordLimits{}, manual_resource_, manual_scope_);
  bridged->SetSeverityText("warning");
  bridged->SetBody("bridged from syslog");
  bridged->SetAttribute("syslog.facility", 3);
  bridged->AddDroppedAttributes(4);
  manual_records_.push_back(std::move(bridged));

  // No event time, no severity, no body: only the observed time.
  LogRecordDataPtr bare = logs::AcquireLogRecordData();
  bare->Begin(Timestamp{}, At(1'700'000'000'000'000'003), Severity::kUnspecified,
              logs::LogRecordLimits{}, manual_resource_, manual_scope_);
  manual_records_.push_back(std::move(bare));

  // Ill-formed UTF-8 everywhere a string goes: replaced, not rejected.
  LogRecordDataPtr bad = logs::AcquireLogRecordData();
  bad->Begin(At(1), At(2), Severity::kError, logs::LogRecordLimits{}, manual_resource_,
             manual_scope_);
  bad->SetSeverityText("E\xff");
  bad->SetBody("bad \xc3\x28 utf8 \xed\xa0\x80");
  bad->SetAttribute("bad.\xfe", "v\x80");
  manual_records_.push_back(std::move(bad));
}

// ---------------------------------------------------------------------------------------------
// Comparing the oracle's decoded request with the LogRecordData.

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

std::string Sanitized(std::string_view s) {
  std::string out;
  internal::AppendSanitizedUtf8(s, out);
  return out;
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

// Every member of `object` must be one the comparison checks.
void ExpectOnlyMembers(const element& object, std::set<std::string_view> known) {
  simdjson::dom::object members;
  ASSERT_EQ(object.get_object().get(members), simdjson::SUCCESS) << object;
  for (auto field : members) {
    EXPECT_TRUE(known.count(field.key) == 1)
        << "unexpected member '" << field.key << "' in " << object;
  }
}

// proto3: a default value may be absent; anything else must be present and equal.
void ExpectString(const element& object, std::string_view key, std::string_view expected) {
  SCOPED_TRACE(std::string(key));
  auto value = Member(object, key);
  if (expected.empty() && !value) return;
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  EXPECT_EQ(String(*value), Sanitized(expected));
}

void ExpectNumber(const element& object, std::string_view key, std::uint64_t expected) {
  auto value = Member(object, key);
  if (expected == 0) {
    EXPECT_FALSE(value) << key << " should be left out: " << object;
    return;
  }
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  std::uint64_t actual = 0;
  ASSERT_EQ(value->get_uint64().get(actual), simdjson::SUCCESS) << key << ": " << *value;
  EXPECT_EQ(actual, expected) << key;
}

// 64-bit integers come back as decimal strings (toObject with longs: String).
void ExpectDecimal(const element& object, std::string_view key, std::uint64_t expected) {
  auto value = Member(object, key);
  if (expected == 0) {
    EXPECT_FALSE(value) << key << " should be left out: " << object;
    return;
  }
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  EXPECT_EQ(String(*value), std::to_string(expected)) << key;
}

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

void ExpectBool(const element& value, bool expected) {
  bool actual = !expected;
  ASSERT_EQ(value.get_bool().get(actual), simdjson::SUCCESS) << value;
  EXPECT_EQ(actual, expected);
}

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

// `any` must hold exactly one member, named for the type of `expected`.
void ExpectAnyValue(const element& any, const AttributeValue& expected) {
  simdjson::dom::object object;
  ASSERT_EQ(any.get_object().get(object), simdjson::SUCCESS) << any;
  EXPECT_EQ(object.size(), 1u) << "an AnyValue sets one member: " << any;
  auto member = [&](std::string_view name) {
    auto value = Member(any, name);
    EXPECT_TRUE(value) << "want " << name << ", got " << any;
    return value;
  };
  switch (expected.type()) {
    case AttributeValue::Type::kBool:
      if (auto v = member("boolValue")) {
        ExpectBool(*v, expected.AsBool());
      }
      break;
    case AttributeValue::Type::kInt:
      if (auto v = member("intValue")) {
        ExpectInt64(*v, expected.AsInt());
      }
      break;
    case AttributeValue::Type::kDouble:
      if (auto v = member("doubleValue")) {
        ExpectDouble(*v, expected.AsDouble());
      }
      break;
    case AttributeValue::Type::kString:
      if (auto v = member("stringValue")) {
        EXPECT_EQ(String(*v), Sanitized(expected.AsString()));
      }
      break;
    case AttributeValue::Type::kBoolArray:
      ExpectArray(any, expected.AsBoolArray(), "boolValue", ExpectBool);
      break;
    case AttributeValue::Type::kIntArray:
      ExpectArray(any, expected.AsIntArray(), "intValue", ExpectInt64);
      break;
    case AttributeValue::Type::kDoubleArray:
      ExpectArray(any, expected.AsDoubleArray(), "doubleValue", ExpectDouble);
      break;
    case AttributeValue::Type::kStringArray:
      ExpectArray(
          any, expected.AsStringArray(), "stringValue",
          [](const element& v, std::string_view want) { EXPECT_EQ(String(v), Sanitized(want)); });
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

void ExpectLogRecord(const element& decoded, const LogRecordData& record, std::size_t index) {
  SCOPED_TRACE("log record #" + std::to_string(index) + ": " + simdjson::to_string(decoded));
  ExpectOnlyMembers(
      decoded, {"timeUnixNano", "observedTimeUnixNano", "severityNumber", "severityText", "body",
                "attributes", "droppedAttributesCount", "flags", "traceId", "spanId"});
  ExpectDecimal(decoded, "timeUnixNano", ToUnixNanos(record.timestamp()));
  ExpectDecimal(decoded, "observedTimeUnixNano", ToUnixNanos(record.observed_timestamp()));
  ExpectNumber(decoded, "severityNumber", static_cast<std::uint64_t>(record.severity()));
  ExpectString(decoded, "severityText", record.severity_text());
  auto body = Member(decoded, "body");
  if (record.has_body()) {
    ASSERT_TRUE(body) << "missing body";
    ExpectAnyValue(*body, record.body());
  } else {
    EXPECT_FALSE(body);
  }
  ExpectAttributes(decoded, record.attributes());
  ExpectNumber(decoded, "droppedAttributesCount", record.dropped_attributes());
  ExpectNumber(decoded, "flags", record.trace_flags().bits());
  auto trace_id = Member(decoded, "traceId");
  auto span_id = Member(decoded, "spanId");
  if (record.trace_id().IsValid()) {
    ASSERT_TRUE(trace_id && span_id);
    EXPECT_EQ(String(*trace_id), record.trace_id().ToHex());
    EXPECT_EQ(String(*span_id), record.span_id().ToHex());
  } else {
    EXPECT_FALSE(trace_id);
    EXPECT_FALSE(span_id);
  }
}

struct ExpectedScope {
  const InstrumentationScope* scope;
  std::vector<const LogRecordData*> records;
};
struct ExpectedResource {
  const Resource* resource;
  std::vector<ExpectedScope> scopes;
};

std::vector<ExpectedResource> ExpectedGroups(std::span<const LogRecordDataPtr> records) {
  std::vector<ExpectedResource> resources;
  for (const LogRecordDataPtr& record : records) {
    std::size_t r = 0;
    while (r < resources.size() && resources[r].resource != &record->resource()) ++r;
    if (r == resources.size()) resources.push_back(ExpectedResource{&record->resource(), {}});
    std::vector<ExpectedScope>& scopes = resources[r].scopes;
    std::size_t s = 0;
    while (s < scopes.size() && scopes[s].scope != &record->scope()) ++s;
    if (s == scopes.size()) scopes.push_back(ExpectedScope{&record->scope(), {}});
    scopes[s].records.push_back(record.get());
  }
  return resources;
}

void ExpectRequest(std::string_view oracle_output, std::span<const LogRecordDataPtr> records) {
  simdjson::dom::parser parser;
  element request;
  ASSERT_EQ(parser.parse(simdjson::padded_string(oracle_output)).get(request), simdjson::SUCCESS)
      << oracle_output;
  ExpectOnlyMembers(request, {"resourceLogs"});
  const std::vector<ExpectedResource> expected = ExpectedGroups(records);
  auto resource_logs = Member(request, "resourceLogs");
  ASSERT_EQ(ArraySize(resource_logs), expected.size()) << oracle_output;
  std::size_t index = 0;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    SCOPED_TRACE("resourceLogs[" + std::to_string(r) + "]");
    element rl = Item(*resource_logs, r);
    ExpectOnlyMembers(rl, {"resource", "scopeLogs", "schemaUrl"});
    const Resource& resource = *expected[r].resource;
    auto decoded_resource = Member(rl, "resource");
    ASSERT_TRUE(decoded_resource) << rl;
    ExpectAttributes(*decoded_resource, resource.attributes().entries());
    ExpectNumber(*decoded_resource, "droppedAttributesCount", resource.attributes().dropped());
    ExpectString(rl, "schemaUrl", resource.schema_url());

    auto scope_logs = Member(rl, "scopeLogs");
    ASSERT_EQ(ArraySize(scope_logs), expected[r].scopes.size());
    for (std::size_t s = 0; s < expected[r].scopes.size(); ++s) {
      SCOPED_TRACE("scopeLogs[" + std::to_string(s) + "]");
      element sl = Item(*scope_logs, s);
      ExpectOnlyMembers(sl, {"scope", "logRecords", "schemaUrl"});
      const InstrumentationScope& scope = *expected[r].scopes[s].scope;
      auto decoded_scope = Member(sl, "scope");
      ASSERT_TRUE(decoded_scope) << sl;
      ExpectString(*decoded_scope, "name", scope.name);
      ExpectString(*decoded_scope, "version", scope.version);
      ExpectAttributes(*decoded_scope, scope.attributes.entries());
      ExpectNumber(*decoded_scope, "droppedAttributesCount", scope.attributes.dropped());
      ExpectString(sl, "schemaUrl", scope.schema_url);
      auto decoded_records = Member(sl, "logRecords");
      const auto& want = expected[r].scopes[s].records;
      ASSERT_EQ(ArraySize(decoded_records), want.size());
      for (std::size_t i = 0; i < want.size(); ++i) {
        ExpectLogRecord(Item(*decoded_records, i), *want[i], index++);
      }
    }
  }
  EXPECT_EQ(index, records.size());
}

class LogsOracleTest : public ::testing::Test {
 protected:
  static Result<std::string> Decode(std::string_view format, std::string_view body) {
    return testing::RunOracle("logs", format, body);
  }
  Corpus corpus_;
};

TEST_F(LogsOracleTest, CorpusCoversWhatTheComparisonChecks) {
  // Guards the corpus itself: if the SDK stopped recording something, the comparisons below
  // would pass vacuously.
  ASSERT_EQ(corpus_.batch().size(), 17u);
  const LogRecordData* correlated = corpus_.FindBody("LLM call completed");
  ASSERT_NE(correlated, nullptr);
  EXPECT_TRUE(correlated->trace_id().IsValid());
  EXPECT_TRUE(correlated->trace_flags().sampled());
  EXPECT_EQ(correlated->attributes().size(), 17u);
  const LogRecordData* unsampled = corpus_.FindBody("unsampled parent");
  ASSERT_NE(unsampled, nullptr);
  EXPECT_TRUE(unsampled->span_id().IsValid());
  EXPECT_EQ(unsampled->trace_flags().bits(), 0);
  const LogRecordData* limited = corpus_.FindBody("limited");
  ASSERT_NE(limited, nullptr);
  EXPECT_EQ(limited->dropped_attributes(), 2u);
  EXPECT_EQ(limited->attributes()[0].value.AsString(), "trunc");
  const LogRecordData* bridged = corpus_.FindBody("bridged from syslog");
  ASSERT_NE(bridged, nullptr);
  EXPECT_EQ(bridged->severity_text(), "warning");
  EXPECT_EQ(bridged->dropped_attributes(), 4u);
  EXPECT_EQ(bridged->scope().attributes.dropped(), 1u);
  std::set<AttributeValue::Type> body_types;
  bool saw_bare = false;
  for (const LogRecordDataPtr& r : corpus_.batch()) {
    if (r->has_body()) body_types.insert(r->body().type());
    saw_bare = saw_bare || (!r->has_body() && r->timestamp() == Timestamp{});
  }
  EXPECT_EQ(body_types.size(), 8u);  // every AttributeValue type as a body
  EXPECT_TRUE(saw_bare);
}

TEST_F(LogsOracleTest, ProtobufRequestDecodesToTheRecordedLogRecords) {
  std::string body;
  EncodeLogsRequestProto(corpus_.batch(), body);
  Result<std::string> decoded = Decode("proto", body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectRequest(*decoded, corpus_.batch());
}

TEST_F(LogsOracleTest, JsonRequestDecodesToTheRecordedLogRecords) {
  std::string body;
  EncodeLogsRequestJson(corpus_.batch(), body);
  Result<std::string> decoded = Decode("json", body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectRequest(*decoded, corpus_.batch());
}

TEST_F(LogsOracleTest, ProtobufAndJsonDecodeToTheSameRequest) {
  std::string proto;
  std::string json;
  EncodeLogsRequestProto(corpus_.batch(), proto);
  EncodeLogsRequestJson(corpus_.batch(), json);
  Result<std::string> from_proto = Decode("proto", proto);
  Result<std::string> from_json = Decode("json", json);
  ASSERT_TRUE(from_proto.ok()) << from_proto.status().ToString();
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
  EXPECT_EQ(*from_proto, *from_json);
}

TEST_F(LogsOracleTest, TheOracleRejectsAMisspelledLogRecordField) {
  // Guards the oracle: a JSON request it cannot fully read must fail, not pass silently.
  Result<std::string> decoded =
      Decode("json", R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNum":9}]}]}]})");
  EXPECT_FALSE(decoded.ok());
}

TEST(LogsOracleEmptyTest, AnEmptyBatchIsAValidEmptyRequest) {
  std::vector<LogRecordDataPtr> none;
  std::string proto;
  std::string json;
  EncodeLogsRequestProto(none, proto);
  EncodeLogsRequestJson(none, json);
  Result<std::string> from_proto = testing::RunOracle("logs", "proto", proto);
  Result<std::string> from_json = testing::RunOracle("logs", "json", json);
  ASSERT_TRUE(from_proto.ok()) << from_proto.status().ToString();
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
  EXPECT_EQ(*from_proto, "{\"resourceLogs\":[]}\n");
  EXPECT_EQ(*from_json, *from_proto);
}

}  // namespace
}  // namespace llmtrace::otlp
