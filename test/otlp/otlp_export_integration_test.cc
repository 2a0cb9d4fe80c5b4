// End to end over real sockets: tracer -> BatchSpanProcessor -> OtlpHttpSpanExporter -> curl ->
// a loopback receiver that misbehaves on purpose.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "llmtrace/otlp/otlp_http_span_exporter.h"
#include "llmtrace/trace/batch_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"
#include "test/support/loopback_http_server.h"

namespace llmtrace::otlp {
namespace {

using ::llmtrace::testing::LoopbackHttpServer;
using std::chrono::milliseconds;

std::size_t CountOccurrences(const std::string& haystack, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

struct Pipeline {
  trace::BatchSpanProcessor* processor = nullptr;
  OtlpHttpSpanExporter* exporter = nullptr;
  MapEnvironment env;
  std::shared_ptr<trace::TracerProvider> provider;

  Pipeline(const std::string& endpoint, RetryPolicy retry) {
    OtlpHttpOptions options;
    options.endpoint = endpoint;
    options.protocol = OtlpProtocol::kHttpJson;  // countable without a decoder
    options.timeout = milliseconds(2000);
    options.retry = retry;
    auto exporter_result = OtlpHttpSpanExporter::Create(options);
    EXPECT_TRUE(exporter_result.ok()) << exporter_result.status().ToString();
    exporter = exporter_result->get();
    auto processor_result = trace::BatchSpanProcessor::Create(
        std::move(*exporter_result), {.max_queue_size = 4096,
                                      .schedule_delay = milliseconds(50),
                                      .max_export_batch_size = 100,
                                      .export_timeout = milliseconds(5000)});
    processor = processor_result->get();
    trace::TracerProviderOptions provider_options;
    provider_options.environment = &env;
    provider_options.processors.push_back(std::move(*processor_result));
    provider = *trace::TracerProvider::Create(std::move(provider_options));
  }
};

TEST(OtlpExportIntegrationTest, RetryAfter503DeliversEverySpan) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&calls](const LoopbackHttpServer::Request&) {
    if (calls.fetch_add(1) == 0) {
      return LoopbackHttpServer::Response{.status = 503, .headers = {{"Retry-After", "1"}}};
    }
    return LoopbackHttpServer::Response{.status = 200};
  });
  ASSERT_TRUE(server.Start().ok());
  Pipeline p(server.base_url() + "/v1/traces", {.max_attempts = 5,
                                                .initial_backoff = milliseconds(10),
                                                .max_backoff = milliseconds(100),
                                                .multiplier = 2.0});

  auto tracer = p.provider->GetTracer("integration");
  constexpr int kSpans = 250;
  for (int i = 0; i < kSpans; ++i) {
    tracer->StartSpan("chat gpt-4o", {{"gen_ai.operation.name", "chat"}, {"i", i}}).End();
  }
  ASSERT_TRUE(p.provider->ForceFlush(std::chrono::seconds(20)).ok());

  std::size_t delivered = 0;
  bool saw_503_body = false;
  auto requests = server.requests();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].target, "/v1/traces");
    EXPECT_EQ(requests[i].Header("content-type"), "application/json");
    std::size_t spans = CountOccurrences(requests[i].body, "\"spanId\":");
    if (i == 0) {
      saw_503_body = spans > 0;
    } else {
      delivered += spans;
    }
  }
  EXPECT_TRUE(saw_503_body);
  EXPECT_EQ(delivered, std::size_t{kSpans});
  OtlpExporterStats stats = p.exporter->stats();
  EXPECT_EQ(stats.retries, 1u);
  EXPECT_EQ(stats.items_exported, std::uint64_t{kSpans});
  EXPECT_EQ(stats.items_failed, 0u);
  EXPECT_EQ(p.processor->stats().spans_exported, std::uint64_t{kSpans});
}

TEST(OtlpExportIntegrationTest, WithTheReceiverDownTheAppKeepsRunningAndLossesAreCounted) {
  std::string endpoint;
  {
    LoopbackHttpServer gone;
    ASSERT_TRUE(gone.Start().ok());
    endpoint = gone.base_url() + "/v1/traces";
  }  // stopped: connections to its port are refused
  Pipeline p(endpoint, {.max_attempts = 2,
                        .initial_backoff = milliseconds(5),
                        .max_backoff = milliseconds(10),
                        .multiplier = 2.0});
  auto tracer = p.provider->GetTracer("integration");
  constexpr int kSpans = 3000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kSpans; ++i) tracer->StartSpan("s").End();
  auto elapsed = std::chrono::steady_clock::now() - start;
  // Recording never waits on the network: 3000 spans take far less than one connect attempt
  // loop would (a loose bound, not a performance assertion).
  EXPECT_LT(elapsed, std::chrono::seconds(2));

  (void)p.provider->ForceFlush(std::chrono::seconds(20));
  ASSERT_TRUE(p.provider->Shutdown(std::chrono::seconds(20)).ok());
  trace::BatchSpanProcessorStats bsp = p.processor->stats();
  OtlpExporterStats exporter = p.exporter->stats();
  EXPECT_EQ(bsp.spans_received, std::uint64_t{kSpans});
  EXPECT_EQ(bsp.spans_exported, 0u);
  // Every span is accounted for: dropped at the queue or lost by the exporter, nothing silent.
  EXPECT_EQ(bsp.spans_export_failed + bsp.spans_dropped_queue_full, std::uint64_t{kSpans});
  EXPECT_EQ(exporter.items_failed, bsp.spans_export_failed);
  EXPECT_GT(exporter.failed_exports, 0u);
}

}  // namespace
}  // namespace llmtrace::otlp
