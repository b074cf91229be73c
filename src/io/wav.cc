#include "io/wav.h"

#include <cstring>

namespace tierml::io {
namespace {

uint32_t le32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}
uint16_t le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

}  // namespace

Expected<PcmAudio> parse_wav(const std::vector<uint8_t>& file,
                             const std::string& path) {
  if (file.size() < 12 || std::memcmp(file.data(), "RIFF", 4) != 0 ||
      std::memcmp(file.data() + 8, "WAVE", 4) != 0) {
    return invalid_argument(path + ": not a RIFF/WAVE file");
  }
  PcmAudio audio;
  bool have_format = false, have_data = false;
  size_t at = 12;
  while (at + 8 <= file.size()) {
    const uint8_t* chunk = file.data() + at;
    const uint32_t size = le32(chunk + 4);
    if (size > file.size() - at - 8) {
      return invalid_argument(
          path + ": chunk '" +
          std::string(reinterpret_cast<const char*>(chunk), 4) +
          "' runs past the end of the file");
    }
    const uint8_t* body = chunk + 8;
    if (std::memcmp(chunk, "fmt ", 4) == 0) {
      if (size < 16) return invalid_argument(path + ": fmt chunk too short");
      const uint16_t format = le16(body), channels = le16(body + 2),
                     bits = le16(body + 14);
      if (format != 1 || channels != 1 || bits != 16) {
        return invalid_argument(
            path + ": need 16-bit PCM mono, got format " +
            std::to_string(format) + ", " + std::to_string(channels) +
            " channel(s), " + std::to_string(bits) +
            " bits (convert with e.g. `sox IN -b 16 -c 1 OUT.wav`)");
      }
      audio.sample_rate = static_cast<int32_t>(le32(body + 4));
      have_format = true;
    } else if (std::memcmp(chunk, "data", 4) == 0) {
      audio.samples.resize(size / 2);
      std::memcpy(audio.samples.data(), body, audio.samples.size() * 2);
      have_data = true;
    }
    at += 8 + size + (size & 1);
  }
  if (!have_format || !have_data) {
    return invalid_argument(path + ": missing " +
                            std::string(have_format ? "data" : "fmt ") +
                            " chunk");
  }
  return audio;
}

}  // namespace tierml::io
