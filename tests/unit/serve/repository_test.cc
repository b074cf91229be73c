#include "serve/repository.h"

#include <gtest/gtest.h>

#include "serve_test_models.h"

namespace tierml::serve {
namespace {

using testing::classifier_bytes;
using testing::TempDir;
using testing::write_file;

class RepositoryTest : public ::testing::Test {
 protected:
  void add_version(const std::string& model, int version,
                   std::vector<uint8_t> bytes = classifier_bytes()) {
    write_file(dir_.path() / model / std::to_string(version) / "model.tflite",
               bytes);
  }
  void write_config(const std::string& model, const std::string& text) {
    const auto path = dir_.path() / model / "config.yaml";
    write_file(path, std::vector<uint8_t>(text.begin(), text.end()));
  }
  bool index_has(const std::string& name, const std::string& version,
                 const std::string& state) {
    for (const auto& e : repo_.index()) {
      if (e["name"] == name && e.value("version", "") == version &&
          e["state"] == state)
        return true;
    }
    return false;
  }
  bool reason_mentions(const std::string& name, const std::string& text) {
    for (const auto& e : repo_.index()) {
      if (e["name"] == name &&
          e.value("reason", "").find(text) != std::string::npos)
        return true;
    }
    return false;
  }

  TempDir dir_;
  MetricsRegistry metrics_;
  Repository repo_{dir_.path().string(), 1, metrics_};
};

TEST_F(RepositoryTest, DefaultIsTheHighestReadyVersion) {
  add_version("a", 1);
  add_version("a", 2);
  repo_.scan();
  Lookup lookup = repo_.find("a", std::nullopt);
  ASSERT_TRUE(lookup.version) << lookup.error;
  EXPECT_EQ(lookup.version->version(), 2);
  EXPECT_EQ(repo_.find("a", 1).version->version(), 1);
  EXPECT_EQ(repo_.find("a", 3).http_status, 404);
  EXPECT_EQ(repo_.find("b", std::nullopt).http_status, 404);
  EXPECT_EQ(repo_.ready_versions("a"), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(repo_.ready());
}

TEST_F(RepositoryTest, ConfigChoosesTheDefaultVersion) {
  add_version("a", 1);
  add_version("a", 2);
  write_config("a", "default_version: 1\nmax_batch_size: 4\n");
  repo_.scan();
  auto version = repo_.find("a", std::nullopt).version;
  ASSERT_TRUE(version);
  EXPECT_EQ(version->version(), 1);
  EXPECT_EQ(version->config().max_batch_size, 4);
}

TEST_F(RepositoryTest, BrokenNewVersionLeavesTheOldServing) {
  add_version("a", 1);
  repo_.scan();
  auto v1 = repo_.find("a", std::nullopt).version;
  ASSERT_TRUE(v1);
  add_version("a", 2, {1, 2, 3, 4, 5, 6, 7, 8});
  repo_.scan();
  EXPECT_EQ(repo_.find("a", std::nullopt).version, v1);
  EXPECT_EQ(repo_.find("a", 2).http_status, 503);
  EXPECT_TRUE(index_has("a", "2", "UNAVAILABLE"));
  EXPECT_TRUE(repo_.ready());

  // A broken rewrite of a loaded version keeps the loaded one too.
  add_version("a", 1, {9, 9, 9});
  repo_.scan();
  EXPECT_EQ(repo_.find("a", 1).version, v1);
  EXPECT_TRUE(index_has("a", "1", "READY"));
}

TEST_F(RepositoryTest, ChangedFilesAreReloadedAndTheOldVersionStopped) {
  add_version("a", 1);
  repo_.scan();
  auto old = repo_.find("a", 1).version;
  std::vector<uint8_t> bytes = classifier_bytes();
  bytes.push_back(0);  // same model, a different file
  add_version("a", 1, bytes);
  const auto log = repo_.scan();
  auto fresh = repo_.find("a", 1).version;
  ASSERT_TRUE(fresh);
  EXPECT_NE(fresh, old);
  // The old load refuses new work; requests that hold it finish on it.
  auto job = std::make_shared<Job>();
  EXPECT_EQ(old->submit(job), SubmitResult::kStopped);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log[0].find("reloaded"), std::string::npos);
}

TEST_F(RepositoryTest, UnloadAndLoad) {
  add_version("a", 1);
  repo_.scan();
  ASSERT_TRUE(repo_.unload_model("a").is_ok());
  EXPECT_EQ(repo_.find("a", std::nullopt).http_status, 404);
  repo_.scan();  // a scan does not bring an unloaded model back
  EXPECT_FALSE(repo_.find("a", std::nullopt).version);
  ASSERT_TRUE(repo_.load_model("a").is_ok());
  EXPECT_TRUE(repo_.find("a", std::nullopt).version);
  EXPECT_EQ(repo_.load_model("zz").code(), ErrorCode::kIoError);
  EXPECT_EQ(repo_.unload_model("zz").code(), ErrorCode::kIoError);
}

TEST_F(RepositoryTest, RemovedVersionsAndModelsAreUnloaded) {
  add_version("a", 1);
  add_version("a", 2);
  add_version("b", 1);
  repo_.scan();
  std::filesystem::remove_all(dir_.path() / "a" / "2");
  std::filesystem::remove_all(dir_.path() / "b");
  repo_.scan();
  EXPECT_EQ(repo_.find("a", std::nullopt).version->version(), 1);
  EXPECT_EQ(repo_.find("a", 2).http_status, 404);
  EXPECT_EQ(repo_.find("b", std::nullopt).http_status, 404);
}

TEST_F(RepositoryTest, BadConfigIsReportedAndChangesNothing) {
  add_version("a", 1);
  write_config("a", "max_batch_size: 2\n");
  repo_.scan();
  auto before = repo_.find("a", std::nullopt).version;
  write_config("a", "max_batch_size: many\n");
  repo_.scan();
  EXPECT_EQ(repo_.find("a", std::nullopt).version, before);
  EXPECT_TRUE(reason_mentions("a", "max_batch_size"));
  // The reason stands while the broken file does, also across later scans
  // that load new versions with the last good config.
  add_version("a", 2);
  repo_.scan();
  repo_.scan();
  EXPECT_TRUE(index_has("a", "2", "READY"));
  EXPECT_EQ(repo_.find("a", std::nullopt).version->config().max_batch_size, 2);
  EXPECT_TRUE(reason_mentions("a", "max_batch_size"));
  write_config("a", "max_batch_size: 3\n");
  repo_.scan();
  EXPECT_FALSE(reason_mentions("a", "max_batch_size"));
  // A model whose only version is broken is not ready.
  add_version("c", 1, {0});
  repo_.scan();
  EXPECT_FALSE(repo_.ready());
  EXPECT_EQ(repo_.find("c", std::nullopt).http_status, 503);
}

}  // namespace
}  // namespace tierml::serve
