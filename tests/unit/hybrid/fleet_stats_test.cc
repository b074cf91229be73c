#include "hybrid/fleet_stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tierml::hybrid {
namespace {

double device_psi(const nlohmann::json& stats, const std::string& device) {
  for (const auto& d : stats["devices"])
    if (d["device"] == device) return d.value("feature_psi", -1.0);
  return -2.0;
}

TEST(FleetStats, EachDeviceIsComparedWithTheFleetReference) {
  // psi_events 2: the first two events ({0,1}, {2,3}) are the reference,
  // binned in 10 equal-width bins over [0, 3]: four bins of share 0.25.
  FleetStats stats("g", 2);
  // As the gateway reports a first decision: the verdict, then the features.
  auto decide = [&](const std::string& device, std::vector<double> values) {
    stats.decided("f", device, true, 0.01);
    stats.add_features("f", device, values);
  };
  decide("a", {0, 1});
  decide("b", {2, 3});
  // Device a repeats the reference's shape: PSI 0. Device c sends only 3s:
  // the reference's last bin holds share 0.25, the three other reference
  // bins drop to the 1e-4 floor.
  decide("a", {0, 1});
  decide("a", {2, 3});
  decide("c", {3, 3});
  decide("c", {3, 3});
  decide("d", {0, 1});  // one event only
  const nlohmann::json json = stats.json();
  EXPECT_NEAR(device_psi(json, "a"), 0.0, 1e-15);
  const double hand =
      0.75 * std::log(4.0) + 3 * (1e-4 - 0.25) * std::log(1e-4 / 0.25);
  EXPECT_NEAR(device_psi(json, "c"), hand, 1e-12);
  EXPECT_EQ(device_psi(json, "d"), -1.0);  // window not full: no figure
  EXPECT_EQ(device_psi(json, "b"), -1.0);  // its event built the reference
  const std::string text = stats.prometheus();
  EXPECT_NE(
      text.find("tierml_gateway_device_feature_psi{fleet=\"f\",device=\"c\"} "),
      std::string::npos);
  EXPECT_EQ(
      text.find("tierml_gateway_device_feature_psi{fleet=\"f\",device=\"d\"}"),
      std::string::npos);
}

}  // namespace
}  // namespace tierml::hybrid
