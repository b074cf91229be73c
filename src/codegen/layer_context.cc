#include "codegen/layer_context.h"

#include <cstring>

namespace tierml::codegen {

LayerContext::LayerContext(CodeUnit& unit, int32_t op_index)
    : unit_(unit),
      op_index_(op_index),
      op_(&unit.graph->operators[static_cast<size_t>(op_index)]) {}

const char* LayerContext::op_name() const {
  return model::op_name(op_->builtin_code);
}

int32_t LayerContext::input_tensor(int i) const {
  if (i < 0 || i >= num_inputs()) return -1;
  return op_->inputs[static_cast<size_t>(i)];
}

const TmTensor* LayerContext::input(int i) const {
  const int32_t t = input_tensor(i);
  return t < 0 ? nullptr : &unit_.tensors[static_cast<size_t>(t)];
}

const TmTensor* LayerContext::output(int i) const {
  if (i < 0 || i >= static_cast<int>(op_->outputs.size())) return nullptr;
  const int32_t t = op_->outputs[static_cast<size_t>(i)];
  return t < 0 ? nullptr : &unit_.tensors[static_cast<size_t>(t)];
}

std::string LayerContext::constant(int32_t tensor) {
  auto found = unit_.constant_names.find(tensor);
  const model::Tensor& t = unit_.graph->tensors[static_cast<size_t>(tensor)];
  const int64_t bytes = static_cast<int64_t>(t.data.size());
  constant_bytes_ += bytes;
  if (found != unit_.constant_names.end()) return found->second;
  const std::string name = std::string("c") + std::to_string(tensor);
  const size_t size = tm_type_size(t.type);
  const size_t count = size == 0 ? 0 : t.data.size() / size;
  unit_.constants += "/* tensor " + std::to_string(tensor) + ": " +
                     model::type_name(t.type) + " " +
                     model::shape_string(t.shape) + " */\n" +
                     const_array(name, t.type, t.data.data(), count);
  unit_.constant_bytes += bytes;
  unit_.constant_names[tensor] = name;
  return name;
}

std::string LayerContext::pointer(int32_t tensor, bool writable) {
  if (tensor < 0) return "NULL";
  const model::Tensor& t = unit_.graph->tensors[static_cast<size_t>(tensor)];
  if (t.is_constant() && !t.is_variable) return constant(tensor);
  const int32_t b = unit_.buffer_of[static_cast<size_t>(tensor)];
  const int64_t offset = unit_.plan->buffers[static_cast<size_t>(b)].offset;
  std::string type = c_type_name(t.type);
  if (type.empty()) type = "uint8_t";
  return std::string("(") + (writable ? "" : "const ") + type + "*)(a + " +
         std::to_string(offset) + ")";
}

std::string LayerContext::in(int i) { return pointer(input_tensor(i), false); }
std::string LayerContext::state(int i) {
  return pointer(input_tensor(i), true);
}

std::string LayerContext::out(int i) {
  return pointer(op_->outputs[static_cast<size_t>(i)], true);
}

std::string LayerContext::in_void(int i) {
  const int32_t t = input_tensor(i);
  const model::Tensor& tensor = unit_.graph->tensors[static_cast<size_t>(t)];
  if (tensor.is_constant() && !tensor.is_variable) return constant(t);
  const int32_t b = unit_.buffer_of[static_cast<size_t>(t)];
  return "(const void*)(a + " +
         std::to_string(unit_.plan->buffers[static_cast<size_t>(b)].offset) +
         ")";
}

std::string LayerContext::out_void(int i) {
  const int32_t t = op_->outputs[static_cast<size_t>(i)];
  const int32_t b = unit_.buffer_of[static_cast<size_t>(t)];
  return "(void*)(a + " +
         std::to_string(unit_.plan->buffers[static_cast<size_t>(b)].offset) +
         ")";
}

bool LayerContext::same_bytes(int i, int j) const {
  const int32_t a = input_tensor(i);
  const int32_t b = op_->outputs[static_cast<size_t>(j)];
  if (a < 0 || b < 0) return false;
  const int32_t ba = unit_.buffer_of[static_cast<size_t>(a)];
  const int32_t bb = unit_.buffer_of[static_cast<size_t>(b)];
  if (ba < 0 || bb < 0) return false;
  return unit_.plan->buffers[static_cast<size_t>(ba)].offset ==
         unit_.plan->buffers[static_cast<size_t>(bb)].offset;
}

Expected<std::string> LayerContext::scratch(const char* ctype, int64_t bytes) {
  if (bytes <= 0) return std::string("NULL");
  auto found = unit_.scratch_of.find(op_index_);
  if (found == unit_.scratch_of.end()) {
    return Status(ErrorCode::kInternal,
                  "node " + std::to_string(op_index_) + " (" + op_name() +
                      "): the kernel needs " + std::to_string(bytes) +
                      " scratch bytes but the memory plan has no scratch "
                      "buffer for it");
  }
  const plan::Buffer& buffer =
      unit_.plan->buffers[static_cast<size_t>(found->second)];
  if (buffer.bytes < bytes) {
    return Status(ErrorCode::kInternal,
                  "node " + std::to_string(op_index_) + " (" + op_name() +
                      "): the kernel needs " + std::to_string(bytes) +
                      " scratch bytes, the plan reserves " +
                      std::to_string(buffer.bytes));
  }
  scratch_bytes_ = bytes;
  return std::string("(") + ctype + "*)(a + " + std::to_string(buffer.offset) +
         ")";
}

std::string LayerContext::name(const std::string& what) const {
  std::string text = "n";
  text += std::to_string(op_index_);
  text += '_';
  return text + what;
}

std::string LayerContext::array_i32(const std::string& what,
                                    const std::vector<int32_t>& values) {
  const int64_t bytes = static_cast<int64_t>(values.size()) * 4;
  constant_bytes_ += bytes;
  const std::string key = "i32:" + const_i32_array("", values);
  auto found = unit_.arrays.find(key);
  if (found != unit_.arrays.end()) return found->second;
  const std::string array_name = name(what);
  unit_.constants += const_i32_array(array_name, values);
  unit_.constant_bytes += bytes;
  unit_.arrays[key] = array_name;
  return array_name;
}

std::string LayerContext::array_i16(const std::string& what,
                                    const std::vector<int16_t>& values) {
  const int64_t bytes = static_cast<int64_t>(values.size()) * 2;
  constant_bytes_ += bytes;
  const std::string text =
      const_array("", kTmInt16, reinterpret_cast<const uint8_t*>(values.data()),
                  values.size());
  const std::string key = "i16:" + text;
  auto found = unit_.arrays.find(key);
  if (found != unit_.arrays.end()) return found->second;
  const std::string array_name = name(what);
  unit_.constants += const_array(
      array_name, kTmInt16, reinterpret_cast<const uint8_t*>(values.data()),
      values.size());
  unit_.constant_bytes += bytes;
  unit_.arrays[key] = array_name;
  return array_name;
}

std::string LayerContext::params(const char* type, const Initializer& init,
                                 size_t host_size) {
  const std::string params_name = name("params");
  const std::string text = init.str(0);
  if (text.find("HUGE_VAL") != std::string::npos) unit_.uses_math_h = true;
  unit_.definitions += "static const " + std::string(type) + " " + params_name +
                       " = " + text + ";\n";
  constant_bytes_ += static_cast<int64_t>(host_size);
  unit_.constant_bytes += static_cast<int64_t>(host_size);
  return "&" + params_name;
}

void LayerContext::statement(const std::string& text) {
  unit_.body += "  " + text + "\n";
}

void LayerContext::call(const std::string& function,
                        const std::vector<std::string>& args) {
  std::string text = function + "(";
  size_t column = 2 + text.size();
  for (size_t i = 0; i < args.size(); ++i) {
    std::string piece = args[i] + (i + 1 < args.size() ? ", " : ");");
    // Wrap long calls under the opening parenthesis, as clang-format would.
    if (column + piece.size() > 80 && i > 0) {
      while (!text.empty() && text.back() == ' ') text.pop_back();
      text += '\n';
      text.append(3 + function.size(), ' ');
      column = 3 + function.size();
    }
    text += piece;
    column += piece.size();
  }
  statement(text);
}

Status LayerContext::unsupported(const std::string& reason) const {
  return tierml::unsupported("node " + std::to_string(op_index_) + " (" +
                             op_name() + "): " + reason);
}

Status LayerContext::prepare_failed(TmStatus status, const char* why) const {
  std::string reason = "the kernel's prepare failed (status " +
                       std::to_string(static_cast<int>(status)) + ")";
  if (why != nullptr && *why != '\0') reason += ": " + std::string(why);
  return unsupported(reason);
}

}  // namespace tierml::codegen
