// How a subcommand plugs into the `llmtrace` binary: a Register function adds it to the CLI11
// app and arranges for `run` to be set when it is the one chosen; main() calls run and returns
// its exit code (0 ok, 1 runtime error, 2 usage error). Adding a command is one Register call in
// main.cc.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace llmtrace::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

using CommandRun = std::function<int()>;

}  // namespace llmtrace::cli
