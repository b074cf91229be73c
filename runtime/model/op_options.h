// Decoding of the builtin options of the operators tierml runs.
#ifndef TIERML_MODEL_OP_OPTIONS_H_
#define TIERML_MODEL_OP_OPTIONS_H_

#include <stdint.h>

#include "model/flat_reader.h"
#include "tierml/op_attrs.h"
#include "tierml/status.h"

namespace tierml {

// Fills attrs for op from its builtin_options union (options_type and the
// table, absent when the union is NONE), applying the schema's defaults for
// absent fields. Problems are recorded through reader (its "where" names the
// node): kTmErrorMalformedModel for a union type that does not belong to op
// or an invalid value (stride 0, unknown padding), kTmErrorUnsupported for a
// valid value tierml does not run (e.g. weights_format=SHUFFLED4x16INT8).
TmStatus decode_op_options(FlatReader& reader, TmBuiltinOp op,
                           uint8_t options_type, const FlatTable& options,
                           TmOpAttrs* attrs);

}  // namespace tierml

#endif  // TIERML_MODEL_OP_OPTIONS_H_
