// The host reader against the published models: what it builds is compared
// with meta.json and with the file decoded by a second, independent path
// (the flatbuffers accessors generated from our schema subset). Bad files
// must give malformed/unsupported with a message; ModelView's own tests
// cover its checks exhaustively.
#include "model/reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "tflite_subset_generated.h"
#include "unit/model/golden_models.h"

namespace tierml::model {
namespace {

using tierml::testing::golden_model_dirs;
using tierml::testing::read_bytes;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

template <typename T>
std::vector<T> to_vector(const flatbuffers::Vector<T>* v) {
  return v ? std::vector<T>(v->begin(), v->end()) : std::vector<T>{};
}

int32_t opcode_of(const tflite::OperatorCode* code) {
  return std::max<int32_t>(code->deprecated_builtin_code(),
                           static_cast<int32_t>(code->builtin_code()));
}

void expect_tensor_matches(const Tensor& t, const tflite::Tensor* f,
                           const tflite::Model* model,
                           const std::string& where) {
  EXPECT_EQ(t.name, f->name() ? f->name()->str() : "") << where;
  EXPECT_EQ(static_cast<int>(t.type), static_cast<int>(f->type())) << where;
  EXPECT_EQ(t.shape, to_vector(f->shape())) << where;
  EXPECT_EQ(t.is_variable, f->is_variable()) << where;
  const auto* buffer = model->buffers()->Get(f->buffer());
  const std::vector<uint8_t> data = to_vector(buffer->data());
  if (!f->is_variable()) EXPECT_EQ(t.data, data) << where;
  const tflite::QuantizationParameters* q = f->quantization();
  const std::vector<float> scales =
      q ? to_vector(q->scale()) : std::vector<float>{};
  EXPECT_EQ(t.quantization.scales, scales) << where;
  if (!scales.empty()) {
    const std::vector<int64_t> zps = to_vector(q->zero_point());
    ASSERT_FALSE(zps.empty()) << where;
    ASSERT_EQ(t.quantization.zero_points.size(), scales.size()) << where;
    for (size_t k = 0; k < scales.size(); ++k) {
      EXPECT_EQ(t.quantization.zero_points[k], zps[std::min(k, zps.size() - 1)])
          << where << " zero point " << k;
    }
    if (scales.size() > 1) {
      EXPECT_EQ(t.quantization.quantized_dimension, q->quantized_dimension())
          << where;
    }
  }
}

// Options decoded by ModelView against the generated accessors, for the
// operators the published models use. Absent tables mean schema defaults,
// which ModelView's own tests cover.
void expect_attrs_match(const Operator& op, const tflite::Operator* f,
                        const std::string& where) {
  const auto& u = op.attrs.u;
  EXPECT_EQ(op.attrs.op, op.builtin_code) << where;
  if (const auto* o = f->builtin_options_as_Conv2DOptions()) {
    EXPECT_EQ(u.conv.padding, static_cast<int>(o->padding())) << where;
    EXPECT_EQ(u.conv.stride_w, o->stride_w()) << where;
    EXPECT_EQ(u.conv.stride_h, o->stride_h()) << where;
    EXPECT_EQ(u.conv.dilation_w, o->dilation_w_factor()) << where;
    EXPECT_EQ(u.conv.dilation_h, o->dilation_h_factor()) << where;
    EXPECT_EQ(u.conv.activation,
              static_cast<int>(o->fused_activation_function()))
        << where;
  } else if (const auto* o = f->builtin_options_as_DepthwiseConv2DOptions()) {
    EXPECT_EQ(u.depthwise.padding, static_cast<int>(o->padding())) << where;
    EXPECT_EQ(u.depthwise.stride_w, o->stride_w()) << where;
    EXPECT_EQ(u.depthwise.stride_h, o->stride_h()) << where;
    EXPECT_EQ(u.depthwise.depth_multiplier, o->depth_multiplier()) << where;
    EXPECT_EQ(u.depthwise.activation,
              static_cast<int>(o->fused_activation_function()))
        << where;
  } else if (const auto* o = f->builtin_options_as_Pool2DOptions()) {
    EXPECT_EQ(u.pool.padding, static_cast<int>(o->padding())) << where;
    EXPECT_EQ(u.pool.stride_w, o->stride_w()) << where;
    EXPECT_EQ(u.pool.filter_w, o->filter_width()) << where;
    EXPECT_EQ(u.pool.filter_h, o->filter_height()) << where;
  } else if (const auto* o = f->builtin_options_as_FullyConnectedOptions()) {
    EXPECT_EQ(u.fully_connected.activation,
              static_cast<int>(o->fused_activation_function()))
        << where;
    EXPECT_EQ(u.fully_connected.keep_num_dims != 0, o->keep_num_dims())
        << where;
  } else if (const auto* o = f->builtin_options_as_SoftmaxOptions()) {
    EXPECT_EQ(u.softmax.beta, o->beta()) << where;
  } else if (const auto* o = f->builtin_options_as_SVDFOptions()) {
    EXPECT_EQ(u.svdf.rank, o->rank()) << where;
  } else if (const auto* o = f->builtin_options_as_LeakyReluOptions()) {
    EXPECT_EQ(u.leaky_relu.alpha, o->alpha()) << where;
  } else if (const auto* o = f->builtin_options_as_StridedSliceOptions()) {
    EXPECT_EQ(u.strided_slice.begin_mask, o->begin_mask()) << where;
    EXPECT_EQ(u.strided_slice.end_mask, o->end_mask()) << where;
    EXPECT_EQ(u.strided_slice.shrink_axis_mask, o->shrink_axis_mask()) << where;
  } else if (const auto* o = f->builtin_options_as_TransposeConvOptions()) {
    EXPECT_EQ(u.transpose_conv.padding, static_cast<int>(o->padding()))
        << where;
    EXPECT_EQ(u.transpose_conv.stride_w, o->stride_w()) << where;
    EXPECT_EQ(u.transpose_conv.stride_h, o->stride_h()) << where;
  } else if (const auto* o =
                 f->builtin_options_as_UnidirectionalSequenceLSTMOptions()) {
    EXPECT_EQ(u.lstm.activation,
              static_cast<int>(o->fused_activation_function()))
        << where;
    EXPECT_EQ(u.lstm.cell_clip, o->cell_clip()) << where;
    EXPECT_EQ(u.lstm.time_major != 0, o->time_major()) << where;
  } else if (const auto* o = f->builtin_options_as_AddOptions()) {
    EXPECT_EQ(u.elementwise.activation,
              static_cast<int>(o->fused_activation_function()))
        << where;
  } else if (const auto* o = f->builtin_options_as_SubOptions()) {
    EXPECT_EQ(u.elementwise.activation,
              static_cast<int>(o->fused_activation_function()))
        << where;
  }
}

// Every tensor, operator, input/output list and metadata entry of the Graph
// against the same file decoded by the generated flatbuffers accessors.
void expect_graph_matches_file(const Graph& g,
                               const std::vector<uint8_t>& bytes,
                               const std::string& name) {
  const tflite::Model* model = tflite::GetModel(bytes.data());
  const tflite::SubGraph* sg = model->subgraphs()->Get(0);
  ASSERT_EQ(g.tensors.size(), sg->tensors()->size()) << name;
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    expect_tensor_matches(g.tensors[i], sg->tensors()->Get(i), model,
                          name + " tensor " + std::to_string(i));
  }
  ASSERT_EQ(g.operators.size(), sg->operators()->size()) << name;
  for (size_t i = 0; i < g.operators.size(); ++i) {
    const std::string where = name + " operator " + std::to_string(i);
    const tflite::Operator* f = sg->operators()->Get(i);
    const tflite::OperatorCode* code =
        model->operator_codes()->Get(f->opcode_index());
    EXPECT_EQ(g.operators[i].builtin_code, opcode_of(code)) << where;
    EXPECT_EQ(g.operators[i].version, code->version()) << where;
    EXPECT_EQ(g.operators[i].inputs, to_vector(f->inputs())) << where;
    EXPECT_EQ(g.operators[i].outputs, to_vector(f->outputs())) << where;
    expect_attrs_match(g.operators[i], f, where);
  }
  EXPECT_EQ(g.inputs, to_vector(sg->inputs())) << name;
  EXPECT_EQ(g.outputs, to_vector(sg->outputs())) << name;
  EXPECT_EQ(g.description,
            model->description() ? model->description()->str() : "")
      << name;
  const auto* metadata = model->metadata();
  ASSERT_EQ(g.metadata.size(), metadata ? metadata->size() : 0u) << name;
  for (size_t i = 0; i < g.metadata.size(); ++i) {
    EXPECT_EQ(g.metadata[i].name, metadata->Get(i)->name()->str()) << name;
    EXPECT_EQ(
        g.metadata[i].data,
        to_vector(model->buffers()->Get(metadata->Get(i)->buffer())->data()))
        << name;
  }
}

void expect_io_matches_meta(const Graph& g, const std::vector<int32_t>& io,
                            const nlohmann::json& meta,
                            const std::string& where) {
  ASSERT_EQ(io.size(), meta.size()) << where;
  for (size_t i = 0; i < io.size(); ++i) {
    const Tensor& t = g.tensors[io[i]];
    const nlohmann::json& m = meta[i];
    const std::string what = where + " " + std::to_string(i);
    EXPECT_EQ(lower(type_name(t.type)), m["type"].get<std::string>()) << what;
    EXPECT_EQ(t.shape, m["shape"].get<std::vector<int32_t>>()) << what;
    EXPECT_EQ(tensor_bytes(t), m["bytes"].get<int64_t>()) << what;
    if (m["scale"].get<double>() == 0.0) {  // meta.json: not quantized
      EXPECT_FALSE(t.quantization.is_quantized()) << what;
    } else {
      ASSERT_EQ(t.quantization.scales.size(), 1u) << what;
      EXPECT_NEAR(t.quantization.scales[0], m["scale"].get<double>(),
                  1e-8 * m["scale"].get<double>())
          << what;
      EXPECT_EQ(t.quantization.zero_points[0], m["zero_point"].get<int64_t>())
          << what;
    }
  }
}

TEST(ReaderTest, EveryGoldenModelReadsAndMatchesItsFile) {
  const auto dirs = golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    const auto bytes = read_bytes(dir / "model.tflite");
    Expected<Graph> graph = read_model_file((dir / "model.tflite").string());
    ASSERT_TRUE(graph) << name << ": " << graph.status().message();
    expect_graph_matches_file(*graph, bytes, name);

    std::ifstream meta_file(dir / "meta.json");
    const nlohmann::json meta = nlohmann::json::parse(meta_file);
    expect_io_matches_meta(*graph, graph->inputs, meta["inputs"],
                           name + " input");
    expect_io_matches_meta(*graph, graph->outputs, meta["outputs"],
                           name + " output");
    std::map<std::string, int> op_counts;
    for (const Operator& op : graph->operators)
      op_counts[op_name(op.builtin_code)]++;
    std::map<std::string, int> meta_counts;
    for (const auto& entry : meta["ops"]) {
      meta_counts[entry["op"].get<std::string>()] = entry["count"].get<int>();
    }
    EXPECT_EQ(op_counts, meta_counts) << name;
  }
}

// Spot checks written out by hand from the published VWW model.
TEST(ReaderTest, VisualWakeWordsSpotChecks) {
  const auto path =
      tierml::testing::golden_dir() / "tiny_vww_96_int8" / "model.tflite";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " absent";
  Expected<Graph> graph = read_model_file(path.string());
  ASSERT_TRUE(graph) << graph.status().message();
  ASSERT_EQ(graph->operators.size(), 31u);
  const Operator& first = graph->operators[0];
  EXPECT_EQ(first.builtin_code, kTmOpConv2d);
  EXPECT_EQ(first.attrs.u.conv.stride_w, 2);
  EXPECT_EQ(first.attrs.u.conv.padding, kTmPaddingSame);
  const Tensor& filter = graph->tensors[first.inputs[1]];
  EXPECT_EQ(filter.shape, (std::vector<int32_t>{8, 3, 3, 3}));
  EXPECT_EQ(filter.data.size(), 8u * 3 * 3 * 3);
  EXPECT_EQ(filter.quantization.scales.size(), 8u);  // per channel
  EXPECT_EQ(filter.quantization.quantized_dimension, 0);
  const Tensor& bias = graph->tensors[first.inputs[2]];
  EXPECT_EQ(bias.type, kTmInt32);
  EXPECT_EQ(bias.data.size(), 8u * 4);
  EXPECT_EQ(graph->operators.back().builtin_code, kTmOpSoftmax);
}

void expect_error(const Expected<Graph>& graph, ErrorCode code,
                  const std::string& fragment) {
  ASSERT_FALSE(graph);
  EXPECT_EQ(graph.status().code(), code) << graph.status().message();
  EXPECT_NE(graph.status().message().find(fragment), std::string::npos)
      << "message: " << graph.status().message();
}

TEST(ReaderTest, RejectsEmptyAndTinyInputs) {
  expect_error(read_model({}), ErrorCode::kMalformedModel, "");
  const std::vector<uint8_t> seven = {1, 2, 3, 4, 5, 6, 7};
  expect_error(read_model(seven), ErrorCode::kMalformedModel, "");
}

TEST(ReaderTest, RejectsTruncatedAndCorruptedGoldenModels) {
  const auto dirs = golden_model_dirs();
  TIERML_SKIP_WITHOUT_GOLDEN(dirs);
  const auto bytes = read_bytes(dirs.front() / "model.tflite");
  for (size_t keep : {bytes.size() / 2, size_t{64}, size_t{8}}) {
    const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + keep);
    Expected<Graph> graph = read_model(cut);
    ASSERT_FALSE(graph) << "kept " << keep << " bytes";
    EXPECT_EQ(graph.status().code(), ErrorCode::kMalformedModel)
        << graph.status().message();
    EXPECT_FALSE(graph.status().message().empty());
  }
  // A wrong file identifier: whichever gate catches it, it is malformed.
  std::vector<uint8_t> renamed = bytes;
  std::copy_n("XXXX", 4, renamed.begin() + 4);
  expect_error(read_model(renamed), ErrorCode::kMalformedModel, "");
  // A root offset pointing past the end.
  std::vector<uint8_t> bad_root = bytes;
  bad_root[0] = bad_root[1] = bad_root[2] = 0xff;
  bad_root[3] = 0x7f;
  expect_error(read_model(bad_root), ErrorCode::kMalformedModel, "");
}

// A one-operator model written with the generated builder, so that the test
// can produce what our writer refuses to: unknown operators, bad indices.
// With custom_details, tensor 0 carries custom quantization details (which
// ModelView refuses as unsupported without reading them) holding kMarker,
// so a test can find that vector and corrupt it.
constexpr uint8_t kMarker[] = {0xde, 0xc0, 0xad, 0x0b};

std::vector<uint8_t> raw_model(int32_t op_code, uint32_t weight_buffer,
                               bool custom_details = false) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers = {
      tflite::CreateBuffer(fbb),
      tflite::CreateBuffer(fbb, fbb.CreateVector(std::vector<uint8_t>(16, 1)))};
  const std::vector<int32_t> shape = {1, 4};
  flatbuffers::Offset<tflite::QuantizationParameters> quantization = 0;
  if (custom_details) {
    const auto details = tflite::CreateCustomQuantization(
        fbb, fbb.CreateVector(kMarker, sizeof(kMarker)));
    quantization = tflite::CreateQuantizationParameters(
        fbb, 0, 0, 0, 0, tflite::QuantizationDetails::CustomQuantization,
        details.Union());
  }
  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors = {
      tflite::CreateTensor(fbb, fbb.CreateVector(shape),
                           tflite::TensorType::FLOAT32, 0,
                           fbb.CreateString("x"), quantization),
      tflite::CreateTensor(fbb, fbb.CreateVector(shape),
                           tflite::TensorType::FLOAT32, weight_buffer,
                           fbb.CreateString("w")),
      tflite::CreateTensor(fbb, fbb.CreateVector(shape),
                           tflite::TensorType::FLOAT32, 0,
                           fbb.CreateString("y"))};
  const std::vector<int32_t> in = {0, 1}, out = {2}, graph_in = {0};
  std::vector<flatbuffers::Offset<tflite::Operator>> ops = {
      tflite::CreateOperator(fbb, 0, fbb.CreateVector(in),
                             fbb.CreateVector(out))};
  std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs = {
      tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors),
                             fbb.CreateVector(graph_in), fbb.CreateVector(out),
                             fbb.CreateVector(ops))};
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes = {
      tflite::CreateOperatorCode(
          fbb, static_cast<int8_t>(std::min(op_code, 127)), 0, 1,
          static_cast<tflite::BuiltinOperator>(op_code))};
  tflite::FinishModelBuffer(fbb,
                            tflite::CreateModel(fbb, 3, fbb.CreateVector(codes),
                                                fbb.CreateVector(subgraphs), 0,
                                                fbb.CreateVector(buffers)));
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}

TEST(ReaderTest, RawModelBaselineReads) {
  // The same model with a supported operator reads, so the failures below
  // are caused by what each one changes.
  Expected<Graph> graph = read_model(raw_model(kTmOpAdd, 1));
  ASSERT_TRUE(graph) << graph.status().message();
  EXPECT_EQ(graph->tensors[1].data, std::vector<uint8_t>(16, 1));
}

TEST(ReaderTest, UnknownOperatorIsUnsupportedAndNamed) {
  constexpr int32_t kDiv = 42;
  expect_error(read_model(raw_model(kDiv, 1)), ErrorCode::kUnsupported, "DIV");
}

TEST(ReaderTest, BufferIndexOutOfRangeIsMalformed) {
  expect_error(read_model(raw_model(kTmOpAdd, 7)), ErrorCode::kMalformedModel,
               "buffer");
}

TEST(ReaderTest, FlatbuffersGateCatchesWhatModelViewDoesNotRead) {
  std::vector<uint8_t> bytes = raw_model(kTmOpAdd, 1, true);
  // Intact, ModelView refuses the custom details as unsupported.
  expect_error(read_model(bytes), ErrorCode::kUnsupported, "custom");
  const auto at = std::search(bytes.begin(), bytes.end(), std::begin(kMarker),
                              std::end(kMarker));
  ASSERT_NE(at, bytes.end());
  // The vector's length, just before its only element, now runs far past
  // the end of the file.
  const uint32_t huge_length = 0x10000000;
  std::memcpy(&*(at - 4), &huge_length, 4);
  expect_error(read_model(bytes), ErrorCode::kMalformedModel,
               "flatbuffers verifier rejected it");
}

TEST(ReaderTest, MissingFileIsAnIoError) {
  Expected<Graph> graph = read_model_file("/nonexistent/dir/model.tflite");
  ASSERT_FALSE(graph);
  EXPECT_EQ(graph.status().code(), ErrorCode::kIoError);
  EXPECT_NE(graph.status().message().find("/nonexistent/dir/model.tflite"),
            std::string::npos);
}

TEST(ReaderTest, OversizedFileIsRefusedBeforeReading) {
  // A sparse file: no disk space is used and the reader must not read it.
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("tierml_oversized_" + std::to_string(::getpid()) + ".tflite");
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(::ftruncate(::fileno(file), kMaxModelBytes + 1), 0);
  std::fclose(file);
  Expected<Graph> graph = read_model_file(path.string());
  std::filesystem::remove(path);
  expect_error(graph, ErrorCode::kUnsupported, "limit");
}

}  // namespace
}  // namespace tierml::model
