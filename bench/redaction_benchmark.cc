// Redaction throughput on 1 MiB of generated chat text (mostly prose, code and numbers, with a
// piece of PII or a secret every 2 KiB or so), with the default rules, next to the seed's
// sanitizer (its 5 patterns applied one after the other with std::regex, as the seed's Python
// does with re.sub) on the same text in the same run. For scale: memcpy of the text, and the
// redactor on the same kind of text with no PII at all; and Redactor::Create with the default
// rules (it runs at start-up of every process that captures content). bench/run.sh prints MB/s
// and ratios.
// The text is generated from a fixed seed, so every run measures the same bytes.
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "llmtrace/genai/redactor.h"
#include "llmtrace/genai/streaming_redactor.h"

namespace llmtrace::bench {
namespace {

constexpr std::size_t kTextBytes = 1 << 20;

constexpr const char* kWords[] = {
    "the",
    "model",
    "returns",
    "a",
    "response",
    "with",
    "tokens",
    "and",
    "latency",
    "of",
    "request",
    "user",
    "assistant",
    "system",
    "prompt",
    "context",
    "window",
    "retrieval",
    "documents",
    "are",
    "ranked",
    "by",
    "similarity",
    "then",
    "passed",
    "to",
    "generation",
    "step",
    "which",
    "streams",
    "chunks",
    "back",
    "client",
    "while",
    "tracing",
    "records",
    "spans",
    "for",
    "each",
    "call",
    "including",
    "cost",
    "in",
    "dollars",
    "per",
    "million",
    "input",
    "output",
    "we",
    "should",
    "check",
    "whether",
    "agent",
    "tool",
    "calls",
    "succeed",
    "or",
    "fail",
    "after",
    "retries",
    "timeout",
    "error",
    "rate",
    "limit",
    "exceeded",
    "please",
    "summarize",
    "this",
    "paragraph",
    "explain",
    "how",
    "OpenTelemetry",
    "works",
    "Kubernetes",
    "deployment",
    "config",
    "file",
    "version",
    "2.4.1",
    "build",
    "42",
    "items",
    "3.5",
    "10%",
    "2024-11-25",
    "12:30",
    "function",
    "returns",
    "std::vector<int>",
    "nullptr",
    "const",
    "def",
    "main():",
    "print(result)",
    "import",
    "numpy",
    "as",
    "np",
    "x",
    "=",
    "np.zeros(3)",
    "SELECT",
    "*",
    "FROM",
    "orders",
    "WHERE",
    "id",
    "=",
    "1042;",
    "thanks!",
    "sure,",
    "here",
    "is",
    "an",
    "example:",
    "note:",
    "it",
    "depends",
    "on",
    "your",
    "use",
    "case.",
    "Also,",
    "consider",
    "caching",
    "embeddings",
    "vector",
    "store",
    "index",
    "hnsw",
    "cosine",
    "score",
    "0.87",
    "top_k",
    "5",
    "temperature",
    "0.2",
    "max_tokens",
    "1024",
    "stream",
    "true",
};

constexpr const char* kSecrets[] = {
    "alice.smith@example.com",
    "+44 20 7946 0958",
    "(415) 555-0132",
    "4111 1111 1111 1111",
    "DE89 3704 0044 0532 0130 00",
    "123-45-6789",
    "11010519491231002X",
    "10.20.30.40",
    "2001:db8::8a2e:370:7334",
    "sk-proj-Ab3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5z",
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "api_key=Zx81Kq0Lw2Mv7Rt5",
};

std::string MakeChatText(bool with_pii) {
  std::mt19937_64 random(20261125);
  std::string text;
  text.reserve(kTextBytes + 256);
  std::size_t next_pii = 1500;
  std::size_t sentence_words = 0;
  while (text.size() < kTextBytes) {
    if (with_pii && text.size() >= next_pii) {
      text += kSecrets[random() % std::size(kSecrets)];
      text += ' ';
      next_pii = text.size() + 1000 + random() % 2000;
    }
    text += kWords[random() % std::size(kWords)];
    if (++sentence_words >= 8 + random() % 12) {
      text += random() % 5 == 0 ? ".\n\n" : ". ";
      sentence_words = 0;
    } else {
      text += ' ';
    }
  }
  text.resize(kTextBytes);
  return text;
}

const std::string& ChatText() {
  static const std::string* text = new std::string(MakeChatText(true));
  return *text;
}
const std::string& CleanText() {
  static const std::string* text = new std::string(MakeChatText(false));
  return *text;
}

std::shared_ptr<const genai::Redactor> DefaultRedactor() {
  static auto* redactor = new std::shared_ptr<const genai::Redactor>(
      *genai::Redactor::Create(genai::RedactorOptions{}));
  return *redactor;
}

void Llmtrace_Redact1MiBChat(benchmark::State& state) {
  const std::string& text = ChatText();
  const auto redactor = DefaultRedactor();
  std::size_t matches = redactor->FindMatches(text).size();
  for (auto _ : state) benchmark::DoNotOptimize(redactor->Redact(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["redactions"] = static_cast<double>(matches);
}
BENCHMARK(Llmtrace_Redact1MiBChat);

void Llmtrace_Redact1MiBNoPii(benchmark::State& state) {
  const std::string& text = CleanText();
  const auto redactor = DefaultRedactor();
  for (auto _ : state) benchmark::DoNotOptimize(redactor->Redact(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(Llmtrace_Redact1MiBNoPii);

// Compiling the default rules: paid once per process.
void Llmtrace_CreateDefaultRedactor(benchmark::State& state) {
  for (auto _ : state) {
    auto redactor = genai::Redactor::Create(genai::RedactorOptions{});
    if (!redactor.ok()) state.SkipWithError("Create failed");
    benchmark::DoNotOptimize(redactor);
  }
}
BENCHMARK(Llmtrace_CreateDefaultRedactor)->Unit(benchmark::kMillisecond)->Iterations(10);

// A streamed response: 64-byte chunks (a few SSE deltas each).
void Llmtrace_StreamingRedact1MiBChat64ByteChunks(benchmark::State& state) {
  const std::string& text = ChatText();
  const auto redactor = DefaultRedactor();
  for (auto _ : state) {
    genai::StreamingRedactor stream(redactor);
    std::size_t out = 0;
    for (std::size_t at = 0; at < text.size(); at += 64) {
      out += stream.Push(std::string_view(text).substr(at, 64)).size();
    }
    out += stream.Finish().size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(Llmtrace_StreamingRedact1MiBChat64ByteChunks);

// The seed's sanitize_text, pattern for pattern, in ECMAScript syntax.
void Baseline_SeedStdRegex1MiBChat(benchmark::State& state) {
  const std::string& text = ChatText();
  const std::vector<std::pair<std::regex, std::string>> patterns = {
      {std::regex(R"(\b\d{3}[-.]?\d{4}\b)"), "[PHONE]"},
      {std::regex(R"(\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Z|a-z]{2,}\b)"), "[EMAIL]"},
      {std::regex(R"(\b\d{17}[\dXx]\b)"), "[ID_CARD]"},
      {std::regex(R"(\b(?:\d[ -]*?){13,19}\b)"), "[CREDIT_CARD]"},
      {std::regex(R"(api[_-]?key[=:]\s*\S+)", std::regex::icase), "[API_KEY]"},
  };
  for (auto _ : state) {
    std::string sanitized = text;
    for (const auto& [pattern, replacement] : patterns) {
      sanitized = std::regex_replace(sanitized, pattern, replacement);
    }
    benchmark::DoNotOptimize(sanitized);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(Baseline_SeedStdRegex1MiBChat)->Unit(benchmark::kMillisecond);

void Baseline_Memcpy1MiB(benchmark::State& state) {
  const std::string& text = ChatText();
  std::string copy(text.size(), '\0');
  for (auto _ : state) {
    std::memcpy(copy.data(), text.data(), text.size());
    benchmark::DoNotOptimize(copy.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(Baseline_Memcpy1MiB);

}  // namespace
}  // namespace llmtrace::bench

BENCHMARK_MAIN();
