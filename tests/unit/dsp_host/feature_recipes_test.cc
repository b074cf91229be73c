// The recipe lookup the CLI shares, and the host's fixed-point run of a
// window against the frontend called frame by frame.
#include "dsp_host/feature_recipes.h"

#include <gtest/gtest.h>

#include "dsp/recipes.h"

namespace tierml::dsp_host {
namespace {

TEST(FeatureRecipes, KnownNamesAndTheirSpecs) {
  auto kws = find_feature_recipe("kws");
  ASSERT_TRUE(kws) << kws.status().message();
  EXPECT_EQ(kws->spec().num_mfcc, 10);
  EXPECT_EQ(kws->window_samples, 16000);
  EXPECT_TRUE(kws->pad_to_window && kws->peak_gain);
  auto ad = find_feature_recipe("ad");
  ASSERT_TRUE(ad);
  const TmFeatureSpec spec = ad->spec();
  // One AD model input: five frames.
  EXPECT_EQ(tm_features_num_frames(&spec, ad->window_samples), 5);
  EXPECT_FALSE(ad->pad_to_window || ad->peak_gain);
}

TEST(FeatureRecipes, UnknownNameListsTheKnownOnes) {
  auto missing = find_feature_recipe("vww");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message(), "unknown recipe 'vww' (kws or ad)");
}

TEST(FixedFeatures, EqualsTheFrontendFrameByFrame) {
  auto kws = find_feature_recipe("kws");
  ASSERT_TRUE(kws);
  std::vector<int16_t> clip(16000);
  for (size_t i = 0; i < clip.size(); ++i) {
    clip[i] = static_cast<int16_t>((i * 7919) % 20001) - 10000;
  }
  auto features = fixed_features(*kws, clip);
  ASSERT_TRUE(features) << features.status().message();
  EXPECT_EQ(features->frames, 49);
  EXPECT_EQ(features->per_frame, 10);

  const TmFeatureSpec spec = kws->spec();
  auto frontend = set_up_frontend(spec, kTmFeaturesFixed);
  ASSERT_TRUE(frontend);
  const int32_t gain = tm_peak_gain_log2_q16(clip.data(), 16000);
  std::vector<int8_t> frame(10);
  for (int32_t t = 0; t < 49; ++t) {
    tm_features_s8(&(*frontend)->features, clip.data() + t * 320, gain,
                   frame.data(), (*frontend)->scratch.data());
    for (int k = 0; k < 10; ++k) {
      ASSERT_EQ(features->values[t * 10 + k], frame[k]) << t << " " << k;
    }
  }
}

TEST(FixedFeatures, ShorterThanAFrameIsAnError) {
  auto ad = find_feature_recipe("ad");
  ASSERT_TRUE(ad);
  EXPECT_FALSE(fixed_features(*ad, std::vector<int16_t>(1023)));
}

TEST(FloatInputScale, PeakForKwsFullScaleOtherwise) {
  auto kws = find_feature_recipe("kws");
  auto ad = find_feature_recipe("ad");
  ASSERT_TRUE(kws && ad);
  const std::vector<int16_t> clip = {-30000, 200, 4000, -5};
  EXPECT_EQ(float_input_scale(*kws, clip), 1.0f / 4000.0f);
  EXPECT_EQ(float_input_scale(*ad, clip), 1.0f / 32768.0f);
  // No positive sample: no peak to scale to.
  EXPECT_EQ(float_input_scale(*kws, std::vector<int16_t>{-3, 0}),
            1.0f / 32768.0f);
}

}  // namespace
}  // namespace tierml::dsp_host
