#include "llmtrace/metrics/prometheus_exposition.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace llmtrace::metrics {
namespace {

enum class FamilyType { kCounter, kGauge, kHistogram, kUnsupported };

std::string_view TypeName(FamilyType type) {
  switch (type) {
    case FamilyType::kCounter:
      return "counter";
    case FamilyType::kGauge:
      return "gauge";
    case FamilyType::kHistogram:
      return "histogram";
    case FamilyType::kUnsupported:
      break;
  }
  return "untyped";
}

FamilyType TypeOf(const MetricData& metric) {
  if (const auto* sum = std::get_if<SumData>(&metric.data)) {
    if (sum->temporality != Temporality::kCumulative) return FamilyType::kUnsupported;
    return sum->monotonic ? FamilyType::kCounter : FamilyType::kGauge;
  }
  if (std::holds_alternative<GaugeData>(metric.data)) return FamilyType::kGauge;
  const auto& histogram = std::get<HistogramData>(metric.data);
  return histogram.temporality == Temporality::kCumulative ? FamilyType::kHistogram
                                                           : FamilyType::kUnsupported;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// UCUM units as Prometheus spells them (the table of the OpenTelemetry Collector's Prometheus
// translator, which the compatibility specification points to).
std::string_view UnitWord(std::string_view unit) {
  static const std::unordered_map<std::string_view, std::string_view> kUnits = {
      {"d", "days"},
      {"h", "hours"},
      {"min", "minutes"},
      {"s", "seconds"},
      {"ms", "milliseconds"},
      {"us", "microseconds"},
      {"ns", "nanoseconds"},
      {"By", "bytes"},
      {"KiBy", "kibibytes"},
      {"MiBy", "mebibytes"},
      {"GiBy", "gibibytes"},
      {"TiBy", "tebibytes"},
      {"KBy", "kilobytes"},
      {"MBy", "megabytes"},
      {"GBy", "gigabytes"},
      {"TBy", "terabytes"},
      {"m", "meters"},
      {"V", "volts"},
      {"A", "amperes"},
      {"J", "joules"},
      {"W", "watts"},
      {"g", "grams"},
      {"Cel", "celsius"},
      {"Hz", "hertz"},
      {"1", ""},
      {"%", "percent"},
  };
  auto it = kUnits.find(unit);
  return it == kUnits.end() ? std::string_view() : it->second;
}

// The denominator of "a/b": singular ("per_second").
std::string_view PerUnitWord(std::string_view unit) {
  static const std::unordered_map<std::string_view, std::string_view> kPerUnits = {
      {"s", "second"}, {"m", "minute"}, {"h", "hour"}, {"d", "day"},
      {"w", "week"},   {"mo", "month"}, {"y", "year"},
  };
  auto it = kPerUnits.find(unit);
  return it == kPerUnits.end() ? std::string_view() : it->second;
}

// A unit with no entry in the tables: kept, with invalid characters replaced and outer '_'s
// trimmed.
std::string CleanUnit(std::string_view unit) {
  std::string out;
  for (char c : unit) {
    if (IsNameChar(c)) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::string UnitPart(std::string_view unit, bool per) {
  if (unit.empty()) return {};
  std::string_view word = per ? PerUnitWord(unit) : std::string_view();
  if (word.empty()) word = UnitWord(unit);
  if (!word.empty() || unit == "1") return std::string(word);
  return CleanUnit(unit);
}

bool HasToken(std::string_view name, std::string_view token) {
  if (token.empty()) return true;
  std::size_t pos = 0;
  while ((pos = name.find(token, pos)) != std::string_view::npos) {
    const std::size_t end = pos + token.size();
    const bool starts = pos == 0 || name[pos - 1] == '_';
    const bool ends = end == name.size() || name[end] == '_';
    if (starts && ends) return true;
    pos = end;
  }
  return false;
}

void AppendDouble(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
  }
}

void AppendValue(const PointValue& value, std::string& out) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out += std::to_string(*i);
  } else {
    AppendDouble(std::get<double>(value), out);
  }
}

void AppendEscapedLabelValue(std::string_view value, std::string& out) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void AppendEscapedHelp(std::string_view help, std::string& out) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

std::string LabelValueOf(const AttributeValue& value) {
  return value.type() == AttributeValue::Type::kString ? std::string(value.AsString())
                                                       : value.ToString();
}

bool IsReservedLabel(std::string_view label) {
  return label == "otel_scope_name" || label == "otel_scope_version" || label == "le";
}

// `a="x",b="y"` for the attributes (sorted by label name), then the scope labels. Attributes
// that sanitize to a label the exposition sets itself are left out: a duplicate label would
// make Prometheus reject the whole scrape.
std::string RenderLabels(const AttributeSet& attributes, const InstrumentationScope* scope) {
  std::map<std::string, std::vector<std::pair<std::string_view, std::string>>> labels;
  for (const KeyValue& attribute : attributes.entries()) {
    std::string label = SanitizePrometheusLabelName(attribute.key);
    if (scope != nullptr && IsReservedLabel(label)) continue;
    labels[std::move(label)].emplace_back(attribute.key, LabelValueOf(attribute.value));
  }
  std::string out;
  auto append = [&out](std::string_view name, std::string_view value) {
    if (!out.empty()) out += ',';
    out += name;
    out += "=\"";
    AppendEscapedLabelValue(value, out);
    out += '"';
  };
  for (auto& [label, values] : labels) {
    std::sort(values.begin(), values.end());
    std::string joined;
    for (const auto& [key, value] : values) {
      if (&value != &values.front().second) joined += ';';
      joined += value;
    }
    append(label, joined);
  }
  if (scope != nullptr) {
    if (!scope->name.empty()) append("otel_scope_name", scope->name);
    if (!scope->version.empty()) append("otel_scope_version", scope->version);
  }
  return out;
}

void AppendSample(std::string& out, std::string_view name, std::string_view suffix,
                  std::string_view labels, std::string_view extra_label) {
  out += name;
  out += suffix;
  if (!labels.empty() || !extra_label.empty()) {
    out += '{';
    out += labels;
    if (!labels.empty() && !extra_label.empty()) out += ',';
    out += extra_label;
    out += '}';
  }
  out += ' ';
}

struct Family {
  std::string name;
  FamilyType type;
  std::string help;
  std::string samples;
};

void RenderNumberPoints(const std::vector<NumberPoint>& points, const InstrumentationScope& scope,
                        Family& family) {
  for (const NumberPoint& point : points) {
    AppendSample(family.samples, family.name, "", RenderLabels(point.attributes, &scope), "");
    AppendValue(point.value, family.samples);
    family.samples += '\n';
  }
}

void RenderHistogramPoints(const std::vector<HistogramPoint>& points,
                           const InstrumentationScope& scope, Family& family) {
  std::string& out = family.samples;
  for (const HistogramPoint& point : points) {
    const std::string labels = RenderLabels(point.attributes, &scope);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < point.boundaries.size(); ++i) {
      if (i < point.bucket_counts.size()) cumulative += point.bucket_counts[i];
      std::string le = "le=\"";
      AppendDouble(point.boundaries[i], le);
      le += '"';
      AppendSample(out, family.name, "_bucket", labels, le);
      out += std::to_string(cumulative);
      out += '\n';
    }
    AppendSample(out, family.name, "_bucket", labels, "le=\"+Inf\"");
    out += std::to_string(point.count);
    out += '\n';
    AppendSample(out, family.name, "_sum", labels, "");
    AppendDouble(point.sum, out);
    out += '\n';
    AppendSample(out, family.name, "_count", labels, "");
    out += std::to_string(point.count);
    out += '\n';
  }
}

}  // namespace

std::string SanitizePrometheusMetricName(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 1);
  if (name.empty() || IsDigit(name.front())) out += '_';
  for (char c : name) {
    const char mapped = IsNameChar(c) ? c : '_';
    if (mapped == '_' && !out.empty() && out.back() == '_') continue;
    out += mapped;
  }
  return out;
}

std::string SanitizePrometheusLabelName(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 4);
  for (char c : name) out += IsNameChar(c) ? c : '_';
  if (out.empty()) return "key_";
  if (IsDigit(out.front())) return "key_" + out;
  if (out.starts_with("__")) return "key" + out;
  return out;
}

std::string PrometheusUnitSuffix(std::string_view unit, bool gauge) {
  // Drop the "{...}" annotations: a count of things is unitless in Prometheus.
  std::string stripped;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    if (unit[i] == '{') {
      const std::size_t close = unit.find('}', i);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    stripped += unit[i];
  }
  if (stripped == "1") return gauge ? "ratio" : "";
  const std::size_t slash = stripped.find('/');
  if (slash == std::string::npos) return UnitPart(stripped, /*per=*/false);
  std::string out = UnitPart(std::string_view(stripped).substr(0, slash), /*per=*/false);
  const std::string per = UnitPart(std::string_view(stripped).substr(slash + 1), /*per=*/true);
  if (!per.empty()) {
    if (!out.empty()) out += '_';
    out += "per_";
    out += per;
  }
  return out;
}

std::string PrometheusMetricName(const MetricData& metric) {
  const FamilyType type = TypeOf(metric);
  std::string name = SanitizePrometheusMetricName(metric.descriptor.name);
  if (type == FamilyType::kCounter && name.size() > 6 && name.ends_with("_total")) {
    name.resize(name.size() - 6);
  }
  const std::string unit =
      PrometheusUnitSuffix(metric.descriptor.unit, std::holds_alternative<GaugeData>(metric.data));
  if (!HasToken(name, unit)) {
    if (!name.ends_with('_')) name += '_';
    name += unit;
  }
  if (type == FamilyType::kCounter) name += name.ends_with('_') ? "total" : "_total";
  return name;
}

std::string RenderPrometheusText(const ResourceMetrics& metrics) {
  std::string out;
  if (metrics.resource && !metrics.resource->attributes().empty()) {
    out += "# HELP target_info Target metadata\n# TYPE target_info gauge\n";
    AppendSample(out, "target_info", "", RenderLabels(metrics.resource->attributes(), nullptr), "");
    out += "1\n";
  }

  std::vector<Family> families;
  std::unordered_map<std::string, std::size_t> index;
  for (const ScopeMetrics& scope : metrics.scopes) {
    for (const MetricData& metric : scope.metrics) {
      const FamilyType type = TypeOf(metric);
      if (type == FamilyType::kUnsupported) continue;
      std::string name = PrometheusMetricName(metric);
      if (name == "target_info") continue;  // reserved for the resource
      auto [it, inserted] = index.try_emplace(name, families.size());
      if (inserted) {
        families.push_back(Family{std::move(name), type, metric.descriptor.description, {}});
      }
      Family& family = families[it->second];
      if (family.type != type) continue;
      if (family.help.empty()) family.help = metric.descriptor.description;
      if (const auto* sum = std::get_if<SumData>(&metric.data)) {
        RenderNumberPoints(sum->points, scope.scope, family);
      } else if (const auto* gauge = std::get_if<GaugeData>(&metric.data)) {
        RenderNumberPoints(gauge->points, scope.scope, family);
      } else {
        RenderHistogramPoints(std::get<HistogramData>(metric.data).points, scope.scope, family);
      }
    }
  }

  for (const Family& family : families) {
    if (!family.help.empty()) {
      out += "# HELP ";
      out += family.name;
      out += ' ';
      AppendEscapedHelp(family.help, out);
      out += '\n';
    }
    out += "# TYPE ";
    out += family.name;
    out += ' ';
    out += TypeName(family.type);
    out += '\n';
    out += family.samples;
  }
  return out;
}

}  // namespace llmtrace::metrics
