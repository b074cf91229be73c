// Runs every CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV
// layer of the golden models (../shared/golden) on the inputs TensorFlow
// Lite Micro recorded for it and compares with the output it recorded: the
// intermediates of in_5.bin, where a layer's activation input is the model
// input or an earlier layer's recorded output. Single-operator seanet models
// are also checked on every in_*.bin / out_*.bin pair. Integer layers must
// match byte for byte; float layers within 1e-5 relative.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernels/conv.h"
#include "kernels/depthwise_conv.h"
#include "kernels/fully_connected.h"
#include "kernels/transpose_conv.h"
#include "model/graph.h"
#include "model/reader.h"

namespace tierml {
namespace {

namespace fs = std::filesystem;

fs::path golden_root() {
#ifdef TIERML_SHARED_DIR
  return fs::path(TIERML_SHARED_DIR) / "golden";
#else
  return {};
#endif
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

bool is_ours(TmBuiltinOp op) {
  return op == kTmOpConv2d || op == kTmOpDepthwiseConv2d ||
         op == kTmOpFullyConnected || op == kTmOpTransposeConv;
}

// A kernel's view of a graph tensor; data is the given bytes.
TmTensor view(const model::Tensor& t, const uint8_t* data) {
  TmTensor out = {};
  out.type = t.type;
  out.shape.rank = static_cast<int32_t>(t.shape.size());
  for (size_t d = 0; d < t.shape.size() && d < TM_MAX_DIMS; ++d) {
    out.shape.dims[d] = t.shape[d];
  }
  out.quant.count = static_cast<int32_t>(t.quantization.scales.size());
  out.quant.quantized_dimension = t.quantization.quantized_dimension;
  out.quant.scales = t.quantization.scales.data();
  out.quant.zero_point =
      t.quantization.zero_points.empty()
          ? 0
          : static_cast<int32_t>(t.quantization.zero_points[0]);
  out.data = const_cast<uint8_t*>(data);
  return out;
}

// Storage a layer run needs besides its tensors.
struct Workspace {
  std::vector<int32_t> multipliers, shifts, folded;
  std::vector<int64_t> scratch;
  void size_for(int32_t channels) {
    multipliers.assign(channels, 0);
    shifts.assign(channels, 0);
    folded.assign(channels, 0);
  }
};

// Runs one layer; returns "" or what went wrong before the comparison.
std::string run_layer(const model::Graph& graph, const model::Operator& op,
                      const std::map<int32_t, const uint8_t*>& activations,
                      std::vector<uint8_t>* output) {
  std::vector<TmTensor> in(op.inputs.size());
  std::vector<bool> present(op.inputs.size(), false);
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const int32_t index = op.inputs[i];
    if (index < 0) continue;
    const model::Tensor& t = graph.tensors.at(index);
    const uint8_t* data = nullptr;
    if (t.is_constant()) {
      data = t.data.data();
    } else {
      auto it = activations.find(index);
      if (it == activations.end()) {
        return "input tensor " + std::to_string(index) + " not recorded";
      }
      data = it->second;
    }
    in[i] = view(t, data);
    present[i] = true;
  }
  auto input = [&](size_t i) -> TmTensor* {
    return i < in.size() && present[i] ? &in[i] : nullptr;
  };
  const model::Tensor& out_t = graph.tensors.at(op.outputs.at(0));
  TmTensor out = view(out_t, nullptr);
  output->assign(static_cast<size_t>(model::tensor_bytes(out_t)), 0);
  void* o = output->data();
  Workspace ws;
  TmStatus status = kTmOk;
  switch (op.builtin_code) {
    case kTmOpConv2d: {
      TmTensor *x = input(0), *w = input(1), *b = input(2);
      ws.size_for(w->shape.dims[0]);
      TmConvParams p;
      status = tm_conv_prepare(&op.attrs.u.conv, x, w, b, &out,
                               ws.multipliers.data(), ws.shifts.data(),
                               ws.folded.data(), &p);
      if (status != kTmOk) break;
      const void* bd = b ? b->data : nullptr;
      if (x->type == kTmInt8) {
        tm_conv_s8(&p, static_cast<const int8_t*>(x->data),
                   static_cast<const int8_t*>(w->data),
                   static_cast<const int32_t*>(bd), static_cast<int8_t*>(o));
      } else if (x->type == kTmInt16 && b && b->type == kTmInt64) {
        tm_conv_s16(&p, static_cast<const int16_t*>(x->data),
                    static_cast<const int8_t*>(w->data),
                    static_cast<const int64_t*>(bd), static_cast<int16_t*>(o));
      } else if (x->type == kTmInt16) {
        tm_conv_s16_acc32(&p, static_cast<const int16_t*>(x->data),
                          static_cast<const int8_t*>(w->data),
                          static_cast<const int32_t*>(bd),
                          static_cast<int16_t*>(o));
      } else {
        tm_conv_f32(&p, static_cast<const float*>(x->data),
                    static_cast<const float*>(w->data),
                    static_cast<const float*>(bd), static_cast<float*>(o));
      }
      break;
    }
    case kTmOpDepthwiseConv2d: {
      TmTensor *x = input(0), *w = input(1), *b = input(2);
      ws.size_for(w->shape.dims[3]);
      TmDepthwiseConvParams p;
      status = tm_depthwise_conv_prepare(
          &op.attrs.u.depthwise, x, w, b, &out, ws.multipliers.data(),
          ws.shifts.data(), ws.folded.data(), &p);
      if (status != kTmOk) break;
      const void* bd = b ? b->data : nullptr;
      if (x->type == kTmInt8) {
        tm_depthwise_conv_s8(&p, static_cast<const int8_t*>(x->data),
                             static_cast<const int8_t*>(w->data),
                             static_cast<const int32_t*>(bd),
                             static_cast<int8_t*>(o));
      } else if (x->type == kTmInt16) {
        tm_depthwise_conv_s16(&p, static_cast<const int16_t*>(x->data),
                              static_cast<const int8_t*>(w->data),
                              static_cast<const int64_t*>(bd),
                              static_cast<int16_t*>(o));
      } else {
        tm_depthwise_conv_f32(&p, static_cast<const float*>(x->data),
                              static_cast<const float*>(w->data),
                              static_cast<const float*>(bd),
                              static_cast<float*>(o));
      }
      break;
    }
    case kTmOpFullyConnected: {
      TmTensor *x = input(0), *w = input(1), *b = input(2);
      ws.size_for(w->shape.dims[0]);
      TmFullyConnectedParams p;
      status = tm_fully_connected_prepare(
          &op.attrs.u.fully_connected, x, w, b, &out, ws.multipliers.data(),
          ws.shifts.data(), ws.folded.data(), &p);
      if (status != kTmOk) break;
      const void* bd = b ? b->data : nullptr;
      if (x->type == kTmInt8) {
        tm_fully_connected_s8(&p, static_cast<const int8_t*>(x->data),
                              static_cast<const int8_t*>(w->data),
                              static_cast<const int32_t*>(bd),
                              static_cast<int8_t*>(o));
      } else if (x->type == kTmInt16) {
        tm_fully_connected_s16(&p, static_cast<const int16_t*>(x->data),
                               static_cast<const int8_t*>(w->data),
                               static_cast<const int64_t*>(bd),
                               static_cast<int16_t*>(o));
      } else {
        tm_fully_connected_f32(&p, static_cast<const float*>(x->data),
                               static_cast<const float*>(w->data),
                               static_cast<const float*>(bd),
                               static_cast<float*>(o));
      }
      break;
    }
    case kTmOpTransposeConv: {
      TmTensor *shape = input(0), *w = input(1), *x = input(2), *b = input(3);
      ws.size_for(w->shape.dims[0]);
      TmTransposeConvParams p;
      size_t scratch_bytes = 0;
      status = tm_transpose_conv_prepare(&op.attrs.u.transpose_conv, shape, w,
                                         x, b, &out, ws.multipliers.data(),
                                         ws.shifts.data(), &p, &scratch_bytes);
      if (status != kTmOk) break;
      ws.scratch.assign(scratch_bytes / sizeof(int64_t) + 1, 0);
      const void* bd = b ? b->data : nullptr;
      if (x->type == kTmInt8) {
        tm_transpose_conv_s8(&p, static_cast<const int8_t*>(x->data),
                             static_cast<const int8_t*>(w->data),
                             static_cast<const int32_t*>(bd),
                             static_cast<int8_t*>(o),
                             reinterpret_cast<int32_t*>(ws.scratch.data()));
      } else if (x->type == kTmInt16 && b && b->type == kTmInt16) {
        tm_transpose_conv_s16_bias16(&p, static_cast<const int16_t*>(x->data),
                                     static_cast<const int8_t*>(w->data),
                                     static_cast<const int16_t*>(bd),
                                     static_cast<int16_t*>(o),
                                     ws.scratch.data());
      } else if (x->type == kTmInt16) {
        tm_transpose_conv_s16(&p, static_cast<const int16_t*>(x->data),
                              static_cast<const int8_t*>(w->data),
                              static_cast<const int64_t*>(bd),
                              static_cast<int16_t*>(o), ws.scratch.data());
      } else {
        tm_transpose_conv_f32(&p, static_cast<const float*>(x->data),
                              static_cast<const float*>(w->data),
                              static_cast<const float*>(bd),
                              static_cast<float*>(o));
      }
      break;
    }
    default:
      return "not one of ours";
  }
  if (status != kTmOk) {
    return "prepare failed with status " + std::to_string(status);
  }
  return "";
}

// "" when equal (floats within 1e-5 relative), else where they differ.
std::string compare(TmType type, const std::vector<uint8_t>& actual,
                    const std::vector<uint8_t>& expected) {
  if (actual.size() != expected.size()) {
    return "size " + std::to_string(actual.size()) + " vs " +
           std::to_string(expected.size());
  }
  if (type == kTmFloat32) {
    const size_t n = actual.size() / 4;
    for (size_t i = 0; i < n; ++i) {
      float a, e;
      std::memcpy(&a, actual.data() + 4 * i, 4);
      std::memcpy(&e, expected.data() + 4 * i, 4);
      if (std::fabs(a - e) > 1e-5f * std::max(1.0f, std::fabs(e))) {
        return "element " + std::to_string(i) + ": " + std::to_string(a) +
               " vs " + std::to_string(e);
      }
    }
    return "";
  }
  const size_t size = tm_type_size(type);
  for (size_t i = 0; i < actual.size(); ++i) {
    if (actual[i] != expected[i]) {
      int64_t a = 0, e = 0;
      const size_t at = i / size * size;
      std::memcpy(&a, actual.data() + at, size);
      std::memcpy(&e, expected.data() + at, size);
      if (size == 1) a = int8_t(a), e = int8_t(e);
      if (size == 2) a = int16_t(a), e = int16_t(e);
      return "element " + std::to_string(i / size) + ": " + std::to_string(a) +
             " vs " + std::to_string(e);
    }
  }
  return "";
}

struct Tally {
  int layers = 0;
  int pairs = 0;
  std::map<std::string, int> by_kind;
};

std::string kind(const model::Graph& g, const model::Operator& op) {
  return std::string(model::op_name(op.builtin_code)) + " " +
         model::type_name(g.tensors.at(op.outputs.at(0)).type);
}

// Layers of one model against its intermediates of in_5.bin.
void check_intermediates(const fs::path& dir, const model::Graph& graph,
                         Tally* tally) {
  std::ifstream index_file(dir / "intermediates" / "index.json");
  if (!index_file) return;
  const nlohmann::json index = nlohmann::json::parse(index_file);
  std::map<int32_t, std::vector<uint8_t>> recorded;
  std::map<int32_t, int32_t> producer_of;
  for (const auto& t : index["tensors"]) {
    const int32_t tensor = t["tensor_index"].get<int32_t>();
    recorded[tensor] =
        read_file(dir / "intermediates" / t["file"].get<std::string>());
    producer_of[tensor] = t["op_index"].get<int32_t>();
  }
  std::map<int32_t, const uint8_t*> activations;
  const std::vector<uint8_t> model_input = read_file(dir / "in_5.bin");
  size_t offset = 0;
  for (int32_t input : graph.inputs) {
    const size_t bytes =
        static_cast<size_t>(model::tensor_bytes(graph.tensors.at(input)));
    ASSERT_LE(offset + bytes, model_input.size()) << dir;
    activations[input] = model_input.data() + offset;
    offset += bytes;
  }
  for (auto& [tensor, bytes] : recorded) {
    if (!activations.count(tensor)) activations[tensor] = bytes.data();
  }
  for (size_t k = 0; k < graph.operators.size(); ++k) {
    const model::Operator& op = graph.operators[k];
    if (!is_ours(op.builtin_code)) continue;
    const int32_t out_index = op.outputs.at(0);
    auto expected = recorded.find(out_index);
    if (expected == recorded.end() ||
        producer_of[out_index] != static_cast<int32_t>(k)) {
      continue;
    }
    std::vector<uint8_t> actual;
    const std::string error = run_layer(graph, op, activations, &actual);
    ASSERT_EQ(error, "") << dir.filename() << " op " << k;
    const std::string diff =
        compare(graph.tensors.at(out_index).type, actual, expected->second);
    EXPECT_EQ(diff, "") << dir.filename() << " op " << k << " ("
                        << kind(graph, op) << ")";
    ++tally->layers;
    ++tally->by_kind[kind(graph, op)];
  }
}

// Single-operator models: every in_*.bin / out_*.bin pair.
void check_pairs(const fs::path& dir, const model::Graph& graph, Tally* tally) {
  if (graph.operators.size() != 1 || graph.inputs.size() != 1 ||
      !is_ours(graph.operators[0].builtin_code)) {
    return;
  }
  const model::Operator& op = graph.operators[0];
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("in_", 0) != 0 || entry.path().extension() != ".bin") {
      continue;
    }
    const fs::path out_path = dir / ("out_" + name.substr(3));
    if (!fs::exists(out_path)) continue;
    const std::vector<uint8_t> in = read_file(entry.path());
    std::map<int32_t, const uint8_t*> activations = {
        {graph.inputs[0], in.data()}};
    std::vector<uint8_t> actual;
    const std::string error = run_layer(graph, op, activations, &actual);
    ASSERT_EQ(error, "") << dir.filename() << " " << name;
    EXPECT_EQ(compare(graph.tensors.at(op.outputs[0]).type, actual,
                      read_file(out_path)),
              "")
        << dir.filename() << " " << name;
    ++tally->pairs;
  }
}

TEST(ConvGoldenLayersTest, EveryLayerMatchesTflmRecordings) {
  const fs::path root = golden_root();
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) {
    GTEST_SKIP() << "golden data not found at " << root
                 << " (set TIERML_SHARED_DIR)";
  }
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (fs::exists(entry.path() / "model.tflite")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  Tally tally;
  for (const fs::path& dir : dirs) {
    std::ifstream meta_file(dir / "meta.json");
    if (!meta_file) continue;
    const nlohmann::json meta = nlohmann::json::parse(meta_file);
    if (meta.value("status", "") != "ok") continue;
    auto graph = model::read_model_file((dir / "model.tflite").string());
    if (!graph) continue;  // the reader's own tests cover unreadable models
    check_intermediates(dir, *graph, &tally);
    check_pairs(dir, *graph, &tally);
  }
  std::string summary;
  for (const auto& [k, n] : tally.by_kind) {
    summary += " " + k + ": " + std::to_string(n) + ";";
  }
  std::printf("checked %d layers and %d single-op input files;%s\n",
              tally.layers, tally.pairs, summary.c_str());
  // Kinds the issue names must all have been met.
  for (const char* k :
       {"CONV_2D INT8", "DEPTHWISE_CONV_2D INT8", "FULLY_CONNECTED INT8",
        "CONV_2D INT16", "TRANSPOSE_CONV INT16", "FULLY_CONNECTED FLOAT32"}) {
    EXPECT_GT(tally.by_kind[k], 0) << k << " never checked";
  }
}

}  // namespace
}  // namespace tierml
