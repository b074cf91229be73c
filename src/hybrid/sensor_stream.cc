#include "hybrid/sensor_stream.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace tierml::hybrid {
namespace {

uint32_t le32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}
uint16_t le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

Expected<SensorStream> parse_wav(const std::vector<uint8_t>& file,
                                 const std::string& path) {
  if (file.size() < 12 || std::memcmp(file.data(), "RIFF", 4) != 0 ||
      std::memcmp(file.data() + 8, "WAVE", 4) != 0)
    return invalid_argument(path + ": not a RIFF/WAVE file");
  SensorStream stream;
  bool have_format = false, have_data = false;
  size_t at = 12;
  while (at + 8 <= file.size()) {
    const uint8_t* chunk = file.data() + at;
    const uint32_t size = le32(chunk + 4);
    if (size > file.size() - at - 8)
      return invalid_argument(
          path + ": chunk '" +
          std::string(reinterpret_cast<const char*>(chunk), 4) +
          "' runs past the end of the file");
    const uint8_t* body = chunk + 8;
    if (std::memcmp(chunk, "fmt ", 4) == 0) {
      if (size < 16) return invalid_argument(path + ": fmt chunk too short");
      if (le16(body) != 1 || le16(body + 2) != 1 || le16(body + 14) != 16)
        return invalid_argument(path +
                                ": need 16-bit PCM mono (convert with e.g. "
                                "`sox IN -b 16 -c 1 OUT.wav`)");
      stream.sample_rate = static_cast<int32_t>(le32(body + 4));
      have_format = true;
    } else if (std::memcmp(chunk, "data", 4) == 0) {
      stream.samples.resize(size / 2);
      std::memcpy(stream.samples.data(), body, stream.samples.size() * 2);
      have_data = true;
    }
    at += 8 + size + (size & 1);
  }
  if (!have_format || !have_data)
    return invalid_argument(path + ": missing " +
                            std::string(have_format ? "data" : "fmt ") +
                            " chunk");
  return stream;
}

Expected<SensorStream> parse_csv(std::istream& in, const std::string& path) {
  SensorStream stream;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string field = line.substr(0, line.find(','));
    const size_t first = field.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const size_t last = field.find_last_not_of(" \t\r");
    const std::string text = field.substr(first, last - first + 1);
    double value = 0;
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
      if (number == 1 && stream.samples.empty()) continue;  // header
      return invalid_argument(path + ":" + std::to_string(number) + ": '" +
                              text + "' is not a number");
    }
    const bool full_scale = text.find_first_of(".eE") != std::string::npos;
    const double counts = full_scale ? value * 32767.0 : value;
    if (!(counts >= -32768.5 && counts <= 32767.5))
      return invalid_argument(
          path + ":" + std::to_string(number) + ": " + text +
          " is outside the int16 range (or [-1, 1] for decimals)");
    stream.samples.push_back(static_cast<int16_t>(std::lround(counts)));
  }
  return stream;
}

}  // namespace

Expected<SensorStream> read_sensor_stream(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext != ".wav" && ext != ".csv")
    return invalid_argument(path + ": the stream must be a .wav or .csv file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open " + path);
  if (ext == ".csv") return parse_csv(in, path);
  const std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  return parse_wav(file, path);
}

std::vector<uint8_t> encode_wav(const std::vector<int16_t>& samples,
                                int32_t sample_rate) {
  const uint32_t data_bytes = static_cast<uint32_t>(samples.size() * 2);
  std::vector<uint8_t> out(44 + data_bytes);
  const auto put = [&out](size_t at, uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
      out[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  std::memcpy(&out[0], "RIFF", 4);
  put(4, 36 + data_bytes, 4);
  std::memcpy(&out[8], "WAVEfmt ", 8);
  put(16, 16, 4);  // fmt chunk size
  put(20, 1, 2);   // PCM
  put(22, 1, 2);   // mono
  put(24, static_cast<uint32_t>(sample_rate), 4);
  put(28, static_cast<uint32_t>(sample_rate) * 2, 4);  // bytes per second
  put(32, 2, 2);                                       // block align
  put(34, 16, 2);                                      // bits
  std::memcpy(&out[36], "data", 4);
  put(40, data_bytes, 4);
  if (data_bytes) std::memcpy(&out[44], samples.data(), data_bytes);
  return out;
}

}  // namespace tierml::hybrid
