// Golden data for the stateful kernels (SVDF, LSTM): a published model read
// through ModelView and the per-operator intermediates TFLM wrote for
// in_5.bin (../shared/golden/<model>/intermediates/op<NNN>_t<T>.bin).
#ifndef TIERML_TESTS_UNIT_KERNELS_STATEFUL_GOLDEN_H_
#define TIERML_TESTS_UNIT_KERNELS_STATEFUL_GOLDEN_H_

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "interpreter/builtin_op_resolver.h"
#include "interpreter/interpreter.h"
#include "model/model_view.h"
#include "tierml/tensor.h"

namespace tierml::testing {

inline std::filesystem::path stateful_golden_dir(const std::string& model) {
#ifdef TIERML_SHARED_DIR
  return std::filesystem::path(TIERML_SHARED_DIR) / "golden" / model;
#else
  return std::filesystem::path();
#endif
}

inline std::vector<uint8_t> read_file_bytes(const std::filesystem::path& p) {
  std::ifstream file(p, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

class GoldenModel {
 public:
  // Empty error and true on success; false with a reason otherwise.
  bool load(const std::string& model, std::string* error) {
    dir_ = stateful_golden_dir(model);
    std::error_code ec;
    if (dir_.empty() || !std::filesystem::exists(dir_ / "model.tflite", ec)) {
      *error = "golden model " + model + " not found under ../shared/golden";
      return false;
    }
    blob_ = read_file_bytes(dir_ / "model.tflite");
    char text[256] = {};
    if (view_.init(blob_.data(), blob_.size(),
                   ErrorBuffer{text, sizeof(text)}) != kTmOk) {
      *error = std::string("ModelView rejected ") + model + ": " + text;
      return false;
    }
    return true;
  }

  const ModelView& view() const { return view_; }
  const std::vector<uint8_t>& blob() const { return blob_; }
  std::vector<uint8_t> file(const std::string& name) const {
    return read_file_bytes(dir_ / name);
  }

  // A tensor as a kernel sees it; data set only for constants.
  TmTensor tensor(int32_t index) const {
    const TensorView v = view_.tensor(index);
    TmTensor t = {};
    t.type = v.type;
    t.shape = v.shape;
    t.quant = v.quant;
    t.data = const_cast<uint8_t*>(v.data);
    t.bytes = v.data_bytes;
    return t;
  }

  // The bytes TFLM recorded for tensor `index` (an operator output), or the
  // model input file for in_5 when the tensor is the model's input.
  std::vector<uint8_t> recorded(int32_t index) const {
    const std::string suffix = "_t" + std::to_string(index) + ".bin";
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(dir_ / "intermediates", ec)) {
      const std::string name = entry.path().filename().string();
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) ==
              0) {
        return read_file_bytes(entry.path());
      }
    }
    const Int32Span inputs = view_.inputs();
    if (inputs.size == 1 && inputs[0] == index) {
      return read_file_bytes(dir_ / "in_5.bin");
    }
    return {};
  }

 private:
  std::filesystem::path dir_;
  std::vector<uint8_t> blob_;
  ModelView view_;
};

// The whole model in the interpreter, every tensor kept readable, so tests
// can see the operator glue's outputs and the variable tensors.
struct GoldenInterpreter {
  OpResolver resolver;
  std::vector<uint8_t> arena = std::vector<uint8_t>(1 << 20);
  Interpreter interpreter;

  bool init(const GoldenModel& model, std::string* error) {
    if (add_builtin_ops(resolver) != kTmOk) {
      *error = "add_builtin_ops failed";
      return false;
    }
    InterpreterOptions options;
    options.preserve_all_tensors = true;
    if (interpreter.init(model.blob().data(), model.blob().size(), arena.data(),
                         arena.size(), &resolver, options) != kTmOk) {
      *error = interpreter.last_error();
      return false;
    }
    return true;
  }

  bool run(const std::vector<uint8_t>& input) {
    TmTensor* in = interpreter.input(0);
    if (in == nullptr || in->bytes != input.size()) return false;
    memcpy(in->data, input.data(), input.size());
    return interpreter.invoke() == kTmOk;
  }

  std::vector<uint8_t> bytes(int32_t tensor) {
    const TmTensor* t = interpreter.tensor(tensor);
    const uint8_t* data = static_cast<const uint8_t*>(t->data);
    return std::vector<uint8_t>(data, data + t->bytes);
  }
};

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_KERNELS_STATEFUL_GOLDEN_H_
