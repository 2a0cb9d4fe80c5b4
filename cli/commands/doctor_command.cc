#include "cli/commands/doctor_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

namespace llmtrace::cli {
namespace {

std::string_view Mark(CheckLevel level) {
  switch (level) {
    case CheckLevel::kOk:
      return "ok  ";
    case CheckLevel::kInfo:
      return "info";
    case CheckLevel::kWarning:
      return "warn";
    case CheckLevel::kProblem:
      return "FAIL";
  }
  return "?   ";
}

}  // namespace

void RegisterDoctorCommand(CLI::App& app, CommandRun& run) {
  auto inputs = std::make_shared<DoctorInputs>();
  CLI::App* doctor = app.add_subcommand(
      "doctor", "Check the telemetry configuration of this environment and the given files");
  doctor->add_option("--pricing", inputs->pricing_file,
                     "Pricing catalog to check (default: what the SDK loads)");
  doctor->add_option("--budgets", inputs->budgets_file, "Budgets file to validate");
  doctor->add_option("--sla", inputs->sla_file, "SLA file to validate");
  doctor->add_option("--redaction-rules", inputs->redaction_rules_file,
                     "Redaction rules file to compile with the default rules");
  doctor->add_option("-m,--model", inputs->models,
                     "A model the application calls; it must be priced (repeatable)");
  doctor->add_flag(
      "--offline", [inputs](std::int64_t) { inputs->check_network = false; },
      "Do not contact the OTLP endpoints");
  doctor->callback([&run, inputs] {
    run = [inputs] {
      inputs->environment = &ProcessEnvironment::Instance();
      return RunDoctorCommand(*inputs, std::cout);
    };
  });
}

int RunDoctorCommand(const DoctorInputs& inputs, std::ostream& out) {
  const std::vector<CheckResult> results = RunDoctorChecks(inputs);
  std::size_t width = 0;
  for (const CheckResult& r : results) width = std::max(width, r.area.size());
  out << "llmtrace doctor\n";
  int problems = 0;
  int warnings = 0;
  for (const CheckResult& r : results) {
    out << "  [" << Mark(r.level) << "] " << r.area << std::string(width - r.area.size() + 2, ' ')
        << r.detail << "\n";
    problems += r.level == CheckLevel::kProblem;
    warnings += r.level == CheckLevel::kWarning;
  }
  out << (problems == 0 ? "No problems"
                        : std::to_string(problems) + " problem" + (problems == 1 ? "" : "s"))
      << ", " << warnings << " warning" << (warnings == 1 ? "" : "s") << ".\n";
  return problems == 0 ? kExitOk : kExitFailure;
}

}  // namespace llmtrace::cli
