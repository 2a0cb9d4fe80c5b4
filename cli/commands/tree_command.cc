#include "cli/commands/tree_command.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/trace_tree.h"
#include "cli/trace_tree_render.h"
#include "llmtrace/common/strings.h"

namespace llmtrace::cli {

void RegisterTreeCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<TreeCommandOptions>();
  CLI::App* tree = app.add_subcommand(
      "tree", "Print the traces of a JSON-lines span export as a tree with GenAI totals");
  tree->add_option(
          "-f,--file", options->file,
          "JSON-lines span file (llmtrace's or the Collector's file exporter); - for stdin")
      ->capture_default_str();
  tree->add_option("-t,--trace-id", options->trace_id, "Only this trace (32 hex digits)");
  tree->add_flag("--ascii", options->ascii, "ASCII tree lines instead of box-drawing characters");
  tree->callback([&run, options] {
    run = [options] { return RunTreeCommand(*options, std::cin, std::cout, std::cerr); };
  });
}

int RunTreeCommand(const TreeCommandOptions& options, std::istream& in, std::ostream& out,
                   std::ostream& err) {
  std::string text;
  std::string source = options.file;
  if (options.file == "-") {
    source = "stdin";
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else {
    std::ifstream file(options.file, std::ios::binary);
    if (!file) {
      err << "llmtrace tree: cannot open " << options.file << "\n";
      return kExitFailure;
    }
    text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  auto traces = ParseSpanLines(text, source);
  if (!traces.ok()) {
    err << "llmtrace tree: " << traces.status().message() << "\n";
    return kExitFailure;
  }
  const std::string wanted = ToLowerAscii(options.trace_id);
  bool printed = false;
  for (const Trace& trace : *traces) {
    if (!wanted.empty() && ToLowerAscii(trace.trace_id) != wanted) continue;
    if (printed) out << "\n";
    out << RenderTrace(trace, {.ascii = options.ascii});
    printed = true;
  }
  if (!printed) {
    if (!wanted.empty()) {
      err << "llmtrace tree: trace " << options.trace_id << " not found in " << source << "\n";
    } else {
      err << "llmtrace tree: no spans in " << source << "\n";
    }
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace llmtrace::cli
