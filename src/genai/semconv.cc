#include "llmtrace/genai/semconv.h"

#include "llmtrace/common/strings.h"

namespace llmtrace::genai {

SemconvFlavour ParseSemconvOptIn(std::string_view value) {
  bool latest = false;
  bool dup = false;
  for (std::string_view entry : Split(value, ',')) {
    entry = TrimWhitespace(entry);
    if (entry == "gen_ai/dup") dup = true;
    if (entry == "gen_ai_latest_experimental") latest = true;
  }
  if (dup) return SemconvFlavour::kBoth;
  return latest ? SemconvFlavour::kLatest : SemconvFlavour::kV141;
}

SemconvFlavour SemconvFlavourFromEnvironment(const Environment& env) {
  auto value = EnvironmentReader(env).GetString("OTEL_SEMCONV_STABILITY_OPT_IN");
  return value ? ParseSemconvOptIn(*value) : SemconvFlavour::kV141;
}

}  // namespace llmtrace::genai
