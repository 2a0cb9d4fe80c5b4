// Alert fire and resolve sequences of the SLA monitor under synthetic traffic on a ManualClock.
#include "llmtrace/genai/sla_monitor.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "llmtrace/trace/in_memory_span_exporter.h"
#include "llmtrace/trace/simple_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"
#include "test/genai/genai_test_util.h"

namespace llmtrace::genai {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class RecordingSink final : public AlertSink {
 public:
  explicit RecordingSink(std::chrono::milliseconds repeat = {}) : repeat_(repeat) {}
  void Send(const Alert& alert) noexcept override {
    std::lock_guard lock(mutex_);
    alerts_.push_back(alert);
  }
  std::chrono::milliseconds repeat_interval() const noexcept override { return repeat_; }
  std::vector<Alert> alerts() const {
    std::lock_guard lock(mutex_);
    return alerts_;
  }
  // The alerts named `name`, as "firing"/"resolved" strings in order.
  std::vector<std::string> States(std::string_view name) const {
    std::vector<std::string> states;
    for (const Alert& a : alerts()) {
      if (a.name == name) states.emplace_back(AlertStateName(a.state));
    }
    return states;
  }

 private:
  std::chrono::milliseconds repeat_;
  mutable std::mutex mutex_;
  std::vector<Alert> alerts_;
};

struct Harness {
  ManualClock clock{Timestamp{seconds(1'700'000'000)}};
  std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
  std::unique_ptr<SlaMonitor> monitor;

  explicit Harness(SlaConfig sla = {}, SlaMonitorOptions options = {}) {
    options.sla = std::move(sla);
    options.sinks.push_back(sink);
    options.clock = &clock;
    auto created = SlaMonitor::Create(std::move(options));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    monitor = std::move(*created);
  }

  // `per_minute` calls a minute for `duration`, in 10-second steps, evaluating after each.
  void Traffic(std::chrono::seconds duration, int per_minute, SlaObservation call) {
    for (seconds t{0}; t < duration; t += seconds(10)) {
      for (int i = 0; i < per_minute / 6; ++i) monitor->Record(call);
      clock.Advance(seconds(10));
      monitor->Evaluate();
    }
  }
  // Calls where `failed_per_minute` of `per_minute` fail.
  void MixedTraffic(std::chrono::seconds duration, int per_minute, int failed_per_minute,
                    std::string_view model = "gpt-4o") {
    for (seconds t{0}; t < duration; t += seconds(10)) {
      for (int i = 0; i < per_minute / 6; ++i) {
        monitor->Record(
            {.model = model, .latency_seconds = 0.5, .failed = i < failed_per_minute / 6});
      }
      clock.Advance(seconds(10));
      monitor->Evaluate();
    }
  }
};

const SlaObservation kSlow{.model = "gpt-4o", .latency_seconds = 15};
const SlaObservation kFast{.model = "gpt-4o", .latency_seconds = 0.8};

TEST(SlaMonitorTest, ASingleSlowCallDoesNotPage) {
  Harness h;
  h.monitor->Record({.model = "gpt-4o", .latency_seconds = 60});
  for (int i = 0; i < 60; ++i) {
    h.clock.Advance(seconds(10));
    h.monitor->Evaluate();
  }
  EXPECT_TRUE(h.sink->alerts().empty());
}

TEST(SlaMonitorTest, SustainedSlowCallsFireAfterTheForDurationOnceAndResolveOnce) {
  Harness h;
  h.Traffic(seconds(90), 60, kSlow);  // breaking since ~20 s (min_calls), P99 `for` is 2m
  EXPECT_TRUE(h.sink->States("LLMLatencyP99Breach").empty());
  h.Traffic(minutes(3), 60, kSlow);
  EXPECT_EQ(h.sink->States("LLMLatencyP99Breach"), std::vector<std::string>{"firing"});
  const auto firing = h.monitor->FiringAlerts();
  ASSERT_FALSE(firing.empty());
  // Fast calls again: the slow ones leave the 5-minute window, then resolve_for (2m) passes.
  h.Traffic(minutes(4), 60, kFast);
  EXPECT_EQ(h.sink->States("LLMLatencyP99Breach"), std::vector<std::string>{"firing"});
  h.Traffic(minutes(4), 60, kFast);
  EXPECT_EQ(h.sink->States("LLMLatencyP99Breach"),
            (std::vector<std::string>{"firing", "resolved"}));
  const Alert resolved = h.sink->alerts().back();
  EXPECT_EQ(resolved.state, AlertState::kResolved);
  EXPECT_GT(resolved.ends_at, resolved.starts_at);
  EXPECT_TRUE(h.monitor->FiringAlerts().empty());
}

TEST(SlaMonitorTest, AnAlertCarriesTheSeedsFieldsAndStableLabels) {
  SlaConfig sla;
  sla.labels = {{"team", "search"}};
  Harness h(sla);
  h.Traffic(minutes(4), 60, kSlow);
  const auto alerts = h.sink->alerts();
  const Alert* p99 = nullptr;
  for (const Alert& a : alerts) {
    if (a.name == "LLMLatencyP99Breach") p99 = &a;
  }
  ASSERT_NE(p99, nullptr);
  EXPECT_EQ(p99->type, "latency_p99_breach");
  EXPECT_EQ(p99->severity, AlertSeverity::kCritical);
  EXPECT_EQ(p99->threshold, 10);
  EXPECT_NEAR(p99->value, 15, 15 * 0.01);  // the sketch's 1%
  EXPECT_EQ(p99->message.rfind("gpt-4o: P99 latency over 5m is 1", 0), 0u) << p99->message;
  EXPECT_NE(p99->message.find(" s (SLA 10 s)"), std::string::npos) << p99->message;
  const std::vector<std::pair<std::string, std::string>> labels = {
      {"alertname", "LLMLatencyP99Breach"},
      {"gen_ai_request_model", "gpt-4o"},
      {"severity", "critical"},
      {"team", "search"}};
  EXPECT_EQ(p99->labels, labels);
  EXPECT_EQ(p99->fingerprint, AlertFingerprint(p99->name, labels));
}

TEST(SlaMonitorTest, AlertsAreGroupedPerModel) {
  Harness h;
  for (int step = 0; step < 30; ++step) {
    for (int i = 0; i < 10; ++i) {
      h.monitor->Record(kSlow);
      h.monitor->Record({.model = "claude-sonnet-4", .latency_seconds = 0.7});
    }
    h.clock.Advance(seconds(10));
    h.monitor->Evaluate();
  }
  for (const Alert& a : h.sink->alerts()) {
    EXPECT_NE(std::find(a.labels.begin(), a.labels.end(),
                        std::pair<std::string, std::string>{"gen_ai_request_model", "gpt-4o"}),
              a.labels.end())
        << a.name << " fired for another model";
  }
  EXPECT_EQ(h.sink->States("LLMLatencyP99Breach"), std::vector<std::string>{"firing"});
}

TEST(SlaMonitorTest, HysteresisKeepsAnAlertFiringJustInsideTheLevel) {
  Harness h;
  h.MixedTraffic(minutes(6), 600, 30);  // 5% errors: fires after 3m
  EXPECT_EQ(h.sink->States("LLMErrorRateHigh"), std::vector<std::string>{"firing"});
  h.MixedTraffic(minutes(10), 600, 6);  // 1.0%: not above the level, but not 10% inside it
  EXPECT_EQ(h.sink->States("LLMErrorRateHigh"), std::vector<std::string>{"firing"});
  h.MixedTraffic(minutes(10), 600, 0);
  EXPECT_EQ(h.sink->States("LLMErrorRateHigh"), (std::vector<std::string>{"firing", "resolved"}));
}

TEST(SlaMonitorTest, FastBurnPagesAtTwentyPercentErrorsButNotAtFive) {
  Harness five;
  five.MixedTraffic(minutes(70), 120, 6);
  EXPECT_TRUE(five.sink->States("LLMErrorBudgetBurnFast").empty());
  EXPECT_FALSE(five.sink->States("LLMErrorRateHigh").empty());

  Harness twenty;
  twenty.MixedTraffic(minutes(70), 120, 24);
  EXPECT_EQ(twenty.sink->States("LLMErrorBudgetBurnFast"), std::vector<std::string>{"firing"});
}

TEST(SlaMonitorTest, DailySpendWarnsThenBreaches) {
  Harness h;
  const auto spend = [&h](int hours, double per_quarter_hour) {
    for (int quarter = 0; quarter < 4 * hours; ++quarter) {
      h.monitor->Record({.model = "gpt-4o", .latency_seconds = 1, .cost_usd = per_quarter_hour});
      h.clock.Advance(minutes(15));
      h.monitor->Evaluate();
    }
  };
  spend(23, 2);  // $8 an hour: $184 in the last 24 hours, past the $180 warning
  EXPECT_EQ(h.sink->States("LLMDailyBudgetApproaching"), std::vector<std::string>{"firing"});
  EXPECT_TRUE(h.sink->States("LLMDailyBudgetExceeded").empty());
  spend(1, 7.5);  // $30 more: $214 over the rolling day
  EXPECT_EQ(h.sink->States("LLMDailyBudgetExceeded"), std::vector<std::string>{"firing"});
}

TEST(SlaMonitorTest, ASpendSpikeAgainstItsOwnBaselineIsAnAnomaly) {
  Harness h;
  for (int minute = 0; minute < 25 * 60; minute += 10) {  // $1 an hour for a day
    h.monitor->Record({.model = "gpt-4o", .latency_seconds = 1, .cost_usd = 1.0 / 6});
    h.clock.Advance(minutes(10));
    h.monitor->Evaluate();
  }
  EXPECT_TRUE(h.sink->States("LLMCostAnomaly").empty());
  for (int minute = 0; minute < 40; ++minute) {  // then $30 in 40 minutes
    h.monitor->Record({.model = "gpt-4o", .latency_seconds = 1, .cost_usd = 0.75});
    h.clock.Advance(minutes(1));
    h.monitor->Evaluate();
  }
  EXPECT_EQ(h.sink->States("LLMCostAnomaly"), std::vector<std::string>{"firing"});
}

TEST(SlaMonitorTest, EachFiringIsAnLlmAlertSpan) {
  auto spans = std::make_shared<trace::InMemorySpanData>();
  trace::TracerProviderOptions tracing;
  tracing.processors.push_back(std::make_unique<trace::SimpleSpanProcessor>(
      std::make_unique<trace::InMemorySpanExporter>(spans)));
  auto provider = *trace::TracerProvider::Create(std::move(tracing));
  SlaMonitorOptions options;
  options.tracer = provider->GetTracer("test");
  Harness h({}, std::move(options));
  h.Traffic(minutes(4), 60, kSlow);
  auto span = spans->Find("llm.alert");
  ASSERT_NE(span, nullptr);
  std::map<std::string, std::string> attributes;
  for (const KeyValue& kv : span->attributes())
    attributes[std::string(kv.key)] = kv.value.ToString();
  EXPECT_EQ(attributes["alert.level"], "\"CRITICAL\"");
  EXPECT_EQ(attributes["alert.type"], "\"latency_p99_breach\"");
  EXPECT_EQ(attributes["alert.threshold"], "10");
  EXPECT_TRUE(attributes.contains("alert.value"));
  EXPECT_TRUE(attributes.contains("alert.message"));
  EXPECT_EQ(attributes["gen_ai.request.model"], "\"gpt-4o\"");
}

TEST(SlaMonitorTest, SinksThatAskForRepeatsGetTheFiringAlertAgain) {
  auto repeating = std::make_shared<RecordingSink>(minutes(1));
  SlaMonitorOptions options;
  options.sinks.push_back(repeating);
  Harness h({}, std::move(options));
  h.Traffic(minutes(8), 60, kSlow);  // fires at ~2m20s, then 5+ minutes of repeats
  const auto repeats = repeating->States("LLMLatencyP99Breach");
  EXPECT_GE(repeats.size(), 5u);
  EXPECT_EQ(h.sink->States("LLMLatencyP99Breach").size(), 1u);  // no repeats asked: sent once
}

TEST(SlaMonitorTest, TheBackgroundThreadEvaluatesOnItsOwn) {
  SlaConfig sla;
  sla.daily_budget_usd = 1;
  SlaMonitorOptions options;
  options.evaluation_interval = std::chrono::milliseconds(5);
  Harness h(sla, std::move(options));
  h.monitor->Record({.model = "gpt-4o", .latency_seconds = 1, .cost_usd = 5});
  // The `for` of the breach is 1 minute of clock time: advance the manual clock until the
  // thread has seen it pending and then firing (bounded: at most 2000 x 5 ms).
  for (int i = 0; i < 2000 && h.sink->States("LLMDailyBudgetExceeded").empty(); ++i) {
    h.clock.Advance(seconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(h.sink->States("LLMDailyBudgetExceeded"), std::vector<std::string>{"firing"});
}

TEST(SlaMonitorTest, InvalidOptionsAreRefused) {
  EXPECT_FALSE(SlaMonitor::Create({.sinks = {nullptr}}).ok());
  EXPECT_FALSE(SlaMonitor::Create({.max_models = 0}).ok());
  EXPECT_FALSE(SlaMonitor::Create({.resolve_for = std::chrono::milliseconds(-1)}).ok());
}

}  // namespace
}  // namespace llmtrace::genai

namespace llmtrace::genai {
namespace {

// Instrumentation feeds every ended inference call into the monitor: slow calls page on their
// own, with nothing recorded by hand.
TEST(SlaMonitorTest, InstrumentedCallsFeedTheMonitor) {
  testing::GenAiPipeline p;
  auto sink = std::make_shared<RecordingSink>();
  auto monitor = SlaMonitor::Create({.sinks = {sink}, .clock = &p.clock});
  ASSERT_TRUE(monitor.ok());
  std::shared_ptr<SlaMonitor> shared = std::move(*monitor);
  auto options = p.Options();
  options.sla_monitor = shared;
  auto genai = p.Create(std::move(options));
  for (int step = 0; step < 20; ++step) {  // 10 concurrent calls of 15 s each, for 5 minutes
    std::vector<InferenceSpan> calls;
    for (int i = 0; i < 10; ++i) {
      calls.push_back(genai->StartInference({.provider = "openai", .model = "gpt-4o"}));
    }
    p.clock.Advance(std::chrono::seconds(15));
    for (InferenceSpan& call : calls) call.End();
    shared->Evaluate();
  }
  EXPECT_EQ(sink->States("LLMLatencyP99Breach"), std::vector<std::string>{"firing"});
}

}  // namespace
}  // namespace llmtrace::genai
