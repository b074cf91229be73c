#include "io/file.h"

#include <fstream>
#include <iterator>

namespace tierml::io {

Expected<std::vector<uint8_t>> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open " + path);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) return io_error("cannot read " + path);
  return bytes;
}

}  // namespace tierml::io
