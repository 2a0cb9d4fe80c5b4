// MeterState: one meter's scope and instruments, shared by the Meter handle and its provider
// (which collects them).
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/metrics/metric_data.h"
#include "src/metrics/instrument.h"
#include "src/metrics/provider_state.h"

namespace llmtrace::metrics::internal {

class MeterState {
 public:
  MeterState(InstrumentationScope scope_in, std::shared_ptr<ProviderState> provider_in)
      : scope(std::move(scope_in)), provider(std::move(provider_in)) {}

  // This meter's metrics for one reader; empty when nothing has points.
  std::vector<MetricData> Collect(const CollectContext& context) {
    std::vector<std::shared_ptr<Instrument>> snapshot;
    {
      std::lock_guard lock(mutex);
      snapshot = instruments;
    }
    std::vector<MetricData> out;
    for (const std::shared_ptr<Instrument>& instrument : snapshot) {
      instrument->Collect(context, out);
    }
    return out;
  }

  const InstrumentationScope scope;
  const std::shared_ptr<ProviderState> provider;
  std::mutex mutex;
  std::vector<std::shared_ptr<Instrument>> instruments;  // guarded by mutex; registration order
};

}  // namespace llmtrace::metrics::internal
