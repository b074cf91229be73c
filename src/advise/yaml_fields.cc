#include "advise/yaml_fields.h"

#include <cmath>

namespace tierml::advise {

YamlFields::YamlFields(const YAML::Node& node, std::string where)
    : node_(node), where_(std::move(where)) {
  if (!node_.IsMap()) fail("expected a mapping of key: value");
}

void YamlFields::fail(const std::string& message) {
  error_ += (error_.empty() ? where_ + ": " : "; ") + message;
}

YAML::Node YamlFields::child(const std::string& key) {
  read_.insert(key);
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  return node_[key];
}

std::optional<double> YamlFields::optional_number(const std::string& key) {
  YAML::Node value = child(key);
  if (!value.IsDefined() || value.IsNull()) return std::nullopt;
  double number = 0;
  if (!value.IsScalar() || !YAML::convert<double>::decode(value, number) ||
      !std::isfinite(number)) {
    fail("'" + key + "' must be a number");
    return std::nullopt;
  }
  return number;
}

double YamlFields::number(const std::string& key) {
  if (node_.IsMap() && !node_[key].IsDefined()) {
    read_.insert(key);
    fail("'" + key + "' is missing");
    return 0;
  }
  return optional_number(key).value_or(0);
}

double YamlFields::number_or(const std::string& key, double fallback) {
  return optional_number(key).value_or(fallback);
}

std::optional<std::string> YamlFields::optional_text(const std::string& key) {
  YAML::Node value = child(key);
  if (!value.IsDefined() || value.IsNull()) return std::nullopt;
  if (!value.IsScalar()) {
    fail("'" + key + "' must be text");
    return std::nullopt;
  }
  return value.Scalar();
}

std::string YamlFields::text(const std::string& key) {
  auto value = optional_text(key);
  if (!value) fail("'" + key + "' is missing");
  return value.value_or("");
}

bool YamlFields::boolean_or(const std::string& key, bool fallback) {
  YAML::Node value = child(key);
  if (!value.IsDefined() || value.IsNull()) return fallback;
  bool flag = fallback;
  if (!value.IsScalar() || !YAML::convert<bool>::decode(value, flag))
    fail("'" + key + "' must be true or false");
  return flag;
}

std::vector<std::string> YamlFields::text_list_or_empty(const std::string& key) {
  YAML::Node value = child(key);
  std::vector<std::string> items;
  if (!value.IsDefined() || value.IsNull()) return items;
  if (!value.IsSequence()) {
    fail("'" + key + "' must be a list");
    return items;
  }
  for (const auto& item : value) {
    if (!item.IsScalar()) {
      fail("'" + key + "' must be a list of text");
      break;
    }
    items.push_back(item.Scalar());
  }
  return items;
}

std::string YamlFields::finish() {
  if (node_.IsMap()) {
    for (const auto& entry : node_) {
      const std::string key = entry.first.Scalar();
      if (!read_.count(key)) fail("unknown key '" + key + "'");
    }
  }
  return error_;
}

}  // namespace tierml::advise
