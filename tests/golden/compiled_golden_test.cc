// Compiled golden suite: every shared model whose meta.json says status "ok"
// and that the interpreter loads is compiled with `tierml compile`'s library
// (src/codegen, memory plan from src/plan), its host harness is built with
// the C compiler in a temporary folder (-std=c99 -Wall -Wextra -Werror
// -pedantic for the generated C), and every in_*.bin must give out_*.bin
// (integers byte for byte, floats within the golden tolerance, see
// golden_support.h).
//
// To stay within a few minutes on two cores, the kernels are compiled once
// into one static library, from the repository's runtime/kernels (the test
// checks that every copied runtime file is byte-identical to it), and all
// harnesses are built by one `make -j2`. Nothing is written to the source
// tree.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "codegen/c_literal.h"
#include "codegen/compiler.h"
#include "golden/golden_support.h"
#include "model/reader.h"
#include "plan/plan.h"
#include "runtime_host/host_interpreter.h"

namespace tierml {
namespace {

namespace fs = std::filesystem;

struct Generated {
  fs::path golden_dir;
  std::string name;  // C identifier and harness name
  bool outputs_float = false;
  std::string problem;  // set when compiling failed
};

std::string quote(const fs::path& path) { return "'" + path.string() + "'"; }

// Every file the compiler copied from runtime/ must be the runtime's own.
std::string check_copies(const codegen::CompiledModel& compiled,
                         const fs::path& runtime) {
  for (const auto& file : compiled.files) {
    if (file.path.rfind("runtime/", 0) != 0) continue;
    const auto original = golden::read_file(runtime / file.path.substr(8));
    if (!original ||
        std::string(original->begin(), original->end()) != file.content) {
      return file.path + " differs from the repository's copy";
    }
  }
  return "";
}

std::string makefile(const std::vector<Generated>& models,
                     const std::set<std::string>& kernels,
                     const fs::path& runtime) {
  std::string text = "CC = " + std::string(TIERML_HOST_CC) + "\n";
  text += "CXX = " + std::string(TIERML_HOST_CXX) + "\n";
  text += "RUNTIME = " + runtime.string() + "\n";
  text += "KOBJS =";
  for (const std::string& k : kernels) text += " k/" + k + ".o";
  text += "\nHOSTS =";
  for (const Generated& m : models) {
    if (m.problem.empty()) text += " " + m.name + "/" + m.name + "_host";
  }
  text +=
      "\n\nall: $(HOSTS)\n\n"
      "k/%.o: $(RUNTIME)/kernels/%.cc\n"
      "\t@mkdir -p $(@D)\n"
      "\t$(CXX) -std=c++17 -fno-exceptions -fno-rtti -O2 "
      "-I$(RUNTIME)/include -I$(RUNTIME) -c $< -o $@\n\n"
      "libk.a: $(KOBJS)\n\tar rcs $@ $^\n\n";
  for (const Generated& m : models) {
    if (!m.problem.empty()) continue;
    const std::string d = m.name;
    const std::string flags =
        "-std=c99 -Wall -Wextra -Werror -pedantic -O1 -I" + d + " -I" + d +
        "/runtime/include -I" + d + "/runtime";
    text += d + "/" + d + "_host: " + d + "/" + d + ".c " + d + "/" + d +
            "_host.c libk.a\n";
    text += "\t$(CC) " + flags + " -c " + d + "/" + d + ".c -o " + d + "/" + d +
            ".o\n";
    text += "\t$(CC) " + flags + " -c " + d + "/" + d + "_host.c -o " + d +
            "/" + d + "_host.o\n";
    text += "\t$(CXX) -o $@ " + d + "/" + d + "_host.o " + d + "/" + d +
            ".o libk.a -lm\n\n";
  }
  return text;
}

TEST(CompiledGolden, EveryOkModelMatchesTflm) {
  const fs::path root = golden::golden_root();
  if (!fs::is_directory(root)) {
    GTEST_SKIP() << "golden data not found at " << root
                 << " (set TIERML_SHARED_DIR); skipping";
  }
  const std::string probe = "make --version > /dev/null 2>&1 && " +
                            quote(TIERML_HOST_CC) + " --version > /dev/null";
  if (std::system(probe.c_str()) != 0) {
    GTEST_SKIP() << "make or " << TIERML_HOST_CC
                 << " is missing; cannot build generated code";
  }
  const fs::path runtime = codegen::default_runtime_dir();
  const fs::path work = fs::temp_directory_path() /
                        ("tierml_compiled_golden_" + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work);

  std::vector<Generated> models;
  std::set<std::string> kernels;
  int skipped = 0;
  for (const fs::path& dir : golden::model_dirs(root)) {
    std::ifstream meta_file(dir / "meta.json");
    const nlohmann::json meta =
        nlohmann::json::parse(meta_file, nullptr, /*allow_exceptions=*/false);
    const std::string model = dir.filename().string();
    if (meta.is_discarded() || meta.value("status", "") != "ok") {
      ++skipped;
      continue;
    }
    // Only models the interpreter runs: the compiler shares its kernels.
    if (!HostInterpreter::load_file((dir / "model.tflite").string())) {
      std::printf("%-36s skipped (the interpreter does not load it)\n",
                  model.c_str());
      ++skipped;
      continue;
    }
    Generated g;
    g.golden_dir = dir;
    g.name = codegen::to_c_identifier(model);
    for (const auto& out : meta["outputs"]) {
      g.outputs_float = g.outputs_float || out.value("type", "") == "float32";
    }
    auto graph = model::read_model_file((dir / "model.tflite").string());
    if (!graph) {
      g.problem = graph.status().message();
      models.push_back(g);
      continue;
    }
    auto plan = plan::plan_memory(*graph);
    if (!plan) {
      g.problem = "plan: " + plan.status().message();
      models.push_back(g);
      continue;
    }
    codegen::CompileOptions options;
    options.name = g.name;
    options.runtime_dir = runtime.string();
    auto compiled = codegen::compile_model(*graph, *plan, options);
    if (!compiled) {
      g.problem = "compile: " + compiled.status().message();
    } else if (std::string copies = check_copies(*compiled, runtime);
               !copies.empty()) {
      g.problem = copies;
    } else if (Status s = codegen::write_compiled_model(
                   (work / g.name).string(), *compiled);
               !s.is_ok()) {
      g.problem = s.message();
    } else {
      for (const std::string& source : compiled->kernel_sources) {
        // "kernels/conv.cc" -> "conv"
        kernels.insert(source.substr(8, source.size() - 11));
      }
    }
    models.push_back(g);
  }

  {
    std::ofstream mk(work / "Makefile");
    mk << makefile(models, kernels, runtime);
  }
  const fs::path log = work / "build.log";
  const std::string command =
      "make -k -j2 -C " + quote(work) + " > " + quote(log) + " 2>&1";
  const int build = std::system(command.c_str());
  if (build != 0) std::printf("(make reported errors; see below)\n");

  int passed = 0, failed = 0;
  for (Generated& m : models) {
    const fs::path host = work / m.name / (m.name + "_host");
    if (m.problem.empty() && !fs::exists(host)) {
      m.problem = "the generated C did not build (see " + log.string() + ")";
    }
    int checked = 0;
    if (m.problem.empty()) {
      const fs::path out = work / m.name / "out.bin";
      for (const auto& [in_path, want_path] :
           golden::golden_pairs(m.golden_dir)) {
        fs::remove(out);
        const std::string run =
            quote(host) + " " + quote(in_path) + " " + quote(out) + " 2>&1";
        const int status = std::system(run.c_str());
        const auto got = golden::read_file(out);
        const auto want = golden::read_file(want_path);
        const std::string name = in_path.filename().string();
        if (status != 0 || !got || !want) {
          m.problem = name + ": harness exit status " + std::to_string(status);
          break;
        }
        const std::string diff = golden::compare(*got, *want, m.outputs_float);
        if (!diff.empty()) {
          m.problem = name + ": " + diff;
          break;
        }
        ++checked;
      }
      if (m.problem.empty() && checked == 0) m.problem = "no input files found";
    }
    const std::string model = m.golden_dir.filename().string();
    if (m.problem.empty()) {
      ++passed;
      std::printf("%-36s ok (%d inputs)\n", model.c_str(), checked);
    } else {
      ++failed;
      std::printf("%-36s FAILED: %s\n", model.c_str(), m.problem.c_str());
    }
  }
  if (failed > 0) {
    // The build log's errors explain the models that did not build.
    const auto text = golden::read_file(log);
    if (text) {
      const std::string s(text->begin(), text->end());
      std::printf("--- build log (first 4000 bytes) ---\n%s\n",
                  s.substr(0, 4000).c_str());
    }
  }
  if (skipped > 0) std::printf("(%d models skipped)\n", skipped);
  std::printf("compiled golden: %d passed, %d failed\n", passed, failed);
  if (failed == 0 && std::getenv("TIERML_KEEP_COMPILED") == nullptr) {
    fs::remove_all(work);
  }
  EXPECT_EQ(failed, 0);
  EXPECT_GT(passed, 0);
}

}  // namespace
}  // namespace tierml
