#include "llmtrace/genai/budget_config.h"

#include <simdjson.h>

#include <cmath>
#include <string>

namespace llmtrace::genai {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string TypeName(const element& value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "something else";
}

class FieldReader {
 public:
  explicit FieldReader(std::size_t index) : index_(index) {}

  Status Error(std::string_view field, std::string_view why) const {
    return InvalidArgumentError("budgets[" + std::to_string(index_) + "]." + std::string(field) +
                                ": " + std::string(why));
  }
  Status Expected(std::string_view field, std::string_view what, const element& value) const {
    return Error(field, "expected " + std::string(what) + ", got " + TypeName(value));
  }

  Status String(std::string_view field, const element& value, std::string& out) const {
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS) return Expected(field, "a string", value);
    out = std::string(s);
    return Status::Ok();
  }
  Status Number(std::string_view field, const element& value, double& out) const {
    if (value.get_double().get(out) != simdjson::SUCCESS || !std::isfinite(out)) {
      return Expected(field, "a number", value);
    }
    return Status::Ok();
  }
  Status Integer(std::string_view field, const element& value, std::int64_t& out) const {
    if (value.type() == element_type::DOUBLE) {
      double d = 0;
      if (value.get_double().get(d) == simdjson::SUCCESS && std::trunc(d) == d &&
          std::fabs(d) < 9e18) {
        out = static_cast<std::int64_t>(d);  // 1e6 is a fine way to write a million tokens
        return Status::Ok();
      }
    }
    if (value.get_int64().get(out) != simdjson::SUCCESS) {
      return Expected(field, "an integer", value);
    }
    return Status::Ok();
  }

 private:
  std::size_t index_;
};

Result<BudgetDefinition> ParseOne(const element& value, std::size_t index) {
  const FieldReader reader(index);
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgumentError("budgets[" + std::to_string(index) + "]: expected an object, got " +
                                TypeName(value));
  }
  BudgetDefinition d;
  bool has_name = false, has_scope = false;
  for (auto [key, field] : object) {
    Status status;
    if (key == "name") {
      status = reader.String(key, field, d.name);
      has_name = true;
    } else if (key == "scope") {
      std::string scope;
      status = reader.String(key, field, scope);
      has_scope = true;
      if (status.ok()) {
        if (scope == "global") {
          d.scope = BudgetScope::kGlobal;
        } else if (scope == "model") {
          d.scope = BudgetScope::kModel;
        } else if (scope == "user") {
          d.scope = BudgetScope::kUser;
        } else if (scope == "team") {
          d.scope = BudgetScope::kTeam;
        } else if (scope == "api_key") {
          d.scope = BudgetScope::kApiKey;
        } else {
          status = reader.Error(
              key, "unknown scope '" + scope + "' (expected global, model, user, team or api_key)");
        }
      }
    } else if (key == "match") {
      if (!field.is_null()) status = reader.String(key, field, d.match);
    } else if (key == "label") {
      if (!field.is_null()) status = reader.String(key, field, d.label);
    } else if (key == "window") {
      std::string window;
      status = reader.String(key, field, window);
      if (status.ok()) {
        if (window == "daily") {
          d.window = BudgetWindow::kDaily;
        } else if (window == "monthly") {
          d.window = BudgetWindow::kMonthly;
        } else if (window == "total") {
          d.window = BudgetWindow::kTotal;
        } else {
          status = reader.Error(
              key, "unknown window '" + window + "' (expected daily, monthly or total)");
        }
      }
    } else if (key == "time_zone") {
      if (!field.is_null()) status = reader.String(key, field, d.time_zone);
    } else if (key == "limit_usd") {
      if (!field.is_null()) {
        double limit = 0;
        status = reader.Number(key, field, limit);
        if (status.ok() && limit < 0) status = reader.Error(key, "must not be negative");
        d.limit_usd = limit;
      }
    } else if (key == "limit_tokens") {
      if (!field.is_null()) {
        std::int64_t limit = 0;
        status = reader.Integer(key, field, limit);
        if (status.ok() && limit < 0) status = reader.Error(key, "must not be negative");
        d.limit_tokens = limit;
      }
    } else if (key == "soft_limit") {
      if (!field.is_null()) {
        status = reader.Number(key, field, d.soft_limit);
        if (status.ok() && !(d.soft_limit > 0 && d.soft_limit <= 1)) {
          status = reader.Error(key, "must be a fraction in (0, 1]");
        }
      }
    } else {
      status = reader.Error(key, "unknown field");
    }
    if (!status.ok()) return status;
  }
  if (!has_name) return reader.Error("name", "required");
  if (!has_scope) return reader.Error("scope", "required");
  if (!d.limit_usd && !d.limit_tokens) {
    return reader.Error("limit_usd", "set limit_usd, limit_tokens or both");
  }
  return d;
}

}  // namespace

Result<std::vector<BudgetDefinition>> ParseBudgetDefinitionsJson(std::string_view json) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json.data(), json.size());
  element document;
  if (auto error = parser.parse(padded).get(document); error != simdjson::SUCCESS) {
    return InvalidArgumentError(std::string("budgets: not valid JSON: ") +
                                simdjson::error_message(error));
  }
  simdjson::dom::object root;
  if (document.get_object().get(root) != simdjson::SUCCESS) {
    return InvalidArgumentError("budgets: expected an object with a \"budgets\" array");
  }
  simdjson::dom::array budgets;
  bool has_budgets = false;
  for (auto [key, field] : root) {
    if (key != "budgets") {
      return InvalidArgumentError("budgets: unknown top-level field '" + std::string(key) + "'");
    }
    if (field.get_array().get(budgets) != simdjson::SUCCESS) {
      return InvalidArgumentError("budgets: expected an array, got " + TypeName(field));
    }
    has_budgets = true;
  }
  if (!has_budgets) return InvalidArgumentError("budgets: missing the \"budgets\" array");
  std::vector<BudgetDefinition> definitions;
  std::size_t index = 0;
  for (element value : budgets) {
    Result<BudgetDefinition> definition = ParseOne(value, index++);
    if (!definition.ok()) return definition.status();
    definitions.push_back(std::move(*definition));
  }
  return definitions;
}

}  // namespace llmtrace::genai
