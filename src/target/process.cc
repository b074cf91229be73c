#include "target/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace tierml::target {

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return access(program.c_str(), X_OK) == 0 ? program : "";
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + program;
    struct stat info;
    if (stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return "";
}

Expected<ProcessResult> run_process(const std::vector<std::string>& argv,
                                    const ProcessOptions& options) {
  if (argv.empty()) return invalid_argument("run_process: no program");
  const std::string program = find_program(argv[0]);
  if (program.empty()) return io_error(argv[0] + " not found in PATH");
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return io_error(std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return io_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // The child gets its own process group so that a timeout ends it all.
    setpgid(0, 0);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    if (!options.working_dir.empty() &&
        chdir(options.working_dir.c_str()) != 0) {
      _exit(126);
    }
    execv(program.c_str(), args.data());
    _exit(127);
  }
  close(pipe_fds[1]);

  ProcessResult result;
  std::string partial;
  const auto start = std::chrono::steady_clock::now();
  char buffer[4096];
  for (;;) {
    int wait_ms = -1;
    if (options.timeout_seconds > 0) {
      const double left = options.timeout_seconds -
                          std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count();
      if (left <= 0) {
        result.timed_out = true;
        kill(-pid, SIGKILL);
        break;
      }
      wait_ms = static_cast<int>(left * 1000) + 1;
    }
    pollfd fd{pipe_fds[0], POLLIN, 0};
    const int ready = poll(&fd, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the timeout check above ends it
    const ssize_t n = read(pipe_fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buffer, static_cast<size_t>(n));
    if (options.on_line) {
      partial.append(buffer, static_cast<size_t>(n));
      size_t newline;
      while ((newline = partial.find('\n')) != std::string::npos) {
        options.on_line(partial.substr(0, newline));
        partial.erase(0, newline + 1);
      }
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!result.timed_out && WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  if (result.exit_code == 127 && result.output.empty()) {
    return io_error("cannot run " + program);
  }
  return result;
}

}  // namespace tierml::target
