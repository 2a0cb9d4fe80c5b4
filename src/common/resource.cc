#include "llmtrace/common/resource.h"

#include <unistd.h>

#include <fstream>
#include <string>

#include "llmtrace/common/strings.h"

namespace llmtrace {

namespace {

std::string ExecutableName() {
  std::ifstream comm("/proc/self/comm");
  std::string name;
  if (comm && std::getline(comm, name) && !name.empty()) return name;
  return {};
}

}  // namespace

std::string_view SdkVersion() noexcept { return "0.1.0"; }

Resource Resource::Default() {
  AttributeSet attributes;
  std::string service = "unknown_service";
  std::string executable = ExecutableName();
  if (!executable.empty()) service += ":" + executable;
  attributes.Set("service.name", service);
  attributes.Set("telemetry.sdk.name", kSdkName);
  attributes.Set("telemetry.sdk.language", kSdkLanguage);
  attributes.Set("telemetry.sdk.version", SdkVersion());
  return Resource(std::move(attributes));
}

Resource Resource::FromEnvironment(EnvironmentReader& env) {
  AttributeSet attributes;
  if (std::optional<std::string> raw = env.GetString("OTEL_RESOURCE_ATTRIBUTES")) {
    AttributeSet parsed;
    bool valid = true;
    for (std::string_view member : Split(*raw, ',')) {
      member = TrimWhitespace(member);
      if (member.empty()) continue;
      std::size_t eq = member.find('=');
      std::string_view key =
          eq == std::string_view::npos ? "" : TrimWhitespace(member.substr(0, eq));
      std::optional<std::string> value = eq == std::string_view::npos
                                             ? std::nullopt
                                             : PercentDecode(TrimWhitespace(member.substr(eq + 1)));
      if (key.empty() || !value) {
        env.AddWarning("OTEL_RESOURCE_ATTRIBUTES: malformed member '" + std::string(member) +
                       "' (expected key=value with %-encoded value); ignoring the variable");
        valid = false;
        break;
      }
      parsed.Set(key, *value);
    }
    if (valid) attributes = std::move(parsed);
  }
  if (std::optional<std::string> service = env.GetString("OTEL_SERVICE_NAME")) {
    attributes.Set("service.name", *service);
  }
  return Resource(std::move(attributes));
}

Resource Resource::Create(const AttributeSet& attributes, EnvironmentReader& env) {
  return Default().Merge(FromEnvironment(env)).Merge(Resource(attributes));
}

Resource Resource::Create(std::initializer_list<KeyValue> attributes, const Environment& env) {
  EnvironmentReader reader(env);
  Resource resource = Create(AttributeSet(attributes), reader);
  reader.LogWarnings();
  return resource;
}

Resource Resource::Merge(const Resource& updating) const {
  Resource merged = *this;
  for (const KeyValue& kv : updating.attributes_.entries())
    merged.attributes_.Set(kv.key, kv.value);
  // The spec: the updating schema URL wins when set (conflicting URLs are an error we tolerate).
  if (!updating.schema_url_.empty()) merged.schema_url_ = updating.schema_url_;
  return merged;
}

}  // namespace llmtrace
