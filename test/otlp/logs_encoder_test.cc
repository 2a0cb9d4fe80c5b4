// The OTLP logs encoders, byte for byte on tiny requests (the field numbers are those of
// opentelemetry/proto/logs/v1/logs.proto, checked against the generated decoder in
// @opentelemetry/otlp-transformer 0.52.1), plus grouping and partial-success decoding.
#include "llmtrace/otlp/logs_encoder.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "llmtrace/common/strings.h"
#include "test/otlp/otlp_test_util.h"

namespace llmtrace::otlp {
namespace {

using logs::AcquireLogRecordData;
using logs::LogRecordDataPtr;
using logs::Severity;

std::string Hex(std::string_view bytes) {
  return HexEncode(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Timestamp Nanos(std::int64_t n) { return Timestamp{std::chrono::nanoseconds(n)}; }

class LogsEncoderTest : public ::testing::Test {
 protected:
  // A record at 1000 ns, observed at 2000 ns, INFO "hi" with {a: true}, on span 0102..10/1112..18.
  LogRecordDataPtr MakeRecord(const Resource& resource, const InstrumentationScope& scope) {
    LogRecordDataPtr record = AcquireLogRecordData();
    record->Begin(Nanos(1000), Nanos(2000), Severity::kInfo, logs::LogRecordLimits{}, resource,
                  scope);
    record->SetBody("hi");
    record->SetAttribute("a", true);
    record->SetTraceIds(*TraceId::FromHex("0102030405060708090a0b0c0d0e0f10"),
                        *SpanId::FromHex("1112131415161718"), trace::TraceFlags(0x01));
    return record;
  }

  Resource resource_;
  InstrumentationScope scope_ = testing::MakeScope("sc");
};

TEST_F(LogsEncoderTest, EncodesATinyRecordToHandComputedProtobuf) {
  std::vector<LogRecordDataPtr> records;
  records.push_back(MakeRecord(resource_, scope_));
  std::string out;
  EncodeLogsRequestProto(records, out);
  const std::string record =
      "09"
      "e803000000000000"  // time_unix_nano (1, fixed64) 1000
      "1009"              // severity_number (2) SEVERITY_NUMBER_INFO
      "1a04"
      "494e464f"  // severity_text (3) "INFO"
      "2a04"
      "0a026869"  // body (5) AnyValue{string_value "hi"}
      "3207"
      "0a0161"
      "12021001"  // attributes (6) {a: bool true}
      "45"
      "01000000"  // flags (8, fixed32) sampled
      "4a10"
      "0102030405060708090a0b0c0d0e0f10"  // trace_id (9)
      "5208"
      "1112131415161718"  // span_id (10)
      "59"
      "d007000000000000";  // observed_time_unix_nano (11, fixed64) 2000
  ASSERT_EQ(record.size() / 2, 74u);
  const std::string scope_logs =
      "0a04"
      "0a027363"  // scope (1) {name "sc"}
      "124a" +
      record;  // log_records (2)
  const std::string resource_logs =
      "0a00"  // resource (1), empty
      "1252" +
      scope_logs;  // scope_logs (2)
  EXPECT_EQ(Hex(out), "0a56" + resource_logs);
}

TEST_F(LogsEncoderTest, EncodesATinyRecordToExactOtlpJson) {
  std::vector<LogRecordDataPtr> records;
  records.push_back(MakeRecord(resource_, scope_));
  std::string out;
  EncodeLogsRequestJson(records, out);
  EXPECT_EQ(out,
            R"({"resourceLogs":[{"resource":{},"scopeLogs":[{"scope":{"name":"sc"},"logRecords":[)"
            R"({"timeUnixNano":"1000","observedTimeUnixNano":"2000","severityNumber":9,)"
            R"("severityText":"INFO","body":{"stringValue":"hi"},)"
            R"("attributes":[{"key":"a","value":{"boolValue":true}}],"flags":1,)"
            R"("traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"1112131415161718"}]}]}]})");
}

TEST_F(LogsEncoderTest, ARecordWithoutSpanOrDefaultsWritesOnlyWhatItHas) {
  std::vector<LogRecordDataPtr> records;
  LogRecordDataPtr record = AcquireLogRecordData();
  record->Begin(Timestamp{}, Nanos(5), Severity::kUnspecified, logs::LogRecordLimits{}, resource_,
                scope_);
  record->AddDroppedAttributes(3);
  records.push_back(std::move(record));
  std::string proto;
  EncodeLogsRequestProto(records, proto);
  // observed_time_unix_nano (11) 5 and dropped_attributes_count (7) 3; no time, severity, body,
  // flags or ids.
  EXPECT_EQ(Hex(proto),
            "0a17"
            "0a00"
            "1213"
            "0a04"
            "0a027363"
            "120b"
            "3803"
            "59"
            "0500000000000000");
  std::string json;
  EncodeLogsRequestJson(records, json);
  EXPECT_EQ(json,
            R"({"resourceLogs":[{"resource":{},"scopeLogs":[{"scope":{"name":"sc"},"logRecords":[)"
            R"({"observedTimeUnixNano":"5","droppedAttributesCount":3}]}]}]})");
}

TEST_F(LogsEncoderTest, GroupsRecordsByResourceThenScopeInOrderOfFirstAppearance) {
  Resource other = Resource::Create({{"service.name", "other"}}, MapEnvironment{});
  InstrumentationScope scope_b = testing::MakeScope("sb");
  std::vector<LogRecordDataPtr> records;
  records.push_back(MakeRecord(resource_, scope_));
  records.push_back(MakeRecord(other, scope_));
  records.push_back(MakeRecord(resource_, scope_b));
  records.push_back(nullptr);  // skipped
  records.push_back(MakeRecord(resource_, scope_));
  records[0]->SetBody("r0");
  records[1]->SetBody("r1");
  records[2]->SetBody("r2");
  records[4]->SetBody("r4");
  std::string json;
  EncodeLogsRequestJson(records, json);
  auto at = [&](std::string_view needle) { return json.find(needle); };
  // Resource 1: scope sc (r0, r4) then sb (r2); then resource 2: sc (r1).
  ASSERT_NE(at("\"r0\""), std::string::npos);
  EXPECT_LT(at("\"r0\""), at("\"r4\""));
  EXPECT_LT(at("\"r4\""), at("\"name\":\"sb\""));
  EXPECT_LT(at("\"name\":\"sb\""), at("\"r2\""));
  EXPECT_LT(at("\"r2\""), at("\"other\""));
  EXPECT_LT(at("\"other\""), at("\"r1\""));
  std::size_t resources = 0;
  for (std::size_t p = at("\"resource\":"); p != std::string::npos;
       p = json.find("\"resource\":", p + 1)) {
    ++resources;
  }
  EXPECT_EQ(resources, 2u);
}

TEST_F(LogsEncoderTest, AppendsToTheCallersBufferAndAnEmptyBatchIsAnEmptyRequest) {
  std::string out = "prefix";
  std::vector<LogRecordDataPtr> none;
  EncodeLogsRequestProto(none, out);
  EXPECT_EQ(out, "prefix");
  std::string json;
  EncodeLogsRequestJson(none, json);
  EXPECT_EQ(json, "{}");
}

TEST(LogsPartialSuccessTest, ReadsRejectedLogRecordsFromProtobufAndJson) {
  // partial_success (1) {rejected_log_records (1) 7, error_message (2) "bad"}
  const std::string proto(
      "\x0a\x07\x08\x07\x12\x03"
      "bad",
      9);
  auto decoded = DecodeLogsPartialSuccessProto(proto);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->rejected, 7);
  EXPECT_EQ(decoded->error_message, "bad");

  auto json = DecodeLogsPartialSuccessJson(
      R"({"partialSuccess":{"rejectedLogRecords":"4","errorMessage":"quota"}})");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(json->rejected, 4);
  EXPECT_EQ(json->error_message, "quota");
  // The span count's name is not the log records' count.
  auto wrong_name = DecodeLogsPartialSuccessJson(R"({"partialSuccess":{"rejectedSpans":"4"}})");
  ASSERT_TRUE(wrong_name.ok());
  EXPECT_EQ(wrong_name->rejected, 0);
  EXPECT_TRUE(DecodeLogsPartialSuccessJson("").ok());
  EXPECT_FALSE(DecodeLogsPartialSuccessJson("{not json").ok());
  EXPECT_FALSE(DecodeLogsPartialSuccessProto("\x0a\x7f").ok());
}

}  // namespace
}  // namespace llmtrace::otlp
