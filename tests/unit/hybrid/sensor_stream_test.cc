#include "hybrid/sensor_stream.h"

#include <gtest/gtest.h>

#include <fstream>

#include "unit/hybrid/temp_dir.h"

namespace tierml::hybrid {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(SensorStream, ReadsCsvCountsAndFullScaleValues) {
  TempDir dir;
  const auto path = dir.path() / "s.csv";
  write(path, "sample,label\n100,a\n-32768\n0.5\n-1.0\n\n");
  auto stream = read_sensor_stream(path.string());
  ASSERT_TRUE(stream) << stream.status().message();
  EXPECT_EQ(stream->sample_rate, 0);
  // 0.5 * 32767 = 16383.5 rounds away from zero.
  EXPECT_EQ(stream->samples,
            (std::vector<int16_t>{100, -32768, 16384, -32767}));
}

TEST(SensorStream, NamesTheBadCsvLine) {
  TempDir dir;
  const auto path = dir.path() / "s.csv";
  write(path, "1\n2\nthree\n");
  auto stream = read_sensor_stream(path.string());
  ASSERT_FALSE(stream);
  EXPECT_NE(stream.status().message().find("s.csv:3"), std::string::npos);
  write(path, "40000\n");
  EXPECT_NE(
      read_sensor_stream(path.string()).status().message().find("int16 range"),
      std::string::npos);
}

TEST(SensorStream, WavRoundTripsAndOtherExtensionsAreRefused) {
  TempDir dir;
  const auto path = dir.path() / "s.wav";
  const std::vector<int16_t> samples = {0, 1, -1, 32767, -32768};
  const std::vector<uint8_t> wav = encode_wav(samples, 16000);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(wav.data()),
             static_cast<std::streamsize>(wav.size()));
  auto stream = read_sensor_stream(path.string());
  ASSERT_TRUE(stream) << stream.status().message();
  EXPECT_EQ(stream->sample_rate, 16000);
  EXPECT_EQ(stream->samples, samples);
  auto other = read_sensor_stream((dir.path() / "s.raw").string());
  ASSERT_FALSE(other);
  EXPECT_NE(other.status().message().find(".wav or .csv"), std::string::npos);
}

}  // namespace
}  // namespace tierml::hybrid
