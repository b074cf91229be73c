#include "target/firmware_builder.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "target/feature_sources.h"
#include "target/process.h"

namespace tierml::target {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCxx = "arm-none-eabi-g++";
constexpr const char* kCc = "arm-none-eabi-gcc";
constexpr const char* kAr = "arm-none-eabi-ar";

std::string hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx",
                static_cast<unsigned long long>(value));
  return text;
}

// FNV-1a, fed with file names and contents: the cache key of a library.
struct Hasher {
  uint64_t state = 1469598103934665603ull;
  void add(const std::string& bytes) {
    for (unsigned char c : bytes) state = (state ^ c) * 1099511628211ull;
    state = (state ^ 0xff) * 1099511628211ull;  // separator
  }
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

Status write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) return io_error("cannot write " + path.string());
  return Status::ok();
}

// Sorted sources of a folder, recursively, with the given extensions.
std::vector<fs::path> sources(const fs::path& dir,
                              const std::set<std::string>& extensions) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() &&
        extensions.count(it->path().extension().string())) {
      found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string object_name(const fs::path& source, const fs::path& root) {
  std::string name = fs::relative(source, root).string();
  std::replace(name.begin(), name.end(), '/', '_');
  return name + ".o";
}

Status tool_failed(const std::string& what, const ProcessResult& result) {
  std::string output = result.output;
  if (output.size() > 4000) output = output.substr(0, 4000) + "\n...";
  return Status(
      ErrorCode::kInternal,
      what + (result.timed_out ? " timed out" : " failed") + ":\n" + output);
}

}  // namespace

Status check_toolchain() {
  for (const char* tool : {kCxx, kCc, kAr, "arm-none-eabi-size"}) {
    if (find_program(tool).empty()) {
      return io_error(std::string(tool) +
                      " not found (scripts/install-deps.sh installs "
                      "gcc-arm-none-eabi and libnewlib-arm-none-eabi)");
    }
  }
  return Status::ok();
}

std::string op_getter_name(TmBuiltinOp op) {
  std::string name = tm_builtin_op_name(op);
  for (char& c : name) c = static_cast<char>(std::tolower(c));
  return "tm_op_" + name;
}

FirmwareBuilder::FirmwareBuilder(BuildSettings settings)
    : settings_(std::move(settings)) {}

std::vector<std::string> FirmwareBuilder::compile_flags(bool cxx) const {
  const fs::path src(settings_.source_dir);
  std::vector<std::string> flags = settings_.board.cpu_flags;
  flags.insert(flags.end(),
               {"-mthumb", "-" + settings_.opt, "-ffunction-sections",
                "-fdata-sections", "-Wall", "-Wextra", "-Wno-unused-parameter",
                "-I" + (src / "targets/common").string(),
                "-I" + (src / "runtime/include").string(),
                "-I" + (src / "runtime").string()});
  if (cxx) {
    flags.insert(flags.end(), {"-std=c++17", "-fno-exceptions", "-fno-rtti",
                               "-fno-threadsafe-statics"});
  } else {
    flags.push_back("-std=c99");
  }
  char address[64];
  std::snprintf(address, sizeof(address), "-DTM_COUNTER_ADDRESS=0x%08xu",
                settings_.board.counter_address);
  flags.push_back(address);
  std::snprintf(address, sizeof(address), "-DTM_CLK100HZ_ADDRESS=0x%08xu",
                settings_.board.clock100hz_address);
  flags.push_back(address);
  return flags;
}

Status FirmwareBuilder::compile(const std::string& source,
                                const std::string& object, bool cxx,
                                const std::string& cwd) const {
  std::vector<std::string> argv = {cxx ? kCxx : kCc};
  const std::vector<std::string> flags = compile_flags(cxx);
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {"-c", source, "-o", object});
  ProcessOptions options;
  options.working_dir = cwd;
  options.timeout_seconds = 300;
  auto result = run_process(argv, options);
  if (!result) return result.status();
  if (result->exit_code != 0)
    return tool_failed("compiling " + source, *result);
  return Status::ok();
}

Status FirmwareBuilder::prepare() {
  Status toolchain = check_toolchain();
  if (!toolchain.is_ok()) return toolchain;
  const fs::path src(settings_.source_dir);
  const fs::path runtime = src / "runtime";
  const fs::path common = src / "targets/common";
  if (!fs::is_directory(runtime) || !fs::is_directory(common)) {
    return io_error("no runtime/ or targets/common/ under " +
                    settings_.source_dir);
  }
  const std::vector<fs::path> runtime_sources = sources(runtime, {".cc"});
  Hasher hasher;
  for (const std::string& flag : compile_flags(true)) hasher.add(flag);
  for (const fs::path& file : sources(runtime, {".cc", ".h"})) {
    hasher.add(file.string());
    hasher.add(read_text(file));
  }
  for (const fs::path& file : sources(common, {".cc", ".c", ".h", ".ld"})) {
    hasher.add(file.string());
    hasher.add(read_text(file));
  }
  const fs::path cache(settings_.cache_dir);
  const std::string name = "lib-" + settings_.board.machine + "-" +
                           settings_.opt + "-" + hex(hasher.state);
  library_dir_ = (cache / name).string();
  if (fs::exists(fs::path(library_dir_) / "libtierml_runtime.a")) {
    return Status::ok();
  }

  std::error_code ec;
  fs::create_directories(cache, ec);
  std::string pattern = (cache / (name + ".tmp.XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return io_error("cannot create a folder in " + cache.string());
  }
  const fs::path staging(pattern);
  built_library_ = true;

  struct Job {
    std::string source, object;
    bool cxx;
  };
  std::vector<Job> jobs;
  for (const fs::path& file : runtime_sources) {
    jobs.push_back({file.string(), object_name(file, src), true});
  }
  for (const char* name :
       {"profile_main", "profile_compiled_main", "profile_features_main",
        "profile_feature_stages", "profile_support"}) {
    jobs.push_back({(common / (std::string(name) + ".cc")).string(),
                    std::string(name) + ".o", true});
  }
  jobs.push_back({(common / "startup.c").string(), "startup.o", false});
  jobs.push_back({(common / "semihosting.c").string(), "semihosting.o", false});

  std::atomic<size_t> next{0};
  std::atomic<size_t> finished{0};
  std::mutex mutex;
  Status failure;
  const unsigned workers =
      std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  auto work = [&] {
    for (size_t i; (i = next++) < jobs.size();) {
      Status status = compile(jobs[i].source, jobs[i].object, jobs[i].cxx,
                              staging.string());
      std::lock_guard<std::mutex> lock(mutex);
      if (!status.is_ok() && failure.is_ok()) failure = status;
      const size_t done = ++finished;
      if (settings_.progress) {
        settings_.progress("compiling the runtime for " +
                           settings_.board.target + " -" + settings_.opt +
                           " (cached afterwards) " + std::to_string(done) +
                           "/" + std::to_string(jobs.size()));
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < workers; ++t) threads.emplace_back(work);
  for (std::thread& t : threads) t.join();
  if (!failure.is_ok()) {
    fs::remove_all(staging, ec);
    return failure;
  }
  std::vector<std::string> argv = {kAr, "rcs", "libtierml_runtime.a"};
  for (size_t i = 0; i < runtime_sources.size(); ++i) {
    argv.push_back(jobs[i].object);
  }
  ProcessOptions options;
  options.working_dir = staging.string();
  auto archived = run_process(argv, options);
  if (!archived || archived->exit_code != 0) {
    fs::remove_all(staging, ec);
    return archived ? tool_failed("archiving the runtime", *archived)
                    : archived.status();
  }
  for (size_t i = 0; i < runtime_sources.size(); ++i) {
    fs::remove(staging / jobs[i].object, ec);
  }
  // Another profile may have finished the same library meanwhile: keep its.
  fs::rename(staging, library_dir_, ec);
  if (ec) fs::remove_all(staging, ec);
  if (!fs::exists(fs::path(library_dir_) / "libtierml_runtime.a")) {
    return io_error("cannot place the runtime library in " + library_dir_);
  }
  // Libraries of older sources for this board and level are dead weight.
  const std::string prefix =
      "lib-" + settings_.board.machine + "-" + settings_.opt + "-";
  for (const auto& entry : fs::directory_iterator(cache, ec)) {
    const std::string other = entry.path().filename().string();
    if (other.rfind(prefix, 0) == 0 && other.size() == name.size() &&
        other != name) {
      fs::remove_all(entry.path(), ec);
    }
  }
  return Status::ok();
}

Status FirmwareBuilder::write_model_sources(const std::string& dir,
                                            const std::vector<uint8_t>& blob,
                                            const model::Graph& graph) {
  const fs::path out(dir);
  {
    std::ofstream model(out / "model.tflite", std::ios::binary);
    model.write(reinterpret_cast<const char*>(blob.data()),
                static_cast<std::streamsize>(blob.size()));
    if (!model)
      return io_error("cannot write " + (out / "model.tflite").string());
  }
  Status status = write_text(out / "model_blob.S",
                             "/* The model, as a const array in flash. */\n"
                             "  .section .tm_model, \"a\"\n"
                             "  .balign 16\n"
                             "  .global tm_model_start\n"
                             "  .global tm_model_end\n"
                             "tm_model_start:\n"
                             "  .incbin \"model.tflite\"\n"
                             "tm_model_end:\n");
  if (!status.is_ok()) return status;

  std::set<int32_t> ops;
  for (const model::Operator& op : graph.operators) ops.insert(op.builtin_code);
  std::ostringstream text;
  text << "/* The operators this model uses. */\n"
          "#include \"profile_firmware.h\"\n\n"
          "const TmOpRegistration* (*const tm_model_ops[])(void) = {\n";
  for (int32_t op : ops) {
    text << "    " << op_getter_name(static_cast<TmBuiltinOp>(op)) << ",\n";
  }
  if (ops.empty()) text << "    0,\n";
  text << "};\nconst int tm_model_op_count = " << ops.size() << ";\n";
  status = write_text(out / "model_ops.c", text.str());
  if (!status.is_ok()) return status;

  status = compile("model_blob.S", "model_blob.o", false, dir);
  if (!status.is_ok()) return status;
  return compile("model_ops.c", "model_ops.o", false, dir);
}

Status FirmwareBuilder::link(const std::string& dir, uint64_t arena_bytes) {
  const fs::path out(dir);
  std::ostringstream arena;
  arena << "/* The arena: the interpreter's own figure for this model. */\n"
           "#include \"profile_firmware.h\"\n\n"
           "uint8_t tm_arena["
        << std::max<uint64_t>(arena_bytes, 16)
        << "] __attribute__((section(\".tm_arena\"), aligned(16)));\n"
           "const size_t tm_arena_bytes = "
        << arena_bytes << ";\n";
  Status status = write_text(out / "arena.c", arena.str());
  if (!status.is_ok()) return status;
  status = compile("arena.c", "arena.o", false, dir);
  if (!status.is_ok()) return status;
  return link_objects(dir, "profile_main.o",
                      {"model_blob.o", "model_ops.o", "arena.o"});
}

Expected<CompiledSources> FirmwareBuilder::write_compiled_sources(
    const std::string& dir, const model::Graph& graph) {
  auto generated = compiled_sources(
      graph, (fs::path(settings_.source_dir) / "runtime").string());
  if (!generated) return generated.status();
  for (const codegen::GeneratedFile& file : generated->files) {
    Status status = write_text(fs::path(dir) / file.path, file.content);
    if (!status.is_ok()) return status;
  }
  // The object's name routes its constants to the model's flash section
  // (targets/common/sections.ld).
  const std::string model = std::string(kCompiledModelName) + ".c";
  Status status = compile(model, "generated_model.o", false, dir);
  if (!status.is_ok()) return status;
  status = compile("glue.c", "glue.o", false, dir);
  if (!status.is_ok()) return status;
  return generated;
}

Status FirmwareBuilder::link_compiled(const std::string& dir) {
  return link_objects(dir, "profile_compiled_main.o",
                      {"generated_model.o", "glue.o"});
}

Status FirmwareBuilder::write_feature_sources(
    const std::string& dir, const dsp_host::FeatureRecipe& recipe) {
  auto source = features_source(recipe);
  if (!source) return source.status();
  Status status = write_text(fs::path(dir) / "features.c", *source);
  if (!status.is_ok()) return status;
  return compile("features.c", "features.o", false, dir);
}

Status FirmwareBuilder::link_features(const std::string& dir, bool stages) {
  if (!stages) {
    return link_objects(dir, "profile_features_main.o", {"features.o"});
  }
  std::vector<std::string> objects = {
      "features.o",
      (fs::path(library_dir_) / "profile_feature_stages.o").string()};
  objects.push_back(std::string("-Wl,--wrap=") + kPeakGainStage);
  for (const FeatureStage& stage : feature_frame_stages()) {
    objects.push_back(std::string("-Wl,--wrap=") + stage.function);
  }
  return link_objects(dir, "profile_features_main.o", objects);
}

Status FirmwareBuilder::link_objects(
    const std::string& dir, const std::string& main,
    const std::vector<std::string>& objects) const {
  const fs::path src(settings_.source_dir);
  const fs::path lib(library_dir_);
  std::vector<std::string> argv = {kCc};
  argv.insert(argv.end(), settings_.board.cpu_flags.begin(),
              settings_.board.cpu_flags.end());
  argv.insert(
      argv.end(),
      {"-mthumb", "-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections",
       "-Wl,-Map=firmware.map",
       "-Wl,--defsym=TM_STACK_BYTES=" + std::to_string(settings_.stack_bytes),
       "-L" + (src / "targets/common").string(),
       "-T" +
           (src / "targets" / settings_.board.machine / "memory.ld").string(),
       (lib / main).string(), (lib / "profile_support.o").string(),
       (lib / "startup.o").string(), (lib / "semihosting.o").string()});
  argv.insert(argv.end(), objects.begin(), objects.end());
  argv.insert(argv.end(), {(lib / "libtierml_runtime.a").string(), "-lm", "-o",
                           "firmware.elf"});
  ProcessOptions options;
  options.working_dir = dir;
  options.timeout_seconds = 120;
  auto result = run_process(argv, options);
  if (!result) return result.status();
  if (result->exit_code != 0) {
    if (result->output.find("will not fit in region") != std::string::npos ||
        result->output.find("overflowed by") != std::string::npos) {
      return unsupported("the firmware does not fit " +
                         settings_.board.machine + "'s memory:\n" +
                         result->output);
    }
    return tool_failed("linking the firmware", *result);
  }
  return Status::ok();
}

}  // namespace tierml::target
