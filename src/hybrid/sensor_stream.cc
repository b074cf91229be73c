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
  return io::parse_wav(file, path);
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
