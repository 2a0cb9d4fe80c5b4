#include "llmtrace/genai/error_classifier.h"

#include <simdjson.h>

#include <algorithm>
#include <array>

#include "llmtrace/common/strings.h"

namespace llmtrace::genai {
namespace {

using simdjson::dom::element;

// Bodies beyond this are not error bodies any provider sends (theirs are under 2 KiB); a
// proxy's 1 MB HTML page is classified by its status without being parsed.
constexpr std::size_t kMaxParsedBody = 64 * 1024;

struct CodeRule {
  std::string_view code;
  ErrorType type;
  // A catch-all code ("bad request") under which providers report context-length and
  // content-filter refusals: the message is looked at to refine it.
  bool generic = false;
};

// Every provider code the classifier knows, exact and case-sensitive. The providers' code
// spaces do not collide, so one table serves them all.
constexpr CodeRule kCodeRules[] = {
    // OpenAI error.code / error.type (also Azure OpenAI, DeepSeek, Groq, xAI, Mistral, vLLM).
    {"rate_limit_exceeded", ErrorType::kRateLimit},
    {"insufficient_quota", ErrorType::kQuotaExceeded},
    {"billing_hard_limit_reached", ErrorType::kQuotaExceeded},
    {"billing_not_active", ErrorType::kQuotaExceeded},
    {"context_length_exceeded", ErrorType::kContextLengthExceeded},
    {"invalid_api_key", ErrorType::kInvalidApiKey},
    {"invalid_organization", ErrorType::kInvalidApiKey},
    {"no_organization", ErrorType::kInvalidApiKey},
    {"unsupported_country_region_territory", ErrorType::kInvalidApiKey},
    {"model_not_found", ErrorType::kModelNotFound},
    {"DeploymentNotFound", ErrorType::kModelNotFound},  // Azure
    {"content_filter", ErrorType::kContentFilter},      // Azure
    {"content_policy_violation", ErrorType::kContentFilter},
    {"ResponsibleAIPolicyViolation", ErrorType::kContentFilter},  // Azure innererror.code
    {"server_error", ErrorType::kServiceUnavailable},
    {"invalid_request_error", ErrorType::kInvalidRequest, true},
    // Anthropic error.type (authentication_error and permission_error OpenAI uses too).
    {"overloaded_error", ErrorType::kServiceUnavailable},
    {"rate_limit_error", ErrorType::kRateLimit},
    {"authentication_error", ErrorType::kInvalidApiKey},
    {"permission_error", ErrorType::kInvalidApiKey},
    {"not_found_error", ErrorType::kModelNotFound},
    {"request_too_large", ErrorType::kInvalidRequest},  // bytes, not tokens: 32 MB
    {"api_error", ErrorType::kServiceUnavailable},
    {"billing_error", ErrorType::kQuotaExceeded},
    {"timeout_error", ErrorType::kTimeout},
    // Google error.status (Gemini API, Vertex AI).
    {"RESOURCE_EXHAUSTED", ErrorType::kRateLimit},
    {"INVALID_ARGUMENT", ErrorType::kInvalidRequest, true},
    {"FAILED_PRECONDITION", ErrorType::kInvalidRequest, true},
    {"OUT_OF_RANGE", ErrorType::kInvalidRequest, true},
    {"UNAUTHENTICATED", ErrorType::kInvalidApiKey},
    {"PERMISSION_DENIED", ErrorType::kInvalidApiKey},
    {"NOT_FOUND", ErrorType::kModelNotFound},
    {"UNAVAILABLE", ErrorType::kServiceUnavailable},
    {"INTERNAL", ErrorType::kServiceUnavailable},
    {"ABORTED", ErrorType::kServiceUnavailable},
    {"DEADLINE_EXCEEDED", ErrorType::kTimeout},
    // Google ErrorInfo reasons (error.details[].reason): more specific than the status.
    {"API_KEY_INVALID", ErrorType::kInvalidApiKey},
    {"API_KEY_SERVICE_BLOCKED", ErrorType::kInvalidApiKey},
    {"ACCESS_TOKEN_EXPIRED", ErrorType::kInvalidApiKey},
    {"CREDENTIALS_MISSING", ErrorType::kInvalidApiKey},
    {"SERVICE_DISABLED", ErrorType::kInvalidApiKey},
    {"RATE_LIMIT_EXCEEDED", ErrorType::kRateLimit},
    {"BILLING_DISABLED", ErrorType::kQuotaExceeded},
    // AWS Bedrock (__type or the x-amzn-ErrorType header).
    {"ThrottlingException", ErrorType::kRateLimit},
    {"ServiceQuotaExceededException", ErrorType::kQuotaExceeded},
    {"ValidationException", ErrorType::kInvalidRequest, true},
    {"AccessDeniedException", ErrorType::kInvalidApiKey},
    {"UnrecognizedClientException", ErrorType::kInvalidApiKey},
    {"ExpiredTokenException", ErrorType::kInvalidApiKey},
    {"ResourceNotFoundException", ErrorType::kModelNotFound},
    {"ModelTimeoutException", ErrorType::kTimeout},
    {"ModelNotReadyException", ErrorType::kServiceUnavailable},
    {"ServiceUnavailableException", ErrorType::kServiceUnavailable},
    {"InternalServerException", ErrorType::kServiceUnavailable},
    {"ModelStreamErrorException", ErrorType::kServiceUnavailable},
    // vLLM / OpenAI-compatible servers (top-level "type").
    {"BadRequestError", ErrorType::kInvalidRequest, true},
    {"NotFoundError", ErrorType::kModelNotFound},
    {"InternalServerError", ErrorType::kServiceUnavailable},
};

const CodeRule* FindCodeRule(std::string_view code) noexcept {
  for (const CodeRule& rule : kCodeRules) {
    if (rule.code == code) return &rule;
  }
  return nullptr;
}

// The last resort: phrases of the providers' messages, lowercase. The first group refines a
// generic 400; the whole list applies only when there is neither a known code nor an error
// status (a 200 stream that broke with a text message, an SDK exception string).
struct Phrase {
  std::string_view text;
  ErrorType type;
};
constexpr Phrase kRefiningPhrases[] = {
    {"maximum context length", ErrorType::kContextLengthExceeded},  // OpenAI, vLLM
    {"context length", ErrorType::kContextLengthExceeded},
    {"context window", ErrorType::kContextLengthExceeded},
    {"prompt is too long", ErrorType::kContextLengthExceeded},                    // Anthropic
    {"input is too long", ErrorType::kContextLengthExceeded},                     // Bedrock
    {"exceeds the maximum number of tokens", ErrorType::kContextLengthExceeded},  // Gemini
    {"too many input tokens", ErrorType::kContextLengthExceeded},
    {"content management policy", ErrorType::kContentFilter},  // Azure
    {"content filter", ErrorType::kContentFilter},
    {"content policy", ErrorType::kContentFilter},
    {"safety system", ErrorType::kContentFilter},
    {"exceeded your current quota", ErrorType::kQuotaExceeded},
    {"credit balance is too low", ErrorType::kQuotaExceeded},  // Anthropic, as a plain 400
};
constexpr Phrase kLastResortPhrases[] = {
    {"rate limit", ErrorType::kRateLimit},
    {"too many requests", ErrorType::kRateLimit},
    {"quota", ErrorType::kQuotaExceeded},
    {"api key", ErrorType::kInvalidApiKey},
    {"unauthorized", ErrorType::kInvalidApiKey},
    {"timed out", ErrorType::kTimeout},
    {"timeout", ErrorType::kTimeout},
    {"deadline exceeded", ErrorType::kTimeout},
    {"overloaded", ErrorType::kServiceUnavailable},
    {"service unavailable", ErrorType::kServiceUnavailable},
    {"temporarily unavailable", ErrorType::kServiceUnavailable},
};

bool ContainsLower(std::string_view lower_text, std::string_view phrase) noexcept {
  return lower_text.find(phrase) != std::string_view::npos;
}

std::optional<ErrorType> FromPhrases(std::string_view message, bool refine_only) {
  if (message.empty()) return std::nullopt;
  const std::string lower = ToLowerAscii(message.substr(0, 4 * kMaxErrorMessageBytes));
  for (const Phrase& p : kRefiningPhrases) {
    if (ContainsLower(lower, p.text)) return p.type;
  }
  if (refine_only) return std::nullopt;
  for (const Phrase& p : kLastResortPhrases) {
    if (ContainsLower(lower, p.text)) return p.type;
  }
  if (ContainsLower(lower, "model") &&
      (ContainsLower(lower, "not found") || ContainsLower(lower, "does not exist"))) {
    return ErrorType::kModelNotFound;
  }
  return std::nullopt;
}

// At most kMaxErrorMessageBytes, cut before a UTF-8 continuation byte, control characters
// (newlines of multi-line messages) as spaces.
std::string BoundedMessage(std::string_view text) {
  if (text.size() > kMaxErrorMessageBytes) {
    std::size_t cut = kMaxErrorMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

// What the body says, in the order the classifier trusts it.
struct BodyFields {
  std::array<std::string_view, 8> codes{};  // most specific first
  std::size_t code_count = 0;
  std::string_view message;
  std::optional<std::chrono::milliseconds> retry_delay;  // Google RetryInfo

  void AddCode(std::string_view code) noexcept {
    if (!code.empty() && code_count < codes.size()) codes[code_count++] = code;
  }
};

std::string_view StringField(element object, std::string_view key) noexcept {
  std::string_view value;
  if (object[key].get_string().get(value) != simdjson::SUCCESS) return {};
  return value;
}

void ReadGoogleDetails(element error, BodyFields& fields) noexcept {
  simdjson::dom::array details;
  if (error["details"].get_array().get(details) != simdjson::SUCCESS) return;
  for (element detail : details) {
    fields.AddCode(StringField(detail, "reason"));                     // google.rpc.ErrorInfo
    const std::string_view delay = StringField(detail, "retryDelay");  // google.rpc.RetryInfo
    if (!delay.empty() && !fields.retry_delay) fields.retry_delay = ParseGoDuration(delay);
  }
}

// Reads the shapes the providers use; the string_views point into `parser`'s document.
void ReadBody(element root, BodyFields& fields) noexcept {
  simdjson::dom::array array;
  if (root.get_array().get(array) == simdjson::SUCCESS) {  // Vertex AI wraps errors in [...]
    element first;
    if (array.at(0).get(first) != simdjson::SUCCESS) return;
    root = first;
  }
  std::string_view text;
  if (root.get_string().get(text) == simdjson::SUCCESS) {
    fields.message = text;
    return;
  }
  if (!root.is_object()) return;
  element error;
  if (root["error"].get(error) == simdjson::SUCCESS) {
    if (error.get_string().get(text) == simdjson::SUCCESS) {
      fields.message = text;  // Ollama, some proxies: {"error": "..."}
    } else if (error.is_object()) {
      // OpenAI {"error":{"message","type","param","code"}}, Anthropic {"type":"error",
      // "error":{"type","message"}}, Google {"error":{"code","message","status","details"}}.
      ReadGoogleDetails(error, fields);
      element inner;
      if (error["innererror"].get(inner) == simdjson::SUCCESS) {
        fields.AddCode(StringField(inner, "code"));
      }
      fields.AddCode(StringField(error, "code"));  // numeric codes (Google, vLLM) are skipped
      fields.AddCode(StringField(error, "type"));
      fields.AddCode(StringField(error, "status"));
      fields.message = StringField(error, "message");
    }
  }
  // vLLM {"object":"error","message","type":"BadRequestError","code":400}; Bedrock {"message"}
  // with "__type"; FastAPI {"detail": "..."}.
  const std::string_view type = StringField(root, "type");
  if (type != "error") fields.AddCode(type);
  std::string_view aws_type = StringField(root, "__type");
  if (const std::size_t hash = aws_type.rfind('#'); hash != std::string_view::npos) {
    aws_type = aws_type.substr(hash + 1);
  }
  fields.AddCode(aws_type);
  if (fields.message.empty()) fields.message = StringField(root, "message");
  if (fields.message.empty()) fields.message = StringField(root, "Message");
  if (fields.message.empty()) fields.message = StringField(root, "detail");
}

// A non-JSON body worth keeping as the message: short plain text ("upstream connect error"),
// not an HTML page.
bool IsPlainText(std::string_view body) noexcept {
  const std::string_view trimmed = TrimWhitespace(body);
  if (trimmed.empty() || trimmed.front() == '<' || trimmed.front() == '{' ||
      trimmed.front() == '[') {
    return false;
  }
  return std::none_of(trimmed.begin(), trimmed.end(), [](char c) { return c == '\0'; });
}

}  // namespace

std::optional<ErrorType> ErrorTypeFromProviderCode(std::string_view code) noexcept {
  const CodeRule* rule = FindCodeRule(code);
  if (rule == nullptr) return std::nullopt;
  return rule->type;
}

std::optional<ErrorType> ErrorTypeFromHttpStatus(int status) noexcept {
  if (status < 400) return std::nullopt;
  switch (status) {
    case 401:
    case 403:
      return ErrorType::kInvalidApiKey;
    case 404:
      return ErrorType::kModelNotFound;
    case 408:
    case 504:
      return ErrorType::kTimeout;
    case 429:
      return ErrorType::kRateLimit;
    default:
      break;
  }
  if (status < 500) return ErrorType::kInvalidRequest;
  return ErrorType::kServiceUnavailable;  // 500, 502, 503, 529 (Anthropic), 52x (Cloudflare)
}

LlmError ClassifyHttpError(const HttpFailure& failure) noexcept {
  LlmError result;
  result.http_status = failure.status;
  try {
    BodyFields fields;
    simdjson::dom::parser parser;
    const std::string_view body = TrimWhitespace(failure.body);
    if (!body.empty() && body.size() <= kMaxParsedBody &&
        (body.front() == '{' || body.front() == '[')) {
      const simdjson::padded_string padded(body.data(), body.size());
      element root;
      if (parser.parse(padded).get(root) == simdjson::SUCCESS) ReadBody(root, fields);
    }
    for (const HttpHeader& h : failure.headers) {
      if (EqualsIgnoreCase(h.name, "x-amzn-errortype")) {
        std::string_view value = TrimOws(h.value);
        value = value.substr(0, value.find(':'));  // "ThrottlingException:http://..."
        fields.AddCode(value);
      }
    }

    // The provider's message, or a short plain-text body ("upstream connect error ...").
    std::string_view message = fields.message;
    if (message.empty() && IsPlainText(failure.body)) message = TrimWhitespace(failure.body);

    const CodeRule* rule = nullptr;
    for (std::size_t i = 0; i < fields.code_count && rule == nullptr; ++i) {
      rule = FindCodeRule(fields.codes[i]);
    }
    std::optional<ErrorType> type;
    if (rule != nullptr) {
      result.provider_code.assign(rule->code);
      type = rule->type;
      if (rule->generic) {
        if (auto refined = FromPhrases(message, /*refine_only=*/true)) type = refined;
      }
    } else {
      if (fields.code_count > 0) result.provider_code.assign(fields.codes[0]);
      type = ErrorTypeFromHttpStatus(failure.status);
      if (!type || failure.status == 400) {
        if (auto refined = FromPhrases(message, /*refine_only=*/type.has_value())) {
          type = refined;
        }
      }
    }
    result.type = type.value_or(ErrorType::kOther);

    if (!message.empty()) {
      result.message = BoundedMessage(message);
    } else {
      result.message = "HTTP " + std::to_string(failure.status);
    }
    const Timestamp now = failure.now == Timestamp{} ? SystemClock::Instance().Now() : failure.now;
    result.retry_after =
        RetryAfterFromHeaders(failure.headers, now, result.type == ErrorType::kRateLimit);
    if (!result.retry_after) result.retry_after = fields.retry_delay;
  } catch (...) {  // out of memory: the status alone
    result.type = ErrorTypeFromHttpStatus(failure.status).value_or(ErrorType::kOther);
  }
  return result;
}

LlmError ClassifyTransportFailure(TransportFailure failure, std::string_view message) noexcept {
  LlmError result;
  result.type = failure == TransportFailure::kTimeout ? ErrorType::kTimeout : ErrorType::kNetwork;
  try {
    result.message = BoundedMessage(message);
  } catch (...) {
  }
  return result;
}

namespace {

bool IsSafetyStop(std::string_view reason) noexcept {
  static constexpr std::string_view kSafetyStops[] = {
      "content_filter",  // OpenAI, Azure OpenAI
      "refusal",         // Anthropic stop_reason
      "SAFETY",
      "RECITATION",  // Gemini finishReason
      "BLOCKLIST",
      "PROHIBITED_CONTENT",
      "SPII",
      "IMAGE_SAFETY",
      "content_filtered",  // Bedrock Converse stopReason
      "guardrail_intervened",
  };
  return std::find(std::begin(kSafetyStops), std::end(kSafetyStops), reason) !=
         std::end(kSafetyStops);
}

template <typename Reasons>
std::optional<ErrorType> ClassifyFinishImpl(const Reasons& reasons, bool has_content,
                                            bool has_tool_calls) noexcept {
  for (const auto& reason : reasons) {
    if (IsSafetyStop(reason)) return ErrorType::kContentFilter;
  }
  if (!has_content && !has_tool_calls) return ErrorType::kEmptyResponse;
  return std::nullopt;
}

}  // namespace

std::optional<ErrorType> ClassifyFinish(std::span<const std::string_view> finish_reasons,
                                        bool has_content, bool has_tool_calls) noexcept {
  return ClassifyFinishImpl(finish_reasons, has_content, has_tool_calls);
}

std::optional<ErrorType> ClassifyFinish(std::span<const std::string> finish_reasons,
                                        bool has_content, bool has_tool_calls) noexcept {
  return ClassifyFinishImpl(finish_reasons, has_content, has_tool_calls);
}

}  // namespace llmtrace::genai
