// A recorded sensor stream for the device agent: 16-bit PCM mono WAV, or
// CSV with one sample per line (first column; an optional header line is
// skipped). CSV integers are int16 counts; numbers with a decimal point or
// exponent are full-scale values in [-1, 1].
#ifndef TIERML_HYBRID_SENSOR_STREAM_H_
#define TIERML_HYBRID_SENSOR_STREAM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "io/wav.h"

namespace tierml::hybrid {

// sample_rate 0 for CSV: the feature recipe's rate applies.
using SensorStream = io::PcmAudio;

// .wav by extension, .csv by extension; invalid_argument for anything else
// or a malformed file (naming the line or chunk), io_error if unreadable.
Expected<SensorStream> read_sensor_stream(const std::string& path);

// 16-bit PCM mono WAV bytes (tests and the simulator write streams).
std::vector<uint8_t> encode_wav(const std::vector<int16_t>& samples,
                                int32_t sample_rate);

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_SENSOR_STREAM_H_
