// Which runtime sources a generated model needs: the kernels its calls use
// and, transitively, every header they include and the source file that
// implements each of those headers (kernels/quantization.h ->
// kernels/quantization.cc, tierml/tensor.h -> kernels/tensor.cc). The files
// are copied as they are: the generated code runs the interpreter's kernels.
#ifndef TIERML_CODEGEN_KERNEL_SOURCES_H_
#define TIERML_CODEGEN_KERNEL_SOURCES_H_

#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::codegen {

struct SourceFile {
  std::string path;  // relative to the runtime folder ("kernels/conv.cc")
  std::string content;
};

// kernels: file names under runtime/kernels ("conv.cc"). io_error naming
// the missing file when the runtime folder is incomplete.
Expected<std::vector<SourceFile>> collect_kernel_sources(
    const std::string& runtime_dir, const std::set<std::string>& kernels);

}  // namespace tierml::codegen

#endif  // TIERML_CODEGEN_KERNEL_SOURCES_H_
