// (e) Sustained spans per second through BatchSpanProcessor and OtlpHttpSpanExporter (protobuf,
// curl, keep-alive) to a loopback receiver, with zero drops.
//
// One application thread ends spans at a fixed rate for a few seconds; the rate steps up until
// a step loses a span (dropped at the queue or failed at the exporter). The result is the highest
// rate with none lost. The baseline, measured in the same run against the same receiver: the
// rate at which pre-encoded batches of the same size can be POSTed back to back, i.e. what the
// network path and receiver allow at all.
//
//   otlp_sustained_export [--smoke]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "llmtrace/http/curl_http_client.h"
#include "llmtrace/otlp/otlp_http_span_exporter.h"
#include "llmtrace/otlp/trace_encoder.h"
#include "llmtrace/trace/batch_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"
#include "test/support/loopback_http_server.h"

namespace {

using namespace llmtrace;
using Clock = std::chrono::steady_clock;

struct StepResult {
  double offered_rate = 0;   // spans per second asked for
  double achieved_rate = 0;  // spans per second actually ended
  std::uint64_t ended = 0;
  std::uint64_t exported = 0;
  std::uint64_t lost = 0;
};

StepResult RunStep(const std::string& endpoint, double rate, std::chrono::milliseconds duration,
                   std::size_t queue_size) {
  otlp::OtlpHttpOptions options;
  options.endpoint = endpoint;
  auto exporter = *otlp::OtlpHttpSpanExporter::Create(options);
  otlp::OtlpHttpSpanExporter* exporter_view = exporter.get();
  trace::BatchSpanProcessorOptions bsp;
  bsp.max_queue_size = queue_size;
  auto processor = *trace::BatchSpanProcessor::Create(std::move(exporter), bsp);
  trace::BatchSpanProcessor* processor_view = processor.get();
  MapEnvironment env;
  trace::TracerProviderOptions provider_options;
  provider_options.environment = &env;
  provider_options.processors.push_back(std::move(processor));
  auto provider = *trace::TracerProvider::Create(std::move(provider_options));
  auto tracer = provider->GetTracer("bench");

  StepResult result;
  result.offered_rate = rate;
  auto start = Clock::now();
  auto end = start + duration;
  const double ns_per_span = 1e9 / rate;
  std::uint64_t n = 0;
  while (true) {
    auto now = Clock::now();
    if (now >= end) break;
    // Catch up to the schedule: end every span that is due by now, in a tight loop.
    auto due = static_cast<std::uint64_t>(
        std::chrono::duration<double, std::nano>(now - start).count() / ns_per_span);
    while (n < due) {
      trace::Span span = tracer->StartSpan("chat gpt-4o-mini",
                                           {{"gen_ai.operation.name", "chat"},
                                            {"gen_ai.provider.name", "openai"},
                                            {"gen_ai.request.model", "gpt-4o-mini"},
                                            {"server.address", "api.openai.com"},
                                            {"server.port", 443}},
                                           {.kind = trace::SpanKind::kClient});
      span.SetAttribute("gen_ai.usage.input_tokens", 1200);
      span.SetAttribute("gen_ai.usage.output_tokens", 350);
      span.SetAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
      span.End();
      ++n;
    }
    if (n >= due) std::this_thread::yield();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  (void)provider->Shutdown(std::chrono::seconds(30));
  auto stats = processor_view->stats();
  auto exporter_stats = exporter_view->stats();
  result.ended = n;
  result.achieved_rate = static_cast<double>(n) / seconds;
  result.exported = exporter_stats.items_exported;
  result.lost =
      stats.spans_dropped_queue_full + stats.spans_export_failed + stats.spans_dropped_shutdown;
  return result;
}

// Back-to-back POSTs of one pre-encoded 512-span request: the floor set by curl, loopback TCP
// and the receiver, with no tracing work at all.
double BaselinePostRate(const std::string& endpoint, std::chrono::milliseconds duration) {
  MapEnvironment env;
  trace::TracerProviderOptions options;
  options.environment = &env;
  auto provider = *trace::TracerProvider::Create(std::move(options));
  auto tracer = provider->GetTracer("bench");
  std::vector<trace::SpanDataPtr> spans;
  for (int i = 0; i < 512; ++i) {
    trace::SpanDataPtr data = trace::AcquireSpanData();
    data->Begin(
        trace::SpanContext(RandomIdGenerator::Instance().NewTraceId(),
                           RandomIdGenerator::Instance().NewSpanId(), trace::TraceFlags(1), false),
        SpanId(), false, "chat gpt-4o-mini", trace::SpanKind::kClient,
        SystemClock::Instance().Now(), trace::SpanLimits{}, provider->resource(), tracer->scope());
    for (const char* key : {"gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model",
                            "server.address", "gen_ai.response.model"}) {
      data->SetAttribute(key, "value-of-typical-length");
    }
    data->SetAttribute("server.port", 443);
    data->SetAttribute("gen_ai.usage.input_tokens", 1200);
    data->SetAttribute("gen_ai.usage.output_tokens", 350);
    spans.push_back(std::move(data));
  }
  http::HttpRequest request;
  request.url = endpoint;
  request.headers = {{"Content-Type", "application/x-protobuf"}};
  otlp::EncodeTraceRequestProto(spans, request.body);
  auto client = *http::CurlHttpClient::Create();
  auto start = Clock::now();
  std::uint64_t posts = 0;
  while (Clock::now() - start < duration) {
    if (client->Send(request).ok()) ++posts;
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(posts) * 512 / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = argc > 1 && std::strcmp(argv[1], "--smoke") == 0;
  // Answers 200 to every request and keeps only a count.
  testing::LoopbackHttpServer receiver(nullptr, testing::LoopbackHttpServer::Recording::kCountOnly);
  if (!receiver.Start().ok()) {
    std::fprintf(stderr, "cannot start the loopback receiver\n");
    return 1;
  }
  std::string endpoint = receiver.base_url() + "/v1/traces";
  auto step = smoke ? std::chrono::milliseconds(200) : std::chrono::milliseconds(3000);
  const std::size_t queue = 2048;  // the specification's default

  double floor = BaselinePostRate(
      endpoint, smoke ? std::chrono::milliseconds(200) : std::chrono::milliseconds(3000));
  std::printf("baseline: pre-encoded 512-span POSTs to the same receiver: %.0f spans/s\n", floor);
  std::printf("%14s %14s %12s %12s %8s\n", "offered/s", "achieved/s", "ended", "exported", "lost");
  double best = 0;
  std::vector<double> rates = smoke ? std::vector<double>{100'000}
                                    : std::vector<double>{250'000,   500'000,   750'000,  1'000'000,
                                                          1'250'000, 1'500'000, 2'000'000};
  for (double rate : rates) {
    StepResult r = RunStep(endpoint, rate, step, queue);
    std::printf("%14.0f %14.0f %12llu %12llu %8llu\n", r.offered_rate, r.achieved_rate,
                static_cast<unsigned long long>(r.ended),
                static_cast<unsigned long long>(r.exported),
                static_cast<unsigned long long>(r.lost));
    // A step counts only if the producer kept up with the schedule and nothing was lost.
    if (r.lost > 0 || r.achieved_rate < 0.97 * rate) break;
    best = r.achieved_rate;
  }
  std::printf("sustained with zero drops: %.0f spans/s (%.2fx the pre-encoded POST baseline)\n",
              best, floor > 0 ? best / floor : 0.0);
  return best > 0 ? 0 : 1;
}
