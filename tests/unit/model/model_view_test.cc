// ModelView, the device reader: every published golden model loads and reads
// back as its meta.json and intermediates/index.json describe it, and
// hostile files (truncated, patched, hand-built) fail with the expected
// status and a message naming where and what, never a crash (CI runs this
// under ASan and UBSan).
#include "model/model_view.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/flat_reader.h"
#include "tierml/builtin_ops.h"
#include "unit/model/flat_model_builder.h"
#include "unit/model/golden_models.h"

namespace tierml {
namespace {

using testing::BufferSpec;
using testing::FlatBuilder;
using testing::ModelSpec;
using testing::OpcodeSpec;
using testing::OpSpec;
using testing::TensorSpec;

// A view plus the bytes it reads, copied into an allocation of exactly the
// file's size so ASan flags any read past the end.
struct Loaded {
  std::unique_ptr<uint8_t[]> bytes;
  ModelView view;
  TmStatus status = kTmOk;
  char error[256] = {};
};

std::unique_ptr<Loaded> load(const std::vector<uint8_t>& file, size_t size) {
  auto loaded = std::make_unique<Loaded>();
  loaded->bytes.reset(new uint8_t[size == 0 ? 1 : size]);
  if (size > 0) std::memcpy(loaded->bytes.get(), file.data(), size);
  loaded->status =
      loaded->view.init(loaded->bytes.get(), size,
                        ErrorBuffer{loaded->error, sizeof(loaded->error)});
  return loaded;
}
std::unique_ptr<Loaded> load(const std::vector<uint8_t>& file) {
  return load(file, file.size());
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

// --- A second, minimal walker used only to find bytes to patch. ------------

uint32_t u32(const std::vector<uint8_t>& b, size_t pos) {
  uint32_t v;
  std::memcpy(&v, &b[pos], 4);
  return v;
}
void set_u32(std::vector<uint8_t>& b, size_t pos, uint32_t v) {
  std::memcpy(&b[pos], &v, 4);
}
size_t deref(const std::vector<uint8_t>& b, size_t pos) {
  return pos + u32(b, pos);
}
// Position of field id of the table at pos, 0 if absent.
size_t field(const std::vector<uint8_t>& b, size_t table, int id) {
  int32_t soffset;
  std::memcpy(&soffset, &b[table], 4);
  const size_t vtable = table - soffset;
  uint16_t vsize, offset;
  std::memcpy(&vsize, &b[vtable], 2);
  if (4u + 2u * id >= vsize) return 0;
  std::memcpy(&offset, &b[vtable + 4 + 2 * id], 2);
  return offset == 0 ? 0 : table + offset;
}
size_t element_table(const std::vector<uint8_t>& b, size_t vector, size_t k) {
  return deref(b, vector + 4 + 4 * k);
}
size_t subgraph0(const std::vector<uint8_t>& b) {
  const size_t model = deref(b, 0);
  return element_table(b, deref(b, field(b, model, 2)), 0);
}
size_t tensor_table(const std::vector<uint8_t>& b, size_t k) {
  return element_table(b, deref(b, field(b, subgraph0(b), 0)), k);
}
size_t operator_table(const std::vector<uint8_t>& b, size_t k) {
  return element_table(b, deref(b, field(b, subgraph0(b), 3)), k);
}

std::vector<uint8_t> golden_model(const char* name) {
  return testing::read_bytes(testing::golden_dir() / name / "model.tflite");
}

#define LOAD_GOLDEN_OR_SKIP(var, name)                                   \
  std::vector<uint8_t> var = golden_model(name);                         \
  if (var.empty()) {                                                     \
    GTEST_SKIP() << name << " not found under " << testing::golden_dir() \
                 << " (../shared absent)";                               \
  }

// --- Golden models ----------------------------------------------------------

void expect_tensor_matches(const ModelView& view, int32_t index,
                           const nlohmann::json& j, const std::string& where) {
  SCOPED_TRACE(where + " tensor " + std::to_string(index));
  ASSERT_GE(index, 0);
  ASSERT_LT(index, view.num_tensors());
  const TensorView t = view.tensor(index);
  const std::string dtype = j.contains("dtype") ? j["dtype"] : j["type"];
  EXPECT_EQ(lower(tm_type_name(t.type)), dtype);
  const std::vector<int32_t> shape = j["shape"];
  ASSERT_EQ(t.shape.rank, static_cast<int32_t>(shape.size()));
  for (size_t d = 0; d < shape.size(); ++d)
    EXPECT_EQ(t.shape.dims[d], shape[d]);
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  if (j.contains("scales")) {
    scales = j["scales"].get<std::vector<double>>();
    zero_points = j["zero_points"].get<std::vector<int64_t>>();
  } else if (j.contains("scale") && !j["scale"].is_null() &&
             j["scale"].get<double>() != 0.0) {
    // meta.json writes TFLM's per-tensor params: scale 0 = not quantized.
    scales = {j["scale"].get<double>()};
    zero_points = {j["zero_point"].get<int64_t>()};
  }
  ASSERT_EQ(t.quant.count, static_cast<int32_t>(scales.size()));
  for (size_t c = 0; c < scales.size(); ++c) {
    EXPECT_FLOAT_EQ(t.quant.scales[c], static_cast<float>(scales[c]));
  }
  if (!zero_points.empty()) {
    EXPECT_EQ(t.quant.zero_point, zero_points[0]);
  }
  if (j.contains("quantized_dimension") && scales.size() > 1) {
    EXPECT_EQ(t.quant.quantized_dimension, j["quantized_dimension"]);
  }
  if (j.contains("bytes")) {
    EXPECT_EQ(tm_shape_elements(&t.shape) * tm_type_size(t.type),
              j["bytes"].get<size_t>());
  }
}

TEST(ModelViewGolden, EveryModelLoadsAndMatchesMetaAndIntermediates) {
  const auto dirs = testing::golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  int checked_intermediates = 0;
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    SCOPED_TRACE(name);
    const auto loaded = load(testing::read_bytes(dir / "model.tflite"));
    ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
    const ModelView& view = loaded->view;
    EXPECT_TRUE(view.verified());
    EXPECT_EQ(view.schema_version(), 3u);

    std::ifstream meta_file(dir / "meta.json");
    const nlohmann::json meta = nlohmann::json::parse(meta_file);
    ASSERT_EQ(view.inputs().size, meta["num_inputs"].get<int32_t>());
    ASSERT_EQ(view.outputs().size, meta["num_outputs"].get<int32_t>());
    for (int32_t i = 0; i < view.inputs().size; ++i) {
      expect_tensor_matches(view, view.inputs()[i], meta["inputs"][i], "input");
    }
    for (int32_t i = 0; i < view.outputs().size; ++i) {
      expect_tensor_matches(view, view.outputs()[i], meta["outputs"][i],
                            "output");
    }
    std::map<std::string, int> counted;
    for (int32_t i = 0; i < view.num_operators(); ++i) {
      const OperatorView op = view.op(i);
      EXPECT_TRUE(op.attrs_valid) << "node " << i;
      EXPECT_EQ(static_cast<int32_t>(op.attrs.op), op.builtin_code);
      ++counted[tm_builtin_op_name(op.builtin_code)];
    }
    std::map<std::string, int> expected;
    for (const auto& entry : meta["ops"])
      expected[entry["op"]] = entry["count"];
    EXPECT_EQ(counted, expected);

    const auto index_path = dir / "intermediates" / "index.json";
    std::ifstream index_file(index_path);
    if (!index_file) continue;
    const nlohmann::json index = nlohmann::json::parse(index_file);
    const std::vector<int32_t> inputs = index["model_input_tensors"];
    const std::vector<int32_t> outputs = index["model_output_tensors"];
    ASSERT_EQ(view.inputs().size, static_cast<int32_t>(inputs.size()));
    for (size_t i = 0; i < inputs.size(); ++i)
      EXPECT_EQ(view.inputs()[i], inputs[i]);
    ASSERT_EQ(view.outputs().size, static_cast<int32_t>(outputs.size()));
    for (size_t i = 0; i < outputs.size(); ++i)
      EXPECT_EQ(view.outputs()[i], outputs[i]);
    for (const auto& t : index["tensors"]) {
      const int32_t op_index = t["op_index"];
      ASSERT_LT(op_index, view.num_operators());
      const OperatorView op = view.op(op_index);
      EXPECT_EQ(tm_builtin_op_name(op.builtin_code),
                t["op_name"].get<std::string>());
      const int32_t slot = t["output_slot"];
      ASSERT_LT(slot, op.outputs.size);
      EXPECT_EQ(op.outputs[slot], t["tensor_index"].get<int32_t>());
      expect_tensor_matches(view, t["tensor_index"], t, "intermediate");
      const TensorView tv = view.tensor(t["tensor_index"]);
      const std::string tensor_name = t["tensor_name"];
      EXPECT_EQ(std::string(tv.name, tv.name_length), tensor_name);
      ++checked_intermediates;
    }
  }
  EXPECT_GT(checked_intermediates, 0);
}

// Constant data lies inside the file, matches the shape, and the op
// attributes decode to values consistent with the graph.
TEST(ModelViewGolden, ConstantDataAndAttrsAreConsistent) {
  const auto dirs = testing::golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.filename().string());
    const auto loaded = load(testing::read_bytes(dir / "model.tflite"));
    ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
    const ModelView& view = loaded->view;
    const uint8_t* begin = loaded->bytes.get();
    for (int32_t i = 0; i < view.num_tensors(); ++i) {
      const TensorView t = view.tensor(i);
      if (t.data == nullptr) continue;
      EXPECT_GE(t.data, begin);
      EXPECT_EQ(t.data_bytes,
                tm_shape_elements(&t.shape) * tm_type_size(t.type));
    }
    for (int32_t i = 0; i < view.num_operators(); ++i) {
      const OperatorView op = view.op(i);
      if (op.builtin_code == kTmOpConv2d) {
        EXPECT_GE(op.attrs.u.conv.stride_w, 1);
        EXPECT_GE(op.attrs.u.conv.dilation_h, 1);
      }
      if (op.builtin_code == kTmOpSoftmax) {
        EXPECT_GT(op.attrs.u.softmax.beta, 0.0f);
      }
      if (op.builtin_code == kTmOpDepthwiseConv2d) {
        // Output channels = input channels * depth multiplier.
        const TensorView in = view.tensor(op.inputs[0]);
        const TensorView out = view.tensor(op.outputs[0]);
        EXPECT_EQ(out.shape.dims[3],
                  in.shape.dims[3] * op.attrs.u.depthwise.depth_multiplier);
      }
    }
  }
}

// --- Hostile files derived from real models --------------------------------

TEST(ModelViewHostile, EveryTruncationIsMalformed) {
  for (const char* name : {"tflm_simple_add_model", "tflm_hello_world_int8"}) {
    LOAD_GOLDEN_OR_SKIP(file, name);
    SCOPED_TRACE(name);
    for (size_t size = 0; size < file.size(); ++size) {
      const auto loaded = load(file, size);
      ASSERT_EQ(loaded->status, kTmErrorMalformedModel) << "prefix " << size;
      EXPECT_NE(loaded->error[0], '\0') << "prefix " << size;
      EXPECT_EQ(loaded->view.num_tensors(), 0);
    }
    EXPECT_EQ(load(file)->status, kTmOk);
  }
}

TEST(ModelViewHostile, CorruptRootOffset) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  set_u32(file, 0, static_cast<uint32_t>(file.size() + 64));
  const auto loaded = load(file);
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_NE(std::string(loaded->error).find("root table"), std::string::npos)
      << loaded->error;
  EXPECT_NE(std::string(loaded->error).find("outside the file"),
            std::string::npos)
      << loaded->error;
}

TEST(ModelViewHostile, WrongIdentifier) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  std::memcpy(&file[4], "TFL2", 4);
  const auto loaded = load(file);
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_STREQ(loaded->error,
               "model: file identifier is \"TFL2\", expected \"TFL3\"");
}

TEST(ModelViewHostile, VtableOutsideFile) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  const size_t tensor = tensor_table(file, 1);
  set_u32(file, tensor, 0x80000000u);  // soffset pointing far away
  const auto loaded = load(file);
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  const std::string error = loaded->error;
  EXPECT_NE(error.find("subgraph 0 tensor 1"), std::string::npos) << error;
  EXPECT_NE(error.find("vtable"), std::string::npos) << error;
}

TEST(ModelViewHostile, VtableFieldOffsetOutsideTable) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  const size_t op = operator_table(file, 0);
  int32_t soffset;
  std::memcpy(&soffset, &file[op], 4);
  const size_t vtable = op - soffset;
  uint16_t object_size;
  std::memcpy(&object_size, &file[vtable + 2], 2);
  const uint16_t past = static_cast<uint16_t>(object_size + 4);
  std::memcpy(&file[vtable + 4 + 2 * 1], &past, 2);  // field 1: inputs
  const auto loaded = load(file);
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  const std::string error = loaded->error;
  EXPECT_NE(error.find("node 0"), std::string::npos) << error;
  EXPECT_NE(error.find("outside the"), std::string::npos) << error;
}

TEST(ModelViewHostile, HugeVectorLength) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  const size_t shape = deref(file, field(file, tensor_table(file, 2), 0));
  for (uint32_t length : {0x40000000u, 0xffffffffu, 0x3fffffffu}) {
    std::vector<uint8_t> patched = file;
    set_u32(patched, shape, length);
    const auto loaded = load(patched);
    EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
    const std::string error = loaded->error;
    EXPECT_NE(error.find("subgraph 0 tensor 2: shape"), std::string::npos)
        << error;
    EXPECT_NE(error.find("runs past the end"), std::string::npos) << error;
  }
}

TEST(ModelViewHostile, OperatorInputOutOfRange) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  const size_t inputs = deref(file, field(file, operator_table(file, 0), 1));
  set_u32(file, inputs + 4 + 4 * 1, 999);
  const auto loaded = load(file);
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_NE(std::string(loaded->error)
                .find("node 0 (ADD): input 1 is tensor 999, out of range"),
            std::string::npos)
      << loaded->error;
}

TEST(ModelViewHostile, OperatorOutputMinusOne) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  const size_t outputs = deref(file, field(file, operator_table(file, 0), 2));
  set_u32(file, outputs + 4, 0xffffffffu);
  const auto loaded = load(file);
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_NE(std::string(loaded->error)
                .find("node 0 (ADD): output 0 is tensor -1, out of range"),
            std::string::npos)
      << loaded->error;
}

TEST(ModelViewHostile, BufferIndexOutOfRange) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_hello_world_int8");
  // Find a tensor that stores its buffer field, then point it past the end.
  for (size_t k = 0;; ++k) {
    const size_t slot = field(file, tensor_table(file, k), 2);
    if (slot == 0 || u32(file, slot) == 0) continue;
    set_u32(file, slot, 9999);
    const auto loaded = load(file);
    EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
    const std::string expected =
        "subgraph 0 tensor " + std::to_string(k) + ": buffer 9999 out of range";
    EXPECT_NE(std::string(loaded->error).find(expected), std::string::npos)
        << loaded->error;
    break;
  }
}

TEST(ModelViewHostile, MisalignedScaleVector) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_hello_world_int8");
  const size_t tensor = tensor_table(file, 0);
  const size_t quant = deref(file, field(file, tensor, 4));
  const size_t scale_slot = field(file, quant, 2);
  ASSERT_NE(scale_slot, 0u);
  set_u32(file, scale_slot, u32(file, scale_slot) + 2);
  const auto loaded = load(file);
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  const std::string error = loaded->error;
  EXPECT_NE(error.find("subgraph 0 tensor 0: quantization scale"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("misaligned"), std::string::npos) << error;
}

TEST(ModelViewHostile, MisalignedBlobIsRejected) {
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  std::vector<uint8_t> shifted(file.size() + 8);
  std::memcpy(shifted.data() + 1, file.data(), file.size());
  ModelView view;
  char error[128];
  EXPECT_EQ(view.init(shifted.data() + 1, file.size(), {error, sizeof(error)}),
            kTmErrorBadArgument);
  EXPECT_NE(std::string(error).find("8-byte aligned"), std::string::npos);
  EXPECT_EQ(view.init(nullptr, 100, {error, sizeof(error)}),
            kTmErrorBadArgument);
}

TEST(ModelViewHostile, ByteFlipsNeverCrash) {
  // Every byte of a small model set to a few hostile values; the reader must
  // answer each one without reading out of bounds (ASan) or UB (UBSan).
  LOAD_GOLDEN_OR_SKIP(file, "tflm_simple_add_model");
  int rejected = 0;
  for (size_t pos = 0; pos < file.size(); ++pos) {
    for (uint8_t value : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      std::vector<uint8_t> patched = file;
      patched[pos] = value;
      const auto loaded = load(patched);
      if (loaded->status != kTmOk) {
        ++rejected;
        EXPECT_NE(loaded->error[0], '\0');
        continue;
      }
      for (int32_t t = 0; t < loaded->view.num_tensors(); ++t) {
        const TensorView v = loaded->view.tensor(t);
        if (v.data != nullptr) {
          EXPECT_LE(v.data + v.data_bytes, loaded->bytes.get() + file.size());
        }
      }
    }
  }
  EXPECT_GT(rejected, 0);
}

// --- Hand-built models ------------------------------------------------------

OpcodeSpec opcode(int8_t deprecated_code, int32_t builtin_code,
                  std::string custom_code = "") {
  OpcodeSpec c;
  c.deprecated_code = deprecated_code;
  c.builtin_code = builtin_code;
  c.custom_code = std::move(custom_code);
  return c;
}

uint64_t float_bits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return bits;
}

// ADD of two [1,4] int8 tensors.
ModelSpec add_model() {
  ModelSpec m;
  m.opcodes = {opcode(0, kTmOpAdd)};
  TensorSpec t;
  t.shape = {1, 4};
  t.scales = {0.5f};
  t.zero_points = {-3};
  m.tensors = {t, t, t};
  m.inputs = {0, 1};
  m.outputs = {2};
  OpSpec op;
  op.inputs = {0, 1};
  op.outputs = {2};
  op.options_type = 11;  // AddOptions
  op.options = {{0, 1, kTmActRelu6}};
  m.ops = {op};
  return m;
}

// One operator `code` reading tensor 0 (the input) and the constant tensors
// that follow, writing the last tensor.
ModelSpec single_op(int32_t code, uint8_t options_type,
                    std::vector<FlatBuilder::Field> options) {
  ModelSpec m;
  m.opcodes = {opcode(static_cast<int8_t>(code < 127 ? code : 127), code)};
  TensorSpec t;
  t.shape = {1, 4, 4, 2};
  m.tensors = {t, t};
  m.inputs = {0};
  m.outputs = {1};
  OpSpec op;
  op.inputs = {0};
  op.outputs = {1};
  op.options_type = options_type;
  op.options = std::move(options);
  m.ops = {op};
  return m;
}

TEST(ModelViewBuilt, ReadsBackWhatWasBuilt) {
  ModelSpec m = add_model();
  m.tensors[1].buffer = 1;
  m.tensors[1].name = "bias-like constant";
  m.buffers.push_back({{1, 2, 3, 4}});
  m.inputs = {0};
  const auto loaded = load(testing::build_model(m));
  ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
  const ModelView& view = loaded->view;
  EXPECT_EQ(view.num_tensors(), 3);
  EXPECT_EQ(view.num_operators(), 1);
  const TensorView constant = view.tensor(1);
  ASSERT_NE(constant.data, nullptr);
  EXPECT_EQ(constant.data_bytes, 4u);
  EXPECT_EQ(constant.data[3], 4);
  EXPECT_EQ(std::string(constant.name, constant.name_length),
            "bias-like constant");
  EXPECT_EQ(constant.quant.count, 1);
  EXPECT_EQ(constant.quant.scales[0], 0.5f);
  EXPECT_EQ(constant.quant.zero_point, -3);
  EXPECT_EQ(view.tensor(0).data, nullptr);
  const OperatorView op = view.op(0);
  EXPECT_EQ(op.builtin_code, kTmOpAdd);
  EXPECT_EQ(op.attrs.op, kTmOpAdd);
  EXPECT_EQ(op.attrs.u.elementwise.activation, kTmActRelu6);
  EXPECT_EQ(op.attrs.u.elementwise.pot_scale_int16, 1);  // schema default
  uint32_t length = 0;
  EXPECT_EQ(std::string(view.description(&length)), "built by the test");
  EXPECT_EQ(length, 17u);
  // Out-of-range indices give empty views rather than reading anything.
  EXPECT_EQ(view.tensor(3).shape.rank, 0);
  EXPECT_EQ(view.tensor(-1).data, nullptr);
  EXPECT_EQ(view.op(1).inputs.size, 0);
}

TEST(ModelViewBuilt, EffectiveCodeIsMaxOfBothFields) {
  ModelSpec m = add_model();
  m.opcodes = {
      opcode(static_cast<int8_t>(kTmOpAdd), 0)};  // old writers: byte only
  auto loaded = load(testing::build_model(m));
  ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
  EXPECT_EQ(loaded->view.op(0).builtin_code, kTmOpAdd);

  m.opcodes = {opcode(127, 150)};  // PLACEHOLDER_FOR_GREATER_OP_CODES + GELU
  loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorUnsupported);
  EXPECT_STREQ(loaded->error, "node 0 (GELU): operator not supported");
}

TEST(ModelViewBuilt, UnsupportedOperatorsAreNamed) {
  ModelSpec m = add_model();
  m.opcodes = {opcode(36, 36)};  // GATHER
  m.ops[0].options_type = 0;
  auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorUnsupported);
  EXPECT_STREQ(loaded->error, "node 0 (GATHER): operator not supported");
  // The view stays readable so the host can describe the model.
  EXPECT_TRUE(loaded->view.verified());
  EXPECT_EQ(loaded->view.op(0).builtin_code, 36);
  EXPECT_FALSE(loaded->view.op(0).attrs_valid);

  m.opcodes = {opcode(32, 32, "TFLite_Detection_PostProcess")};
  loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorUnsupported);
  EXPECT_STREQ(loaded->error,
               "node 0 (CUSTOM \"TFLite_Detection_PostProcess\"): custom "
               "operators are not supported");
  EXPECT_EQ(std::string(loaded->view.op(0).custom_code),
            "TFLite_Detection_PostProcess");

  m.opcodes = {opcode(0, 400)};
  loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorUnsupported);
  EXPECT_STREQ(loaded->error,
               "node 0 (UNKNOWN): builtin operator code 400 is not in the "
               "schema");
}

TEST(ModelViewBuilt, MalformedOutranksUnsupported) {
  ModelSpec m = add_model();
  m.opcodes = {opcode(36, 36)};  // GATHER: unsupported
  m.ops[0].options_type = 0;
  m.tensors[2].shape = {1, -4};  // and a malformed tensor
  const auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_STREQ(loaded->error,
               "subgraph 0 tensor 2: dimension 1 is -4; dimensions cannot be "
               "negative");
  EXPECT_FALSE(loaded->view.verified());
}

TEST(ModelViewBuilt, MoreThanOneSubgraphIsUnsupported) {
  ModelSpec m = add_model();
  m.num_subgraphs = 3;
  const auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorUnsupported);
  EXPECT_NE(std::string(loaded->error).find("model has 3 subgraphs"),
            std::string::npos)
      << loaded->error;
}

TEST(ModelViewBuilt, SchemaVersionOtherThanThree) {
  ModelSpec m = add_model();
  m.version = 2;
  const auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorUnsupported);
  EXPECT_STREQ(loaded->error,
               "model: schema version 2 is not supported (expected 3)");
}

TEST(ModelViewBuilt, ShapeLimits) {
  struct Case {
    std::vector<int32_t> shape;
    TmStatus status;
    const char* message;
  };
  const Case cases[] = {
      {{1, 1, 1, 1, 1, 1, 1},
       kTmErrorUnsupported,
       "subgraph 0 tensor 2: rank 7 is not supported (at most 6 dimensions)"},
      {{2, -1},
       kTmErrorMalformedModel,
       "subgraph 0 tensor 2: dimension 1 is -1; dimensions cannot be negative"},
      {{65536, 65536},
       kTmErrorMalformedModel,
       "subgraph 0 tensor 2: element count overflows at dimension 1"},
      {{0x7fffffff, 2, 0},
       kTmErrorMalformedModel,
       "subgraph 0 tensor 2: element count overflows at dimension 1"},
  };
  for (const Case& c : cases) {
    ModelSpec m = add_model();
    m.tensors[2].shape = c.shape;
    const auto loaded = load(testing::build_model(m));
    EXPECT_EQ(loaded->status, c.status);
    EXPECT_STREQ(loaded->error, c.message);
    EXPECT_FALSE(loaded->view.verified());
  }
  // Byte size overflow with an element count that fits.
  ModelSpec m = add_model();
  m.tensors[2].shape = {0x20000000};
  m.tensors[2].type = kTmFloat32;
  m.tensors[2].scales.clear();
  m.tensors[2].zero_points.clear();
  const auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_STREQ(loaded->error,
               "subgraph 0 tensor 2: byte size of 536870912 FLOAT32 elements "
               "overflows");
}

TEST(ModelViewBuilt, TensorTypeChecks) {
  ModelSpec m = add_model();
  m.tensors[0].type = 57;
  auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_STREQ(loaded->error, "subgraph 0 tensor 0: unknown tensor type 57");
  m.tensors[0].type = 18;
  m.tensors[0].scales.clear();
  m.tensors[0].zero_points.clear();
  loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorUnsupported);
  EXPECT_STREQ(loaded->error,
               "subgraph 0 tensor 0: tensor type BFLOAT16 is not supported");
}

TEST(ModelViewBuilt, ConstantBufferMustMatchShape) {
  ModelSpec m = add_model();
  m.tensors[1].buffer = 1;
  m.buffers.push_back({{1, 2, 3}});
  auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_STREQ(loaded->error,
               "subgraph 0 tensor 1: buffer 1 holds 3 bytes, but 4 INT8 "
               "elements need 4");
}

TEST(ModelViewBuilt, OperatorMayNotWriteConstants) {
  ModelSpec m = add_model();
  m.tensors[2].buffer = 1;
  m.buffers.push_back({{1, 2, 3, 4}});
  const auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_STREQ(loaded->error,
               "node 0 (ADD): output 0 is tensor 2, which holds constant data");
}

TEST(ModelViewBuilt, ReferenceChecks) {
  struct Case {
    void (*mutate)(ModelSpec&);
    const char* message;
  };
  const Case cases[] = {
      {[](ModelSpec& m) {
         m.inputs = {0, 7};
       },
       "subgraph 0: input 1 is tensor 7, out of range (subgraph has 3 "
       "tensors)"},
      {[](ModelSpec& m) { m.outputs = {-1}; },
       "subgraph 0: output 0 is tensor -1, out of range (subgraph has 3 "
       "tensors)"},
      {[](ModelSpec& m) { m.ops[0].opcode_index = 1; },
       "node 0: opcode_index 1 out of range (model has 1 operator codes)"},
      {[](ModelSpec& m) {
         m.ops[0].inputs = {0, -2};
       },
       "node 0 (ADD): input 1 is tensor -2, out of range (subgraph has 3 "
       "tensors)"},
      {[](ModelSpec& m) { m.tensors[0].buffer = 5; },
       "subgraph 0 tensor 0: buffer 5 out of range (model has 1 buffers)"},
  };
  for (const Case& c : cases) {
    ModelSpec m = add_model();
    c.mutate(m);
    const auto loaded = load(testing::build_model(m));
    EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
    EXPECT_STREQ(loaded->error, c.message);
  }
  // -1 marks an absent optional input and is fine.
  ModelSpec m = add_model();
  m.ops[0].inputs = {0, 1, -1};
  const auto loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmOk) << loaded->error;
  EXPECT_EQ(loaded->view.op(0).inputs[2], -1);
}

TEST(ModelViewBuilt, QuantizationChecks) {
  struct Case {
    std::vector<int32_t> shape;
    std::vector<float> scales;
    std::vector<int64_t> zero_points;
    int32_t dimension;
    TmStatus status;
    const char* message;
  };
  const float nan = std::nanf("");
  const Case cases[] = {
      {{2, 3},
       {0.1f, 0.2f},
       {0},
       0,
       kTmErrorMalformedModel,
       "subgraph 0 tensor 1: 2 quantization scales but 1 zero points"},
      {{2, 3},
       {0.1f, 0.2f},
       {0, 0},
       1,
       kTmErrorMalformedModel,
       "subgraph 0 tensor 1: 2 per-channel scales for dimension 1 of size 3"},
      {{2, 3},
       {0.1f, 0.2f},
       {0, 0},
       2,
       kTmErrorMalformedModel,
       "subgraph 0 tensor 1: quantized_dimension 2 is outside the rank-2 "
       "shape"},
      {{2, 3},
       {0.1f, 0.2f},
       {0, 5},
       0,
       kTmErrorUnsupported,
       "subgraph 0 tensor 1: per-channel zero points differ (channel 1 vs "
       "channel 0)"},
      {{2, 3},
       {0.1f, nan},
       {0, 0},
       0,
       kTmErrorMalformedModel,
       "subgraph 0 tensor 1: quantization scale 1 is not a positive finite "
       "number"},
      {{2, 3},
       {0.1f},
       {200},
       0,
       kTmErrorMalformedModel,
       "subgraph 0 tensor 1: zero point 200 is out of range for INT8"},
  };
  for (const Case& c : cases) {
    ModelSpec m = add_model();
    m.tensors[1].shape = c.shape;
    m.tensors[1].scales = c.scales;
    m.tensors[1].zero_points = c.zero_points;
    m.tensors[1].quantized_dimension = c.dimension;
    const auto loaded = load(testing::build_model(m));
    EXPECT_EQ(loaded->status, c.status);
    EXPECT_STREQ(loaded->error, c.message);
  }
  // A valid per-channel tensor.
  ModelSpec m = add_model();
  m.tensors[1].shape = {3, 2};
  m.tensors[1].scales = {0.1f, 0.2f, 0.3f};
  m.tensors[1].zero_points = {0, 0, 0};
  m.tensors[1].quantized_dimension = 0;
  const auto loaded = load(testing::build_model(m));
  ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
  const TmQuant q = loaded->view.tensor(1).quant;
  EXPECT_EQ(q.count, 3);
  EXPECT_EQ(q.scales[2], 0.3f);
  EXPECT_EQ(q.quantized_dimension, 0);
}

TEST(ModelViewBuilt, ExternalBuffers) {
  ModelSpec m = add_model();
  m.tensors[1].buffer = 1;
  m.inputs = {0};
  m.buffers.push_back({{}, 2, 4});
  const size_t size = testing::build_model(m).size();
  m.buffers[1].offset = size;  // data right after the flatbuffer
  std::vector<uint8_t> file = testing::build_model(m);
  ASSERT_EQ(file.size(), size);
  file.insert(file.end(), {9, 8, 7, 6});
  auto loaded = load(file);
  ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
  const TensorView t = loaded->view.tensor(1);
  ASSERT_EQ(t.data, loaded->bytes.get() + size);
  EXPECT_EQ(t.data[0], 9);

  file.resize(file.size() - 1);  // external data cut short
  loaded = load(file);
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);
  EXPECT_NE(std::string(loaded->error).find("run past the end of the file"),
            std::string::npos)
      << loaded->error;
}

// --- Operator options -------------------------------------------------------

TEST(ModelViewOptions, ConvDecodesEveryField) {
  const auto loaded =
      load(testing::build_model(single_op(kTmOpConv2d, 1,
                                          {{0, 1, kTmPaddingValid},
                                           {1, 4, 2},
                                           {2, 4, 3},
                                           {3, 1, kTmActRelu},
                                           {4, 4, 4},
                                           {5, 4, 5}})));
  ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
  const TmConvAttrs a = loaded->view.op(0).attrs.u.conv;
  EXPECT_EQ(a.padding, kTmPaddingValid);
  EXPECT_EQ(a.stride_w, 2);
  EXPECT_EQ(a.stride_h, 3);
  EXPECT_EQ(a.activation, kTmActRelu);
  EXPECT_EQ(a.dilation_w, 4);
  EXPECT_EQ(a.dilation_h, 5);
}

TEST(ModelViewOptions, SchemaDefaultsApplyToAbsentFields) {
  auto loaded = load(
      testing::build_model(single_op(kTmOpConv2d, 1, {{1, 4, 1}, {2, 4, 1}})));
  ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
  TmConvAttrs a = loaded->view.op(0).attrs.u.conv;
  EXPECT_EQ(a.padding, kTmPaddingSame);
  EXPECT_EQ(a.activation, kTmActNone);
  EXPECT_EQ(a.dilation_w, 1);
  EXPECT_EQ(a.dilation_h, 1);

  loaded = load(testing::build_model(single_op(kTmOpSub, 28, {})));
  ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
  EXPECT_EQ(loaded->view.op(0).attrs.u.elementwise.pot_scale_int16, 1);

  loaded = load(testing::build_model(single_op(kTmOpTransposeConv, 0, {})));
  EXPECT_EQ(loaded->status, kTmErrorMalformedModel);  // stride defaults to 0
  EXPECT_STREQ(loaded->error,
               "node 0 (TRANSPOSE_CONV): stride_w=0 must be positive");
}

TEST(ModelViewOptions, EachOperatorDecodes) {
  auto check = [](int32_t code, uint8_t type,
                  std::vector<FlatBuilder::Field> fields,
                  void (*verify)(const TmOpAttrs&)) {
    SCOPED_TRACE(tm_builtin_op_name(code));
    const auto loaded =
        load(testing::build_model(single_op(code, type, std::move(fields))));
    ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
    const OperatorView op = loaded->view.op(0);
    EXPECT_TRUE(op.attrs_valid);
    EXPECT_EQ(op.attrs.op, code);
    verify(op.attrs);
  };
  check(kTmOpDepthwiseConv2d, 2,
        {{0, 1, 1}, {1, 4, 1}, {2, 4, 2}, {3, 4, 3}, {4, 1, 3}, {6, 4, 2}},
        [](const TmOpAttrs& a) {
          EXPECT_EQ(a.u.depthwise.padding, kTmPaddingValid);
          EXPECT_EQ(a.u.depthwise.stride_h, 2);
          EXPECT_EQ(a.u.depthwise.depth_multiplier, 3);
          EXPECT_EQ(a.u.depthwise.activation, kTmActRelu6);
          EXPECT_EQ(a.u.depthwise.dilation_w, 1);
          EXPECT_EQ(a.u.depthwise.dilation_h, 2);
        });
  check(kTmOpAveragePool2d, 5,
        {{1, 4, 2}, {2, 4, 2}, {3, 4, 3}, {4, 4, 5}, {5, 1, 2}},
        [](const TmOpAttrs& a) {
          EXPECT_EQ(a.u.pool.filter_w, 3);
          EXPECT_EQ(a.u.pool.filter_h, 5);
          EXPECT_EQ(a.u.pool.activation, kTmActReluN1To1);
        });
  check(kTmOpFullyConnected, 8, {{0, 1, 1}, {2, 1, 1}}, [](const TmOpAttrs& a) {
    EXPECT_EQ(a.u.fully_connected.activation, kTmActRelu);
    EXPECT_EQ(a.u.fully_connected.keep_num_dims, 1);
  });
  check(kTmOpSoftmax, 9, {{0, 4, float_bits(0.25f)}},
        [](const TmOpAttrs& a) { EXPECT_EQ(a.u.softmax.beta, 0.25f); });
  check(kTmOpConcatenation, 10, {{0, 4, static_cast<uint32_t>(-1)}},
        [](const TmOpAttrs& a) { EXPECT_EQ(a.u.concatenation.axis, -1); });
  check(kTmOpMean, 27, {{0, 1, 1}},
        [](const TmOpAttrs& a) { EXPECT_EQ(a.u.reducer.keep_dims, 1); });
  check(kTmOpStridedSlice, 32,
        {{0, 4, 1}, {1, 4, 2}, {2, 4, 0}, {3, 4, 0}, {4, 4, 8}, {5, 1, 1}},
        [](const TmOpAttrs& a) {
          EXPECT_EQ(a.u.strided_slice.begin_mask, 1);
          EXPECT_EQ(a.u.strided_slice.end_mask, 2);
          EXPECT_EQ(a.u.strided_slice.shrink_axis_mask, 8);
          EXPECT_EQ(a.u.strided_slice.offset, 1);
        });
  check(kTmOpLeakyRelu, 75, {{0, 4, float_bits(0.2f)}},
        [](const TmOpAttrs& a) { EXPECT_EQ(a.u.leaky_relu.alpha, 0.2f); });
  check(kTmOpSvdf, 6, {{0, 4, 2}, {1, 1, 1}}, [](const TmOpAttrs& a) {
    EXPECT_EQ(a.u.svdf.rank, 2);
    EXPECT_EQ(a.u.svdf.activation, kTmActRelu);
  });
  check(kTmOpUnidirectionalSequenceLstm, 71,
        {{0, 1, 4}, {1, 4, float_bits(10.0f)}, {3, 1, 1}, {5, 1, 1}},
        [](const TmOpAttrs& a) {
          EXPECT_EQ(a.u.lstm.activation, kTmActTanh);
          EXPECT_EQ(a.u.lstm.cell_clip, 10.0f);
          EXPECT_EQ(a.u.lstm.proj_clip, 0.0f);
          EXPECT_EQ(a.u.lstm.time_major, 1);  // decoded; the kernel decides
          EXPECT_EQ(a.u.lstm.diagonal_recurrent_tensors, 1);
        });
  check(kTmOpTransposeConv, 49, {{0, 1, 1}, {1, 4, 2}, {2, 4, 2}},
        [](const TmOpAttrs& a) {
          EXPECT_EQ(a.u.transpose_conv.padding, kTmPaddingValid);
          EXPECT_EQ(a.u.transpose_conv.stride_w, 2);
          EXPECT_EQ(a.u.transpose_conv.activation, kTmActNone);
        });
  for (int32_t code : {kTmOpRelu, kTmOpLogistic, kTmOpQuantize, kTmOpPad,
                       kTmOpHardSwish, kTmOpPrelu}) {
    check(code, 0, {}, [](const TmOpAttrs&) {});
  }
}

TEST(ModelViewOptions, SqueezeDims) {
  ModelSpec m = single_op(kTmOpSqueeze, 30, {});
  m.ops[0].options_vector = {0, -1};
  m.ops[0].options_vector_id = 0;
  auto loaded = load(testing::build_model(m));
  ASSERT_EQ(loaded->status, kTmOk) << loaded->error;
  const TmSqueezeAttrs s = loaded->view.op(0).attrs.u.squeeze;
  ASSERT_EQ(s.num_squeeze_dims, 2);
  EXPECT_EQ(s.squeeze_dims[1], -1);

  m.ops[0].options_vector = std::vector<int32_t>(9, 0);
  loaded = load(testing::build_model(m));
  EXPECT_EQ(loaded->status, kTmErrorUnsupported);
  EXPECT_STREQ(loaded->error,
               "node 0 (SQUEEZE): 9 squeeze_dims, at most 8 are supported");
}

TEST(ModelViewOptions, BadValuesAreNamed) {
  struct Case {
    int32_t code;
    uint8_t type;
    std::vector<FlatBuilder::Field> fields;
    TmStatus status;
    const char* message;
  };
  const Case cases[] = {
      {kTmOpFullyConnected,
       8,
       {{1, 1, 1}},
       kTmErrorUnsupported,
       "node 0 (FULLY_CONNECTED): weights_format=SHUFFLED4x16INT8 is not "
       "supported"},
      {kTmOpFullyConnected,
       8,
       {{1, 1, 7}},
       kTmErrorMalformedModel,
       "node 0 (FULLY_CONNECTED): weights_format=7 is not a "
       "FullyConnectedOptionsWeightsFormat"},
      {kTmOpConv2d,
       1,
       {{1, 4, 0}, {2, 4, 1}},
       kTmErrorMalformedModel,
       "node 0 (CONV_2D): stride_w=0 must be positive"},
      {kTmOpConv2d,
       1,
       {{1, 4, 1}, {2, 4, 1}, {5, 4, static_cast<uint32_t>(-2)}},
       kTmErrorMalformedModel,
       "node 0 (CONV_2D): dilation_h_factor=-2 must be positive"},
      {kTmOpConv2d,
       1,
       {{0, 1, 2}, {1, 4, 1}, {2, 4, 1}},
       kTmErrorMalformedModel,
       "node 0 (CONV_2D): padding=2 is not SAME (0) or VALID (1)"},
      {kTmOpConv2d,
       1,
       {{1, 4, 1}, {2, 4, 1}, {3, 1, 4}},
       kTmErrorUnsupported,
       "node 0 (CONV_2D): fused_activation_function=TANH is not supported"},
      {kTmOpAdd,
       11,
       {{0, 1, 9}},
       kTmErrorMalformedModel,
       "node 0 (ADD): fused_activation_function=9 is not an "
       "ActivationFunctionType"},
      {kTmOpMaxPool2d,
       5,
       {{1, 4, 1}, {2, 4, 1}, {3, 4, 0}, {4, 4, 1}},
       kTmErrorMalformedModel,
       "node 0 (MAX_POOL_2D): filter_width=0 must be positive"},
      {kTmOpConv2d,
       5,
       {},
       kTmErrorMalformedModel,
       "node 0 (CONV_2D): builtin_options has union type 5, the operator "
       "takes Conv2DOptions (1)"},
      {kTmOpRelu,
       1,
       {},
       kTmErrorMalformedModel,
       "node 0 (RELU): builtin_options has union type 1, the operator takes "
       "no options (0)"},
      {kTmOpSoftmax,
       9,
       {{0, 4, float_bits(INFINITY)}},
       kTmErrorMalformedModel,
       "node 0 (SOFTMAX): beta is not a finite number"},
      {kTmOpSvdf,
       6,
       {{0, 4, 0}},
       kTmErrorMalformedModel,
       "node 0 (SVDF): rank=0 must be positive"},
  };
  for (const Case& c : cases) {
    const auto loaded =
        load(testing::build_model(single_op(c.code, c.type, c.fields)));
    EXPECT_EQ(loaded->status, c.status) << c.message;
    EXPECT_STREQ(loaded->error, c.message);
  }
}

// --- Operator names ---------------------------------------------------------

TEST(BuiltinOpNames, SpellingsFromTheSchema) {
  EXPECT_STREQ(tm_builtin_op_name(0), "ADD");
  EXPECT_STREQ(tm_builtin_op_name(kTmOpUnidirectionalSequenceLstm),
               "UNIDIRECTIONAL_SEQUENCE_LSTM");
  EXPECT_STREQ(tm_builtin_op_name(20), "RELU_N1_TO_1");
  EXPECT_STREQ(tm_builtin_op_name(32), "CUSTOM");
  EXPECT_STREQ(tm_builtin_op_name(36), "GATHER");
  EXPECT_STREQ(tm_builtin_op_name(127), "PLACEHOLDER_FOR_GREATER_OP_CODES");
  EXPECT_STREQ(tm_builtin_op_name(133), "IMAG");
  EXPECT_STREQ(tm_builtin_op_name(152), "RELU_0_TO_1");
  EXPECT_STREQ(tm_builtin_op_name(162), "STABLEHLO_LOGISTIC");
  EXPECT_STREQ(tm_builtin_op_name(203), "DILATE");
  EXPECT_STREQ(tm_builtin_op_name(205), "REDUCE_WINDOW");
  EXPECT_STREQ(tm_builtin_op_name(209), "STABLEHLO_CASE");
  EXPECT_STREQ(tm_builtin_op_name(210), "UNKNOWN");
  EXPECT_STREQ(tm_builtin_op_name(-1), "UNKNOWN");
  // Names are unique upper-case identifiers.
  std::map<std::string, int32_t> seen;
  for (int32_t code = 0; code <= 209; ++code) {
    const std::string name = tm_builtin_op_name(code);
    EXPECT_NE(name, "UNKNOWN") << code;
    EXPECT_TRUE(seen.emplace(name, code).second) << name;
    for (char c : name) {
      EXPECT_TRUE(std::isupper(c) || std::isdigit(c) || c == '_') << name;
    }
  }
}

TEST(BuiltinOpNames, SupportedSetIsTheEnum) {
  const int32_t run[] = {kTmOpAdd,
                         kTmOpAveragePool2d,
                         kTmOpConcatenation,
                         kTmOpConv2d,
                         kTmOpDepthwiseConv2d,
                         kTmOpDequantize,
                         kTmOpFullyConnected,
                         kTmOpLogistic,
                         kTmOpMaxPool2d,
                         kTmOpMul,
                         kTmOpRelu,
                         kTmOpRelu6,
                         kTmOpReshape,
                         kTmOpSoftmax,
                         kTmOpSvdf,
                         kTmOpTanh,
                         kTmOpPad,
                         kTmOpTranspose,
                         kTmOpMean,
                         kTmOpSub,
                         kTmOpSqueeze,
                         kTmOpUnidirectionalSequenceLstm,
                         kTmOpStridedSlice,
                         kTmOpPrelu,
                         kTmOpPadV2,
                         kTmOpTransposeConv,
                         kTmOpExpandDims,
                         kTmOpLeakyRelu,
                         kTmOpQuantize,
                         kTmOpHardSwish};
  int supported = 0;
  for (int32_t code = -5; code < 300; ++code) {
    supported += tm_builtin_op_is_supported(code);
  }
  EXPECT_EQ(supported, static_cast<int>(sizeof(run) / sizeof(run[0])));
  for (int32_t code : run) {
    EXPECT_EQ(tm_builtin_op_is_supported(code), 1) << code;
  }
  // And each enum value's name is the schema's name for that code.
  EXPECT_STREQ(tm_builtin_op_name(kTmOpHardSwish), "HARD_SWISH");
  EXPECT_STREQ(tm_builtin_op_name(kTmOpPadV2), "PADV2");
  EXPECT_STREQ(tm_builtin_op_name(kTmOpLeakyRelu), "LEAKY_RELU");
  EXPECT_STREQ(tm_builtin_op_name(kTmOpTransposeConv), "TRANSPOSE_CONV");
}

}  // namespace
}  // namespace tierml
