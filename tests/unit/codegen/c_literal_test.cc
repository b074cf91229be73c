// The literals the code generator writes must read back, through the C
// library's own parser (strtof/strtod), to exactly the host's values.
#include "codegen/c_literal.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

namespace tierml::codegen {
namespace {

uint32_t bits(float v) {
  uint32_t b;
  std::memcpy(&b, &v, 4);
  return b;
}

TEST(CLiteral, FloatsReadBackExactly) {
  std::mt19937 rng(7);
  std::vector<float> values = {0.0f,   -0.0f,   1.0f,     -1.0f,
                               0.1f,   FLT_MAX, -FLT_MAX, FLT_MIN,
                               1e-45f, 6.0f,    3.0e38f,  0.00390625f};
  for (int i = 0; i < 2000; ++i) {
    uint32_t b = rng();
    float v;
    std::memcpy(&v, &b, 4);
    if (std::isfinite(v)) values.push_back(v);
  }
  for (float v : values) {
    const std::string text = float_literal(v);
    ASSERT_EQ(text.back(), 'f') << text;
    // A C float literal needs a fraction or an exponent before the suffix.
    ASSERT_NE(text.find_first_of(".e"), std::string::npos) << text;
    const float back =
        std::strtof(text.substr(0, text.size() - 1).c_str(), nullptr);
    EXPECT_EQ(bits(back), bits(v)) << text;
  }
  EXPECT_EQ(float_literal(1.0f), "1.0f");
  EXPECT_EQ(float_literal(INFINITY), "HUGE_VALF");
}

TEST(CLiteral, DoublesReadBackExactly) {
  for (double v : {0.1, 1.0 / 3.0, 2.5e-300, 1e300, 0.000624999986}) {
    const std::string text = double_literal(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
  EXPECT_EQ(double_literal(2.0), "2.0");
}

TEST(CLiteral, IntegersAreValidC) {
  EXPECT_EQ(int_literal(-5), "-5");
  // -2147483648 would be the negation of a too-large int constant.
  EXPECT_EQ(int_literal(INT32_MIN), "(-2147483647 - 1)");
  EXPECT_EQ(int_literal(INT32_MAX), "2147483647");
  EXPECT_EQ(int_literal(int64_t{1} << 40), "1099511627776LL");
  EXPECT_EQ(int_literal(INT64_MIN), "(-9223372036854775807LL - 1)");
}

TEST(CLiteral, ArraysAndInitializers) {
  const int16_t values[] = {-32768, 0, 7};
  const std::string text =
      const_array("lut", kTmInt16, reinterpret_cast<const uint8_t*>(values), 3);
  EXPECT_NE(text.find("static const int16_t lut[3] = {"), std::string::npos);
  EXPECT_NE(text.find("-32768, 0, 7"), std::string::npos) << text;
  Initializer inner;
  inner.i32("count", 4);
  Initializer init;
  init.i32("a", 1).nested("b", inner).pointer("p", "").f32("f", 0.5f);
  EXPECT_EQ(init.str(0),
            "{\n    .a = 1,\n    .b = {.count = 4},\n    .p = NULL,\n"
            "    .f = 0.5f\n}");
}

TEST(CLiteral, Identifiers) {
  EXPECT_TRUE(is_c_identifier("kws_model"));
  EXPECT_TRUE(is_c_identifier("_m1"));
  EXPECT_FALSE(is_c_identifier("1model"));
  EXPECT_FALSE(is_c_identifier("my-model"));
  EXPECT_FALSE(is_c_identifier(""));
  EXPECT_EQ(to_c_identifier("tiny-kws.v2"), "tiny_kws_v2");
  EXPECT_EQ(to_c_identifier("96x96"), "m_96x96");
}

}  // namespace
}  // namespace tierml::codegen
