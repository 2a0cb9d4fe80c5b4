// Prometheus text exposition (format 0.0.4) of a metrics snapshot, following the OpenTelemetry
// "Prometheus and OpenMetrics compatibility" specification.
//
// Used by PrometheusReader (and through it PrometheusHttpServer and the gateway's /metrics).
// The translation:
//   - Names: every character outside [a-zA-Z0-9_] becomes '_' (dots too), runs of '_' collapse
//     to one, a leading digit gets a '_' prefix. The unit becomes a suffix unless the name
//     already holds it: UCUM abbreviations spelled out (s -> seconds, ms -> milliseconds,
//     By -> bytes, ...), "{...}" annotations dropped, "a/b" -> "a_per_b", and "1" -> "ratio"
//     for gauges only. Monotonic sums are counters and get "_total" after the unit.
//   - Types: monotonic cumulative sums -> counter; non-monotonic sums and gauges -> gauge;
//     cumulative explicit-bucket histograms -> histogram (_bucket{le=...} with cumulative
//     counts ending in le="+Inf", then _sum and _count).
//   - Labels: point attributes, names sanitized (invalid characters -> '_', a leading digit gets
//     "key_", a leading "__" gets "key"); attributes that map to the same label are joined with
//     ';' in key order. Non-string values are written as in AttributeValue::ToString. Every
//     point also carries otel_scope_name and otel_scope_version (when not empty). Values
//     escape '\\', '"' and newline.
//   - The resource becomes one `target_info` gauge of value 1 whose labels are its attributes.
//   - Description -> "# HELP" (omitted when empty); every family has a "# TYPE".
//   - Values: integers as written, doubles in the shortest form that reads back exactly,
//     "+Inf", "-Inf", "NaN". No timestamps: Prometheus stamps the scrape.
// Only cumulative data has a Prometheus form: delta sums and delta histograms are left out (a
// PrometheusReader always asks for cumulative). Metrics from different scopes that map to the
// same name share one family; one whose type differs from the family's first is left out.
// Thread-safety: pure functions.
//
//   std::string text = metrics::RenderPrometheusText(reader.Collect());
#pragma once

#include <string>
#include <string_view>

#include "llmtrace/metrics/metric_data.h"

namespace llmtrace::metrics {

// The Content-Type of a rendered page.
inline constexpr std::string_view kPrometheusTextContentType =
    "text/plain; version=0.0.4; charset=utf-8";

std::string RenderPrometheusText(const ResourceMetrics& metrics);

// The pieces, for tests and for tools that print the names a metric will have.
// "gen_ai.client.token.usage" -> "gen_ai_client_token_usage".
std::string SanitizePrometheusMetricName(std::string_view name);
// "http.route" -> "http_route"; "2xx" -> "key_2xx".
std::string SanitizePrometheusLabelName(std::string_view name);
// The unit as a name suffix, without the leading '_': "ms" -> "milliseconds", "By/s" ->
// "bytes_per_second", "{token}" -> "", "1" -> "ratio" when `gauge`, else "".
std::string PrometheusUnitSuffix(std::string_view unit, bool gauge);
// The family name of a metric: sanitized name, unit suffix, "_total" for counters.
std::string PrometheusMetricName(const MetricData& metric);

}  // namespace llmtrace::metrics
