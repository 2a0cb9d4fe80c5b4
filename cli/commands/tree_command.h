// `llmtrace tree [--file PATH] [--trace-id HEX] [--ascii]`: prints the traces of a JSON-lines span
// export as the seed's chain view (see trace_tree_render.h).
#pragma once

#include <iosfwd>
#include <string>

#include "cli/commands/command.h"

namespace llmtrace::cli {

struct TreeCommandOptions {
  std::string file = "-";  // "-": standard input
  std::string trace_id;    // empty: every trace
  bool ascii = false;
};

void RegisterTreeCommand(CLI::App& app, CommandRun& run);

// The command itself, apart from argument parsing (tests call it directly).
int RunTreeCommand(const TreeCommandOptions& options, std::istream& in, std::ostream& out,
                   std::ostream& err);

}  // namespace llmtrace::cli
