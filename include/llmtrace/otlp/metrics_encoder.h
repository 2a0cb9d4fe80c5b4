// Encoders for OTLP metrics export requests (opentelemetry.proto.collector.metrics.v1.
// ExportMetricsServiceRequest), written from the OTLP specification with no protobuf library.
//
// Used by OtlpHttpMetricExporter. One ResourceMetrics snapshot becomes one ResourceMetrics
// message (none when the snapshot has no scope), a ScopeMetrics per scope and a Metric per
// metric, in the snapshot's order: sums (aggregation temporality and monotonicity), gauges and
// explicit-bucket histograms. NumberDataPoint values are as_int (sfixed64) or as_double as
// recorded; HistogramDataPoint.sum is always written (it has explicit presence), min and max
// only when recorded; bucket counts and bounds are packed. Protobuf and JSON follow the same
// rules as the trace encoder (trace_encoder.h): OTLP/JSON with 64-bit integers as decimal
// strings, enums as integers, default values omitted, NaN and the infinities as strings.
// Both append to `out`. The only exception the encoders can throw is std::bad_alloc.
//
// The decoders read ExportMetricsServiceResponse.partial_success (rejected_data_points) from
// the network: malformed input is an InvalidArgument status, never a crash.
// Thread-safety: pure functions.
//
//   std::string body;
//   otlp::EncodeMetricsRequestProto(reader.Collect(), body);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "llmtrace/common/result.h"
#include "llmtrace/metrics/metric_data.h"
#include "llmtrace/otlp/trace_encoder.h"  // PartialSuccess

namespace llmtrace::otlp {

void EncodeMetricsRequestProto(const metrics::ResourceMetrics& metrics, std::string& out);
void EncodeMetricsRequestJson(const metrics::ResourceMetrics& metrics, std::string& out);

// The number of data points in a snapshot (what partial success counts as rejected).
std::size_t CountDataPoints(const metrics::ResourceMetrics& metrics) noexcept;

Result<PartialSuccess> DecodeMetricsPartialSuccessProto(std::string_view body);
Result<PartialSuccess> DecodeMetricsPartialSuccessJson(std::string_view body);

}  // namespace llmtrace::otlp
