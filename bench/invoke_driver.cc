// A minimal driver for instruction counting (bench/instructions.sh): loads a
// model, sets its input from a file and invokes it N times, nothing else, so
// that the difference between two runs under callgrind with different N is
// the cost of the invokes alone. Not a Google Benchmark: the library's
// timing loop would add instructions of its own.
//
//   invoke_driver MODEL.tflite INPUT.bin COUNT
//
// Exit codes: 0 ok, 2 bad usage or input, 3 model failed to load or invoke.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "runtime_host/host_interpreter.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s MODEL.tflite INPUT.bin COUNT\n", argv[0]);
    return 2;
  }
  char* end = nullptr;
  const long count = std::strtol(argv[3], &end, 10);
  if (end == argv[3] || *end != '\0' || count < 0) {
    std::fprintf(stderr, "COUNT must be a non-negative integer: %s\n", argv[3]);
    return 2;
  }
  std::ifstream file(argv[2], std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 2;
  }
  const std::vector<uint8_t> input((std::istreambuf_iterator<char>(file)),
                                   std::istreambuf_iterator<char>());
  auto host = tierml::HostInterpreter::load_file(argv[1]);
  if (!host) {
    std::fprintf(stderr, "%s: %s\n", argv[1], host.status().message().c_str());
    return 3;
  }
  const tierml::Status set = (*host)->set_inputs(input);
  if (!set.is_ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[2], set.message().c_str());
    return 2;
  }
  for (long i = 0; i < count; ++i) {
    const tierml::Status status = (*host)->invoke();
    if (!status.is_ok()) {
      std::fprintf(stderr, "invoke: %s\n", status.message().c_str());
      return 3;
    }
  }
  return 0;
}
