#include "src/genai/redaction_rules_file.h"

#include <simdjson.h>

#include <string_view>

namespace llmtrace::genai::internal {
namespace {

Status FieldError(const std::string& path, const std::string& field, std::string_view problem) {
  return InvalidArgumentError("redaction rules file " + path + ": " + field + ": " +
                              std::string(problem));
}

Status ReadString(simdjson::dom::element value, const std::string& path, const std::string& field,
                  std::string* out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return FieldError(path, field, "expected a string");
  }
  *out = std::string(text);
  return Status::Ok();
}

Status ReadRule(simdjson::dom::element element, const std::string& path, std::size_t index,
                RedactionRule* rule) {
  const std::string where = "rules[" + std::to_string(index) + "]";
  simdjson::dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    return FieldError(path, where, "expected an object");
  }
  bool has_name = false, has_pattern = false, has_placeholder = false;
  for (auto [key, value] : object) {
    const std::string field = where + "." + std::string(key);
    Status status;
    if (key == "name") {
      status = ReadString(value, path, field, &rule->name);
      has_name = true;
    } else if (key == "pattern") {
      status = ReadString(value, path, field, &rule->pattern);
      has_pattern = true;
    } else if (key == "placeholder") {
      status = ReadString(value, path, field, &rule->placeholder);
      has_placeholder = true;
    } else if (key == "validator") {
      status = ReadString(value, path, field, &rule->validator);
    } else if (key == "caseless") {
      if (value.get_bool().get(rule->caseless) != simdjson::SUCCESS) {
        status = FieldError(path, field, "expected true or false");
      }
    } else {
      status = FieldError(path, field, "unknown field");
    }
    if (!status.ok()) return status;
  }
  if (!has_name) return FieldError(path, where + ".name", "missing");
  if (!has_pattern) return FieldError(path, where + ".pattern", "missing");
  if (!has_placeholder) return FieldError(path, where + ".placeholder", "missing");
  return Status::Ok();
}

}  // namespace

Status ParseRedactionRulesFile(const std::string& path, RedactionRulesFile* out) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.load(path).get(root); error != simdjson::SUCCESS) {
    return InvalidArgumentError("redaction rules file " + path + ": " +
                                simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return FieldError(path, "(top level)", "expected an object");
  }
  for (auto [key, value] : object) {
    if (key == "disabled_rules") {
      simdjson::dom::array names;
      if (value.get_array().get(names) != simdjson::SUCCESS) {
        return FieldError(path, "disabled_rules", "expected an array of rule names");
      }
      std::size_t index = 0;
      for (simdjson::dom::element name : names) {
        std::string text;
        Status status =
            ReadString(name, path, "disabled_rules[" + std::to_string(index++) + "]", &text);
        if (!status.ok()) return status;
        out->disabled_rules.push_back(std::move(text));
      }
    } else if (key == "rules") {
      simdjson::dom::array rules;
      if (value.get_array().get(rules) != simdjson::SUCCESS) {
        return FieldError(path, "rules", "expected an array of rules");
      }
      std::size_t index = 0;
      for (simdjson::dom::element element : rules) {
        RedactionRule rule;
        Status status = ReadRule(element, path, index++, &rule);
        if (!status.ok()) return status;
        out->rules.push_back(std::move(rule));
      }
    } else {
      return FieldError(path, std::string(key), "unknown field");
    }
  }
  return Status::Ok();
}

}  // namespace llmtrace::genai::internal
