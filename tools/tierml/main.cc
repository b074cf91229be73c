#include <cstdio>
#include <fstream>

#include "commands.h"

namespace tierml::cli {

int report_error(const Status& status) {
  std::fprintf(stderr, "tierml: %s\n", status.message().c_str());
  switch (status.code()) {
    case ErrorCode::kMalformedModel:
    case ErrorCode::kUnsupported:
      return kExitModel;
    case ErrorCode::kOk:
      return kExitOk;
    default:
      return kExitUsage;
  }
}

Status write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  if (!file) return io_error("cannot write " + path);
  return Status::ok();
}

}  // namespace tierml::cli

int main(int argc, char** argv) {
  using namespace tierml::cli;
  CLI::App app{
      "tierml: measure, advise and deploy ML models across IoT tiers "
      "(microcontroller, edge, cloud)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tierml 0.1.0");
  int exit_code = kExitOk;
  add_inspect_command(app, exit_code);
  add_run_command(app, exit_code);
  add_advise_command(app, exit_code);
  add_compile_command(app, exit_code);
  add_profile_command(app, exit_code);
  add_serve_command(app, exit_code);
  add_export_dense_command(app, exit_code);
  add_features_command(app, exit_code);
  add_device_command(app, exit_code);
  add_gateway_command(app, exit_code);
  add_simulate_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return exit_code;
}
