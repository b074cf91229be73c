#include "io/file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tierml::io {
namespace {

TEST(ReadFile, GivesEveryByteOrSaysWhichFile) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "tierml_read_file_test.bin";
  {
    std::ofstream out(path, std::ios::binary);
    out.write("a\0b\xff", 4);
  }
  auto bytes = read_file(path.string());
  ASSERT_TRUE(bytes) << bytes.status().message();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{'a', 0, 'b', 0xff}));
  std::filesystem::remove(path);
  auto missing = read_file(path.string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().message(), "cannot open " + path.string());
}

}  // namespace
}  // namespace tierml::io
