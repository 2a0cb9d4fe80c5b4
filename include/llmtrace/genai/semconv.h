// The names llmtrace emits: OpenTelemetry GenAI semantic-convention attributes and metrics, and
// llmtrace's own extensions (always under `llmtrace.`, never passed off as standard).
//
// Two flavours of the conventions exist (see docs/semantic-conventions.md):
//   - v1.41.0 (default): the last release of open-telemetry/semantic-conventions with GenAI
//     content; what back ends and dashboards read today;
//   - latest: open-telemetry/semantic-conventions-genai (development status), selected with
//     OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental; `gen_ai/dup` emits both.
// Names that are the same in both flavours are plain constants; the ones that differ come in
// pairs (kV141 / kLatest) and code chooses through SemconvFlavour.
// Every string the genai layer writes as a key comes from this header.
//
//   auto flavour = SemconvFlavourFromEnvironment(env);
//   if (EmitsV141(flavour)) span.SetAttribute(attr::kUsageCacheCreationInputTokensV141, n);
#pragma once

#include <string_view>

#include "llmtrace/common/environment.h"

namespace llmtrace::genai {

enum class SemconvFlavour {
  kV141,    // default
  kLatest,  // OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental
  kBoth,    // OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai/dup
};

// Reads OTEL_SEMCONV_STABILITY_OPT_IN (a comma-separated list; unknown entries are ignored, as
// other signals' opt-ins share the variable). gen_ai/dup wins over gen_ai_latest_experimental.
SemconvFlavour SemconvFlavourFromEnvironment(const Environment& env);
// Parses one variable value (the same rules); exposed for configuration files and tests.
SemconvFlavour ParseSemconvOptIn(std::string_view value);

inline bool EmitsV141(SemconvFlavour f) { return f != SemconvFlavour::kLatest; }
inline bool EmitsLatest(SemconvFlavour f) { return f != SemconvFlavour::kV141; }

// gen_ai.operation.name values.
namespace op {
inline constexpr std::string_view kChat = "chat";
inline constexpr std::string_view kTextCompletion = "text_completion";
inline constexpr std::string_view kGenerateContent = "generate_content";
inline constexpr std::string_view kEmbeddings = "embeddings";
inline constexpr std::string_view kRetrieval = "retrieval";
inline constexpr std::string_view kExecuteTool = "execute_tool";
inline constexpr std::string_view kInvokeAgent = "invoke_agent";
inline constexpr std::string_view kInvokeWorkflow = "invoke_workflow";
// Extension (no convention yet): a CLIENT span `rerank {model}`.
inline constexpr std::string_view kRerank = "rerank";
}  // namespace op

// gen_ai.provider.name values (the conventions' well-known list, abridged).
namespace provider {
inline constexpr std::string_view kOpenAi = "openai";
inline constexpr std::string_view kAnthropic = "anthropic";
inline constexpr std::string_view kAzureOpenAi = "azure.ai.openai";
inline constexpr std::string_view kAwsBedrock = "aws.bedrock";
inline constexpr std::string_view kGcpGemini = "gcp.gemini";
inline constexpr std::string_view kGcpVertexAi = "gcp.vertex_ai";
inline constexpr std::string_view kCohere = "cohere";
inline constexpr std::string_view kDeepSeek = "deepseek";
inline constexpr std::string_view kMistralAi = "mistral_ai";
inline constexpr std::string_view kGroq = "groq";
inline constexpr std::string_view kXAi = "x_ai";
}  // namespace provider

namespace attr {
// --- GenAI conventions, same name in both flavours.
inline constexpr std::string_view kOperationName = "gen_ai.operation.name";
inline constexpr std::string_view kProviderName = "gen_ai.provider.name";
inline constexpr std::string_view kRequestModel = "gen_ai.request.model";
inline constexpr std::string_view kRequestMaxTokens = "gen_ai.request.max_tokens";
inline constexpr std::string_view kRequestTemperature = "gen_ai.request.temperature";
inline constexpr std::string_view kRequestTopP = "gen_ai.request.top_p";
inline constexpr std::string_view kRequestTopK = "gen_ai.request.top_k";
inline constexpr std::string_view kRequestFrequencyPenalty = "gen_ai.request.frequency_penalty";
inline constexpr std::string_view kRequestPresencePenalty = "gen_ai.request.presence_penalty";
inline constexpr std::string_view kRequestStopSequences = "gen_ai.request.stop_sequences";
inline constexpr std::string_view kRequestSeed = "gen_ai.request.seed";
inline constexpr std::string_view kRequestChoiceCount = "gen_ai.request.choice.count";
inline constexpr std::string_view kRequestStream = "gen_ai.request.stream";
inline constexpr std::string_view kRequestEncodingFormats = "gen_ai.request.encoding_formats";
inline constexpr std::string_view kOutputType = "gen_ai.output.type";
inline constexpr std::string_view kConversationId = "gen_ai.conversation.id";
inline constexpr std::string_view kResponseId = "gen_ai.response.id";
inline constexpr std::string_view kResponseModel = "gen_ai.response.model";
inline constexpr std::string_view kResponseFinishReasons = "gen_ai.response.finish_reasons";
inline constexpr std::string_view kResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";
inline constexpr std::string_view kUsageInputTokens = "gen_ai.usage.input_tokens";
inline constexpr std::string_view kUsageOutputTokens = "gen_ai.usage.output_tokens";
inline constexpr std::string_view kUsageCacheReadInputTokens =
    "gen_ai.usage.cache_read.input_tokens";
inline constexpr std::string_view kUsageReasoningOutputTokens =
    "gen_ai.usage.reasoning.output_tokens";
inline constexpr std::string_view kTokenType = "gen_ai.token.type";
inline constexpr std::string_view kTokenModality = "gen_ai.token.modality";
inline constexpr std::string_view kInputMessages = "gen_ai.input.messages";
inline constexpr std::string_view kOutputMessages = "gen_ai.output.messages";
inline constexpr std::string_view kSystemInstructions = "gen_ai.system_instructions";
inline constexpr std::string_view kToolDefinitions = "gen_ai.tool.definitions";
inline constexpr std::string_view kDataSourceId = "gen_ai.data_source.id";
inline constexpr std::string_view kToolName = "gen_ai.tool.name";
inline constexpr std::string_view kToolCallId = "gen_ai.tool.call.id";
inline constexpr std::string_view kToolType = "gen_ai.tool.type";
inline constexpr std::string_view kToolDescription = "gen_ai.tool.description";
inline constexpr std::string_view kAgentName = "gen_ai.agent.name";
inline constexpr std::string_view kAgentId = "gen_ai.agent.id";
inline constexpr std::string_view kAgentDescription = "gen_ai.agent.description";
inline constexpr std::string_view kWorkflowName = "gen_ai.workflow.name";
inline constexpr std::string_view kEmbeddingsDimensionCount = "gen_ai.embeddings.dimension.count";
inline constexpr std::string_view kEvaluationName = "gen_ai.evaluation.name";
inline constexpr std::string_view kEvaluationScoreValue = "gen_ai.evaluation.score.value";
inline constexpr std::string_view kEvaluationScoreLabel = "gen_ai.evaluation.score.label";
inline constexpr std::string_view kEvaluationExplanation = "gen_ai.evaluation.explanation";
// Provisional (semantic-conventions-genai PR #443, not merged): cost of a call.
inline constexpr std::string_view kUsageCostAmount = "gen_ai.usage.cost.amount";
inline constexpr std::string_view kUsageCostCurrency = "gen_ai.usage.cost.currency";
inline constexpr std::string_view kUsageCostSource = "gen_ai.usage.cost.source";

// --- The one usage name that differs between flavours.
inline constexpr std::string_view kUsageCacheCreationInputTokensV141 =
    "gen_ai.usage.cache_creation.input_tokens";
inline constexpr std::string_view kUsageCacheWriteInputTokensLatest =
    "gen_ai.usage.cache_write.input_tokens";

// --- General conventions used on GenAI spans and metrics.
inline constexpr std::string_view kServerAddress = "server.address";
inline constexpr std::string_view kServerPort = "server.port";
inline constexpr std::string_view kErrorType = "error.type";
inline constexpr std::string_view kHttpResponseStatusCode = "http.response.status_code";
inline constexpr std::string_view kDbSystemName = "db.system.name";
inline constexpr std::string_view kDbOperationName = "db.operation.name";
inline constexpr std::string_view kUserId = "user.id";
inline constexpr std::string_view kSessionId = "session.id";

// --- llmtrace extensions.
inline constexpr std::string_view kPromptSha256 = "llmtrace.prompt.sha256";
inline constexpr std::string_view kPromptLength = "llmtrace.prompt.length";
inline constexpr std::string_view kResponseSha256 = "llmtrace.response.sha256";
inline constexpr std::string_view kResponseLength = "llmtrace.response.length";
inline constexpr std::string_view kResponseChunkCount = "llmtrace.response.chunk_count";
inline constexpr std::string_view kResponsePartial = "llmtrace.response.partial";
inline constexpr std::string_view kUsageSource = "llmtrace.usage.source";  // provider|estimated
inline constexpr std::string_view kCostUnpriced = "llmtrace.cost.unpriced";
inline constexpr std::string_view kTokenClass = "llmtrace.token.class";
inline constexpr std::string_view kBudgetExceeded = "llmtrace.budget.exceeded";
inline constexpr std::string_view kBudgetSoftLimitReached = "llmtrace.budget.soft_limit_reached";
inline constexpr std::string_view kBudgetName = "llmtrace.budget.name";  // budget gauges
inline constexpr std::string_view kBudgetScope = "llmtrace.budget.scope";
inline constexpr std::string_view kBudgetWindow = "llmtrace.budget.window";
inline constexpr std::string_view kRetrievalDocuments = "llmtrace.retrieval.documents";
inline constexpr std::string_view kRetrievalTopK = "llmtrace.retrieval.top_k";
inline constexpr std::string_view kRetrievalQuerySha256 = "llmtrace.retrieval.query.sha256";
inline constexpr std::string_view kDocumentId = "llmtrace.document.id";
inline constexpr std::string_view kDocumentScore = "llmtrace.document.score";
inline constexpr std::string_view kDocumentRank = "llmtrace.document.rank";
inline constexpr std::string_view kDocumentPreview = "llmtrace.document.preview";
inline constexpr std::string_view kRerankInputDocuments = "llmtrace.rerank.input_documents";
inline constexpr std::string_view kRerankTopN = "llmtrace.rerank.top_n";
inline constexpr std::string_view kToolArgumentsSha256 = "llmtrace.tool.arguments.sha256";
inline constexpr std::string_view kToolResultLength = "llmtrace.tool.result.length";
inline constexpr std::string_view kToolStatus = "llmtrace.tool.status";  // success|error
inline constexpr std::string_view kAgentType = "llmtrace.agent.type";
inline constexpr std::string_view kAgentMaxIterations = "llmtrace.agent.max_iterations";
inline constexpr std::string_view kAgentIterationsUsed = "llmtrace.agent.iterations_used";
inline constexpr std::string_view kAgentFinalAnswerLength = "llmtrace.agent.final_answer.length";
inline constexpr std::string_view kAgentStatus = "llmtrace.agent.status";
inline constexpr std::string_view kAgentIterationNumber = "llmtrace.agent.iteration.number";
inline constexpr std::string_view kAgentIterationType = "llmtrace.agent.iteration.type";
inline constexpr std::string_view kAgentIterationToolCalls = "llmtrace.agent.iteration.tool_calls";
inline constexpr std::string_view kRagDocumentsRetrieved = "llmtrace.rag.documents_retrieved";
inline constexpr std::string_view kRagContextLength = "llmtrace.rag.context.length";
inline constexpr std::string_view kRagAnswerLength = "llmtrace.rag.answer.length";
inline constexpr std::string_view kDurationMs = "llmtrace.duration_ms";
inline constexpr std::string_view kTtftMs = "llmtrace.ttft_ms";
inline constexpr std::string_view kSanitizedPrompt = "llmtrace.prompt.sanitized";
inline constexpr std::string_view kSanitizedResponse = "llmtrace.response.sanitized";
// Retry executor (retry_executor.h): on `retry_attempt {model}` spans...
inline constexpr std::string_view kRetryAttempt = "llmtrace.retry.attempt";  // 1-based
inline constexpr std::string_view kRetryRetryable = "llmtrace.retry.retryable";
inline constexpr std::string_view kRetryDelayMs = "llmtrace.retry.delay_ms";
inline constexpr std::string_view kRetryRetryAfterMs = "llmtrace.retry.retry_after_ms";
// ...and on the `retry {model}` span around them.
inline constexpr std::string_view kRetryAttempts = "llmtrace.retry.attempts";
inline constexpr std::string_view kRetrySucceededAfterRetry =
    "llmtrace.retry.succeeded_after_retry";
inline constexpr std::string_view kRetryFallbackModel = "llmtrace.retry.fallback_model";
inline constexpr std::string_view kRetryStopReason = "llmtrace.retry.stop_reason";
inline constexpr std::string_view kRetryWaitedMs = "llmtrace.retry.waited_ms";
}  // namespace attr

// Values of llmtrace.agent.status, llmtrace.tool.status, llmtrace.token.class.
namespace value {
inline constexpr std::string_view kAgentCompleted = "completed";
inline constexpr std::string_view kAgentMaxIterationsReached = "max_iterations_reached";
inline constexpr std::string_view kAgentFailed = "error";
inline constexpr std::string_view kToolSuccess = "success";
inline constexpr std::string_view kToolError = "error";
inline constexpr std::string_view kTokenInput = "input";
inline constexpr std::string_view kTokenOutput = "output";
inline constexpr std::string_view kTokenCacheRead = "cache_read";
inline constexpr std::string_view kTokenCacheWrite = "cache_write";
inline constexpr std::string_view kTokenReasoning = "reasoning";
inline constexpr std::string_view kModalityText = "text";
inline constexpr std::string_view kFinishReasonError = "error";
inline constexpr std::string_view kCostSourceLocal = "local";
}  // namespace value

// Event names.
namespace event {
inline constexpr std::string_view kInferenceOperationDetails =
    "gen_ai.client.inference.operation.details";
inline constexpr std::string_view kEvaluationResult = "gen_ai.evaluation.result";
inline constexpr std::string_view kRetrievalDocument = "llmtrace.retrieval.document";
}  // namespace event

namespace metric {
// v1.41 (default flavour).
inline constexpr std::string_view kClientTokenUsage = "gen_ai.client.token.usage";
inline constexpr std::string_view kClientOperationDuration = "gen_ai.client.operation.duration";
inline constexpr std::string_view kClientTimeToFirstChunk =
    "gen_ai.client.operation.time_to_first_chunk";
inline constexpr std::string_view kClientTimePerOutputChunk =
    "gen_ai.client.operation.time_per_output_chunk";
inline constexpr std::string_view kServerRequestDuration = "gen_ai.server.request.duration";
inline constexpr std::string_view kServerTimeToFirstToken = "gen_ai.server.time_to_first_token";
inline constexpr std::string_view kServerTimePerOutputToken = "gen_ai.server.time_per_output_token";
// Latest flavour.
inline constexpr std::string_view kInferenceDuration = "gen_ai.client.inference.duration";
inline constexpr std::string_view kInferenceTimeToFirstChunk =
    "gen_ai.client.inference.time_to_first_chunk";
inline constexpr std::string_view kInferenceTimePerOutputChunk =
    "gen_ai.client.inference.time_per_output_chunk";
inline constexpr std::string_view kInferenceUsageInputTokens =
    "gen_ai.client.inference.usage.input_tokens";
inline constexpr std::string_view kInferenceUsageOutputTokens =
    "gen_ai.client.inference.usage.output_tokens";
inline constexpr std::string_view kInferenceUsageCacheReadInputTokens =
    "gen_ai.client.inference.usage.cache_read.input_tokens";
inline constexpr std::string_view kInferenceUsageCacheWriteInputTokens =
    "gen_ai.client.inference.usage.cache_write.input_tokens";
inline constexpr std::string_view kInferenceUsageReasoningOutputTokens =
    "gen_ai.client.inference.usage.reasoning.output_tokens";
inline constexpr std::string_view kInferenceOperationInputTokens =
    "gen_ai.client.inference.operation.input_tokens";
inline constexpr std::string_view kInferenceOperationOutputTokens =
    "gen_ai.client.inference.operation.output_tokens";
inline constexpr std::string_view kExecuteToolDuration = "gen_ai.execute_tool.duration";
inline constexpr std::string_view kInvokeAgentDuration = "gen_ai.invoke_agent.duration";
// llmtrace's own.
inline constexpr std::string_view kCost = "llmtrace.genai.cost";
inline constexpr std::string_view kCalls = "llmtrace.genai.calls";
inline constexpr std::string_view kEvaluations = "llmtrace.genai.evaluations";
// Failed operations by error.type (docs/errors.md), provider, model and operation.
inline constexpr std::string_view kErrors = "llmtrace.genai.errors";
inline constexpr std::string_view kUnpricedCalls = "llmtrace.genai.unpriced_calls";
inline constexpr std::string_view kBudgetRejections = "llmtrace.budget.rejections";
inline constexpr std::string_view kBudgetLimit = "llmtrace.budget.limit";
inline constexpr std::string_view kBudgetRemaining = "llmtrace.budget.remaining";
inline constexpr std::string_view kBudgetRemainingTokens = "llmtrace.budget.remaining_tokens";
}  // namespace metric

// Bucket boundaries the conventions advise.
inline constexpr double kTokenUsageBuckets[] = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};
inline constexpr double kDurationBuckets[] = {0.01, 0.02, 0.04, 0.08,  0.16,  0.32,  0.64,
                                              1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
inline constexpr double kTimeToFirstTokenBuckets[] = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0};
inline constexpr double kTimePerOutputTokenBuckets[] = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2,
                                                        0.3,  0.4,   0.5,  0.75,  1.0, 2.5};

}  // namespace llmtrace::genai
