// PrometheusReader: a MetricReader that renders the Prometheus text exposition on demand, for a
// /metrics endpoint (PrometheusHttpServer, or the gateway's own server through HandleScrape).
//
// Prometheus pulls, so the reader collects only when asked: each Render() (one scrape) takes a
// fresh cumulative snapshot from the MeterProvider and renders it with RenderPrometheusText
// (see prometheus_exposition.h for the naming and type rules). Delta temporality has no
// Prometheus form, so this reader always asks for cumulative.
// Thread-safety: Render may be called from any thread, concurrently (each call collects its own
// snapshot).
//
//   auto reader = std::make_shared<metrics::PrometheusReader>();
//   provider_options.readers.push_back(reader);
//   std::string page = reader->Render();
#pragma once

#include <string>

#include "llmtrace/metrics/metric_reader.h"

namespace llmtrace::metrics {

class PrometheusReader final : public MetricReader {
 public:
  PrometheusReader() : MetricReader(&CumulativeTemporality) {}

  // The exposition of the provider's current points; empty before registration, after
  // Shutdown, or if memory runs out while rendering.
  std::string Render() noexcept;
};

}  // namespace llmtrace::metrics
