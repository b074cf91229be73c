#include "hybrid/psi.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tierml::hybrid {
namespace {

TEST(Psi, BinsAreHalfOpenWithOpenEnds) {
  const std::vector<double> edges = {0, 10};
  EXPECT_EQ(bin_of(-5, edges), 0u);
  EXPECT_EQ(bin_of(0, edges), 1u);
  EXPECT_EQ(bin_of(9.99, edges), 1u);
  EXPECT_EQ(bin_of(10, edges), 2u);
  const std::vector<double> values = {-1, 0, 5, 10, 11, 12};
  EXPECT_EQ(bin_counts(values, edges), (std::vector<uint64_t>{1, 2, 3}));
}

TEST(Psi, MatchesHandCalculation) {
  // Reference shares 0.25 0.25 0.5, current 0.5 0.25 0.25:
  //   (0.5-0.25) ln(0.5/0.25) + 0 + (0.25-0.5) ln(0.25/0.5)
  //   = 0.25 ln 2 + 0.25 ln 2 = 0.5 ln 2 = 0.34657359...
  const std::vector<uint64_t> expected = {10, 10, 20};
  const std::vector<uint64_t> actual = {2, 1, 1};
  EXPECT_NEAR(population_stability_index(expected, actual), 0.5 * std::log(2.0),
              1e-12);
  EXPECT_NEAR(population_stability_index(expected, expected), 0.0, 1e-15);
}

TEST(Psi, EmptyBinUsesTheFloor) {
  // Shares (0.5, 0.5) vs (1, 0 -> 1e-4):
  //   (1-0.5) ln(1/0.5) + (1e-4-0.5) ln(1e-4/0.5)
  const std::vector<uint64_t> expected = {1, 1};
  const std::vector<uint64_t> actual = {4, 0};
  const double hand = 0.5 * std::log(2.0) + (1e-4 - 0.5) * std::log(1e-4 / 0.5);
  EXPECT_NEAR(population_stability_index(expected, actual), hand, 1e-12);
}

TEST(DriftMonitor, ReferenceFixesEqualWidthBins) {
  // Reference 0..9 with 2 bins: edge at 4.5 -> counts (5, 5). Window of 4
  // values all >= 4.5 -> shares (0 -> 1e-4, 1):
  //   (1e-4 - 0.5) ln(1e-4/0.5) + (1 - 0.5) ln(1/0.5)
  DriftMonitor monitor(10, 4, 2);
  std::vector<double> reference;
  for (int i = 0; i < 10; ++i) reference.push_back(i);
  monitor.add(reference);
  EXPECT_TRUE(monitor.reference_ready());
  EXPECT_FALSE(monitor.psi().has_value());
  monitor.add(std::vector<double>{1, 2});  // pushed out below
  monitor.add(std::vector<double>{7, 8, 9, 6});
  ASSERT_TRUE(monitor.psi().has_value());
  const double hand = (1e-4 - 0.5) * std::log(1e-4 / 0.5) + 0.5 * std::log(2.0);
  EXPECT_NEAR(*monitor.psi(), hand, 1e-12);
  // Back to the reference's shape: two values in each bin -> PSI 0.
  monitor.add(std::vector<double>{0, 1});
  EXPECT_NEAR(*monitor.psi(), 0.0, 1e-15);
}

TEST(EventHistogramWindow, SlidesByWholeEvents) {
  const std::vector<double> edges = {4.5};
  EventHistogramWindow window(2);
  window.add(std::vector<double>{1, 2, 3}, edges);
  EXPECT_FALSE(window.full());
  window.add(std::vector<double>{5}, edges);
  EXPECT_TRUE(window.full());
  EXPECT_EQ(
      std::vector<uint64_t>(window.counts().begin(), window.counts().end()),
      (std::vector<uint64_t>{3, 1}));
  // The first event (three values) leaves as a whole.
  window.add(std::vector<double>{6, 7}, edges);
  EXPECT_EQ(
      std::vector<uint64_t>(window.counts().begin(), window.counts().end()),
      (std::vector<uint64_t>{0, 3}));
}

TEST(DriftMonitor, ComparesAnotherWindowWithItsReference) {
  // Reference 0..9 in 2 bins: (5, 5). A window of shares (0.25, 0.75):
  //   (0.25-0.5) ln(0.25/0.5) + (0.75-0.5) ln(0.75/0.5)
  DriftMonitor monitor(10, 4, 2);
  EventHistogramWindow window(1);
  std::vector<double> reference;
  for (int i = 0; i < 10; ++i) reference.push_back(i);
  window.add(std::vector<double>{1, 6, 7, 8}, std::vector<double>{4.5});
  EXPECT_FALSE(monitor.psi_of(window).has_value());  // no reference yet
  monitor.add(reference);
  ASSERT_TRUE(monitor.psi_of(window).has_value());
  const double hand = -0.25 * std::log(0.5) + 0.25 * std::log(1.5);
  EXPECT_NEAR(*monitor.psi_of(window), hand, 1e-12);
}

}  // namespace
}  // namespace tierml::hybrid
