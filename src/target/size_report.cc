#include "target/size_report.h"

#include <charconv>
#include <sstream>

namespace tierml::target {
namespace {

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

bool to_u64(const std::string& text, uint64_t& value, int base) {
  std::string digits = text;
  if (base == 16) {
    if (digits.rfind("0x", 0) != 0) return false;
    digits = digits.substr(2);
  }
  if (digits.empty()) return false;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value, base);
  return ec == std::errc() && ptr == end;
}

uint64_t section(const std::vector<SectionSize>& sections,
                 const std::string& name) {
  uint64_t total = 0;
  for (const SectionSize& s : sections) {
    if (s.name == name) total += s.size;
  }
  return total;
}

}  // namespace

Expected<std::vector<SectionSize>> parse_size_sysv(const std::string& text) {
  std::vector<SectionSize> sections;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> w = words(line);
    if (w.size() != 3 || w[0].empty() || w[0][0] != '.') continue;
    SectionSize s;
    s.name = w[0];
    if (!to_u64(w[1], s.size, 10) || !to_u64(w[2], s.address, 10)) {
      return invalid_argument("size output: bad row '" + line + "'");
    }
    sections.push_back(s);
  }
  if (sections.empty()) {
    return invalid_argument("size output: no section rows");
  }
  return sections;
}

std::vector<MapEntry> parse_map(const std::string& text) {
  std::vector<MapEntry> entries;
  std::istringstream in(text);
  std::string line;
  bool started = false;
  std::string output;   // current output section
  std::string pending;  // input section whose figures are on the next line
  while (std::getline(in, line)) {
    if (!started) {
      started = line.rfind("Linker script and memory map", 0) == 0;
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string> w = words(line);
    if (w.empty()) continue;
    if (line[0] != ' ') {  // an output section (or a script statement)
      output = w[0][0] == '.' ? w[0] : "";
      pending.clear();
      continue;
    }
    if (line.size() > 1 && line[1] == '.') {  // " .text.name [addr size file]"
      pending = w[0];
      w.erase(w.begin());
      if (w.empty()) continue;  // figures on the next line
    } else if (pending.empty()) {
      continue;  // patterns, fill, symbols, assignments
    }
    uint64_t address = 0;
    uint64_t size = 0;
    if (w.size() >= 3 && to_u64(w[0], address, 16) && to_u64(w[1], size, 16)) {
      std::string file = w[2];
      for (size_t i = 3; i < w.size(); ++i) file += " " + w[i];
      if (!output.empty() && size > 0) {
        entries.push_back(MapEntry{output, pending, file, size});
      }
    }
    pending.clear();
  }
  return entries;
}

std::string map_origin(const std::string& file) {
  const size_t open = file.rfind('(');
  if (open != std::string::npos && file.back() == ')') {
    return file.substr(open + 1, file.size() - open - 2);
  }
  const size_t slash = file.rfind('/');
  return slash == std::string::npos ? file : file.substr(slash + 1);
}

FlashBytes flash_bytes(const std::vector<SectionSize>& sections) {
  FlashBytes flash;
  flash.code = section(sections, ".text");
  flash.constants = section(sections, ".rodata") +
                    section(sections, ".init_array") +
                    section(sections, ".ARM.exidx");
  flash.model = section(sections, ".tm_model");
  flash.data_init = section(sections, ".data");
  flash.measurement = section(sections, ".measure_text");
  return flash;
}

RamBytes ram_bytes(const std::vector<SectionSize>& sections) {
  RamBytes ram;
  ram.arena = section(sections, ".arena");
  ram.static_data = section(sections, ".data") + section(sections, ".bss");
  ram.stack_reserved = section(sections, ".stack");
  ram.measurement = section(sections, ".measure");
  return ram;
}

}  // namespace tierml::target
