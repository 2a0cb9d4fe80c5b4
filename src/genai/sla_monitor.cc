#include "llmtrace/genai/sla_monitor.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/trace/tracer.h"
#include "src/genai/sla_windows.h"

namespace llmtrace::genai {
namespace {

using internal::CallCounts;
using internal::FastTotals;
using internal::ModelWindows;
using internal::SpendWindow;
using std::chrono::minutes;

// A firing alert resolves once its value is this much inside the level (for resolve_for).
constexpr double kHysteresis = 0.1;
constexpr std::string_view kOtherModel = "other";

std::string Num(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string Percent(double ratio) { return Num(ratio * 100) + "%"; }

// What one rule measured for one group at this evaluation.
struct Measurement {
  std::optional<double> value;  // nullopt: not enough data, which never fires and lets resolve
  bool breaks = false;          // past the level
  bool clear = true;            // inside the level by the hysteresis margin
};

// Measurement for "value above threshold is bad".
Measurement Above(std::optional<double> value, double threshold) {
  Measurement m{value};
  if (!value) return m;
  m.breaks = *value > threshold;
  m.clear = *value <= threshold * (1 - kHysteresis);
  return m;
}

// Measurement for "value below threshold is bad" (success rate: a share in [0, 1]).
Measurement Below(std::optional<double> value, double threshold) {
  Measurement m{value};
  if (!value) return m;
  m.breaks = *value < threshold;
  m.clear = *value >= threshold + (1 - threshold) * kHysteresis;
  return m;
}

struct ModelSnapshot {
  FastTotals fast;
  std::map<minutes, CallCounts> burn;  // by window
};

struct Snapshot {
  std::map<std::string, ModelSnapshot, std::less<>> models;
  double spend_24h = 0;
  double spend_last_hour = 0;
  double spend_day_before = 0;  // the 24 hours before the last hour
};

struct Rule {
  std::string name;
  std::string type;
  AlertSeverity severity;
  std::chrono::milliseconds for_duration;
  double threshold;
  bool per_model;
  std::string summary;
  // Measures the rule for one model (per_model) or globally (model empty).
  std::function<Measurement(const Snapshot&, std::string_view model)> measure;
  // The alert message for a value, e.g. "gpt-4o: P99 latency over 5m is 12.3 s (SLA 10 s)".
  std::function<std::string(std::string_view model, double value)> message;
};

constexpr minutes kBurnWindows[] = {minutes(5),          minutes(30),  minutes(60),
                                    minutes(120),        minutes(360), minutes(24 * 60),
                                    minutes(3 * 24 * 60)};

std::optional<double> Quantile(const internal::QuantileSketch& sketch, double q,
                               std::int64_t min_samples) {
  if (sketch.count() < static_cast<std::uint64_t>(min_samples)) return std::nullopt;
  return sketch.Quantile(q);
}

std::vector<Rule> BuildRules(const SlaConfig& sla) {
  const std::int64_t min = sla.min_calls;
  std::vector<Rule> rules;
  struct Latency {
    const char* name;
    const char* type;
    const char* label;
    double q;
    double threshold_ms;
    minutes for_duration;
    AlertSeverity severity;
  };
  for (const Latency& l : {Latency{"LLMLatencyP50Breach", "latency_p50_breach", "P50", 0.5,
                                   sla.p50_latency_ms, minutes(5), AlertSeverity::kWarning},
                           Latency{"LLMLatencyP95Breach", "latency_p95_breach", "P95", 0.95,
                                   sla.p95_latency_ms, minutes(5), AlertSeverity::kWarning},
                           Latency{"LLMLatencyP99Breach", "latency_p99_breach", "P99", 0.99,
                                   sla.p99_latency_ms, minutes(2), AlertSeverity::kCritical}}) {
    const double threshold = l.threshold_ms / 1000;
    const double q = l.q;
    const std::string label = l.label;
    rules.push_back({l.name, l.type, l.severity, l.for_duration, threshold, true,
                     "LLM " + label + " latency exceeds the SLA (" + Num(l.threshold_ms) + " ms)",
                     [q, threshold, min](const Snapshot& s, std::string_view model) {
                       return Above(Quantile(s.models.find(model)->second.fast.latency, q, min),
                                    threshold);
                     },
                     [label, threshold](std::string_view model, double value) {
                       return std::string(model) + ": " + label + " latency over 5m is " +
                              Num(value) + " s (SLA " + Num(threshold) + " s)";
                     }});
  }
  const double ttft = sla.ttft_p95_ms / 1000;
  rules.push_back(
      {"LLMTTFTP95Breach", "ttft_breach", AlertSeverity::kWarning, minutes(3), ttft, true,
       "LLM time to first token P95 exceeds the SLA (" + Num(sla.ttft_p95_ms) + " ms)",
       [ttft, min](const Snapshot& s, std::string_view model) {
         return Above(Quantile(s.models.find(model)->second.fast.ttft, 0.95, min), ttft);
       },
       [ttft](std::string_view model, double value) {
         return std::string(model) + ": TTFT P95 over 5m is " + Num(value) + " s (SLA " +
                Num(ttft) + " s)";
       }});
  const auto error_ratio = [min](const Snapshot& s,
                                 std::string_view model) -> std::optional<double> {
    const FastTotals& fast = s.models.find(model)->second.fast;
    if (fast.calls < static_cast<std::uint64_t>(min)) return std::nullopt;
    return static_cast<double>(fast.failed) / static_cast<double>(fast.calls);
  };
  const double max_errors = sla.error_rate_threshold;
  rules.push_back({"LLMErrorRateHigh", "error_rate_breach", AlertSeverity::kCritical, minutes(3),
                   max_errors, true, "LLM error rate exceeds " + Percent(max_errors),
                   [error_ratio, max_errors](const Snapshot& s, std::string_view model) {
                     return Above(error_ratio(s, model), max_errors);
                   },
                   [](std::string_view model, double value) {
                     return std::string(model) + ": " + Percent(value) + " of calls failed over 5m";
                   }});
  const double min_success = sla.min_success_rate;
  rules.push_back(
      {"LLMSuccessRateLow", "success_rate_breach", AlertSeverity::kCritical, minutes(3),
       min_success, true, "LLM success rate below " + Percent(min_success),
       [error_ratio, min_success](const Snapshot& s, std::string_view model) {
         const auto errors = error_ratio(s, model);
         return Below(errors ? std::optional<double>(1 - *errors) : std::nullopt, min_success);
       },
       [](std::string_view model, double value) {
         return std::string(model) + ": " + Percent(value) + " of calls succeeded over 5m";
       }});
  const double max_hallucinations = sla.hallucination_rate_threshold;
  rules.push_back(
      {"LLMHallucinationRateHigh", "hallucination_rate_breach", AlertSeverity::kWarning, minutes(5),
       max_hallucinations, true, "LLM hallucination rate exceeds " + Percent(max_hallucinations),
       [min, max_hallucinations](const Snapshot& s, std::string_view model) {
         const FastTotals& fast = s.models.find(model)->second.fast;
         if (fast.judged < static_cast<std::uint64_t>(min)) return Measurement{};
         return Above(static_cast<double>(fast.hallucinated) / static_cast<double>(fast.judged),
                      max_hallucinations);
       },
       [](std::string_view model, double value) {
         return std::string(model) + ": " + Percent(value) +
                " of judged answers were unsupported over 5m";
       }});
  // Multi-window multi-burn-rate alerts (SRE workbook, ch. 5) on the error budget.
  const double budget = sla.error_rate_threshold;
  struct Burn {
    const char* name;
    const char* type;
    AlertSeverity severity;
    minutes for_duration;
    minutes long_a, short_a;
    double factor_a;
    minutes long_b, short_b;
    double factor_b;
  };
  for (const Burn& b :
       {Burn{"LLMErrorBudgetBurnFast", "error_budget_burn_fast", AlertSeverity::kCritical,
             minutes(2), minutes(60), minutes(5), 14.4, minutes(360), minutes(30), 6},
        Burn{"LLMErrorBudgetBurnSlow", "error_budget_burn_slow", AlertSeverity::kWarning,
             minutes(15), minutes(24 * 60), minutes(120), 3, minutes(3 * 24 * 60), minutes(360),
             1}}) {
    rules.push_back({b.name, b.type, b.severity, b.for_duration, b.factor_a * budget, true,
                     std::string("LLM error budget burning ") +
                         (b.severity == AlertSeverity::kCritical ? "fast" : "slowly") +
                         " (budget " + Percent(budget) + ")",
                     [b, budget, min](const Snapshot& s, std::string_view model) {
                       const auto& burn = s.models.find(model)->second.burn;
                       const CallCounts long_a = burn.at(b.long_a);
                       if (long_a.calls < static_cast<std::uint64_t>(min)) return Measurement{};
                       const auto pair_breaks = [&](minutes l, minutes sh, double factor,
                                                    double scale) {
                         return burn.at(l).ErrorRatio() > factor * budget * scale &&
                                burn.at(sh).ErrorRatio() > factor * budget * scale;
                       };
                       Measurement m{long_a.ErrorRatio()};
                       m.breaks = pair_breaks(b.long_a, b.short_a, b.factor_a, 1) ||
                                  pair_breaks(b.long_b, b.short_b, b.factor_b, 1);
                       m.clear = !pair_breaks(b.long_a, b.short_a, b.factor_a, 1 - kHysteresis) &&
                                 !pair_breaks(b.long_b, b.short_b, b.factor_b, 1 - kHysteresis);
                       return m;
                     },
                     [budget](std::string_view model, double value) {
                       return std::string(model) + " is failing " + Percent(value) +
                              " of calls against an error budget of " + Percent(budget);
                     }});
  }
  const double daily = sla.daily_budget_usd;
  const double warn_at = daily * sla.budget_warning_ratio;
  rules.push_back(
      {"LLMDailyBudgetApproaching", "daily_budget_warning", AlertSeverity::kWarning, minutes(5),
       warn_at, false, "LLM spend over the last 24 hours is approaching the daily budget",
       [warn_at](const Snapshot& s, std::string_view) { return Above(s.spend_24h, warn_at); },
       [warn_at, daily](std::string_view, double value) {
         return "Spend over 24h is $" + Num(value) + "; warning at $" + Num(warn_at) +
                ", budget $" + Num(daily);
       }});
  rules.push_back(
      {"LLMDailyBudgetExceeded", "daily_budget_breach", AlertSeverity::kCritical, minutes(1), daily,
       false, "LLM spend over the last 24 hours exceeds the daily budget",
       [daily](const Snapshot& s, std::string_view) { return Above(s.spend_24h, daily); },
       [daily](std::string_view, double value) {
         return "Spend over 24h is $" + Num(value) + "; budget $" + Num(daily);
       }});
  // The last hour's spend rate against the 24 hours before it, ignoring small hours.
  const double floor = daily * 0.05;
  rules.push_back({"LLMCostAnomaly", "cost_anomaly", AlertSeverity::kWarning, minutes(15), 3, false,
                   "LLM spend rate is anomalous",
                   [floor](const Snapshot& s, std::string_view) {
                     const double baseline_per_hour = s.spend_day_before / 24;
                     if (s.spend_last_hour < floor || baseline_per_hour <= 0) {
                       // no baseline yet, or too little spend to matter
                       return Measurement{};
                     }
                     return Above(s.spend_last_hour / baseline_per_hour, 3);
                   },
                   [](std::string_view, double value) {
                     return "The last hour's spend is " + Num(value) +
                            "x the hourly average of the day before";
                   }});
  return rules;
}

// The state of one rule for one group.
struct AlertTrack {
  Alert alert;                             // labels, fingerprint, name: fixed at first sight
  std::optional<Timestamp> pending_since;  // breaking, not yet for long enough
  std::optional<Timestamp> clear_since;    // firing, but back inside the level
  bool firing = false;
  std::vector<Timestamp> last_sent;  // per sink, for repeats
};

}  // namespace

struct SlaMonitor::Impl {
  SlaMonitorOptions options;
  const Clock* clock = nullptr;
  std::vector<Rule> rules;

  mutable std::mutex data_mutex;  // guards the windows (Record is the hot path)
  std::map<std::string, ModelWindows, std::less<>> models;
  SpendWindow spend;

  mutable std::mutex state_mutex;                      // guards tracks (Evaluate vs FiringAlerts)
  std::unordered_map<std::string, AlertTrack> tracks;  // by rule name + model

  std::mutex evaluate_mutex;  // one Evaluate at a time
  std::mutex thread_mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread evaluator;

  Snapshot TakeSnapshot(Timestamp now) const;
  ModelWindows& WindowsOf(std::string_view model);  // data_mutex held
  void Send(const Alert& alert, std::size_t sink) noexcept;
  void RecordSpan(const Alert& alert, std::string_view model) noexcept;
};

Snapshot SlaMonitor::Impl::TakeSnapshot(Timestamp now) const {
  Snapshot snapshot;
  std::lock_guard lock(data_mutex);
  for (const auto& [model, windows] : models) {
    ModelSnapshot& m = snapshot.models[model];
    m.fast = windows.Last5Minutes(now);
    for (minutes window : kBurnWindows) m.burn[window] = windows.Last(now, window);
  }
  snapshot.spend_24h = spend.Between(now, minutes(0), minutes(24 * 60));
  snapshot.spend_last_hour = spend.Between(now, minutes(0), minutes(60));
  snapshot.spend_day_before = spend.Between(now, minutes(60), minutes(25 * 60));
  return snapshot;
}

void SlaMonitor::Impl::Send(const Alert& alert, std::size_t sink) noexcept {
  options.sinks[sink]->Send(alert);
}

void SlaMonitor::Impl::RecordSpan(const Alert& alert, std::string_view model) noexcept {
  if (!options.tracer) return;
  trace::Span span = options.tracer->StartSpan("llm.alert");
  span.SetAttribute("alert.level",
                    alert.severity == AlertSeverity::kCritical ? "CRITICAL" : "WARNING");
  span.SetAttribute("alert.name", alert.name);
  span.SetAttribute("alert.type", alert.type);
  span.SetAttribute("alert.message", alert.message);
  span.SetAttribute("alert.value", alert.value);
  span.SetAttribute("alert.threshold", alert.threshold);
  span.SetAttribute("alert.fingerprint", alert.fingerprint);
  if (!model.empty()) span.SetAttribute("gen_ai.request.model", model);
  span.End();
}

SlaMonitor::SlaMonitor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<SlaMonitor>> SlaMonitor::Create(SlaMonitorOptions options) {
  if (options.evaluation_interval.count() < 0) {
    return InvalidArgumentError("sla monitor: evaluation_interval must not be negative");
  }
  if (options.resolve_for.count() < 0) {
    return InvalidArgumentError("sla monitor: resolve_for must not be negative");
  }
  if (options.max_models == 0) return InvalidArgumentError("sla monitor: max_models must be >= 1");
  for (const auto& sink : options.sinks) {
    if (!sink) return InvalidArgumentError("sla monitor: a sink is null");
  }
  auto impl = std::make_unique<Impl>();
  impl->clock = options.clock ? options.clock : &SystemClock::Instance();
  impl->rules = BuildRules(options.sla);
  impl->options = std::move(options);
  std::unique_ptr<SlaMonitor> monitor(new SlaMonitor(std::move(impl)));
  Impl* raw = monitor->impl_.get();
  if (raw->options.evaluation_interval.count() > 0) {
    raw->evaluator = std::thread([monitor = monitor.get(), raw] {
      std::unique_lock lock(raw->thread_mutex);
      while (!raw->wake.wait_for(lock, raw->options.evaluation_interval,
                                 [raw] { return raw->stopping; })) {
        lock.unlock();
        monitor->Evaluate();
        lock.lock();
      }
    });
  }
  return monitor;
}

SlaMonitor::~SlaMonitor() {
  {
    std::lock_guard lock(impl_->thread_mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->evaluator.joinable()) impl_->evaluator.join();
}

// The windows of `model`, created on first use; past max_models, the shared "other" series.
ModelWindows& SlaMonitor::Impl::WindowsOf(std::string_view model) {
  auto it = models.find(model);
  if (it != models.end()) return it->second;
  const std::string_view key = models.size() < options.max_models ? model : kOtherModel;
  it = models.find(key);
  if (it == models.end()) it = models.emplace(std::string(key), ModelWindows{}).first;
  return it->second;
}

void SlaMonitor::Record(const SlaObservation& call) noexcept {
  const Timestamp now = impl_->clock->Now();
  try {
    std::lock_guard lock(impl_->data_mutex);
    impl_->WindowsOf(call.model).Record(call, now);
    impl_->spend.Add(call.cost_usd, now);
  } catch (...) {  // out of memory for a new model: this call is not monitored
    static RateLimitedLog log;
    log.Warn([] { return std::string("sla monitor: out of memory, a call was not recorded"); });
  }
}

void SlaMonitor::RecordVerdict(std::string_view model, bool hallucinated) noexcept {
  const Timestamp now = impl_->clock->Now();
  try {
    std::lock_guard lock(impl_->data_mutex);
    impl_->WindowsOf(model).RecordVerdict(hallucinated, now);
  } catch (...) {
    static RateLimitedLog log;
    log.Warn([] { return std::string("sla monitor: out of memory, a verdict was not recorded"); });
  }
}

void SlaMonitor::Evaluate() noexcept {
  std::lock_guard evaluating(impl_->evaluate_mutex);
  Impl& m = *impl_;
  const Timestamp now = m.clock->Now();
  struct Outgoing {
    Alert alert;
    std::string model;
    std::vector<std::size_t> sinks;
    bool fired = false;
  };
  std::vector<Outgoing> outgoing;
  try {
    const Snapshot snapshot = m.TakeSnapshot(now);
    std::vector<std::string> groups;
    for (const auto& [model, unused] : snapshot.models) groups.push_back(model);
    std::lock_guard lock(m.state_mutex);
    for (const Rule& rule : m.rules) {
      const std::vector<std::string> rule_groups =
          rule.per_model ? groups : std::vector<std::string>{""};
      for (const std::string& model : rule_groups) {
        const Measurement measured = rule.measure(snapshot, model);
        const std::string key = rule.name + '\x1f' + model;
        auto it = m.tracks.find(key);
        if (it == m.tracks.end()) {
          if (!measured.breaks) continue;  // nothing to remember yet
          AlertTrack track;
          Alert& a = track.alert;
          a.name = rule.name;
          a.type = rule.type;
          a.severity = rule.severity;
          a.summary = rule.summary;
          a.threshold = rule.threshold;
          a.labels = m.options.sla.labels;
          a.labels.emplace_back("alertname", rule.name);
          a.labels.emplace_back("severity", std::string(AlertSeverityName(rule.severity)));
          if (!model.empty()) a.labels.emplace_back("gen_ai_request_model", model);
          std::sort(a.labels.begin(), a.labels.end());
          a.fingerprint = AlertFingerprint(a.name, a.labels);
          track.last_sent.assign(m.options.sinks.size(), Timestamp{});
          it = m.tracks.emplace(key, std::move(track)).first;
        }
        AlertTrack& track = it->second;
        if (measured.value) track.alert.value = *measured.value;
        if (!track.firing) {
          if (!measured.breaks) {
            m.tracks.erase(it);  // back to inactive: nothing pending
            continue;
          }
          if (!track.pending_since) track.pending_since = now;
          if (now - *track.pending_since < rule.for_duration) continue;
          track.firing = true;
          track.clear_since.reset();
          track.alert.state = AlertState::kFiring;
          track.alert.starts_at = now;
          track.alert.ends_at = Timestamp{};
          track.alert.message = rule.message(model, track.alert.value);
          Outgoing out{track.alert, model, {}, true};
          for (std::size_t s = 0; s < m.options.sinks.size(); ++s) {
            out.sinks.push_back(s);
            track.last_sent[s] = now;
          }
          outgoing.push_back(std::move(out));
          continue;
        }
        // Firing: resolve once clear (with hysteresis) for resolve_for; else maybe repeat.
        if (measured.clear) {
          if (!track.clear_since) track.clear_since = now;
          if (now - *track.clear_since >= m.options.resolve_for) {
            track.alert.state = AlertState::kResolved;
            track.alert.ends_at = now;
            track.alert.message = rule.message(model, track.alert.value);
            Outgoing out{track.alert, model, {}, false};
            for (std::size_t s = 0; s < m.options.sinks.size(); ++s) out.sinks.push_back(s);
            outgoing.push_back(std::move(out));
            m.tracks.erase(it);
            continue;
          }
        } else {
          track.clear_since.reset();
        }
        Outgoing repeat{track.alert, model, {}, false};
        for (std::size_t s = 0; s < m.options.sinks.size(); ++s) {
          const auto interval = m.options.sinks[s]->repeat_interval();
          if (interval.count() > 0 && now - track.last_sent[s] >= interval) {
            repeat.sinks.push_back(s);
            track.last_sent[s] = now;
          }
        }
        if (!repeat.sinks.empty()) outgoing.push_back(std::move(repeat));
      }
    }
  } catch (...) {  // out of memory: this evaluation is skipped; the next one catches up
    static RateLimitedLog log;
    log.Warn([] { return std::string("sla monitor: out of memory, an evaluation was skipped"); });
    return;
  }
  // Outside the state lock: sinks may be slow or call back into FiringAlerts.
  for (const Outgoing& out : outgoing) {
    if (out.fired) m.RecordSpan(out.alert, out.model);
    for (std::size_t sink : out.sinks) m.Send(out.alert, sink);
  }
}

std::vector<Alert> SlaMonitor::FiringAlerts() const {
  std::vector<Alert> firing;
  std::lock_guard lock(impl_->state_mutex);
  for (const auto& [key, track] : impl_->tracks) {
    if (track.firing) firing.push_back(track.alert);
  }
  std::sort(firing.begin(), firing.end(),
            [](const Alert& a, const Alert& b) { return a.fingerprint < b.fingerprint; });
  return firing;
}

}  // namespace llmtrace::genai
