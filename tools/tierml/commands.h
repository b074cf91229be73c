// Each subcommand lives in its own file and registers itself here. A command's
// callback stores its exit code: 0 ok, 2 bad usage or input, 3 unsupported or
// malformed model.
#ifndef TIERML_TOOLS_COMMANDS_H_
#define TIERML_TOOLS_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::cli {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitModel = 3;

// Prints "tierml: <message>" to stderr and returns the exit code for status.
int report_error(const Status& status);
// Writes bytes to path; io_error naming the path when it cannot.
Status write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);

void add_inspect_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_advise_command(CLI::App& app, int& exit_code);
void add_compile_command(CLI::App& app, int& exit_code);
void add_profile_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);
void add_export_dense_command(CLI::App& app, int& exit_code);
void add_features_command(CLI::App& app, int& exit_code);
void add_device_command(CLI::App& app, int& exit_code);
void add_gateway_command(CLI::App& app, int& exit_code);
void add_simulate_command(CLI::App& app, int& exit_code);

}  // namespace tierml::cli

#endif  // TIERML_TOOLS_COMMANDS_H_
