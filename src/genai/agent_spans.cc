#include "llmtrace/genai/agent_spans.h"

#include <array>

#include "llmtrace/genai/content_hash.h"
#include "llmtrace/genai/instrumentation.h"
#include "src/genai/instrumentation_state.h"

namespace llmtrace::genai {
// --- execute_tool

ToolSpan Instrumentation::StartTool(const ToolRequest& request) const noexcept {
  const MonotonicTime start = state_->clock->MonotonicNow();
  std::string arguments_sha256;
  if (state_->hash_content && !request.arguments.empty()) {
    try {
      arguments_sha256 = Sha256Hex(request.arguments);
    } catch (...) {
    }
  }
  std::array<KeyValue, 5> attributes;
  std::size_t n = 0;
  attributes[n++] = {attr::kOperationName, op::kExecuteTool};
  attributes[n++] = {attr::kToolName, request.name};
  if (!request.call_id.empty()) attributes[n++] = {attr::kToolCallId, request.call_id};
  if (!request.type.empty()) attributes[n++] = {attr::kToolType, request.type};
  if (!arguments_sha256.empty()) attributes[n++] = {attr::kToolArgumentsSha256, arguments_sha256};
  trace::Span span = state_->StartSpan(internal::OperationSpanName(op::kExecuteTool, request.name),
                                       std::span<const KeyValue>(attributes.data(), n),
                                       trace::SpanKind::kInternal, request.parent);
  return ToolSpan(state_, std::move(span), start, request.name);
}

ToolSpan::ToolSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
                   MonotonicTime start, std::string_view name) noexcept
    : OperationSpan(std::move(state), std::move(span), start) {
  try {
    name_.assign(name);
  } catch (...) {
  }
}

void ToolSpan::SetResult(std::string_view result) noexcept {
  span_.SetAttribute(attr::kToolResultLength, static_cast<std::int64_t>(result.size()));
}

void ToolSpan::End() noexcept {
  if (state_ == nullptr || !MarkEnded(op::kExecuteTool)) return;
  const double duration = ElapsedSeconds();
  span_.SetAttribute(attr::kToolStatus, failed() ? value::kToolError : value::kToolSuccess);
  std::array<KeyValue, 3> common;
  std::size_t n = 0;
  common[n++] = {attr::kOperationName, op::kExecuteTool};
  common[n++] = {attr::kToolName, name_};
  if (failed()) common[n++] = {attr::kErrorType, error_type_};
  const metrics::Attributes view(common.data(), n);
  state_->instruments.execute_tool_duration.Record(duration, view);
  state_->instruments.calls.Add(1, view);
  span_.End();
}

// --- invoke_agent

AgentSpan Instrumentation::StartAgent(const AgentRequest& request) const noexcept {
  const MonotonicTime start = state_->clock->MonotonicNow();
  std::array<KeyValue, 6> attributes;
  std::size_t n = 0;
  attributes[n++] = {attr::kOperationName, op::kInvokeAgent};
  if (!request.name.empty()) attributes[n++] = {attr::kAgentName, request.name};
  if (!request.id.empty()) attributes[n++] = {attr::kAgentId, request.id};
  if (!request.provider.empty()) attributes[n++] = {attr::kProviderName, request.provider};
  if (!request.type.empty()) attributes[n++] = {attr::kAgentType, request.type};
  if (request.max_iterations > 0) {
    attributes[n++] = {attr::kAgentMaxIterations, request.max_iterations};
  }
  trace::Span span = state_->StartSpan(
      internal::OperationSpanName(op::kInvokeAgent, request.name),
      std::span<const KeyValue>(attributes.data(), n),
      request.remote ? trace::SpanKind::kClient : trace::SpanKind::kInternal, request.parent);
  return AgentSpan(state_, std::move(span), start, request);
}

AgentSpan::AgentSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
                     MonotonicTime start, const AgentRequest& request) noexcept
    : OperationSpan(std::move(state), std::move(span), start),
      max_iterations_(request.max_iterations) {
  try {
    name_.assign(request.name);
    provider_.assign(request.provider);
  } catch (...) {
  }
}

AgentIteration AgentSpan::StartIteration(std::string_view type) noexcept {
  if (state_ == nullptr || ended_) return AgentIteration();
  ++iterations_;
  std::string name;
  try {
    name = "iteration " + std::to_string(iterations_);
  } catch (...) {
  }
  const trace::Context parent = context();
  std::array<KeyValue, 2> attributes{
      {{attr::kAgentIterationNumber, iterations_}, {attr::kAgentIterationType, type}}};
  trace::Span span = state_->StartSpan(name, attributes, trace::SpanKind::kInternal, &parent);
  return AgentIteration(state_, std::move(span), state_->clock->MonotonicNow());
}

void AgentSpan::Finish(std::string_view final_answer) noexcept {
  if (state_ == nullptr || ended_) return;
  final_answer_length_ = static_cast<std::int64_t>(final_answer.size());
  End();
}

void AgentSpan::End() noexcept {
  if (state_ == nullptr || !MarkEnded(op::kInvokeAgent, provider_)) return;
  const double duration = ElapsedSeconds();
  span_.SetAttribute(attr::kAgentIterationsUsed, iterations_);
  std::string_view status = value::kAgentCompleted;
  if (final_answer_length_) {
    span_.SetAttribute(attr::kAgentFinalAnswerLength, *final_answer_length_);
  } else if (max_iterations_ > 0 && iterations_ >= max_iterations_ && !failed()) {
    status = value::kAgentMaxIterationsReached;
    // Not an error.type: the agent did not fail, it gave up. The span status says so.
    span_.SetStatus(trace::SpanStatus::kError, "agent reached max_iterations without an answer");
  }
  if (failed()) status = value::kAgentFailed;
  span_.SetAttribute(attr::kAgentStatus, status);
  std::array<KeyValue, 4> common;
  std::size_t n = 0;
  common[n++] = {attr::kOperationName, op::kInvokeAgent};
  if (!name_.empty()) common[n++] = {attr::kAgentName, name_};
  if (!provider_.empty()) common[n++] = {attr::kProviderName, provider_};
  if (failed()) common[n++] = {attr::kErrorType, error_type_};
  const metrics::Attributes view(common.data(), n);
  state_->instruments.invoke_agent_duration.Record(duration, view);
  state_->instruments.calls.Add(1, view);
  span_.End();
}

AgentIteration::AgentIteration(std::shared_ptr<const internal::InstrumentationState> state,
                               trace::Span span, MonotonicTime start) noexcept
    : OperationSpan(std::move(state), std::move(span), start) {}

void AgentIteration::SetType(std::string_view type) noexcept {
  span_.SetAttribute(attr::kAgentIterationType, type);
}

void AgentIteration::SetToolCalls(std::int64_t count) noexcept {
  span_.SetAttribute(attr::kAgentIterationToolCalls, count);
}

void AgentIteration::End() noexcept {
  if (state_ == nullptr || !MarkEnded()) return;
  span_.End();
}

// --- invoke_workflow

WorkflowSpan Instrumentation::StartWorkflow(const WorkflowRequest& request) const noexcept {
  const MonotonicTime start = state_->clock->MonotonicNow();
  std::array<KeyValue, 2> attributes{
      {{attr::kOperationName, op::kInvokeWorkflow}, {attr::kWorkflowName, request.name}}};
  trace::Span span =
      state_->StartSpan(internal::OperationSpanName(op::kInvokeWorkflow, request.name), attributes,
                        trace::SpanKind::kInternal, request.parent);
  return WorkflowSpan(state_, std::move(span), start);
}

void WorkflowSpan::SetDocumentsRetrieved(std::int64_t n) noexcept {
  span_.SetAttribute(attr::kRagDocumentsRetrieved, n);
}
void WorkflowSpan::SetContextLength(std::int64_t bytes) noexcept {
  span_.SetAttribute(attr::kRagContextLength, bytes);
}
void WorkflowSpan::SetAnswerLength(std::int64_t bytes) noexcept {
  span_.SetAttribute(attr::kRagAnswerLength, bytes);
}

void WorkflowSpan::End() noexcept {
  if (state_ == nullptr || !MarkEnded(op::kInvokeWorkflow)) return;
  span_.End();
}

}  // namespace llmtrace::genai
