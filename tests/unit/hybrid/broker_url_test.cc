#include "hybrid/broker_url.h"

#include <gtest/gtest.h>

namespace tierml::hybrid {
namespace {

TEST(BrokerUrl, ParsesHostAndPort) {
  auto url = parse_broker_url("mqtt://127.0.0.1:18830");
  ASSERT_TRUE(url) << url.status().message();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 18830);
  url = parse_broker_url("mqtt://broker.local");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, 1883);
  url = parse_broker_url("mqtt://[::1]:1884");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 1884);
}

TEST(BrokerUrl, RejectsOtherFormsNamingTheExpectedOne) {
  for (const char* bad :
       {"tcp://h:1", "mqtt://", "mqtt://h:", "mqtt://h:0", "mqtt://h:70000",
        "mqtt://h:12x", "mqtt://u@h:1", "mqtt://h:1/path", "127.0.0.1:1883"}) {
    auto url = parse_broker_url(bad);
    ASSERT_FALSE(url) << bad;
    EXPECT_EQ(url.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(url.status().message().find("mqtt://HOST:PORT"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace tierml::hybrid
