#include "llmtrace/logs/json_lines_log_exporter.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "llmtrace/logs/simple_log_record_processor.h"
#include "test/logs/logs_test_util.h"

namespace llmtrace::logs {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A pipeline that writes JSON lines into a string stream.
struct JsonPipeline {
  std::ostringstream out;
  ManualClock clock{Timestamp{std::chrono::nanoseconds(1'764'037'939'123'456'789)}};
  MapEnvironment env{{"OTEL_SERVICE_NAME", "rag-api"}};
  std::shared_ptr<LoggerProvider> provider;
  std::shared_ptr<Logger> logger;
  std::shared_ptr<trace::TracerProvider> tracer_provider;

  JsonPipeline() {
    LoggerProviderOptions options;
    options.clock = &clock;
    options.environment = &env;
    options.limits = LogRecordLimits{.attribute_count = 8};
    options.processors.push_back(
        std::make_unique<SimpleLogRecordProcessor>(std::make_unique<JsonLinesLogExporter>(out)));
    provider = *LoggerProvider::Create(std::move(options));
    logger = provider->GetLogger("rag-api.llm_calls");
    trace::TracerProviderOptions trace_options;
    trace_options.environment = &env;
    tracer_provider = *trace::TracerProvider::Create(std::move(trace_options));
  }
};

TEST(JsonLinesLogExporterTest, WritesOneFlatJsonObjectPerRecordThatParsesBack) {
  JsonPipeline p;
  trace::Span span = p.tracer_provider->GetTracer("t")->StartSpan("chat gpt-4o");
  {
    trace::ContextScope scope = span.Activate();
    const std::array<std::string_view, 2> reasons = {"stop", "length"};
    p.logger->Emit(Severity::kInfo, "LLM call completed",
                   {{"gen_ai.request.model", "gpt-4o"},
                    {"gen_ai.usage.input_tokens", 1200},
                    {"duration_ms", 812.5},
                    {"cached", false},
                    {"gen_ai.response.finish_reasons", reasons}});
  }
  p.logger->Emit(Severity::kWarn2, "no span here");

  std::vector<std::string> lines = Lines(p.out.str());
  ASSERT_EQ(lines.size(), 2u);
  simdjson::dom::parser parser;
  simdjson::dom::element first;
  ASSERT_EQ(parser.parse(lines[0]).get(first), simdjson::SUCCESS) << lines[0];
  EXPECT_EQ(std::string_view(first["timestamp"]), "2025-11-25T02:32:19.123456Z");
  EXPECT_EQ(std::string_view(first["severity"]), "INFO");
  EXPECT_EQ(int64_t(first["severity_number"]), 9);
  EXPECT_EQ(std::string_view(first["body"]), "LLM call completed");
  EXPECT_EQ(std::string_view(first["trace_id"]), span.context().trace_id().ToHex());
  EXPECT_EQ(std::string_view(first["span_id"]), span.context().span_id().ToHex());
  EXPECT_EQ(std::string_view(first["service.name"]), "rag-api");
  EXPECT_EQ(std::string_view(first["scope"]), "rag-api.llm_calls");
  simdjson::dom::object attributes = first["attributes"];
  EXPECT_EQ(attributes.size(), 5u);
  EXPECT_EQ(std::string_view(attributes["gen_ai.request.model"]), "gpt-4o");
  EXPECT_EQ(int64_t(attributes["gen_ai.usage.input_tokens"]), 1200);
  EXPECT_EQ(double(attributes["duration_ms"]), 812.5);
  EXPECT_EQ(bool(attributes["cached"]), false);
  simdjson::dom::array finish = attributes["gen_ai.response.finish_reasons"];
  ASSERT_EQ(finish.size(), 2u);
  EXPECT_EQ(std::string_view(finish.at(1)), "length");

  simdjson::dom::element second;
  ASSERT_EQ(parser.parse(lines[1]).get(second), simdjson::SUCCESS) << lines[1];
  EXPECT_EQ(std::string_view(second["severity"]), "WARN2");
  EXPECT_EQ(int64_t(second["severity_number"]), 14);
  simdjson::dom::element absent;
  EXPECT_EQ(second["trace_id"].get(absent), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(second["span_id"].get(absent), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(simdjson::dom::object(second["attributes"]).size(), 0u);
  span.End();
}

TEST(JsonLinesLogExporterTest, EscapesEverythingSoEveryLineStaysOneValidJsonObject) {
  JsonPipeline p;
  static constexpr char kNasty[] =
      "line1\nline2\r\t\"quoted\" back\\slash nul\0 bell\x07 \xff\xfe end";
  const std::string_view nasty(kNasty, sizeof kNasty - 1);
  const std::array<double, 4> doubles = {std::numeric_limits<double>::quiet_NaN(),
                                         std::numeric_limits<double>::infinity(), -0.0, 0.1};
  p.logger->Emit(Severity::kError, nasty, {{nasty, nasty}, {"doubles", doubles}});
  const std::string text = p.out.str();
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 1);  // only the terminator
  simdjson::dom::parser parser;
  simdjson::dom::element line;
  ASSERT_EQ(parser.parse(text).get(line), simdjson::SUCCESS) << text;
  const std::string expected = std::string("line1\nline2\r\t\"quoted\" back\\slash nul") + '\0' +
                               " bell\x07 \xEF\xBF\xBD\xEF\xBF\xBD end";
  EXPECT_EQ(std::string_view(line["body"]), expected);
  simdjson::dom::object attributes = line["attributes"];
  EXPECT_EQ(std::string_view(attributes[expected]), expected);
  simdjson::dom::array d = attributes["doubles"];
  EXPECT_EQ(std::string_view(d.at(0)), "NaN");
  EXPECT_EQ(std::string_view(d.at(1)), "Infinity");
  double negative_zero = d.at(2);
  EXPECT_TRUE(negative_zero == 0 && std::signbit(negative_zero));
  EXPECT_EQ(double(d.at(3)), 0.1);
}

TEST(JsonLinesLogExporterTest, ReportsDroppedAttributesAndNonStringBodies) {
  JsonPipeline p;
  std::vector<KeyValue> many;
  std::vector<std::string> keys;
  for (int i = 0; i < 10; ++i) keys.push_back("k" + std::to_string(i));
  for (int i = 0; i < 10; ++i) many.push_back(KeyValue{keys[i], i});
  p.logger->Emit(Severity::kDebug, 42, many);
  simdjson::dom::parser parser;
  simdjson::dom::element line;
  ASSERT_EQ(parser.parse(p.out.str()).get(line), simdjson::SUCCESS);
  EXPECT_EQ(int64_t(line["body"]), 42);
  EXPECT_EQ(simdjson::dom::object(line["attributes"]).size(), 8u);
  EXPECT_EQ(int64_t(line["dropped_attributes"]), 2);
}

TEST(JsonLinesLogExporterTest, FormatsTimestampsAsUtcWithMicroseconds) {
  Resource resource;
  InstrumentationScope scope;
  struct Case {
    std::int64_t unix_nanos;
    std::string_view expected;
  };
  for (const Case& c : {Case{0, "1970-01-01T00:00:00.000000Z"},
                        Case{951'782'400'000'001'000, "2000-02-29T00:00:00.000001Z"},
                        Case{4'102'444'799'999'999'999, "2099-12-31T23:59:59.999999Z"},
                        Case{-1'000, "1969-12-31T23:59:59.999999Z"}}) {
    LogRecordDataPtr record = AcquireLogRecordData();
    const Timestamp t{std::chrono::nanoseconds(c.unix_nanos)};
    record->Begin(t, t, Severity::kInfo, LogRecordLimits{}, resource, scope);
    std::string line;
    AppendJsonLine(*record, line);
    EXPECT_NE(line.find(std::string("\"timestamp\":\"") + std::string(c.expected) + "\""),
              std::string::npos)
        << line;
  }
}

TEST(JsonLinesLogExporterTest, OpenFileAppendsAndNamesThePathInErrors) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("llmtrace-logs-" + std::to_string(::getpid()) + ".jsonl");
  std::filesystem::remove(path);
  Resource resource;
  InstrumentationScope scope;
  for (int run = 0; run < 2; ++run) {
    auto exporter = JsonLinesLogExporter::OpenFile(path);
    ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();
    LogRecordDataPtr record = AcquireLogRecordData();
    record->Begin(Timestamp{}, Timestamp{}, Severity::kInfo, LogRecordLimits{}, resource, scope);
    record->SetBody("run " + std::to_string(run));
    std::vector<LogRecordDataPtr> batch;
    batch.push_back(std::move(record));
    EXPECT_EQ((*exporter)->Export(batch, MonotonicTime{}), ExportResult::kSuccess);
    EXPECT_TRUE((*exporter)->Shutdown(std::chrono::seconds(1)).ok());
    EXPECT_EQ((*exporter)->Export(batch, MonotonicTime{}), ExportResult::kFailure);
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> lines = Lines(text.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("\"body\":\"run 0\""), std::string::npos);
  EXPECT_NE(lines[1].find("\"body\":\"run 1\""), std::string::npos);
  std::filesystem::remove(path);

  const std::filesystem::path bad = "/nonexistent-dir-llmtrace/x.jsonl";
  auto failed = JsonLinesLogExporter::OpenFile(bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find(bad.string()), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::logs
