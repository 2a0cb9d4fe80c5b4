// Emitting a record allocates nothing once the pool and the record's arena are warm: this test
// binary replaces the global operator new to count allocations made on the calling thread.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/logs/simple_log_record_processor.h"
#include "llmtrace/trace/tracer_provider.h"

namespace {
thread_local bool counting = false;
thread_local std::size_t allocations = 0;
}  // namespace

// AddressSanitizer brings its own operator new (and bypasses the record pool): no counting there.
#if !defined(__SANITIZE_ADDRESS__)
void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace llmtrace::logs {
namespace {

class DiscardingExporter final : public LogRecordExporter {
 public:
  ExportResult Export(std::span<const LogRecordDataPtr> batch, MonotonicTime) noexcept override {
    exported_ += batch.size();
    return ExportResult::kSuccess;
  }
  Status Shutdown(std::chrono::milliseconds) noexcept override { return Status::Ok(); }
  std::size_t exported_ = 0;
};

TEST(SteadyStateAllocationTest, EmittingACorrelatedRecordAllocatesNothingOnceWarm) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the record pool is bypassed under AddressSanitizer";
#endif
  MapEnvironment env;
  auto exporter = std::make_unique<DiscardingExporter>();
  DiscardingExporter* sink = exporter.get();
  LoggerProviderOptions options;
  options.environment = &env;
  options.processors.push_back(std::make_unique<SimpleLogRecordProcessor>(std::move(exporter)));
  auto provider = *LoggerProvider::Create(std::move(options));
  auto logger = provider->GetLogger("alloc");
  trace::TracerProviderOptions trace_options;
  trace_options.environment = &env;
  auto tracer_provider = *trace::TracerProvider::Create(std::move(trace_options));
  trace::Span span = tracer_provider->GetTracer("t")->StartSpan("chat");
  trace::ContextScope scope = span.Activate();

  auto emit = [&] {
    logger->Emit(Severity::kInfo, "LLM call completed",
                 {{"gen_ai.request.model", "gpt-4o-mini"},
                  {"gen_ai.usage.input_tokens", 1200},
                  {"gen_ai.response.finish_reasons", {"stop"}}});
  };
  for (int i = 0; i < 1000; ++i) emit();  // warm the pool and the arena
  counting = true;
  static void* volatile probe;
  probe = ::operator new(16);  // the counter itself works
  ::operator delete(probe);
  ASSERT_EQ(allocations, 1u);
  allocations = 0;
  for (int i = 0; i < 1000; ++i) emit();
  counting = false;
  EXPECT_EQ(allocations, 0u);
  EXPECT_EQ(sink->exported_, 2000u);
  span.End();
}

}  // namespace
}  // namespace llmtrace::logs
