// JsonLinesSpanExporter: one OTLP/JSON request per line, appended, flushed, serialized. That the
// lines decode with the official decoder is checked in otlp_oracle_test.cc.
#include "llmtrace/otlp/json_lines_span_exporter.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "llmtrace/otlp/trace_encoder.h"
#include "test/otlp/otlp_test_util.h"

namespace llmtrace::otlp {
namespace {

using trace::SpanContext;
using trace::SpanDataPtr;

class JsonLinesSpanExporterTest : public ::testing::Test {
 protected:
  SpanDataPtr MakeSpan(std::string_view name) {
    SpanDataPtr span = trace::AcquireSpanData();
    std::array<std::uint8_t, 16> trace_id{};
    std::array<std::uint8_t, 8> span_id{};
    trace_id[15] = 1;
    span_id[7] = static_cast<std::uint8_t>(++next_id_);
    span->Begin(SpanContext(TraceId(trace_id), SpanId(span_id), trace::TraceFlags(1), false),
                SpanId(), false, name, trace::SpanKind::kInternal,
                Timestamp{std::chrono::seconds(1)}, trace::SpanLimits{}, resource_, scope_);
    span->SetAttribute("text", "line\nbreak");  // must not split the line
    span->SetEndTime(Timestamp{std::chrono::seconds(2)});
    return span;
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  Resource resource_;
  InstrumentationScope scope_ = testing::MakeScope("jsonl");
  int next_id_ = 0;
};

TEST_F(JsonLinesSpanExporterTest, WritesEachBatchAsOneRequestLine) {
  std::ostringstream out;
  JsonLinesSpanExporter exporter(out);
  std::vector<SpanDataPtr> first;
  first.push_back(MakeSpan("a"));
  first.push_back(MakeSpan("b"));
  std::vector<SpanDataPtr> second;
  second.push_back(MakeSpan("c"));
  ASSERT_EQ(exporter.Export(first, MonotonicTime{}), ExportResult::kSuccess);
  ASSERT_EQ(exporter.Export(second, MonotonicTime{}), ExportResult::kSuccess);

  std::string expected_first;
  EncodeTraceRequestJson(first, expected_first);
  std::string expected_second;
  EncodeTraceRequestJson(second, expected_second);
  EXPECT_EQ(out.str(), expected_first + "\n" + expected_second + "\n");
  const std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u);
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    simdjson::dom::element request;
    EXPECT_EQ(parser.parse(simdjson::padded_string(line)).get(request), simdjson::SUCCESS) << line;
  }
}

TEST_F(JsonLinesSpanExporterTest, EmptyBatchWritesNothing) {
  std::ostringstream out;
  JsonLinesSpanExporter exporter(out);
  EXPECT_EQ(exporter.Export({}, MonotonicTime{}), ExportResult::kSuccess);
  EXPECT_EQ(out.str(), "");
}

TEST_F(JsonLinesSpanExporterTest, FailsAfterShutdownAndOnABrokenStream) {
  std::ostringstream out;
  JsonLinesSpanExporter exporter(out);
  std::vector<SpanDataPtr> batch;
  batch.push_back(MakeSpan("a"));
  EXPECT_TRUE(exporter.Shutdown(std::chrono::seconds(1)).ok());
  EXPECT_TRUE(exporter.Shutdown(std::chrono::seconds(1)).ok());  // idempotent
  EXPECT_EQ(exporter.Export(batch, MonotonicTime{}), ExportResult::kFailure);
  EXPECT_EQ(out.str(), "");

  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  JsonLinesSpanExporter failing(broken);
  EXPECT_EQ(failing.Export(batch, MonotonicTime{}), ExportResult::kFailure);
  EXPECT_FALSE(failing.ForceFlush(std::chrono::seconds(1)).ok());
}

TEST_F(JsonLinesSpanExporterTest, OpenFileAppendsToExistingContent) {
  testing::TempFile file("existing line\n");
  ASSERT_FALSE(file.path().empty());
  auto exporter = JsonLinesSpanExporter::OpenFile(file.path());
  ASSERT_TRUE(exporter.ok()) << exporter.status().ToString();
  std::vector<SpanDataPtr> batch;
  batch.push_back(MakeSpan("a"));
  ASSERT_EQ((*exporter)->Export(batch, MonotonicTime{}), ExportResult::kSuccess);
  // Flushed after the batch: visible before Shutdown.
  const std::vector<std::string> lines = Lines(testing::ReadFile(file.path()));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "existing line");
  EXPECT_EQ(lines[1].rfind("{\"resourceSpans\":", 0), 0u) << lines[1];
  EXPECT_TRUE((*exporter)->Shutdown(std::chrono::seconds(1)).ok());
  EXPECT_EQ((*exporter)->Export(batch, MonotonicTime{}), ExportResult::kFailure);
}

TEST_F(JsonLinesSpanExporterTest, OpenFileErrorNamesThePath) {
  const std::filesystem::path path = "/nonexistent-llmtrace-dir/sub/spans.jsonl";
  auto exporter = JsonLinesSpanExporter::OpenFile(path);
  ASSERT_FALSE(exporter.ok());
  EXPECT_NE(exporter.status().message().find(path.string()), std::string::npos)
      << exporter.status().ToString();
  EXPECT_NE(exporter.status().message().find("No such file or directory"), std::string::npos)
      << exporter.status().ToString();
}

TEST_F(JsonLinesSpanExporterTest, ConcurrentExportsNeverInterleaveLines) {
  std::ostringstream out;
  JsonLinesSpanExporter exporter(out);
  std::vector<std::vector<SpanDataPtr>> batches(4);
  for (auto& batch : batches) {
    for (int i = 0; i < 20; ++i) batch.push_back(MakeSpan("concurrent"));
  }
  std::vector<std::thread> threads;
  for (auto& batch : batches) {
    threads.emplace_back([&exporter, &batch] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_EQ(exporter.Export(batch, MonotonicTime{}), ExportResult::kSuccess);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 100u);
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    simdjson::dom::element request;
    ASSERT_EQ(parser.parse(simdjson::padded_string(line)).get(request), simdjson::SUCCESS);
  }
}

}  // namespace
}  // namespace llmtrace::otlp
