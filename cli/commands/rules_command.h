// `llmtrace rules [--sla FILE] [--out-dir DIR] [--print rules|dashboard] [--semconv FLAVOUR]`:
// generates Prometheus recording and alerting rules and a Grafana dashboard from an SLA file
// (include/llmtrace/genai/sla_rules.h; docs/alerting.md). Without --sla, the seed's defaults.
#pragma once

#include <iosfwd>
#include <string>

#include "cli/commands/command.h"

namespace llmtrace::cli {

struct RulesCommandOptions {
  std::string sla_file;           // empty: the defaults
  std::string out_dir = ".";      // writes llmtrace-rules.yml and llmtrace-dashboard.json
  std::string print;              // "rules" | "dashboard": write that one to stdout instead
  std::string semconv = "v1.41";  // v1.41 | latest
};

void RegisterRulesCommand(CLI::App& app, CommandRun& run);

int RunRulesCommand(const RulesCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace llmtrace::cli
