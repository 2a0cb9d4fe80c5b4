#include "llmtrace/genai/sla_config.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace llmtrace::genai {
namespace {

Status FieldError(std::string_view field, std::string_view why) {
  return InvalidArgumentError("sla." + std::string(field) + ": " + std::string(why));
}

std::string Number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

Status ReadNumber(std::string_view field, simdjson::dom::element value, double& out) {
  if (value.get_double().get(out) != simdjson::SUCCESS || !std::isfinite(out)) {
    return FieldError(field, "expected a number");
  }
  return Status::Ok();
}

Status Positive(std::string_view field, double value) {
  return value > 0 ? Status::Ok() : FieldError(field, "must be greater than 0");
}

Status Share(std::string_view field, double value) {
  return value > 0 && value < 1 ? Status::Ok()
                                : FieldError(field, "must be between 0 and 1 (exclusive)");
}

// Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*, and not the reserved "__" prefix.
bool IsLabelName(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

Status ReadLabels(simdjson::dom::element value,
                  std::vector<std::pair<std::string, std::string>>& out) {
  simdjson::dom::object labels;
  if (value.get_object().get(labels) != simdjson::SUCCESS) {
    return FieldError("labels", "expected an object of label names to strings");
  }
  out.clear();
  for (auto [key, label_value] : labels) {
    const std::string name(key);
    if (!IsLabelName(name)) {
      return FieldError("labels." + name, "not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
    }
    if (name == "severity" || name == "alertname") {
      return FieldError("labels." + name, "reserved: set by the generated rules");
    }
    std::string_view text;
    if (label_value.get_string().get(text) != simdjson::SUCCESS) {
      return FieldError("labels." + name, "expected a string");
    }
    out.emplace_back(name, std::string(text));
  }
  std::sort(out.begin(), out.end());
  return Status::Ok();
}

Status Validate(const SlaConfig& sla) {
  for (auto [field, value] :
       {std::pair{"p50_latency_ms", sla.p50_latency_ms},
        std::pair{"p95_latency_ms", sla.p95_latency_ms},
        std::pair{"p99_latency_ms", sla.p99_latency_ms}, std::pair{"ttft_p95_ms", sla.ttft_p95_ms},
        std::pair{"daily_budget_usd", sla.daily_budget_usd}}) {
    if (Status s = Positive(field, value); !s.ok()) return s;
  }
  for (auto [field, value] :
       {std::pair{"error_rate_threshold", sla.error_rate_threshold},
        std::pair{"min_success_rate", sla.min_success_rate},
        std::pair{"hallucination_rate_threshold", sla.hallucination_rate_threshold},
        std::pair{"budget_warning_ratio", sla.budget_warning_ratio}}) {
    if (Status s = Share(field, value); !s.ok()) return s;
  }
  if (sla.p95_latency_ms < sla.p50_latency_ms) {
    return FieldError("p95_latency_ms",
                      "must be at least p50_latency_ms (" + Number(sla.p50_latency_ms) + ")");
  }
  if (sla.p99_latency_ms < sla.p95_latency_ms) {
    return FieldError("p99_latency_ms",
                      "must be at least p95_latency_ms (" + Number(sla.p95_latency_ms) + ")");
  }
  if (sla.min_calls < 1) return FieldError("min_calls", "must be at least 1");
  return Status::Ok();
}

}  // namespace

Result<SlaConfig> ParseSlaConfigJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root)) {
    return InvalidArgumentError(std::string("sla: not valid JSON: ") +
                                simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgumentError("sla: expected a JSON object of service levels");
  }
  SlaConfig sla;
  for (auto [key, value] : object) {
    Status status;
    if (key == "p50_latency_ms") {
      status = ReadNumber(key, value, sla.p50_latency_ms);
    } else if (key == "p95_latency_ms") {
      status = ReadNumber(key, value, sla.p95_latency_ms);
    } else if (key == "p99_latency_ms") {
      status = ReadNumber(key, value, sla.p99_latency_ms);
    } else if (key == "ttft_p95_ms") {
      status = ReadNumber(key, value, sla.ttft_p95_ms);
    } else if (key == "error_rate_threshold") {
      status = ReadNumber(key, value, sla.error_rate_threshold);
    } else if (key == "min_success_rate") {
      status = ReadNumber(key, value, sla.min_success_rate);
    } else if (key == "hallucination_rate_threshold") {
      status = ReadNumber(key, value, sla.hallucination_rate_threshold);
    } else if (key == "daily_budget_usd") {
      status = ReadNumber(key, value, sla.daily_budget_usd);
    } else if (key == "budget_warning_ratio") {
      status = ReadNumber(key, value, sla.budget_warning_ratio);
    } else if (key == "min_calls") {
      if (value.get_int64().get(sla.min_calls) != simdjson::SUCCESS) {
        status = FieldError(key, "expected an integer");
      }
    } else if (key == "labels") {
      status = ReadLabels(value, sla.labels);
    } else {
      status = FieldError(key,
                          "unknown field (known: p50_latency_ms, p95_latency_ms, "
                          "p99_latency_ms, ttft_p95_ms, error_rate_threshold, "
                          "min_success_rate, hallucination_rate_threshold, "
                          "daily_budget_usd, budget_warning_ratio, min_calls, labels)");
    }
    if (!status.ok()) return status;
  }
  if (Status status = Validate(sla); !status.ok()) return status;
  return sla;
}

}  // namespace llmtrace::genai
