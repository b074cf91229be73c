// tierml advise: where should this model run?
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "advise/advisor.h"
#include "advise/catalog.h"
#include "advise/measured.h"
#include "advise/report.h"
#include "advise/scenario.h"
#include "commands.h"

namespace tierml::cli {

void add_advise_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string scenario;
    std::string catalog;
    std::string html;
    bool json = false;
    std::vector<std::string> measured;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "advise",
      "Rank TinyML (interpreted, compiled), edge, cloud and hybrid placements for a scenario "
      "against latency, offline operation, power, fit, privacy, updates, cost and bandwidth");
  cmd->add_option("SCENARIO", options->scenario, "scenario YAML (keys: docs/scenario.md)")
      ->required();
  cmd->add_flag("--json", options->json, "print the advice as JSON");
  cmd->add_option("--html", options->html, "also write a self-contained HTML report with charts");
  cmd->add_option("--catalog", options->catalog,
                  "folder with boards/radios/batteries/gateways/cloud YAML (default: tierml's data/)");
  cmd->add_option("--measured", options->measured,
                  "`tierml profile --json` report of a scenario model on its device's core: its "
                  "flash, RAM and instructions replace that engine's estimates (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->callback([options, &exit_code] {
    using namespace tierml::advise;
    const std::filesystem::path catalog_dir =
        options->catalog.empty() ? default_catalog_dir() : std::filesystem::path(options->catalog);
    Expected<Catalog> catalog = load_catalog(catalog_dir);
    if (!catalog) return void(exit_code = report_error(catalog.status()));
    Expected<Scenario> scenario = load_scenario(options->scenario);
    if (!scenario) return void(exit_code = report_error(scenario.status()));
    if (Status status = resolve_models(*scenario); !status.is_ok())
      return void(exit_code = report_error(status));
    if (!options->measured.empty()) {
      if (Status status = check_scenario(*scenario, *catalog); !status.is_ok())
        return void(exit_code = report_error(status));
      const Board& board = *catalog->board(scenario->device);
      for (const std::string& profile : options->measured) {
        if (Status status = apply_measured_profile(*scenario, board, profile); !status.is_ok())
          return void(exit_code = report_error(status));
      }
    }
    Expected<Advice> advice = advise::advise(*scenario, *catalog);
    if (!advice) return void(exit_code = report_error(advice.status()));
    if (!options->html.empty()) {
      std::ofstream out(options->html);
      out << advice_to_html(*advice, *scenario, *catalog);
      if (!out) return void(exit_code = report_error(io_error("cannot write " + options->html)));
    }
    if (options->json)
      std::printf("%s\n", advice_to_json(*advice).dump(2).c_str());
    else
      std::printf("%s", advice_to_text(*advice).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace tierml::cli
