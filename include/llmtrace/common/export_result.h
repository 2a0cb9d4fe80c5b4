// ExportResult: what an exporter (spans, metrics, log records) reports for one batch. Details of
// a failure are counted and logged by the exporter itself; the processor only needs to know
// whether the batch was delivered.
#pragma once

namespace llmtrace {

enum class ExportResult { kSuccess, kFailure };

}  // namespace llmtrace
