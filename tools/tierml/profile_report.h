// What `tierml profile`'s two reports (a model's, profile.cc; a feature
// pipeline's, profile_features.cc) print alike.
#ifndef TIERML_TOOLS_PROFILE_REPORT_H_
#define TIERML_TOOLS_PROFILE_REPORT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "common/status.h"
#include "target/board.h"
#include "target/size_report.h"

namespace tierml::cli {

// 1234567 -> "1,234,567".
std::string grouped(uint64_t value);
// "flash: N bytes = code C + constants K [+ model M] + data D" and a line of
// code and constants by origin ("kernels 1,024, firmware 512").
void print_flash(const target::FlashBytes& flash,
                 const std::map<std::string, uint64_t>& origins,
                 bool with_model);

// A progress line that rewrites itself on stderr, only on a terminal (empty
// otherwise); clear_progress() wipes it.
std::function<void(const std::string&)> progress_line();
void clear_progress();

// 1 after saying how many bytes differ, 0 when none do.
int output_mismatch(size_t mismatched, size_t total);

// Exit code for a failed profile: 1 after printing the message for a tool
// that failed unexpectedly (internal), report_error's otherwise.
int profile_error(const Status& status);

// The device-against-host check of a result, as JSON fields and as a line
// naming what was compared ("output", "features").
template <typename Result>
void add_output_check(nlohmann::ordered_json& j, const Result& r) {
  j["output_matches_host"] = r.output_matches_host;
  j["output_bytes"] = r.output_bytes;
  j["mismatched_bytes"] = r.mismatched_bytes;
}
void print_output_check(const char* what, bool matches, size_t bytes,
                        size_t mismatched);
template <typename Result>
void print_output_check(const char* what, const Result& r) {
  print_output_check(what, r.output_matches_host, r.output_bytes,
                     r.mismatched_bytes);
}

// How the instructions were counted, around what ("one invoke").
std::string measurement_text(const target::Board& board, const char* around);

// The end of a profile: writes the device's output to output_path when one
// is given, prints the report, and returns 1 (after saying so) when the
// device's output differs from the host's, 0 otherwise.
template <typename Result>
int finish_profile(const std::string& output_path, const Result& result,
                   const std::function<void()>& print) {
  if (!output_path.empty()) {
    const Status status = write_bytes(output_path, result.device_output);
    if (!status.is_ok()) return profile_error(status);
  }
  print();
  return output_mismatch(result.mismatched_bytes, result.output_bytes);
}

}  // namespace tierml::cli

#endif  // TIERML_TOOLS_PROFILE_REPORT_H_
