// The span helpers of agents and pipelines: execute_tool, invoke_agent with one span per
// iteration, and invoke_workflow (a RAG pipeline, a chain). Each is an OperationSpan (see
// operation_span.h): RAII, explicit End(), SetError.
//
//   AgentSpan agent = genai->StartAgent({.name = "support", .type = "react", .max_iterations = 5});
//   auto agent_scope = agent.Activate();
//   {
//     AgentIteration step = agent.StartIteration();  // "iteration 1", child of the agent
//     auto scope = step.Activate();
//     ToolSpan tool = genai->StartTool({.name = "search_database", .arguments = args});
//     tool.SetResult(result); tool.End(); step.End();
//   }
//   agent.Finish(final_answer);  // or agent.End() after max_iterations: status recorded
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "llmtrace/genai/operation_span.h"

namespace llmtrace::genai {

struct ToolRequest {
  std::string_view name;       // gen_ai.tool.name
  std::string_view call_id;    // gen_ai.tool.call.id
  std::string_view type;       // gen_ai.tool.type: function | extension | datastore
  std::string_view arguments;  // hashed (llmtrace.tool.arguments.sha256), never recorded as text
  const trace::Context* parent = nullptr;
};

class ToolSpan : public OperationSpan {
 public:
  ToolSpan() noexcept = default;
  ToolSpan(ToolSpan&&) noexcept = default;
  ToolSpan& operator=(ToolSpan&&) = delete;  // end it, then start another
  ~ToolSpan() { End(); }

  // The tool's result: its length is recorded (llmtrace.tool.result.length).
  void SetResult(std::string_view result) noexcept;
  // llmtrace.tool.status is "success" unless SetError was called.
  void End() noexcept;

 private:
  friend class Instrumentation;
  ToolSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
           MonotonicTime start, std::string_view name) noexcept;
  std::string name_;
};

struct AgentRequest {
  std::string_view name;            // gen_ai.agent.name
  std::string_view id;              // gen_ai.agent.id
  std::string_view type;            // llmtrace.agent.type: react, plan_and_execute, ...
  std::int64_t max_iterations = 0;  // 0: unbounded
  std::string_view provider;        // gen_ai.provider.name of a remote agent service
  bool remote = false;              // CLIENT span for a remote agent, INTERNAL in-process
  const trace::Context* parent = nullptr;
};

class AgentIteration;

class AgentSpan : public OperationSpan {
 public:
  AgentSpan() noexcept = default;
  AgentSpan(AgentSpan&&) noexcept = default;
  AgentSpan& operator=(AgentSpan&&) = delete;  // end it, then start another
  ~AgentSpan() { End(); }

  // A child span for the next iteration ("iteration N"); `type` describes the step
  // (llmtrace.agent.iteration.type: "reasoning", "tool_call", "final", ...). Activate() it so
  // the LLM and tool spans of the step nest under it.
  AgentIteration StartIteration(std::string_view type = "reasoning") noexcept;
  std::int64_t iterations_used() const noexcept { return iterations_; }

  // The agent produced its answer: final answer length and status "completed", then End().
  void Finish(std::string_view final_answer) noexcept;
  // Without Finish(), End() records status "max_iterations_reached" (an ERROR span status) when
  // the iterations reached max_iterations, else "error" if SetError was called.
  void End() noexcept;

 private:
  friend class Instrumentation;
  AgentSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
            MonotonicTime start, const AgentRequest& request) noexcept;
  std::string name_;
  std::string provider_;
  std::int64_t max_iterations_ = 0;
  std::int64_t iterations_ = 0;
  std::optional<std::int64_t> final_answer_length_;
};

class AgentIteration : public OperationSpan {
 public:
  AgentIteration() noexcept = default;
  AgentIteration(AgentIteration&&) noexcept = default;
  AgentIteration& operator=(AgentIteration&&) = delete;  // end it, then start another
  ~AgentIteration() { End(); }

  void SetType(std::string_view type) noexcept;
  void SetToolCalls(std::int64_t count) noexcept;
  void End() noexcept;

 private:
  friend class AgentSpan;
  AgentIteration(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
                 MonotonicTime start) noexcept;
};

struct WorkflowRequest {
  std::string_view name;  // gen_ai.workflow.name, e.g. "rag-pipeline"
  const trace::Context* parent = nullptr;
};

class WorkflowSpan : public OperationSpan {
 public:
  WorkflowSpan() noexcept = default;
  WorkflowSpan(WorkflowSpan&&) noexcept = default;
  WorkflowSpan& operator=(WorkflowSpan&&) = delete;  // end it, then start another
  ~WorkflowSpan() { End(); }

  // The seed's RAG pipeline attributes.
  void SetDocumentsRetrieved(std::int64_t n) noexcept;
  void SetContextLength(std::int64_t bytes) noexcept;
  void SetAnswerLength(std::int64_t bytes) noexcept;
  void End() noexcept;

 private:
  friend class Instrumentation;
  WorkflowSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
               MonotonicTime start) noexcept
      : OperationSpan(std::move(state), std::move(span), start) {}
};

}  // namespace llmtrace::genai
