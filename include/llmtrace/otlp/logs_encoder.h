// Encoders for OTLP logs export requests (opentelemetry.proto.collector.logs.v1.
// ExportLogsServiceRequest), written from the OTLP specification with no protobuf library.
//
// Used by OtlpHttpLogExporter, and by anyone who wants the bytes (files, tests). Records are
// grouped by resource, then by instrumentation scope, in order of first appearance (null
// entries in the batch are skipped). Protobuf: the binary wire format of opentelemetry-proto
// v1.x logs.proto (field numbers checked against the generated decoder in
// @opentelemetry/otlp-transformer 0.52.1). JSON: the OTLP/JSON rules (trace and span ids as
// lower-case hex, 64-bit integers as decimal strings, enums as integers, lowerCamelCase names,
// default values omitted), on one line. Both append to `out`, so a caller can reuse one buffer
// across batches without reallocating.
// LogRecord fields written: time_unix_nano, observed_time_unix_nano, severity_number,
// severity_text, body, attributes, dropped_attributes_count, flags (the W3C trace flags),
// trace_id and span_id (only for a record correlated with a span). event_name (field 12, OTLP
// 1.5) is not written: the data model here has no event name yet, and the 0.52.1 decoder the
// conformance tests use predates it.
// Strings that are not valid UTF-8 get U+FFFD for each ill-formed sequence. The only exception
// the encoders can throw is std::bad_alloc (the output could not grow).
//
// The decoders read ExportLogsServiceResponse bodies from the network: malformed input is an
// InvalidArgument status, never a crash or an over-read.
// Thread-safety: pure functions.
//
//   std::string body;
//   otlp::EncodeLogsRequestProto(batch, body);
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "llmtrace/common/result.h"
#include "llmtrace/logs/log_record_data.h"
#include "llmtrace/otlp/trace_encoder.h"  // PartialSuccess

namespace llmtrace::otlp {

void EncodeLogsRequestProto(std::span<const logs::LogRecordDataPtr> records, std::string& out);
void EncodeLogsRequestJson(std::span<const logs::LogRecordDataPtr> records, std::string& out);

// ExportLogsServiceResponse.partial_success (rejected_log_records, error_message), from a
// protobuf or JSON response body. An empty body (the usual full success) gives rejected == 0.
Result<PartialSuccess> DecodeLogsPartialSuccessProto(std::string_view body);
Result<PartialSuccess> DecodeLogsPartialSuccessJson(std::string_view body);

}  // namespace llmtrace::otlp
