#include "hybrid/event.h"

#include <gtest/gtest.h>

#include <string>

namespace tierml::hybrid {
namespace {

Event sample_event() {
  Event e;
  e.id = "dev-1-ab12-7";
  e.fleet = "plant";
  e.device = "dev-1";
  e.seq = 7;
  e.window_start_s = 1.5;
  e.window_end_s = 1.692;
  e.triggered_at_ms = 1700000000123;
  e.score = 0.875f;
  e.threshold = 0.5f;
  e.model_version = "fnv1a64:0123456789abcdef";
  e.recipe = "ad";
  e.window.shape = {1, 4};
  e.window.quantized = true;
  e.window.scale = 0.391015232f;
  e.window.zero_point = 89;
  e.data = {1, 2, 0xFF, 0x80};
  return e;
}

std::vector<uint8_t> with_header(const std::string& header,
                                 const std::vector<uint8_t>& window) {
  std::string text = {'\0', '\0', static_cast<char>(header.size() >> 8),
                      static_cast<char>(header.size() & 0xFF)};
  text += header;
  text += std::string(window.begin(), window.end());
  return std::vector<uint8_t>(text.begin(), text.end());
}

TEST(Event, RoundTrips) {
  const Event e = sample_event();
  const std::vector<uint8_t> payload = encode_event(e);
  auto back = decode_event(payload);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->id, e.id);
  EXPECT_EQ(back->fleet, e.fleet);
  EXPECT_EQ(back->device, e.device);
  EXPECT_EQ(back->seq, 7u);
  EXPECT_DOUBLE_EQ(back->window_end_s, 1.692);
  EXPECT_EQ(back->triggered_at_ms, 1700000000123);
  EXPECT_FLOAT_EQ(back->score, 0.875f);
  EXPECT_EQ(back->window.type, kTmInt8);
  EXPECT_EQ(back->window.shape, (std::vector<int64_t>{1, 4}));
  EXPECT_TRUE(back->window.quantized);
  EXPECT_EQ(back->window.zero_point, 89);
  EXPECT_EQ(back->data, e.data);
  // The window is the tail of the payload, unchanged.
  EXPECT_TRUE(std::equal(e.data.begin(), e.data.end(), payload.end() - 4));
}

TEST(Event, RejectsMalformedPayloadsWithAReason) {
  const std::vector<uint8_t> good = encode_event(sample_event());
  const auto reason = [](std::vector<uint8_t> payload) {
    auto e = decode_event(payload);
    EXPECT_FALSE(e);
    return e ? std::string() : e.status().message();
  };
  EXPECT_NE(reason({1, 2}).find("shorter"), std::string::npos);
  EXPECT_NE(reason({0, 0, 1, 0, '{'}).find("exceeds"), std::string::npos);
  EXPECT_NE(reason(with_header("not json", {})).find("JSON"),
            std::string::npos);
  std::vector<uint8_t> truncated(good.begin(), good.end() - 1);
  EXPECT_NE(reason(truncated).find("window holds 3 bytes"), std::string::npos);
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_NE(reason(longer).find("window holds 5 bytes"), std::string::npos);
  EXPECT_NE(reason(with_header(R"({"v":1})", {})).find("missing 'id'"),
            std::string::npos);
  EXPECT_NE(reason(with_header(R"({"v":2})", {})).find("version 2"),
            std::string::npos);
  // A header whose window does not match its own shape.
  std::string header(good.begin() + 4, good.end() - 4);
  const size_t at = header.find("\"bytes\":4");
  ASSERT_NE(at, std::string::npos);
  header.replace(at, 9, "\"bytes\":5");
  EXPECT_NE(reason(with_header(header, {1, 2, 3, 4, 5})).find("does not match"),
            std::string::npos);
}

TEST(Verdict, RoundTrips) {
  Verdict v;
  v.id = "x";
  v.fleet = "f";
  v.device = "d";
  v.confirmed = true;
  v.confirm_score = 0.75f;
  v.model = "confirm";
  v.model_version = 3;
  v.gateway = "gw-a";
  v.decided_at_ms = 42;
  const std::string text = encode_verdict(v);
  auto back = decode_verdict(
      std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->id, "x");
  EXPECT_TRUE(back->confirmed);
  EXPECT_EQ(back->model_version, 3);
  EXPECT_EQ(back->gateway, "gw-a");
}

TEST(Topic, SplitsAndValidates) {
  std::string fleet, device, kind;
  EXPECT_TRUE(split_topic("tierml/f1/dev-2/events", fleet, device, kind));
  EXPECT_EQ(fleet, "f1");
  EXPECT_EQ(device, "dev-2");
  EXPECT_EQ(kind, "events");
  EXPECT_FALSE(split_topic("tierml/f1/events", fleet, device, kind));
  EXPECT_FALSE(split_topic("other/f1/d/events", fleet, device, kind));
  EXPECT_FALSE(split_topic("tierml/f1/d/events/x", fleet, device, kind));
  EXPECT_EQ(topic_for("f", "d", "verdicts"), "tierml/f/d/verdicts");
  EXPECT_TRUE(valid_topic_id("dev-1"));
  EXPECT_FALSE(valid_topic_id("a/b"));
  EXPECT_FALSE(valid_topic_id("a+"));
  EXPECT_FALSE(valid_topic_id(""));
}

}  // namespace
}  // namespace tierml::hybrid
