#include "advise/catalog.h"

#include <gmock/gmock.h>

#include <fstream>

#include "unit/advise/advise_test_util.h"

namespace tierml::advise {
namespace {

using ::testing::HasSubstr;

TEST(Catalog, HasThePartsRadiosAndBatteriesTheIssueNames) {
  const Catalog& c = testing::catalog();
  for (const char* id : {"stm32f411", "stm32l476", "stm32l4r5", "stm32h743", "stm32u575",
                         "nrf52840", "esp32-s3", "rp2040", "alif-e3-m55"})
    EXPECT_NE(c.board(id), nullptr) << id;
  for (const char* id : {"ble", "lorawan", "lte-m", "nb-iot", "wifi", "ethernet"})
    EXPECT_NE(c.radio(id), nullptr) << id;
  for (const char* id : {"cr2032", "aa-alkaline", "aa-lithium"})
    EXPECT_NE(c.battery(id), nullptr) << id;
  EXPECT_GE(c.gateways.size(), 4u);
  // DECISION.md's published figures made it in unchanged.
  EXPECT_DOUBLE_EQ(c.board("stm32l476")->sleep_ua, 1.1);
  EXPECT_DOUBLE_EQ(c.radio("ble")->tx_ma, 6.4);
  EXPECT_DOUBLE_EQ(c.battery("cr2032")->capacity_mah, 235);
}

TEST(Catalog, EveryEntryCitesItsSources) {
  const Catalog& c = testing::catalog();
  for (const auto& b : c.boards) {
    EXPECT_FALSE(b.sources.empty()) << b.id;
    for (const auto& s : b.sources) EXPECT_FALSE(s.retrieved.empty()) << b.id;
  }
}

class CatalogErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tierml_catalog_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(default_catalog_dir(), dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void replace(const std::string& file, const std::string& from, const std::string& to) {
    std::ifstream in(dir_ / file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(dir_ / file) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(CatalogErrors, FigureWithoutSourceIsRejected) {
  replace("batteries.yaml", "fields: [capacity_mah, voltage_v, pulse_limit_ma]",
          "fields: [voltage_v, pulse_limit_ma]");
  auto result = load_catalog(dir_);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.status().message(), HasSubstr("'capacity_mah' has no source"));
}

TEST_F(CatalogErrors, UnknownKeyAndMissingFigureAreNamed) {
  replace("boards.yaml", "  sleep_ua: 42", "  sleep_uA: 42");
  auto result = load_catalog(dir_);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.status().message(), HasSubstr("boards.yaml entry 0"));
  EXPECT_THAT(result.status().message(), HasSubstr("sleep_ua"));
}

TEST(Catalog, MissingFolderSaysWhatToDo) {
  auto result = load_catalog("/nonexistent/tierml-data");
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.status().message(), HasSubstr("--catalog"));
}

}  // namespace
}  // namespace tierml::advise
