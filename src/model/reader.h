// .tflite flatbuffer -> Graph IR. The file is untrusted.
//
// Two independent gates run before anything is used: the flatbuffers
// verifier generated from our schema subset (tflite_subset.fbs), then
// tierml::ModelView, the same verifying reader the device runs, which checks
// every offset, size, index and alignment and decodes operator options. The
// Graph is built from the ModelView, so host and device accept exactly the
// same files and decode them the same way.
#ifndef TIERML_MODEL_READER_H_
#define TIERML_MODEL_READER_H_

#include <cstdint>
#include <span>
#include <string>

#include "common/status.h"
#include "model/graph.h"

namespace tierml::model {

// malformed_model for an invalid file, unsupported for a valid one using
// what tierml does not run (or above kMaxModelBytes), each with a message
// saying what is wrong and where ("subgraph 0 tensor 12: buffer 40 out of
// range (model has 31 buffers)").
Expected<Graph> read_model(std::span<const uint8_t> bytes);

// As read_model, with messages prefixed by the path; io_error if the file
// cannot be read.
Expected<Graph> read_model_file(const std::string& path);

}  // namespace tierml::model

#endif  // TIERML_MODEL_READER_H_
