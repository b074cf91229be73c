// Hand-assembles small .tflite flatbuffers for reader tests, written from
// the schema's field ids. Deliberately simple and independent of the reader
// under test: every table is preceded by its own vtable, every field takes
// an 8-byte slot, and children are appended after their parents so every
// offset points forward.
#ifndef TIERML_TESTS_UNIT_MODEL_FLAT_MODEL_BUILDER_H_
#define TIERML_TESTS_UNIT_MODEL_FLAT_MODEL_BUILDER_H_

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace tierml::testing {

class FlatBuilder {
 public:
  struct Field {
    int id;
    int width;  // bytes of a scalar; 0 marks an offset patched later by link
    uint64_t value = 0;
  };
  struct Table {
    size_t pos = 0;
    std::map<int, size_t> slot;  // field id -> absolute position
  };

  FlatBuilder() : bytes_(8, 0) { std::memcpy(&bytes_[4], "TFL3", 4); }

  std::vector<uint8_t>& bytes() { return bytes_; }

  template <typename T>
  void put(size_t pos, T value) {
    std::memcpy(&bytes_[pos], &value, sizeof(value));
  }

  // Points the uoffset at `slot` to `target` (which lies after it).
  void link(size_t slot, size_t target) {
    put<uint32_t>(slot, static_cast<uint32_t>(target - slot));
  }

  Table table(const std::vector<Field>& fields) {
    int max_id = -1;
    for (const Field& f : fields) max_id = f.id > max_id ? f.id : max_id;
    pad_to(2);
    const size_t vtable = bytes_.size();
    append<uint16_t>(static_cast<uint16_t>(4 + 2 * (max_id + 1)));
    append<uint16_t>(static_cast<uint16_t>(4 + 8 * fields.size()));
    for (int id = 0; id <= max_id; ++id) {
      uint16_t offset = 0;
      for (size_t k = 0; k < fields.size(); ++k) {
        if (fields[k].id == id) offset = static_cast<uint16_t>(4 + 8 * k);
      }
      append<uint16_t>(offset);
    }
    // Table at 4 mod 8 puts every 8-byte slot on an 8-byte boundary.
    while (bytes_.size() % 8 != 4) bytes_.push_back(0);
    Table t;
    t.pos = bytes_.size();
    append<int32_t>(static_cast<int32_t>(t.pos - vtable));
    for (size_t k = 0; k < fields.size(); ++k) {
      const size_t slot = bytes_.size();
      append<uint64_t>(0);
      std::memcpy(&bytes_[slot], &fields[k].value,
                  fields[k].width == 0 ? 4 : fields[k].width);
      t.slot[fields[k].id] = slot;
    }
    return t;
  }

  // A vector whose elements start on an `align`-byte boundary; returns the
  // position of its length field.
  size_t vector(const void* data, uint32_t count, size_t elem_size,
                size_t align = 4) {
    pad_to(4);
    while ((bytes_.size() + 4) % align != 0) append<uint32_t>(0);
    const size_t pos = bytes_.size();
    append<uint32_t>(count);
    const auto* p = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + count * elem_size);
    return pos;
  }
  template <typename T>
  size_t vector(const std::vector<T>& values) {
    return vector(values.data(), static_cast<uint32_t>(values.size()),
                  sizeof(T), sizeof(T) < 4 ? 4 : sizeof(T));
  }
  size_t string(const std::string& s) {
    const size_t pos = vector(s.data(), static_cast<uint32_t>(s.size()), 1);
    bytes_.push_back(0);
    return pos;
  }
  // A vector of `count` offsets; element k's slot is at pos + 4 + 4k.
  size_t offsets(uint32_t count) {
    std::vector<uint32_t> zeros(count, 0);
    return vector(zeros);
  }

 private:
  template <typename T>
  void append(T value) {
    const size_t pos = bytes_.size();
    bytes_.resize(pos + sizeof(T));
    std::memcpy(&bytes_[pos], &value, sizeof(T));
  }
  void pad_to(size_t align) {
    while (bytes_.size() % align != 0) bytes_.push_back(0);
  }

  std::vector<uint8_t> bytes_;
};

struct TensorSpec {
  std::vector<int32_t> shape;
  int8_t type = 9;  // INT8
  uint32_t buffer = 0;
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;
  bool is_variable = false;
  std::string name = "t";
};

struct OpcodeSpec {
  int8_t deprecated_code = 0;
  int32_t builtin_code = 0;
  std::string custom_code;
  int32_t version = 1;
};

struct OpSpec {
  uint32_t opcode_index = 0;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  uint8_t options_type = 0;
  std::vector<FlatBuilder::Field> options;  // scalar fields only
  std::vector<int32_t> options_vector;      // e.g. squeeze_dims
  int options_vector_id = -1;
};

struct BufferSpec {
  std::vector<uint8_t> data;
  uint64_t offset = 0;  // external data when > 1
  uint64_t size = 0;
};

struct ModelSpec {
  uint32_t version = 3;
  std::vector<OpcodeSpec> opcodes;
  std::vector<TensorSpec> tensors;
  std::vector<OpSpec> ops;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<BufferSpec> buffers = {BufferSpec()};
  int num_subgraphs = 1;
  std::string description = "built by the test";
};

inline std::vector<uint8_t> build_model(const ModelSpec& m) {
  using F = FlatBuilder::Field;
  FlatBuilder b;
  const auto model =
      b.table({{0, 4, m.version}, {1, 0}, {2, 0}, {3, 0}, {4, 0}});
  b.link(0, model.pos);
  b.link(model.slot.at(3), b.string(m.description));

  const size_t codes = b.offsets(static_cast<uint32_t>(m.opcodes.size()));
  b.link(model.slot.at(1), codes);
  for (size_t k = 0; k < m.opcodes.size(); ++k) {
    const OpcodeSpec& c = m.opcodes[k];
    std::vector<F> fields = {
        {0, 1, static_cast<uint64_t>(static_cast<uint8_t>(c.deprecated_code))},
        {2, 4, static_cast<uint64_t>(static_cast<uint32_t>(c.version))},
        {3, 4, static_cast<uint64_t>(static_cast<uint32_t>(c.builtin_code))}};
    if (!c.custom_code.empty()) fields.push_back({1, 0});
    const auto t = b.table(fields);
    b.link(codes + 4 + 4 * k, t.pos);
    if (!c.custom_code.empty()) b.link(t.slot.at(1), b.string(c.custom_code));
  }

  const size_t subgraphs = b.offsets(static_cast<uint32_t>(m.num_subgraphs));
  b.link(model.slot.at(2), subgraphs);
  const auto sub = b.table({{0, 0}, {1, 0}, {2, 0}, {3, 0}});
  b.link(subgraphs + 4, sub.pos);
  for (int k = 1; k < m.num_subgraphs; ++k) {
    b.link(subgraphs + 4 + 4 * k, b.table({}).pos);
  }
  b.link(sub.slot.at(1), b.vector(m.inputs));
  b.link(sub.slot.at(2), b.vector(m.outputs));

  const size_t tensors = b.offsets(static_cast<uint32_t>(m.tensors.size()));
  b.link(sub.slot.at(0), tensors);
  for (size_t k = 0; k < m.tensors.size(); ++k) {
    const TensorSpec& s = m.tensors[k];
    std::vector<F> fields = {
        {0, 0},
        {1, 1, static_cast<uint64_t>(static_cast<uint8_t>(s.type))},
        {2, 4, s.buffer},
        {3, 0},
        {5, 1, s.is_variable ? 1u : 0u}};
    const bool quantized = !s.scales.empty() || !s.zero_points.empty();
    if (quantized) fields.push_back({4, 0});
    const auto t = b.table(fields);
    b.link(tensors + 4 + 4 * k, t.pos);
    b.link(t.slot.at(0), b.vector(s.shape));
    b.link(t.slot.at(3), b.string(s.name));
    if (quantized) {
      const auto q = b.table({{2, 0},
                              {3, 0},
                              {6, 4,
                               static_cast<uint64_t>(static_cast<uint32_t>(
                                   s.quantized_dimension))}});
      b.link(t.slot.at(4), q.pos);
      b.link(q.slot.at(2), b.vector(s.scales));
      b.link(q.slot.at(3), b.vector(s.zero_points));
    }
  }

  const size_t ops = b.offsets(static_cast<uint32_t>(m.ops.size()));
  b.link(sub.slot.at(3), ops);
  for (size_t k = 0; k < m.ops.size(); ++k) {
    const OpSpec& o = m.ops[k];
    std::vector<F> fields = {{0, 4, o.opcode_index}, {1, 0}, {2, 0}};
    if (o.options_type != 0) {
      fields.push_back({3, 1, o.options_type});
      fields.push_back({4, 0});
    }
    const auto t = b.table(fields);
    b.link(ops + 4 + 4 * k, t.pos);
    b.link(t.slot.at(1), b.vector(o.inputs));
    b.link(t.slot.at(2), b.vector(o.outputs));
    if (o.options_type != 0) {
      std::vector<F> option_fields = o.options;
      if (o.options_vector_id >= 0)
        option_fields.push_back({o.options_vector_id, 0});
      const auto opts = b.table(option_fields);
      b.link(t.slot.at(4), opts.pos);
      if (o.options_vector_id >= 0) {
        b.link(opts.slot.at(o.options_vector_id), b.vector(o.options_vector));
      }
    }
  }

  const size_t buffers = b.offsets(static_cast<uint32_t>(m.buffers.size()));
  b.link(model.slot.at(4), buffers);
  for (size_t k = 0; k < m.buffers.size(); ++k) {
    const BufferSpec& s = m.buffers[k];
    std::vector<F> fields;
    if (!s.data.empty()) fields.push_back({0, 0});
    if (s.offset > 1) {
      fields.push_back({1, 8, s.offset});
      fields.push_back({2, 8, s.size});
    }
    const auto t = b.table(fields);
    b.link(buffers + 4 + 4 * k, t.pos);
    if (!s.data.empty()) {
      b.link(
          t.slot.at(0),
          b.vector(s.data.data(), static_cast<uint32_t>(s.data.size()), 1, 16));
    }
  }
  while (b.bytes().size() % 16 != 0) b.bytes().push_back(0);
  return b.bytes();
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_MODEL_FLAT_MODEL_BUILDER_H_
