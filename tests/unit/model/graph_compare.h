// Graph comparison that says where two graphs differ (tensor by tensor,
// operator by operator), for the round-trip tests.
#ifndef TIERML_TESTS_UNIT_MODEL_GRAPH_COMPARE_H_
#define TIERML_TESTS_UNIT_MODEL_GRAPH_COMPARE_H_

#include <gtest/gtest.h>

#include <string>

#include "model/graph.h"

namespace tierml::testing {

inline void expect_graphs_equal(const model::Graph& a, const model::Graph& b,
                                const std::string& name) {
  ASSERT_EQ(a.tensors.size(), b.tensors.size()) << name;
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const model::Tensor& x = a.tensors[i];
    const model::Tensor& y = b.tensors[i];
    const std::string where = name + " tensor " + std::to_string(i);
    EXPECT_EQ(x.name, y.name) << where;
    EXPECT_EQ(x.type, y.type) << where;
    EXPECT_EQ(x.shape, y.shape) << where;
    EXPECT_EQ(x.quantization.scales, y.quantization.scales) << where;
    EXPECT_EQ(x.quantization.zero_points, y.quantization.zero_points) << where;
    EXPECT_EQ(x.quantization.quantized_dimension,
              y.quantization.quantized_dimension)
        << where;
    EXPECT_TRUE(x.data == y.data)
        << where << ": constant bytes differ (" << x.data.size() << " vs "
        << y.data.size() << " bytes)";
    EXPECT_EQ(x.is_variable, y.is_variable) << where;
  }
  ASSERT_EQ(a.operators.size(), b.operators.size()) << name;
  for (size_t i = 0; i < a.operators.size(); ++i) {
    const model::Operator& x = a.operators[i];
    const model::Operator& y = b.operators[i];
    const std::string where = name + " operator " + std::to_string(i) + " (" +
                              model::op_name(x.builtin_code) + ")";
    EXPECT_EQ(x.builtin_code, y.builtin_code) << where;
    EXPECT_EQ(x.version, y.version) << where;
    EXPECT_EQ(x.inputs, y.inputs) << where;
    EXPECT_EQ(x.outputs, y.outputs) << where;
    EXPECT_TRUE(model::attrs_equal(x.attrs, y.attrs))
        << where << ": attributes differ";
  }
  EXPECT_EQ(a.inputs, b.inputs) << name;
  EXPECT_EQ(a.outputs, b.outputs) << name;
  EXPECT_EQ(a.description, b.description) << name;
  ASSERT_EQ(a.metadata.size(), b.metadata.size()) << name;
  for (size_t i = 0; i < a.metadata.size(); ++i) {
    EXPECT_EQ(a.metadata[i].name, b.metadata[i].name) << name;
    EXPECT_TRUE(a.metadata[i].data == b.metadata[i].data)
        << name << " metadata " << a.metadata[i].name;
  }
  EXPECT_TRUE(a == b) << name;
}

}  // namespace tierml::testing

#endif  // TIERML_TESTS_UNIT_MODEL_GRAPH_COMPARE_H_
