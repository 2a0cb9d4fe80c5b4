// The `llmtrace` command-line tool. Each subcommand lives in cli/commands/ and registers itself
// here with one line.
#include <CLI/CLI.hpp>

#include "cli/commands/command.h"
#include "cli/commands/doctor_command.h"
#include "cli/commands/rules_command.h"
#include "cli/commands/tree_command.h"

int main(int argc, char** argv) {
  CLI::App app{"llmtrace: OpenTelemetry-native observability for LLM applications"};
  app.require_subcommand(1);
  llmtrace::cli::CommandRun run;
  llmtrace::cli::RegisterTreeCommand(app, run);
  llmtrace::cli::RegisterRulesCommand(app, run);
  llmtrace::cli::RegisterDoctorCommand(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);  // prints help or the usage error
    return code == 0 ? llmtrace::cli::kExitOk : llmtrace::cli::kExitUsage;
  }
  return run ? run() : llmtrace::cli::kExitUsage;
}
