#include "serve/metrics.h"

#include <gtest/gtest.h>

namespace tierml::serve {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Histogram h({1, 2, 4});
  for (double v : {0.5, 1.0, 1.5, 3.0, 10.0}) h.observe(v);
  std::string out = "\n";
  h.render("h", "a=\"b\"", out);
  EXPECT_TRUE(has_line(out, "h_bucket{a=\"b\",le=\"1\"} 2")) << out;
  EXPECT_TRUE(has_line(out, "h_bucket{a=\"b\",le=\"2\"} 3")) << out;
  EXPECT_TRUE(has_line(out, "h_bucket{a=\"b\",le=\"4\"} 4")) << out;
  EXPECT_TRUE(has_line(out, "h_bucket{a=\"b\",le=\"+Inf\"} 5")) << out;
  EXPECT_TRUE(has_line(out, "h_sum{a=\"b\"} 16")) << out;
  EXPECT_TRUE(has_line(out, "h_count{a=\"b\"} 5")) << out;
}

TEST(Metrics, RegistryKeepsOneSetPerVersion) {
  MetricsRegistry registry;
  auto a = registry.get("m", 1);
  EXPECT_EQ(a, registry.get("m", 1));
  EXPECT_NE(a, registry.get("m", 2));
  a->success += 3;
  a->failure += 1;
  a->queue_depth = 5;
  a->batch_size.observe(4);
  const std::string text = registry.render();
  const std::string labels = "model=\"m\",version=\"1\"";
  EXPECT_TRUE(has_line(text, "tierml_inference_requests_total{" + labels +
                                 ",status=\"success\"} 3"))
      << text;
  EXPECT_TRUE(has_line(text, "tierml_inference_requests_total{" + labels +
                                 ",status=\"failure\"} 1"));
  EXPECT_TRUE(has_line(text, "tierml_queue_depth{" + labels + "} 5"));
  EXPECT_TRUE(has_line(text, "tierml_batch_size_sum{" + labels + "} 4"));
  EXPECT_TRUE(has_line(text, "# TYPE tierml_queue_duration_seconds histogram"));
}

}  // namespace
}  // namespace tierml::serve
