// tm_format, the device's printf subset, against hand-written expectations.
#include "model/format.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

namespace {

TEST(Format, Conversions) {
  char out[128];
  EXPECT_EQ(tm_format_to(out, sizeof(out), "node %d (%s): %u of %zu, 100%%", -7,
                         "CONV_2D", 3u, static_cast<size_t>(1) << 40),
            std::string("node -7 (CONV_2D): 3 of 1099511627776, 100%").size());
  EXPECT_STREQ(out, "node -7 (CONV_2D): 3 of 1099511627776, 100%");
  tm_format_to(out, sizeof(out), "%d %d %u %s", INT_MIN, 0, UINT_MAX,
               static_cast<const char*>(nullptr));
  EXPECT_STREQ(out, "-2147483648 0 4294967295 (null)");
  tm_format_to(out, sizeof(out), "%x %q %");
  EXPECT_STREQ(out, "%x %q %");
}

TEST(Format, CutsOffAtTheBufferSize) {
  char out[8];
  std::memset(out, 'z', sizeof(out));
  EXPECT_EQ(tm_format_to(out, sizeof(out), "abc%ddef", 12345), 7u);
  EXPECT_STREQ(out, "abc1234");
  EXPECT_EQ(tm_format_to(out, 1, "abc"), 0u);
  EXPECT_STREQ(out, "");
  EXPECT_EQ(tm_format_to(nullptr, 0, "abc"), 0u);
}

}  // namespace
