// Hot-path costs of the metrics core on 1 and 2 threads, each next to the conventional baseline
// (baseline/conventional_metrics.h) measured in the same run. Every case reports
// items_per_second over real time, so the 2-thread rows show aggregate throughput: the issue
// asks for at most 25 ns per measurement on one thread, and more throughput on two threads than
// on one. bench/run.sh prints the comparison. All threads record into the same series, the
// worst case for contention.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "bench/baseline/conventional_metrics.h"
#include "llmtrace/metrics/meter_provider.h"

namespace llmtrace::bench {
namespace {

struct MetricsPipeline {
  MapEnvironment env;
  std::shared_ptr<metrics::MetricReader> reader = std::make_shared<metrics::MetricReader>();
  std::shared_ptr<metrics::MeterProvider> provider;
  metrics::Counter<std::int64_t> counter;
  metrics::Histogram<double> histogram;

  MetricsPipeline() {
    metrics::MeterProviderOptions options;
    options.environment = &env;
    options.readers.push_back(reader);
    provider = *metrics::MeterProvider::Create(std::move(options));
    auto meter = provider->GetMeter("bench");
    counter = meter->CreateInt64Counter("gen_ai.client.token.count", {.unit = "{token}"});
    histogram = meter->CreateDoubleHistogram(
        "gen_ai.client.operation.duration",
        {.unit = "s",
         .bucket_boundaries = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24,
                               20.48, 40.96, 81.92}});
  }
  // One pipeline per process: the threads of a multi-threaded case share it.
  static MetricsPipeline& Instance() {
    static MetricsPipeline* pipeline = new MetricsPipeline();
    return *pipeline;
  }
};

constexpr double kDurations[] = {0.05, 0.3, 1.7, 0.9, 12.0, 0.02, 4.4, 0.6};

void Llmtrace_CounterAdd3Attributes(benchmark::State& state) {
  const auto& counter = MetricsPipeline::Instance().counter;
  for (auto _ : state) {
    counter.Add(1, {{"gen_ai.operation.name", "chat"},
                    {"gen_ai.provider.name", "openai"},
                    {"gen_ai.request.model", "gpt-4o-mini"}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Llmtrace_CounterAdd3Attributes)->Threads(1)->Threads(2)->UseRealTime();

void Llmtrace_HistogramRecord3Attributes(benchmark::State& state) {
  const auto& histogram = MetricsPipeline::Instance().histogram;
  std::size_t i = 0;
  for (auto _ : state) {
    histogram.Record(kDurations[i++ & 7], {{"gen_ai.operation.name", "chat"},
                                           {"gen_ai.provider.name", "openai"},
                                           {"gen_ai.request.model", "gpt-4o-mini"}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Llmtrace_HistogramRecord3Attributes)->Threads(1)->Threads(2)->UseRealTime();

void Llmtrace_BoundCounterAdd(benchmark::State& state) {
  auto bound = MetricsPipeline::Instance().counter.Bind({{"gen_ai.operation.name", "chat"},
                                                         {"gen_ai.provider.name", "openai"},
                                                         {"gen_ai.request.model", "gpt-4o-mini"}});
  for (auto _ : state) bound.Add(1);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Llmtrace_BoundCounterAdd)->Threads(1)->Threads(2)->UseRealTime();

void Llmtrace_BoundHistogramRecord(benchmark::State& state) {
  auto bound =
      MetricsPipeline::Instance().histogram.Bind({{"gen_ai.operation.name", "chat"},
                                                  {"gen_ai.provider.name", "openai"},
                                                  {"gen_ai.request.model", "gpt-4o-mini"}});
  std::size_t i = 0;
  for (auto _ : state) bound.Record(kDurations[i++ & 7]);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Llmtrace_BoundHistogramRecord)->Threads(1)->Threads(2)->UseRealTime();

ConventionalCounter& SharedConventionalCounter() {
  static auto* counter = new ConventionalCounter();
  return *counter;
}
ConventionalHistogram& SharedConventionalHistogram() {
  static auto* histogram = new ConventionalHistogram(
      {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92});
  return *histogram;
}

void Conventional_CounterAdd3Attributes(benchmark::State& state) {
  ConventionalCounter& counter = SharedConventionalCounter();
  for (auto _ : state) {
    counter.Add(1, {{"gen_ai.operation.name", "chat"},
                    {"gen_ai.provider.name", "openai"},
                    {"gen_ai.request.model", "gpt-4o-mini"}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Conventional_CounterAdd3Attributes)->Threads(1)->Threads(2)->UseRealTime();

void Conventional_HistogramRecord3Attributes(benchmark::State& state) {
  ConventionalHistogram& histogram = SharedConventionalHistogram();
  std::size_t i = 0;
  for (auto _ : state) {
    histogram.Record(kDurations[i++ & 7], {{"gen_ai.operation.name", "chat"},
                                           {"gen_ai.provider.name", "openai"},
                                           {"gen_ai.request.model", "gpt-4o-mini"}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Conventional_HistogramRecord3Attributes)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace llmtrace::bench

BENCHMARK_MAIN();
