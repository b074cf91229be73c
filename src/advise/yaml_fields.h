// Strict reading of one YAML mapping: every key must be read by the caller
// (so typos are errors, not silently ignored defaults), and every problem is
// reported with the path of the offending entry.
#ifndef TIERML_ADVISE_YAML_FIELDS_H_
#define TIERML_ADVISE_YAML_FIELDS_H_

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tierml::advise {

class YamlFields {
 public:
  YamlFields(const YAML::Node& node, std::string where);

  // Required fields record an error when absent or of the wrong type.
  double number(const std::string& key);
  std::string text(const std::string& key);
  // Optional fields return the fallback when absent.
  double number_or(const std::string& key, double fallback);
  std::optional<double> optional_number(const std::string& key);
  std::optional<std::string> optional_text(const std::string& key);
  bool boolean_or(const std::string& key, bool fallback);
  std::vector<std::string> text_list_or_empty(const std::string& key);
  // A nested mapping (invalid node when absent); marks the key as read.
  YAML::Node child(const std::string& key);

  // Records a problem with this entry.
  void fail(const std::string& message);
  // Every problem, keys nobody read included; empty when all is well.
  std::string finish();
  const std::string& where() const { return where_; }

 private:
  YAML::Node node_;
  std::string where_;
  std::set<std::string> read_;
  std::string error_;
};

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_YAML_FIELDS_H_
