// Encoders for OTLP trace export requests (opentelemetry.proto.collector.trace.v1.
// ExportTraceServiceRequest), written from the OTLP specification with no protobuf library.
//
// Spans are grouped by resource, then by instrumentation scope, in order of first appearance
// (null entries in the batch are skipped). Protobuf: the binary wire format of the .proto
// definitions (opentelemetry-proto v1.x). JSON: the OTLP/JSON rules (ids as lower-case hex,
// 64-bit integers as decimal strings, enums as integers, lowerCamelCase field names, default
// values omitted; NaN and the infinities as "NaN", "Infinity", "-Infinity"), on one line. Both
// append to `out`, so a caller can reuse one buffer across batches without reallocating.
// Span.flags and Link.flags carry the W3C trace flags plus SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE and,
// when the parent (for a span) or the linked span is remote, SPAN_FLAGS_CONTEXT_IS_REMOTE.
// Strings that are not valid UTF-8 get U+FFFD for each ill-formed sequence, so one bad attribute
// cannot make a strict receiver reject the whole batch. The only exception the encoders can
// throw is std::bad_alloc (the output could not grow).
//
// The decoders read ExportTraceServiceResponse bodies from the network: malformed input is an
// InvalidArgument status, never a crash or an over-read.
// Thread-safety: pure functions.
//
//   std::string body;
//   otlp::EncodeTraceRequestProto(batch, body);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "llmtrace/common/result.h"
#include "llmtrace/trace/span_data.h"

namespace llmtrace::otlp {

void EncodeTraceRequestProto(std::span<const trace::SpanDataPtr> spans, std::string& out);
void EncodeTraceRequestJson(std::span<const trace::SpanDataPtr> spans, std::string& out);

// ExportTraceServiceResponse.partial_success, from a protobuf or JSON response body. An empty body
// (the usual full success) gives rejected == 0.
struct PartialSuccess {
  std::int64_t rejected = 0;
  std::string error_message;
};
Result<PartialSuccess> DecodeTracePartialSuccessProto(std::string_view body);
Result<PartialSuccess> DecodeTracePartialSuccessJson(std::string_view body);

}  // namespace llmtrace::otlp
