// Shared helpers for advisor tests: the real catalog and the example scenarios.
#ifndef TIERML_TESTS_UNIT_ADVISE_ADVISE_TEST_UTIL_H_
#define TIERML_TESTS_UNIT_ADVISE_ADVISE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "advise/advisor.h"
#include "advise/catalog.h"
#include "advise/scenario.h"

namespace tierml::advise::testing {

inline const Catalog& catalog() {
  static const Catalog loaded = [] {
    auto result = load_catalog(default_catalog_dir());
    EXPECT_TRUE(result.has_value()) << result.status().message();
    return result.has_value() ? *result : Catalog{};
  }();
  return loaded;
}

inline std::filesystem::path examples_dir() {
  return default_catalog_dir().parent_path() / "examples" / "scenarios";
}

inline const Option& option_for(const Advice& advice, Placement placement) {
  for (const auto& option : advice.options)
    if (option.placement == placement) return option;
  ADD_FAILURE() << "no option for " << placement_id(placement);
  return advice.options.front();
}

inline const Criterion& criterion(const Option& option, const std::string& name) {
  for (const auto& c : option.criteria)
    if (c.name == name) return c;
  ADD_FAILURE() << placement_id(option.placement) << " has no criterion " << name;
  return option.criteria.front();
}

}  // namespace tierml::advise::testing

#endif  // TIERML_TESTS_UNIT_ADVISE_ADVISE_TEST_UTIL_H_
