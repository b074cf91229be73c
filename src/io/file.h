// A whole file's bytes, for the commands and profilers that read models,
// inputs, reports and firmware outputs.
#ifndef TIERML_IO_FILE_H_
#define TIERML_IO_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace tierml::io {

// io_error "cannot open PATH" when the file cannot be opened, "cannot read
// PATH" when reading it fails.
Expected<std::vector<uint8_t>> read_file(const std::string& path);

}  // namespace tierml::io

#endif  // TIERML_IO_FILE_H_
