// Builds the profiling firmware for one model and one board, for either
// engine, or for one feature recipe's pipeline.
//
// The runtime (runtime/**.cc) and the firmware's own code (targets/common)
// are compiled once per board, optimisation level and source contents into a
// cache folder under the build tree, built aside and renamed into place so
// that concurrent profiles never see half a library. Per model, the
// interpreter engine compiles three tiny files (the blob's .incbin, the
// operator list, the arena); the compiled engine compiles the generated
// model.c and its glue.c. Everything is linked with --gc-sections, so only
// the kernels the model uses end up in flash.
#ifndef TIERML_TARGET_FIRMWARE_BUILDER_H_
#define TIERML_TARGET_FIRMWARE_BUILDER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dsp_host/feature_recipes.h"
#include "model/graph.h"
#include "target/board.h"
#include "target/compiled_sources.h"

namespace tierml::target {

struct BuildSettings {
  Board board;
  std::string opt = "O2";  // O2 or Os, for the runtime and the firmware
  std::string source_dir;  // the tierml checkout (runtime/, targets/)
  std::string cache_dir;   // where cached libraries go
  uint32_t stack_bytes = 16 * 1024;
  std::function<void(const std::string&)> progress;  // may be empty
};

// The tool names; io_error naming the missing one and how to install it.
Status check_toolchain();

// The compiler's name for op's registration getter ("tm_op_conv_2d").
std::string op_getter_name(TmBuiltinOp op);

class FirmwareBuilder {
 public:
  explicit FirmwareBuilder(BuildSettings settings);

  // Compiles the cached runtime library and firmware objects if needed.
  Status prepare();
  // Writes the model's sources into dir (which must exist).
  Status write_model_sources(const std::string& dir,
                             const std::vector<uint8_t>& blob,
                             const model::Graph& graph);
  // Links the interpreter's dir/firmware.elf (and firmware.map) with an
  // arena of arena_bytes.
  Status link(const std::string& dir, uint64_t arena_bytes);

  // Generates the compiled engine's sources into dir and compiles them.
  Expected<CompiledSources> write_compiled_sources(const std::string& dir,
                                                   const model::Graph& graph);
  // Links the compiled engine's dir/firmware.elf (and firmware.map).
  Status link_compiled(const std::string& dir);

  // Generates and compiles the feature firmware's sources for recipe into
  // dir.
  Status write_feature_sources(const std::string& dir,
                               const dsp_host::FeatureRecipe& recipe);
  // Links the feature firmware's dir/firmware.elf (and firmware.map); with
  // stages, the per-stage timing wrappers too.
  Status link_features(const std::string& dir, bool stages);

  const std::string& library_dir() const { return library_dir_; }
  bool built_library() const { return built_library_; }

 private:
  std::vector<std::string> compile_flags(bool cxx) const;
  Status compile(const std::string& source, const std::string& object, bool cxx,
                 const std::string& cwd) const;
  // Links dir/firmware.elf from the firmware's main (in the library folder)
  // and the objects (in dir; linker options may be among them).
  Status link_objects(const std::string& dir, const std::string& main,
                      const std::vector<std::string>& objects) const;

  BuildSettings settings_;
  std::string library_dir_;
  bool built_library_ = false;
};

}  // namespace tierml::target

#endif  // TIERML_TARGET_FIRMWARE_BUILDER_H_
