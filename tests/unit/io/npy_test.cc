#include "io/npy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tierml::io {
namespace {

// What numpy 1.24's np.save writes: a version 1.0 header whose dict is
// padded with spaces to a 128-byte preamble, then the data.
std::vector<uint8_t> numpy_file(const std::string& dict,
                                const std::vector<uint8_t>& data) {
  std::string header = dict;
  header.append(117 - dict.size(), ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0};
  for (char c : header) out.push_back(static_cast<uint8_t>(c));
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

TEST(Npy, EncodesExactlyAsNumpy) {
  NpyArray a;
  a.type = kTmInt16;
  a.shape = {1, 3};
  a.data = {0x01, 0x00, 0xFE, 0xFF, 0x03, 0x00};
  auto bytes = encode_npy(a);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes,
            numpy_file("{'descr': '<i2', 'fortran_order': False, 'shape': "
                       "(1, 3), }",
                       a.data));

  NpyArray b;
  b.type = kTmInt8;
  b.shape = {1};
  b.data = {7};
  EXPECT_EQ(*encode_npy(b),
            numpy_file("{'descr': '|i1', 'fortran_order': False, 'shape': "
                       "(1,), }",
                       b.data));

  NpyArray scalar;
  scalar.type = kTmFloat32;
  scalar.data = {0x00, 0x00, 0x20, 0x40};  // 2.5f
  EXPECT_EQ(*encode_npy(scalar),
            numpy_file("{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(), }",
                       scalar.data));
}

TEST(Npy, ParsesNumpyFiles) {
  auto a = parse_npy(
      numpy_file("{'descr': '<i2', 'fortran_order': False, 'shape': (1, 3), }",
                 {1, 0, 2, 0, 3, 0}));
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->type, kTmInt16);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(a->data, (std::vector<uint8_t>{1, 0, 2, 0, 3, 0}));

  auto scalar = parse_npy(numpy_file(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", {0, 0, 0, 0}));
  ASSERT_TRUE(scalar);
  EXPECT_TRUE(scalar->shape.empty());
}

TEST(Npy, RejectsWhatIsNotATensorWeCanUse) {
  auto error = [](const std::vector<uint8_t>& file) {
    auto parsed = parse_npy(file);
    return parsed ? std::string() : parsed.status().message();
  };
  EXPECT_NE(error(numpy_file("{'descr': '>i2', 'fortran_order': False, "
                             "'shape': (1,), }",
                             {0, 1}))
                .find("'>i2' is not supported"),
            std::string::npos);
  EXPECT_NE(error(numpy_file("{'descr': '<i2', 'fortran_order': True, "
                             "'shape': (2, 2), }",
                             std::vector<uint8_t>(8)))
                .find("Fortran"),
            std::string::npos);
  EXPECT_NE(error(numpy_file("{'descr': '<i2', 'fortran_order': False, "
                             "'shape': (3,), }",
                             {0, 1}))
                .find("holds 2 bytes, shape and dtype need 6"),
            std::string::npos);
  EXPECT_NE(error({'n', 'o', 't', ' ', 'n', 'p', 'y', '!', 0, 0}).find("magic"),
            std::string::npos);
  std::vector<uint8_t> truncated = numpy_file(
      "{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }", {0, 0});
  truncated.resize(40);
  EXPECT_NE(error(truncated).find("truncated"), std::string::npos);
}

}  // namespace
}  // namespace tierml::io
