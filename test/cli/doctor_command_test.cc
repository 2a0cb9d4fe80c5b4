#include "cli/commands/doctor_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "test/support/loopback_http_server.h"

namespace llmtrace::cli {
namespace {

const std::string kPricing = std::string(LLMTRACE_SOURCE_DIR) + "/data/pricing.json";
const std::string kSla = std::string(LLMTRACE_SOURCE_DIR) + "/data/sla.json";

// A file with `text` that is removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/llmtrace-doctor-XXXXXX";
    const int fd = mkstemp(name);
    path_ = name;
    if (fd >= 0) close(fd);
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Report {
  int exit_code = 0;
  std::string text;
  bool Has(const std::string& s) const { return text.find(s) != std::string::npos; }
};

Report Doctor(DoctorInputs inputs) {
  std::ostringstream out;
  Report report;
  report.exit_code = RunDoctorCommand(inputs, out);
  report.text = out.str();
  return report;
}

TEST(DoctorCommandTest, AHealthySetupPassesAndTheCollectorGetsOneEmptyExportPerSignal) {
  llmtrace::testing::LoopbackHttpServer collector;
  ASSERT_TRUE(collector.Start().ok());
  MapEnvironment env{{"OTEL_SERVICE_NAME", "rag-demo"},
                     {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.base_url()}};
  const Report report = Doctor({.environment = &env,
                                .pricing_file = kPricing,
                                .sla_file = kSla,
                                .models = {"gpt-4o", "claude-sonnet-4-5-20250929"}});
  EXPECT_EQ(report.exit_code, 0) << report.text;
  EXPECT_TRUE(report.Has("service.name=rag-demo")) << report.text;
  EXPECT_TRUE(report.Has("every model given is priced (2)")) << report.text;
  EXPECT_TRUE(report.Has("No problems, 0 warnings.")) << report.text;
  const auto requests = collector.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/v1/traces");
  EXPECT_EQ(requests[1].target, "/v1/metrics");
  EXPECT_EQ(requests[2].target, "/v1/logs");
  EXPECT_EQ(requests[0].Header("content-type"), "application/x-protobuf");
  EXPECT_TRUE(requests[0].body.empty());  // an empty ExportTraceServiceRequest
  collector.Stop();
}

TEST(DoctorCommandTest, AConfiguredCollectorThatIsDownIsAProblem) {
  llmtrace::testing::LoopbackHttpServer collector;
  ASSERT_TRUE(collector.Start().ok());
  const std::string url = collector.base_url();
  collector.Stop();  // nothing listens on the port any more
  MapEnvironment env{{"OTEL_SERVICE_NAME", "x"}, {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", url}};
  const Report report = Doctor({.environment = &env, .pricing_file = kPricing});
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_TRUE(report.Has("[FAIL] OTLP traces")) << report.text;
}

TEST(DoctorCommandTest, ACollectorAnswering404GetsAHintAboutThePath) {
  llmtrace::testing::LoopbackHttpServer collector(
      [](const llmtrace::testing::LoopbackHttpServer::Request&) {
        return llmtrace::testing::LoopbackHttpServer::Response{.status = 404};
      });
  ASSERT_TRUE(collector.Start().ok());
  MapEnvironment env{{"OTEL_SERVICE_NAME", "x"},
                     {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.base_url() + "/traces"}};
  const Report report = Doctor({.environment = &env, .pricing_file = kPricing});
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_TRUE(report.Has("HTTP 404: nothing at this path")) << report.text;
  collector.Stop();
}

TEST(DoctorCommandTest, FilesAndModelsWithMistakesAreProblemsThatNameTheField) {
  MapEnvironment env{{"OTEL_SERVICE_NAME", "x"}};
  TempFile budgets(R"({"budgets": [{"name": "daily", "limit_usd": "ten"}]})");
  TempFile sla(R"({"p99_latency_ms": 100})");
  TempFile rules(R"({"rules": [{"name": "bad", "pattern": "(", "placeholder": "[X]"}]})");
  const Report report = Doctor({.environment = &env,
                                .pricing_file = kPricing,
                                .budgets_file = budgets.path(),
                                .sla_file = sla.path(),
                                .redaction_rules_file = rules.path(),
                                .models = {"gpt-4o", "my-finetune"},
                                .check_network = false});
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_TRUE(report.Has("no price for my-finetune")) << report.text;
  EXPECT_TRUE(report.Has("budgets[0].limit_usd")) << report.text;
  EXPECT_TRUE(report.Has("sla.p99_latency_ms: must be at least p95_latency_ms")) << report.text;
  EXPECT_TRUE(report.Has("[FAIL] Redaction")) << report.text;
  EXPECT_TRUE(report.Has("bad")) << report.text;
  EXPECT_TRUE(report.Has("4 problems")) << report.text;
}

TEST(DoctorCommandTest, IgnoredEnvironmentValuesAreProblemsAndContentCaptureIsAWarning) {
  MapEnvironment env{{"OTEL_SERVICE_NAME", "x"},
                     {"OTEL_TRACES_SAMPLER", "sometimes"},
                     {"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "SPAN_ONLY"}};
  Report report = Doctor({.environment = &env, .pricing_file = kPricing, .check_network = false});
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_TRUE(report.Has("[FAIL] Sampler") && report.Has("unknown sampler 'sometimes'"))
      << report.text;
  EXPECT_TRUE(report.Has("[warn] Content capture")) << report.text;

  env.Set("OTEL_TRACES_SAMPLER", "parentbased_llmtrace_llm_aware");
  report = Doctor({.environment = &env, .pricing_file = kPricing, .check_network = false});
  EXPECT_EQ(report.exit_code, 0) << report.text;  // a warning alone does not fail
  EXPECT_TRUE(report.Has("1 warning.")) << report.text;
}

TEST(DoctorCommandTest, AnInvalidCaptureModeIsAProblemNamingTheVariable) {
  MapEnvironment env{{"OTEL_SERVICE_NAME", "x"},
                     {"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "everything"}};
  const Report report =
      Doctor({.environment = &env, .pricing_file = kPricing, .check_network = false});
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_TRUE(report.Has("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT")) << report.text;
}

}  // namespace
}  // namespace llmtrace::cli
