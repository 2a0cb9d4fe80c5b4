#!/usr/bin/env bash
# Sets everything up, builds llmtrace and runs the main demo: the seed's multi-model chain (a RAG
# pipeline feeding a ReAct agent with 3 iterations and 2 tool calls) on a deterministic
# in-process model, recorded with llmtrace::genai (spans, metrics, cost, budget, call log), then
# rendered by `llmtrace tree`. No API key needed. With OTEL_EXPORTER_OTLP_ENDPOINT set, the spans
# also go to that OpenTelemetry Collector.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
build="$root/build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMTRACE_SANITIZE=OFF \
  -DLLMTRACE_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j2 --target rag_agent_example llmtrace_cli
out="$build/demo"
mkdir -p "$out"
"$build/examples/rag_agent_example" --spans "$out/spans.jsonl" --logs "$out/calls.jsonl" "$@"
echo
"$build/cli/llmtrace" tree --file "$out/spans.jsonl"
