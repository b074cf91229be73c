#include "io/wav.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tierml::io {
namespace {

void put16(std::vector<uint8_t>& b, uint32_t v) {
  b.push_back(v & 0xFF);
  b.push_back((v >> 8) & 0xFF);
}
void put32(std::vector<uint8_t>& b, uint32_t v) {
  put16(b, v & 0xFFFF);
  put16(b, v >> 16);
}
void put_tag(std::vector<uint8_t>& b, const char* tag) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(tag[i]));
}

// A WAV of the given channels and bits holding `samples` int16 values.
std::vector<uint8_t> wav(uint16_t channels, uint16_t bits,
                         const std::vector<int16_t>& samples) {
  std::vector<uint8_t> b;
  put_tag(b, "RIFF");
  put32(b, 36 + 2 * samples.size());
  put_tag(b, "WAVE");
  put_tag(b, "fmt ");
  put32(b, 16);
  put16(b, 1);
  put16(b, channels);
  put32(b, 16000);
  put32(b, 16000 * channels * bits / 8);
  put16(b, channels * bits / 8);
  put16(b, bits);
  put_tag(b, "data");
  put32(b, 2 * samples.size());
  for (int16_t s : samples) put16(b, static_cast<uint16_t>(s));
  return b;
}

TEST(Wav, ReadsPcmMono) {
  auto audio = parse_wav(wav(1, 16, {1, -2, 32767}), "a.wav");
  ASSERT_TRUE(audio) << audio.status().message();
  EXPECT_EQ(audio->sample_rate, 16000);
  EXPECT_EQ(audio->samples, (std::vector<int16_t>{1, -2, 32767}));
}

TEST(Wav, NamesWhatIsWrong) {
  auto stereo = parse_wav(wav(2, 16, {1, 2}), "s.wav");
  ASSERT_FALSE(stereo);
  EXPECT_NE(stereo.status().message().find("2 channel(s)"), std::string::npos)
      << stereo.status().message();

  std::vector<uint8_t> truncated = wav(1, 16, {1, 2, 3});
  truncated.resize(truncated.size() - 3);
  auto cut = parse_wav(truncated, "t.wav");
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.status().message().find("'data' runs past the end"),
            std::string::npos)
      << cut.status().message();

  auto text = parse_wav(std::vector<uint8_t>(40, 'x'), "x.wav");
  ASSERT_FALSE(text);
  EXPECT_NE(text.status().message().find("not a RIFF/WAVE"), std::string::npos);
}

}  // namespace
}  // namespace tierml::io
