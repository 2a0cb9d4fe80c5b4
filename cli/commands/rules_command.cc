#include "cli/commands/rules_command.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "llmtrace/genai/sla_config.h"
#include "llmtrace/genai/sla_rules.h"

namespace llmtrace::cli {
namespace {

bool WriteFile(const std::filesystem::path& path, const std::string& text, std::ostream& err) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << "llmtrace rules: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

}  // namespace

void RegisterRulesCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<RulesCommandOptions>();
  CLI::App* rules = app.add_subcommand(
      "rules", "Generate Prometheus rules and a Grafana dashboard from an SLA file");
  rules->add_option("-s,--sla", options->sla_file,
                    "SLA file (JSON; docs/alerting.md). Default: the built-in service levels");
  rules
      ->add_option("-o,--out-dir", options->out_dir,
                   "Directory for llmtrace-rules.yml and llmtrace-dashboard.json")
      ->capture_default_str();
  rules->add_option("-p,--print", options->print, "Print one artifact to stdout instead")
      ->check(CLI::IsMember({"rules", "dashboard"}));
  rules
      ->add_option("--semconv", options->semconv,
                   "Metric names the applications emit (OTEL_SEMCONV_STABILITY_OPT_IN)")
      ->check(CLI::IsMember({"v1.41", "latest"}))
      ->capture_default_str();
  rules->callback([&run, options] {
    run = [options] { return RunRulesCommand(*options, std::cout, std::cerr); };
  });
}

int RunRulesCommand(const RulesCommandOptions& options, std::ostream& out, std::ostream& err) {
  genai::SlaConfig sla;
  if (!options.sla_file.empty()) {
    std::ifstream file(options.sla_file, std::ios::binary);
    if (!file) {
      err << "llmtrace rules: cannot open " << options.sla_file << "\n";
      return kExitFailure;
    }
    const std::string text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    auto parsed = genai::ParseSlaConfigJson(text);
    if (!parsed.ok()) {
      err << "llmtrace rules: " << options.sla_file << ": " << parsed.status().message() << "\n";
      return kExitFailure;
    }
    sla = std::move(*parsed);
  }
  genai::SlaRulesOptions rules_options;
  if (options.semconv == "latest") rules_options.semconv = genai::SemconvFlavour::kLatest;
  const std::string rules = genai::GeneratePrometheusRules(sla, rules_options);
  const std::string dashboard = genai::GenerateGrafanaDashboard(sla, rules_options);
  if (options.print == "rules") {
    out << rules;
    return kExitOk;
  }
  if (options.print == "dashboard") {
    out << dashboard;
    return kExitOk;
  }
  const std::filesystem::path dir(options.out_dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    err << "llmtrace rules: cannot create " << dir.string() << ": " << error.message() << "\n";
    return kExitFailure;
  }
  if (!WriteFile(dir / "llmtrace-rules.yml", rules, err) ||
      !WriteFile(dir / "llmtrace-dashboard.json", dashboard, err)) {
    return kExitFailure;
  }
  out << "wrote " << (dir / "llmtrace-rules.yml").string() << " and "
      << (dir / "llmtrace-dashboard.json").string() << "\n";
  return kExitOk;
}

}  // namespace llmtrace::cli
