// Resource: the attributes of the entity producing telemetry (service, version, environment,
// SDK), attached to every span, metric point and log record it exports.
//
// Precedence, lowest first: Resource::Default() (telemetry.sdk.*, service.name =
// "unknown_service:<executable>"), then the environment (OTEL_RESOURCE_ATTRIBUTES, then
// OTEL_SERVICE_NAME), then what the application passes in code.
// Thread-safety: immutable once built; share by const reference or shared_ptr.
//
//   Resource r = Resource::Create({{"service.name", "rag-api"},
//                                  {"deployment.environment.name", "prod"}});
#pragma once

#include <string>

#include "llmtrace/common/attribute_set.h"
#include "llmtrace/common/environment.h"

namespace llmtrace {

inline constexpr std::string_view kSdkName = "llmtrace";
inline constexpr std::string_view kSdkLanguage = "cpp";
std::string_view SdkVersion() noexcept;

class Resource {
 public:
  Resource() = default;
  // Default() merged with the environment, merged with `attributes`.
  static Resource Create(std::initializer_list<KeyValue> attributes,
                         const Environment& env = ProcessEnvironment::Instance());
  static Resource Create(const AttributeSet& attributes, EnvironmentReader& env);
  // telemetry.sdk.{name,language,version} and service.name = unknown_service:<executable>.
  static Resource Default();
  // OTEL_RESOURCE_ATTRIBUTES (key=value,... percent-decoded) then OTEL_SERVICE_NAME. A malformed
  // OTEL_RESOURCE_ATTRIBUTES is ignored whole, with a warning in `env`, as the spec says.
  static Resource FromEnvironment(EnvironmentReader& env);

  // A new resource with this one's attributes updated by `updating`'s (the updating side wins).
  Resource Merge(const Resource& updating) const;

  const AttributeSet& attributes() const noexcept { return attributes_; }
  const std::string& schema_url() const noexcept { return schema_url_; }
  void set_schema_url(std::string url) { schema_url_ = std::move(url); }

 private:
  explicit Resource(AttributeSet attributes) : attributes_(std::move(attributes)) {}

  AttributeSet attributes_;
  std::string schema_url_;
};

}  // namespace llmtrace
