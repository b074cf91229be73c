// Runs a tool (compiler, size, QEMU) as a child process: no shell, so paths
// need no quoting; stdout and stderr are captured together.
#ifndef TIERML_TARGET_PROCESS_H_
#define TIERML_TARGET_PROCESS_H_

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::target {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or the timeout
  bool timed_out = false;
  std::string output;  // stdout and stderr, interleaved
};

struct ProcessOptions {
  std::string working_dir;     // empty: the caller's
  double timeout_seconds = 0;  // 0: none
  // Called with each complete line of output as it arrives.
  std::function<void(const std::string&)> on_line;
};

// io_error when the program cannot be started (not found, fork failed).
Expected<ProcessResult> run_process(const std::vector<std::string>& argv,
                                    const ProcessOptions& options = {});

// The full path of program in PATH, or "" when it is not there.
std::string find_program(const std::string& program);

}  // namespace tierml::target

#endif  // TIERML_TARGET_PROCESS_H_
