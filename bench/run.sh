#!/usr/bin/env bash
# Runs the benchmarks and prints each result next to the baseline measured in the same run and
# the target from the issue that asked for it.
#
#   bench/run.sh [BUILD_DIR]           full run (about two minutes); numbers for docs/performance.md
#   bench/run.sh --smoke [BUILD_DIR]   seconds: checks every benchmark runs (used by scripts/test.sh)
#
# Run it on a quiet machine: the batch processor's export thread needs the second core.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
build="${1:-$root/build}"
bench="$build/bench"
for b in trace_benchmark otlp_encode_benchmark otlp_sustained_export metrics_benchmark \
         logs_benchmark genai_call_benchmark pricing_benchmark budget_benchmark \
         redaction_benchmark; do
  [ -x "$bench/$b" ] || { echo "bench/run.sh: $bench/$b is missing; build first" >&2; exit 1; }
done

if [ "$smoke" = 1 ]; then
  "$bench/trace_benchmark" --benchmark_min_time=0.01 >/dev/null 2>&1
  "$bench/otlp_encode_benchmark" --benchmark_min_time=0.01 >/dev/null 2>&1
  "$bench/otlp_sustained_export" --smoke >/dev/null 2>&1
  "$bench/metrics_benchmark" --benchmark_min_time=0.01 >/dev/null 2>&1
  "$bench/logs_benchmark" --benchmark_min_time=0.01 >/dev/null 2>&1
  "$bench/genai_call_benchmark" --benchmark_min_time=0.01 >/dev/null 2>&1
  "$bench/pricing_benchmark" --benchmark_min_time=0.01 >/dev/null 2>&1
  "$bench/budget_benchmark" --benchmark_min_time=0.01 >/dev/null 2>&1
  "$bench/redaction_benchmark" --benchmark_min_time=0.01 >/dev/null 2>&1
  echo "bench: every benchmark ran (smoke mode; no numbers)"
  exit 0
fi

csv_medians() {  # benchmark binary -> "name cpu_ns items_per_second dropped" per line (medians)
  "$1" --benchmark_repetitions=5 --benchmark_min_time=0.5 --benchmark_report_aggregates_only=true \
    --benchmark_format=csv 2>/dev/null |
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); if (h == "dropped") dropped_col = i }; next }
      $1 ~ /_median"?$/ {
        name = $1; gsub(/"/, "", name); sub(/_median$/, "", name);
        dropped = (dropped_col && $dropped_col != "") ? $dropped_col : 0;
        print name, $4, ($7 == "" ? 0 : $7), dropped }'
}

echo "== tracing hot path (CPU ns per operation, median of 5; lower is better)"
trace_results="$(csv_medians "$bench/trace_benchmark")"
printf '%-28s %12s %14s %10s %10s\n' case llmtrace conventional ratio target
for entry in "SpanWith8Attributes:100" "NestedParentChild:200" "SpanWithTwo1KiBEvents:250"; do
  case_name="${entry%%:*}"; target="${entry##*:}"
  ours=$(awk -v n="Llmtrace_$case_name" '$1 == n { print $2 }' <<<"$trace_results")
  dropped=$(awk -v n="Llmtrace_$case_name" '$1 == n { print $4 }' <<<"$trace_results")
  base=$(awk -v n="Conventional_$case_name" '$1 == n { print $2 }' <<<"$trace_results")
  awk -v c="$case_name" -v o="$ours" -v b="$base" -v t="$target" -v d="$dropped" 'BEGIN {
    verdict = (o <= t ? "meets" : "misses") (d > 0 ? sprintf(" (median run dropped %d spans)", d) : "");
    printf "%-28s %9.1f ns %11.1f ns %9.1fx %7d ns  %s\n", c, o, b, b / o, t, verdict }'
done

awk '{ v[$1] = $2 } END {
  printf "recording alone (no hand-off to the export thread): %.1f ns for the 8-attribute span\n",
    v["Llmtrace_SpanWith8Attributes_RecordOnly"]
  printf "span timestamp: %.1f ns (TSC clock) vs %.1f ns (clock_gettime)\n",
    v["Llmtrace_ClockNow"], v["Baseline_ClockGettime"] }' <<<"$trace_results"

echo
echo "== OTLP protobuf encoding (batch of 512 GenAI spans)"
encode_results="$(csv_medians "$bench/otlp_encode_benchmark")"
awk '{ rate[$1] = $3 } END {
  printf "protobuf: %.2f M spans/s; JSON: %.2f M spans/s; copying the protobuf bytes: %.2f M spans/s\n",
    rate["Llmtrace_EncodeProto512Spans"] / 1e6, rate["Llmtrace_EncodeJson512Spans"] / 1e6,
    rate["Baseline_CopyProtoSizedBuffer"] / 1e6
  printf "protobuf encoding runs at %.1f%% of the memcpy floor\n",
    100 * rate["Llmtrace_EncodeProto512Spans"] / rate["Baseline_CopyProtoSizedBuffer"] }' \
  <<<"$encode_results"

echo
echo "== sustained export through Batch + OTLP/HTTP to a loopback receiver (target >= 500,000/s)"
"$bench/otlp_sustained_export"

echo
echo "== metrics hot path: 3 attributes, all threads on one series (median of 5)"
metrics_bin="$bench/metrics_benchmark"
{
  # name cpu_ns items_per_second, from the medians. ns/op is CPU time on one thread (as above);
  # items_per_second is over real time, so the 2-thread row is the aggregate rate.
  metrics_results="$("$metrics_bin" --benchmark_repetitions=5 --benchmark_min_time=0.5 \
    --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null |
    awk -F, '$1 ~ /_median"?$/ { name = $1; gsub(/"/, "", name); sub(/_median$/, "", name);
      sub(/\/real_time/, "", name); print name, $4, $7 }')"
  printf '%-28s %10s %12s %7s %7s   %14s %14s %9s  %s\n' case "1-thr" conventional ratio target \
    "1-thr ops/s" "2-thr ops/s" "2 vs 1" verdict
  for case_name in CounterAdd3Attributes HistogramRecord3Attributes BoundCounterAdd \
                   BoundHistogramRecord; do
    awk -v c="$case_name" '
      { ns[$1] = $2; rate[$1] = $3 }
      END {
        o = "Llmtrace_" c; b = "Conventional_" c;
        o1 = ns[o "/threads:1"]; r1 = rate[o "/threads:1"]; r2 = rate[o "/threads:2"];
        b1 = ns[b "/threads:1"];
        base = (b1 == "" ? "-" : sprintf("%9.1f ns", b1));
        ratio = (b1 == "" ? "-" : sprintf("%6.1fx", b1 / o1));
        target = (c ~ /^Bound/ ? "-" : "25 ns");
        verdict = (c ~ /^Bound/ ? "" : (o1 <= 25 ? "meets 25 ns; " : "misses 25 ns; "));
        verdict = verdict (r2 > r1 ? "scales on 2 threads" : "does not scale on 2 threads");
        printf "%-28s %7.1f ns %12s %7s %7s   %10.2f M/s %10.2f M/s %8.2fx  %s\n",
          c, o1, base, ratio, target, r1 / 1e6, r2 / 1e6, r2 / r1, verdict }' <<<"$metrics_results"
  done
  awk '$1 ~ /^Conventional_/ && $1 ~ /threads:2$/ { name = $1; sub(/\/threads:2$/, "", name);
      printf "baseline %s: %.2f M/s on 2 threads\n", name, $3 / 1e6 }' <<<"$metrics_results"
}

echo
echo "== structured logs: emit with 3 attributes inside a span, through the batch processor"
logs_results="$(csv_medians "$bench/logs_benchmark")"
awk '{ print "  " $1 ": " sprintf("%.1f", $2) " ns CPU" ($4 > 0 ? " (median run dropped " $4 ")" : "") }' \
  <<<"$logs_results"

echo
echo "== one instrumented LLM call: span, metrics, cost, budget, hashes, call log (target 2000 ns)"
genai_results="$(csv_medians "$bench/genai_call_benchmark")"
awk '{ ns[$1] = $2; dropped[$1] = $4 } END {
  base = ns["Baseline_BareSpan"];
  for (c in ns) if (c != "Baseline_BareSpan")
    printf "  %-42s %8.1f ns CPU  %5.1fx a bare span (%.1f ns)  %s%s\n", c, ns[c], ns[c] / base,
      base, (ns[c] <= 2000 ? "meets" : "misses"),
      (dropped[c] > 0 ? sprintf(" (median run dropped %d)", dropped[c]) : "") }' <<<"$genai_results"

echo
echo "== pricing lookup + cost, and budget reserve + settle (CPU ns per call, median of 5)"
csv_medians "$bench/pricing_benchmark" | awk '{ printf "  %-44s %8.1f ns\n", $1, $2 }'
csv_medians "$bench/budget_benchmark" | awk '{ printf "  %-44s %8.1f ns\n", $1, $2 }'

echo
echo "== redaction: default rules on 1 MiB of chat text (MB/s, median of 3; target 1000)"
"$bench/redaction_benchmark" --benchmark_repetitions=3 --benchmark_min_time=0.5 \
  --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null |
  awk -F, '$1 ~ /_median"?$/ { n = $1; gsub(/"/, "", n); sub(/_median$/, "", n); r[n] = $6 / 1e6 }
    END { s = r["Baseline_SeedStdRegex1MiBChat"];
      for (n in r) printf "  %-46s %10.1f MB/s  %7.1fx seed\n", n, r[n], (s > 0 ? r[n] / s : 0) }'
