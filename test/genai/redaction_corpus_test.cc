// Precision and recall of the default redaction rules over the labelled corpus in
// test/testdata/redaction/corpus.jsonl (written by generate.py beside it): positives of every
// entity type, each with its expected byte span, and look-alike negatives. A positive counts as
// found only if a match of its type covers exactly its span; any other match is a false positive.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <map>
#include <string>

#include "llmtrace/genai/redactor.h"

namespace llmtrace::genai {
namespace {

struct Counts {
  int expected = 0;
  int true_positives = 0;
  int false_positives = 0;
  double Precision() const {
    const int found = true_positives + false_positives;
    return found == 0 ? 1.0 : static_cast<double>(true_positives) / found;
  }
  double Recall() const {
    return expected == 0 ? 1.0 : static_cast<double>(true_positives) / expected;
  }
};

std::string Label(std::string_view placeholder) {
  return std::string(placeholder.substr(1, placeholder.size() - 2));  // "[EMAIL]" -> "EMAIL"
}

TEST(RedactionCorpusTest, DefaultRulesMeetPrecisionAndRecallOnTheLabelledCorpus) {
  auto redactor = Redactor::Create({});
  ASSERT_TRUE(redactor.ok()) << redactor.status().ToString();

  simdjson::dom::parser parser;
  simdjson::dom::document_stream lines;
  const std::string path =
      std::string(LLMTRACE_SOURCE_DIR) + "/test/testdata/redaction/corpus.jsonl";
  ASSERT_EQ(parser.load_many(path).get(lines), simdjson::SUCCESS) << path;

  std::map<std::string, Counts> by_label;
  Counts overall;
  int positives = 0, negatives = 0;
  for (auto line : lines) {
    simdjson::dom::element row;
    ASSERT_EQ(line.get(row), simdjson::SUCCESS);
    const std::string_view text = row["text"].get_string().value();
    const std::string label(row["label"].get_string().value());
    std::size_t start = 0, end = 0;
    if (label != "NONE") {
      start = static_cast<std::size_t>(row["start"].get_int64().value());
      end = static_cast<std::size_t>(row["end"].get_int64().value());
      ++by_label[label].expected;
      ++overall.expected;
      ++positives;
    } else {
      ++negatives;
    }
    for (const RedactionMatch& match : (*redactor)->FindMatches(text)) {
      const std::string found = Label(match.placeholder);
      const bool hit =
          label == found && match.offset == start && match.offset + match.length == end;
      Counts& counts = by_label[found];
      (hit ? counts.true_positives : counts.false_positives)++;
      (hit ? overall.true_positives : overall.false_positives)++;
      if (!hit) {
        ADD_FAILURE() << "unexpected " << found << " '" << text.substr(match.offset, match.length)
                      << "' in: " << text;
      }
    }
  }
  EXPECT_GE(positives, 300);
  EXPECT_GE(negatives, 300);

  std::printf("%-16s %8s %8s %8s %10s %8s\n", "type", "expected", "found", "false+", "precision",
              "recall");
  for (const auto& [label, counts] : by_label) {
    std::printf("%-16s %8d %8d %8d %10.3f %8.3f\n", label.c_str(), counts.expected,
                counts.true_positives, counts.false_positives, counts.Precision(), counts.Recall());
    EXPECT_GE(counts.Recall(), 0.95) << label;
    EXPECT_GE(counts.Precision(), 0.95) << label;
  }
  std::printf("%-16s %8d %8d %8d %10.3f %8.3f\n", "overall", overall.expected,
              overall.true_positives, overall.false_positives, overall.Precision(),
              overall.Recall());
  EXPECT_GE(overall.Recall(), 0.98);
  EXPECT_GE(overall.Precision(), 0.98);
}

}  // namespace
}  // namespace llmtrace::genai
