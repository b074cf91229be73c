#include "dsp/window.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "unit/dsp/dsp_reference.h"

namespace tierml {
namespace {

// Against scipy.signal.get_window(kind, length, fftbins=periodic). Float:
// the table is a double rounded to float, so within half a float ulp
// (<= 6e-8 for values <= 1). Q15: exactly round(w * 32768), saturated.
TEST(DspWindowTest, MatchesScipyGetWindow) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  const std::pair<const char*, TmWindowType> kinds[] = {
      {"hann", kTmWindowHann}, {"hamming", kTmWindowHamming}};
  for (const auto& [kind, type] : kinds) {
    for (const int32_t length : {64, 400, 480, 1024}) {
      for (const int32_t periodic : {0, 1}) {
        const std::string name = "window_" + std::string(kind) + "_" +
                                 std::to_string(length) + "_" +
                                 std::to_string(periodic);
        const std::vector<double> expected = ref.f64(name);
        ASSERT_EQ(expected.size(), static_cast<size_t>(length)) << name;
        std::vector<float> wf(length);
        std::vector<int16_t> wq(length);
        ASSERT_EQ(tm_window_f32(type, length, periodic, wf.data()), kTmOk);
        ASSERT_EQ(tm_window_q15(type, length, periodic, wq.data()), kTmOk);
        for (int32_t i = 0; i < length; ++i) {
          ASSERT_NEAR(wf[i], expected[i], 6e-8) << name << " " << i;
          const double q = std::min(32767.0, std::round(expected[i] * 32768.0));
          ASSERT_EQ(wq[i], q) << name << " " << i;
        }
      }
    }
  }
}

TEST(DspWindowTest, ApplyRoundsHalfAwayAndNeverOverflows) {
  const int16_t w[4] = {32767, 16384, 16384, 1};
  const int16_t x[4] = {-32768, 3, -3, 32767};
  int16_t out[4];
  tm_window_apply_q15(w, x, 4, out);
  EXPECT_EQ(out[0], -32767);  // -32768 * 32767 / 32768 = -32767.0
  EXPECT_EQ(out[1], 2);       // 1.5 -> 2
  EXPECT_EQ(out[2], -2);      // -1.5 -> -2
  EXPECT_EQ(out[3], 1);       // 0.99997 -> 1
}

TEST(DspWindowTest, RejectsBadArguments) {
  float f[4];
  int16_t q[4];
  EXPECT_EQ(tm_window_f32(kTmWindowHann, 0, 1, f), kTmErrorBadArgument);
  EXPECT_EQ(tm_window_q15(kTmWindowHann, -3, 1, q), kTmErrorBadArgument);
  EXPECT_EQ(tm_window_f32(9, 4, 1, f), kTmErrorBadArgument);
  EXPECT_EQ(tm_window_q15(kTmWindowHamming, 4, 0, nullptr),
            kTmErrorBadArgument);
  // A symmetric window of one point is {1}, not a division by zero.
  ASSERT_EQ(tm_window_f32(kTmWindowHann, 1, 0, f), kTmOk);
  EXPECT_EQ(f[0], 1.0f);
}

}  // namespace
}  // namespace tierml
