// Writes the demo model: make_orientation_model OUT.tflite
#include <cstdio>
#include <fstream>

#include "model/writer.h"
#include "orientation_model.h"

int main(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::fprintf(stderr,
                 "usage: make_orientation_model OUT.tflite\n"
                 "Writes tierml's demo model: which face of a board is up, from one\n"
                 "int8 accelerometer sample [1,3] in g (scale 1/64).\n");
    return argc == 2 ? 0 : 2;
  }
  auto bytes = tierml::model::write_model(tierml::examples::orientation_model());
  if (!bytes) {
    std::fprintf(stderr, "make_orientation_model: %s\n", bytes.status().message().c_str());
    return 1;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  if (!out) {
    std::fprintf(stderr, "make_orientation_model: cannot write %s\n", argv[1]);
    return 2;
  }
  std::printf("wrote %s (%zu bytes)\n", argv[1], bytes->size());
  return 0;
}
