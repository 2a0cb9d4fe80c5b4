// Decoding of the `partial_success` member of OTLP export responses, shared by the three signals.
//
// ExportTraceServiceResponse, ExportMetricsServiceResponse and ExportLogsServiceResponse all
// carry `partial_success = 1`, a message of `rejected_<items> = 1` (int64) and
// `error_message = 2`; only the name of the count differs (rejectedSpans, rejectedDataPoints,
// rejectedLogRecords), and only JSON cares about names. Response bodies come from the network:
// malformed ones give an InvalidArgument status naming `what`, never a crash.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "llmtrace/common/result.h"
#include "llmtrace/otlp/trace_encoder.h"

namespace llmtrace::otlp::internal {

// `what` prefixes error messages ("otlp trace response").
Result<PartialSuccess> DecodePartialSuccessProto(std::string_view body, std::string_view what);

// `rejected_name` is the lowerCamelCase JSON name ("rejectedSpans"); `rejected_proto_name` the
// .proto name ("rejected_spans"), which protobuf JSON parsers accept too. The count may be a
// JSON number or a decimal string (protobuf JSON writes int64 as a string).
Result<PartialSuccess> DecodePartialSuccessJson(std::string_view body,
                                                std::string_view rejected_name,
                                                std::string_view rejected_proto_name,
                                                std::string_view what);

}  // namespace llmtrace::otlp::internal
