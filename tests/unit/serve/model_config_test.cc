#include "serve/model_config.h"

#include <gtest/gtest.h>

namespace tierml::serve {
namespace {

TEST(ModelConfig, EmptyFileKeepsDefaults) {
  auto config = parse_model_config("", "c.yaml");
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->max_batch_size, 1);
  EXPECT_EQ(config->queue_limit, 64);
  EXPECT_EQ(config->instance_count, 0);
  EXPECT_FALSE(config->default_version);
}

TEST(ModelConfig, ReadsEveryField) {
  auto config = parse_model_config(
      "max_batch_size: 8\nmax_queue_delay_us: 2500\nqueue_limit: 10\n"
      "instance_count: 3\ndefault_version: 2\n",
      "c.yaml");
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->max_batch_size, 8);
  EXPECT_EQ(config->max_queue_delay, std::chrono::microseconds(2500));
  EXPECT_EQ(config->queue_limit, 10);
  EXPECT_EQ(config->instance_count, 3);
  EXPECT_EQ(config->default_version, 2);
}

TEST(ModelConfig, RejectsTyposAndBadValues) {
  const struct {
    const char* text;
    const char* says;
  } cases[] = {
      {"max_batch: 8\n", "max_batch"},
      {"max_batch_size: 0\n", "max_batch_size"},
      {"max_batch_size: 2.5\n", "max_batch_size"},
      {"max_batch_size: lots\n", "max_batch_size"},
      {"queue_limit: -1\n", "queue_limit"},
      {"max_queue_delay_us: -5\n", "max_queue_delay_us"},
      {"[1, 2]\n", "mapping"},
      {"a: [\n", "YAML"},
  };
  for (const auto& c : cases) {
    auto config = parse_model_config(c.text, "m/config.yaml");
    ASSERT_FALSE(config) << c.text;
    EXPECT_NE(config.status().message().find(c.says), std::string::npos)
        << config.status().message();
    EXPECT_NE(config.status().message().find("m/config.yaml"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace tierml::serve
