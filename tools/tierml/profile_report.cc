#include "profile_report.h"

#include <unistd.h>

#include <cstdio>

#include "commands.h"

namespace tierml::cli {

std::string grouped(uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

void print_flash(const target::FlashBytes& flash,
                 const std::map<std::string, uint64_t>& origins,
                 bool with_model) {
  const std::string model =
      with_model ? " + model " + grouped(flash.model) : std::string();
  std::printf("flash: %s bytes = code %s + constants %s%s + data %s\n",
              grouped(flash.total()).c_str(), grouped(flash.code).c_str(),
              grouped(flash.constants).c_str(), model.c_str(),
              grouped(flash.data_init).c_str());
  std::string text;
  for (const auto& [origin, bytes] : origins) {
    text += (text.empty() ? "" : ", ") + origin + " " + grouped(bytes);
  }
  std::printf("  code and constants by origin: %s\n", text.c_str());
}

std::function<void(const std::string&)> progress_line() {
  if (isatty(STDERR_FILENO) == 0) return {};
  return [](const std::string& stage) {
    std::fprintf(stderr, "\r\033[K[profile] %s", stage.c_str());
    std::fflush(stderr);
  };
}

void clear_progress() {
  if (isatty(STDERR_FILENO) != 0) std::fprintf(stderr, "\r\033[K");
}

void print_output_check(const char* what, bool matches, size_t bytes,
                        size_t mismatched) {
  if (matches) {
    std::printf("%s: %zu bytes, identical to the host run\n", what, bytes);
  } else {
    std::printf("%s: %zu of %zu bytes DIFFER from the host run\n", what,
                mismatched, bytes);
  }
}

std::string measurement_text(const target::Board& board, const char* around) {
  return "QEMU " + board.machine +
         " -icount shift=7,sleep=off; instructions from the board counter "
         "at " +
         std::to_string(board.counter_hz) + " Hz around " + around;
}

int output_mismatch(size_t mismatched, size_t total) {
  if (mismatched == 0) return kExitOk;
  std::fprintf(stderr,
               "tierml: the device's output differs from the host's in %zu "
               "of %zu bytes\n",
               mismatched, total);
  return 1;
}

int profile_error(const Status& status) {
  if (status.code() == ErrorCode::kInternal) {
    std::fprintf(stderr, "tierml: %s\n", status.message().c_str());
    return 1;
  }
  return report_error(status);
}

}  // namespace tierml::cli
