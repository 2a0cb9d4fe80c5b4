// `llmtrace doctor [--pricing FILE] [--budgets FILE] [--sla FILE] [--redaction-rules FILE]
//                  [--model NAME]... [--offline]`: checks the effective configuration (this
// process's environment, as an application started from it would read it, and the files given)
// and prints a report; exits 1 when something is wrong (docs/cli.md lists the checks).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/commands/command.h"
#include "cli/doctor_checks.h"

namespace llmtrace::cli {

void RegisterDoctorCommand(CLI::App& app, CommandRun& run);

// Runs the checks and prints the report: 0 when nothing is a problem (warnings allowed), else 1.
int RunDoctorCommand(const DoctorInputs& inputs, std::ostream& out);

}  // namespace llmtrace::cli
