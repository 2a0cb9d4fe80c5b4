// The checks of `llmtrace doctor`: each looks at one part of the effective configuration (the
// environment an application would start with, plus the files named on the command line) the
// way the SDK itself would read it, and says what it found.
// Thread-safety: functions of their arguments; run them from one thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "llmtrace/common/environment.h"

namespace llmtrace::cli {

enum class CheckLevel { kOk, kInfo, kWarning, kProblem };

struct CheckResult {
  std::string area;  // "OTLP traces", "Pricing catalog", ...
  CheckLevel level = CheckLevel::kOk;
  std::string detail;  // one line: what was found, or what is wrong and how to fix it
};

struct DoctorInputs {
  const Environment* environment = nullptr;  // never null
  std::string pricing_file;                  // empty: what the SDK would load
  std::string budgets_file;                  // empty: not checked
  std::string sla_file;                      // empty: not checked
  std::string redaction_rules_file;          // empty: default rules only
  std::vector<std::string> models;           // must be priced
  bool check_network = true;                 // POST an empty export to each OTLP endpoint
  std::chrono::milliseconds network_timeout{3000};
};

std::vector<CheckResult> RunDoctorChecks(const DoctorInputs& inputs);

}  // namespace llmtrace::cli
