// The files around the generated model: its public header, the host
// harness, a Makefile and a CMakeLists.txt. Pure text from a description of
// the model's interface, so each can be read (and tested) on its own.
#ifndef TIERML_CODEGEN_PROJECT_FILES_H_
#define TIERML_CODEGEN_PROJECT_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/compiler.h"
#include "tierml/tensor.h"

namespace tierml::codegen {

struct IoTensor {
  int32_t tensor = -1;
  TmType type = kTmInt8;
  std::vector<int32_t> shape;
  int64_t bytes = 0;
  float scale = 0.0f;  // 0 when not quantized
  int64_t zero_point = 0;
  int64_t arena_offset = -1;  // where it lives in the arena; -1: a constant
};

struct ModelInterface {
  std::string name;
  std::string description;  // first line of the header comment
  std::vector<IoTensor> inputs, outputs;
  int64_t arena_bytes = 0;
  int32_t arena_alignment = 16;
  bool stateful = false;
  Target target = Target::kGeneric;
  std::vector<std::string> kernel_sources;  // "kernels/conv.cc"
  // Every output lives in the arena (none is a constant), so a caller can
  // skip the copies: NAME_run_in_arena.
  bool runs_in_arena() const;
};

// "const int8_t* input0, const float* input1, int8_t* output0"
std::string io_parameters(const ModelInterface& model);
std::string header_file(const ModelInterface& model);
std::string harness_file(const ModelInterface& model);
std::string makefile(const ModelInterface& model);
std::string cmake_file(const ModelInterface& model);

}  // namespace tierml::codegen

#endif  // TIERML_CODEGEN_PROJECT_FILES_H_
