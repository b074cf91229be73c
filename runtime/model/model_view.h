// A verified, read-only view of a .tflite flatbuffer, walked in place.
//
// This is the one reader of the file format: the device interpreter walks
// the blob through it (weights are never copied), and the host reader builds
// its Graph IR from it. init() verifies everything before anything is used:
// every offset, vector length, string, index and alignment, so that later
// accessors cannot read out of bounds. The file is untrusted.
#ifndef TIERML_MODEL_MODEL_VIEW_H_
#define TIERML_MODEL_MODEL_VIEW_H_

#include <stddef.h>
#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

namespace tierml {

class FlatReader;
struct FlatTable;

// A vector of int32 inside the blob (operator inputs/outputs, subgraph
// inputs/outputs). Verified and 4-byte aligned.
struct Int32Span {
  const int32_t* data = nullptr;
  int32_t size = 0;
  int32_t operator[](int32_t i) const { return data[i]; }
};

struct TensorView {
  TmType type = kTmFloat32;
  TmShape shape = {};
  TmQuant quant = {};             // scales point into the blob
  const uint8_t* data = nullptr;  // constant data, nullptr for activations
  size_t data_bytes = 0;          // verified equal to the shape's byte size
  bool is_variable = false;       // state kept across invokes (SVDF, LSTM)
  const char* name = nullptr;     // name_length bytes (a NUL follows)
  uint32_t name_length = 0;
};

struct OperatorView {
  // BuiltinOperator value: max(deprecated_builtin_code, builtin_code) of its
  // OperatorCode. May be one we do not run (only after kTmErrorUnsupported).
  int32_t builtin_code = 0;
  int32_t version = 1;
  Int32Span inputs;  // tensor indices, -1 for an absent optional input
  Int32Span outputs;
  Int32Span intermediates;            // tensor indices (LSTM gate statistics)
  TmOpAttrs attrs = {};               // valid when attrs_valid
  bool attrs_valid = false;           // an operator we run, with options we run
  const char* custom_code = nullptr;  // CUSTOM operators: their name
  uint32_t custom_code_length = 0;
};

// Writes at most error_size bytes (NUL-terminated) describing the first
// problem, naming where it is ("subgraph 0 tensor 12: buffer 40 out of range
// (model has 31 buffers)"; "node 7 (UNIDIRECTIONAL_SEQUENCE_LSTM):
// time_major=true is not supported").
struct ErrorBuffer {
  char* text = nullptr;
  size_t size = 0;
};

class ModelView {
 public:
  // Verifies the blob. kTmErrorMalformedModel for anything invalid,
  // kTmErrorUnsupported for valid files using what we do not run (more than
  // one subgraph with control flow, unknown builtin operators, custom
  // operators, unsupported options, rank above TM_MAX_DIMS, sparse tensors),
  // kTmErrorBadArgument for a null or not 8-byte aligned blob. A malformed
  // file is reported as such even if it also uses unsupported features. The
  // blob must outlive the view.
  TmStatus init(const uint8_t* blob, size_t size, ErrorBuffer error);

  // True after kTmOk, and after kTmErrorUnsupported caused only by operators,
  // their options or extra subgraphs: every tensor and operator of subgraph 0
  // can then be read (OperatorView::attrs_valid tells which ops we run), so
  // the host can still describe the model.
  bool verified() const { return verified_; }

  uint32_t schema_version() const { return version_; }

  // Subgraph 0, the one that runs.
  int32_t num_tensors() const { return num_tensors_; }
  int32_t num_operators() const { return num_operators_; }
  Int32Span inputs() const { return inputs_; }
  Int32Span outputs() const { return outputs_; }

  // Indices are checked by init for every reference in the model; callers
  // pass 0 <= index < num_*(). Out-of-range indices (or a view that was not
  // verified) give an empty view, never an out-of-bounds read.
  TensorView tensor(int32_t index) const;
  OperatorView op(int32_t index) const;

  // Model-level metadata entries (name, buffer contents), for the host.
  int32_t num_metadata() const { return num_metadata_; }
  bool metadata(int32_t index, const char** name, uint32_t* name_length,
                const uint8_t** data, size_t* data_bytes) const;

  // Description string of the model, may be empty.
  const char* description(uint32_t* length) const;

 private:
  // Shared by init (reporting through reader) and the accessors (whose
  // reader records nothing): one decoding path, checked either way.
  TmStatus read_tensor(FlatReader& reader, int32_t index,
                       TensorView* out) const;
  TmStatus read_op(FlatReader& reader, int32_t index, OperatorView* out) const;
  TmStatus read_buffer(FlatReader& reader, uint32_t index, const uint8_t** data,
                       size_t* bytes) const;
  TmStatus read_quantization(FlatReader& reader, const FlatTable& table,
                             const TensorView& tensor, TmQuant* out) const;
  TmStatus check_constant_free(FlatReader& reader, int32_t tensor,
                               const char* role, int32_t slot) const;
  TmStatus verify_header(FlatReader& reader, FlatTable* model);
  TmStatus verify_model_tables(FlatReader& reader, const FlatTable& model,
                               FlatTable* subgraph);
  // Sets *fully_readable to false if a tensor cannot be described (rank
  // above TM_MAX_DIMS, sparse, ...), as opposed to unsupported operators.
  TmStatus verify_subgraph(FlatReader& reader, const FlatTable& subgraph,
                           bool* fully_readable);

  const uint8_t* blob_ = nullptr;
  size_t size_ = 0;
  uint32_t version_ = 0;
  // Offsets of the first element of each verified vector of tables.
  uint32_t tensors_ = 0;    // subgraph 0's tensors
  uint32_t operators_ = 0;  // subgraph 0's operators
  uint32_t buffers_ = 0;    // the model's buffers
  uint32_t opcodes_ = 0;    // operator_codes
  uint32_t metadata_ = 0;   // metadata
  int32_t num_tensors_ = 0;
  int32_t num_operators_ = 0;
  int32_t num_metadata_ = 0;
  int32_t num_buffers_ = 0;
  int32_t num_opcodes_ = 0;
  uint32_t num_subgraphs_ = 0;
  uint32_t description_ = 0;  // offset of the description's bytes (0: none)
  uint32_t description_length_ = 0;
  bool verified_ = false;
  Int32Span inputs_;
  Int32Span outputs_;
};

}  // namespace tierml

#endif  // TIERML_MODEL_MODEL_VIEW_H_
