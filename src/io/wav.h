// RIFF/WAVE files of 16-bit PCM mono, the sensor recordings the CLI reads.
#ifndef TIERML_IO_WAV_H_
#define TIERML_IO_WAV_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::io {

struct PcmAudio {
  int32_t sample_rate = 0;  // 0 where the source does not say (raw, CSV)
  std::vector<int16_t> samples;
};

// A "fmt " chunk (PCM, 1 channel, 16 bits) and a "data" chunk; every chunk
// size is checked against the file. invalid_argument naming what is wrong,
// with path in the message.
Expected<PcmAudio> parse_wav(const std::vector<uint8_t>& file,
                             const std::string& path);

}  // namespace tierml::io

#endif  // TIERML_IO_WAV_H_
