#!/usr/bin/env bash
# Sets everything up, builds llmtrace and runs the main demo: a GenAI-shaped trace (a RAG
# workflow with retrieval, a chat call and a tool call) recorded by the SDK and exported over
# OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) is set, else printed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
build="$root/build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMTRACE_SANITIZE=OFF \
  -DLLMTRACE_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j2 --target genai_trace_example
"$build/examples/genai_trace_example" "$@"
