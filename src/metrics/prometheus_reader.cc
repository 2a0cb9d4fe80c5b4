#include "llmtrace/metrics/prometheus_reader.h"

#include "llmtrace/metrics/prometheus_exposition.h"

namespace llmtrace::metrics {

std::string PrometheusReader::Render() noexcept {
  try {
    return RenderPrometheusText(Collect());
  } catch (...) {  // std::bad_alloc: a failed scrape, not a crashed process
    return {};
  }
}

}  // namespace llmtrace::metrics
