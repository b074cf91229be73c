// Graph IR -> .tflite flatbuffer (schema version 3, file identifier TFL3).
//
// Every constant tensor gets its own 16-byte aligned buffer (buffer 0 is the
// empty sentinel), metadata entries get buffers after those, operator codes
// are shared per (code, version), and every operator's attributes are
// written into its builtin options table, so that reading the result gives
// back an equal Graph.
#ifndef TIERML_MODEL_WRITER_H_
#define TIERML_MODEL_WRITER_H_

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "model/graph.h"

namespace tierml::model {

// invalid_argument for a graph that cannot be a valid model (index out of
// range, constant data of the wrong size, operator attributes for another
// operator, an operator tierml does not write), naming what and where.
Expected<std::vector<uint8_t>> write_model(const Graph& graph);

}  // namespace tierml::model

#endif  // TIERML_MODEL_WRITER_H_
