#include "target/firmware_output.h"

#include <charconv>
#include <numeric>
#include <sstream>

#include "target/board.h"

namespace tierml::target {
namespace {

constexpr uint64_t kWrap = uint64_t{1} << 32;

// Splits on spaces; the first word is the key.
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

bool to_u32(const std::string& text, uint32_t& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

// Reads `count` numbers after the key.
Status numbers(const std::vector<std::string>& w, size_t count,
               uint32_t* values) {
  if (w.size() < count + 1) {
    return invalid_argument("firmware line '" + w[0] + "': expected " +
                            std::to_string(count) + " numbers");
  }
  for (size_t i = 0; i < count; ++i) {
    if (!to_u32(w[i + 1], values[i])) {
      return invalid_argument("firmware line '" + w[0] + "': '" + w[i + 1] +
                              "' is not a number");
    }
  }
  return Status::ok();
}

// The 64-bit tick count of a reading taken at 100 Hz-counter value
// centiseconds: the wrap count that brings it closest to that time.
uint64_t unwrap_by_time(uint32_t ticks, uint32_t centiseconds,
                        uint32_t counter_hz) {
  const double seconds = centiseconds / 100.0;
  const double wraps = (seconds - static_cast<double>(ticks) / counter_hz) *
                       counter_hz / static_cast<double>(kWrap);
  const double k = wraps < 0 ? 0 : static_cast<double>(int64_t(wraps + 0.5));
  return static_cast<uint64_t>(k) * kWrap + ticks;
}

// The first 64-bit tick count at or after previous with these low 32 bits.
uint64_t unwrap_after(uint64_t previous, uint32_t ticks) {
  const uint32_t step = ticks - static_cast<uint32_t>(previous);
  return previous + step;
}

}  // namespace

Expected<FirmwareReport> parse_firmware_output(const std::string& text) {
  FirmwareReport report;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> w = words(line);
    if (w.empty()) continue;
    const std::string& key = w[0];
    uint32_t v[4] = {};
    Status status;
    if (key == "arena_needed") {
      status = numbers(w, 2, v);
      if (status.is_ok()) {
        report.arena_needed.push_back(v[0]);
        report.init_status.push_back(v[1]);
      }
    } else if (key == "inference") {
      status = numbers(w, 4, v);
      if (status.is_ok()) {
        report.inference = CounterPair{v[0], v[2]};
        report.clock100hz_before = v[1];
        report.clock100hz_after = v[3];
      }
    } else if (key == "stack") {
      status = numbers(w, 1, v);
      if (status.is_ok()) report.stack_bytes = v[0];
    } else if (key == "calib") {
      status = numbers(w, 3, v);
      if (status.is_ok()) report.calibration = CounterPair{v[1], v[2]};
    } else if (key == "layer") {
      status = numbers(w, 3, v);
      if (status.is_ok() && v[0] != report.layers.size()) {
        status = invalid_argument("firmware line 'layer " + w[1] +
                                  "': expected layer " +
                                  std::to_string(report.layers.size()));
      }
      if (status.is_ok()) report.layers.push_back(CounterPair{v[1], v[2]});
    } else if (key == "done") {
      report.done = true;
    } else if (key == "error" || key == "tierml-fault:") {
      const size_t start = line.find(key) + key.size();
      std::string message = line.substr(start);
      while (!message.empty() && message.front() == ' ') message.erase(0, 1);
      report.errors.push_back(message.empty() ? key : message);
    }
    if (!status.is_ok()) return status;
  }
  return report;
}

uint64_t instructions_between(const CounterPair& pair, uint32_t counter_hz) {
  // A wrap is a whole number of instructions at both rates (2^32 ticks of
  // 40 or 50 ns), so the low 32 bits keep each reading's phase.
  const uint64_t after = uint64_t{pair.before} + (pair.after - pair.before);
  return instruction_at(after, counter_hz) -
         instruction_at(pair.before, counter_hz);
}

uint64_t instruction_at(uint64_t ticks, uint32_t counter_hz) {
  // n = ceil(ticks * 1e9 / (128 * hz)), with the fraction reduced so that
  // the product stays in 64 bits for any realistic run.
  uint64_t num = 1000000000u;
  uint64_t den = kNanosecondsPerInstruction * counter_hz;
  const uint64_t g = std::gcd(num, den);
  num /= g;
  den /= g;
  return (ticks * num + den - 1) / den;
}

Expected<InstructionCounts> count_instructions(const FirmwareReport& report,
                                               uint32_t counter_hz) {
  if (!report.inference) {
    return invalid_argument("the firmware reported no inference timing");
  }
  if (!report.calibration && !report.layers.empty()) {
    return invalid_argument("the firmware reported no calibration timing");
  }
  InstructionCounts counts;
  const uint64_t start = unwrap_by_time(report.inference->before,
                                        report.clock100hz_before, counter_hz);
  uint64_t end = unwrap_by_time(report.inference->after,
                                report.clock100hz_after, counter_hz);
  if (end < start) end = unwrap_after(start, report.inference->after);
  counts.inference =
      instruction_at(end, counter_hz) - instruction_at(start, counter_hz);

  // Everything after the inference, in the order the firmware read it.
  uint64_t previous = end;
  auto span = [&](const CounterPair& pair) {
    const uint64_t a = unwrap_after(previous, pair.before);
    const uint64_t b = unwrap_after(a, pair.after);
    previous = b;
    return instruction_at(b, counter_hz) - instruction_at(a, counter_hz);
  };
  if (report.calibration) counts.calibration = span(*report.calibration);
  for (const CounterPair& layer : report.layers) {
    const uint64_t n = span(layer);
    counts.layers.push_back(n > counts.calibration ? n - counts.calibration
                                                   : 0);
  }
  return counts;
}

}  // namespace tierml::target
