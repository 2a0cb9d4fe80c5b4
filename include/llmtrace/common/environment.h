// Environment: reads configuration variables (OTEL_*, LLMTRACE_*) with the OpenTelemetry rules.
//
// The rules (OpenTelemetry specification, "Environment Variable Specification"):
//   - an empty value is the same as unset;
//   - a boolean is true only for "true" (any case); anything else is false, and a value other
//     than "false" is reported as invalid;
//   - durations and timeouts are integers in milliseconds;
//   - an invalid value falls back to the default and is reported, naming the variable.
// EnvironmentReader collects those reports so a caller can log them once, or fail start-up.
// The variables come from an injected Environment so tests never touch the process environment.
// Thread-safety: ProcessEnvironment is safe to read concurrently (as long as nobody calls
// setenv); an EnvironmentReader belongs to one thread.
//
//   EnvironmentReader env(ProcessEnvironment::Instance());
//   int queue = env.GetInt("OTEL_BSP_MAX_QUEUE_SIZE", 2048, /*min=*/1);
//   for (const auto& w : env.warnings()) LogWarning(w);
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmtrace {

class Environment {
 public:
  virtual ~Environment() = default;
  // The raw value, or nullopt when unset. Empty values are returned as "" here; the reader
  // treats them as unset.
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
  static const ProcessEnvironment& Instance() noexcept;
};

// A fixed set of variables, for tests and for configuration that does not come from the process.
class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  MapEnvironment(std::initializer_list<std::pair<const std::string, std::string>> values)
      : values_(values) {}
  void Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

class EnvironmentReader {
 public:
  explicit EnvironmentReader(const Environment& env) : env_(env) {}

  // The trimmed value, or nullopt when unset or empty.
  std::optional<std::string> GetString(std::string_view name) const;
  bool GetBool(std::string_view name, bool default_value);
  std::int64_t GetInt(std::string_view name, std::int64_t default_value,
                      std::int64_t min = INT64_MIN, std::int64_t max = INT64_MAX);
  double GetDouble(std::string_view name, double default_value, double min, double max);
  std::chrono::milliseconds GetMilliseconds(std::string_view name,
                                            std::chrono::milliseconds default_value);

  // "OTEL_BSP_MAX_QUEUE_SIZE: expected an integer >= 1, got 'abc'; using 2048".
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  // For parsers of composite variables (OTEL_RESOURCE_ATTRIBUTES, headers) built on GetString.
  void AddWarning(std::string warning) { warnings_.push_back(std::move(warning)); }
  // Sends every warning to the internal log, then forgets them.
  void LogWarnings();

 private:
  void Warn(std::string_view name, std::string_view expected, std::string_view got,
            std::string_view fallback);

  const Environment& env_;
  std::vector<std::string> warnings_;
};

}  // namespace llmtrace
