// View: reshapes what an instrument exports, configured once on the MeterProvider.
//
// A view selects instruments (by name, exactly or with the wildcards * and ?, and optionally by
// kind and meter name) and changes the stream they produce: a new name or description, other
// histogram bucket boundaries (overriding the instrument's advice), an allow-list of attribute
// keys (the others are removed before aggregation, which also bounds cardinality), or drop the
// instrument altogether. An instrument that no view selects exports its default stream; one
// selected by several views exports one stream per view (the OpenTelemetry rule).
// Thread-safety: a value type, read-only once given to MeterProviderOptions.
//
//   View view;
//   view.selector.name = "gen_ai.client.token.usage";
//   view.attribute_keys = std::vector<std::string>{"gen_ai.request.model"};
//   options.views.push_back(std::move(view));
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/status.h"
#include "llmtrace/metrics/metric_data.h"

namespace llmtrace::metrics {

struct InstrumentSelector {
  // Instrument name, compared case-insensitively; "*" matches any run of characters and "?" one.
  std::string name = "*";
  std::optional<InstrumentKind> kind;
  // Empty: instruments of any meter.
  std::string meter_name;
};

struct View {
  InstrumentSelector selector;
  // Empty: keep the instrument's. A rename needs a selector that names one instrument (no
  // wildcard), or two instruments would collide under one name.
  std::string name;
  std::string description;
  // Histograms only: replaces the instrument's advice and the default boundaries.
  std::optional<std::vector<double>> bucket_boundaries;
  // Only these attribute keys are kept (an empty list keeps none).
  std::optional<std::vector<std::string>> attribute_keys;
  // Per-stream series cap; nullopt keeps MeterProviderOptions::cardinality_limit.
  std::optional<std::size_t> cardinality_limit;
  // The selected instruments record nothing and export nothing.
  bool drop = false;
};

// Fails for views that cannot work: a rename of a wildcard selection, unsorted or non-finite
// bucket boundaries, a cardinality limit below 2.
Status ValidateView(const View& view);

// Whether `selector` picks the instrument `descriptor` of meter `meter_name`.
bool SelectorMatches(const InstrumentSelector& selector, const InstrumentDescriptor& descriptor,
                     std::string_view meter_name) noexcept;

}  // namespace llmtrace::metrics
