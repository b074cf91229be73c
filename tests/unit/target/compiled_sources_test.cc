// The compiled engine's firmware sources: the generated model with its
// per-layer hooks, whose untimed part is exactly what `tierml compile`
// writes, and the glue the firmware links against.
#include "target/compiled_sources.h"

#include <gtest/gtest.h>

#include "codegen/compiler.h"
#include "orientation_model.h"
#include "plan/plan.h"
#include "target/profiler.h"

namespace tierml::target {
namespace {

const codegen::GeneratedFile* find(const CompiledSources& sources,
                                   const std::string& path) {
  for (const codegen::GeneratedFile& file : sources.files) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(CompiledSources, HooksEveryLayerAndLeavesTheModelAsCompiled) {
  const model::Graph graph = examples::orientation_model();
  auto sources = compiled_sources(graph, codegen::default_runtime_dir());
  ASSERT_TRUE(sources) << sources.status().message();
  ASSERT_EQ(sources->files.size(), 3u);
  const codegen::GeneratedFile* source = find(*sources, "model.c");
  ASSERT_NE(source, nullptr);
  ASSERT_NE(find(*sources, "model.h"), nullptr);
  ASSERT_NE(find(*sources, "glue.c"), nullptr);

  ASSERT_EQ(sources->order.size(), graph.operators.size());
  EXPECT_EQ(count(source->content, "model_layer_begin();"),
            graph.operators.size());
  EXPECT_EQ(count(source->content, "model_layer_end();"),
            graph.operators.size());
  EXPECT_NE(source->content.find(".tm_measure_text"), std::string::npos);

  // Without the hooks, the same compiler writes the file up to the hooks.
  auto plan = plan::plan_memory(graph);
  ASSERT_TRUE(plan);
  codegen::CompileOptions options;
  options.name = kCompiledModelName;
  options.source_description = "profiled by tierml profile";
  auto plain = codegen::compile_model(graph, *plan, options);
  ASSERT_TRUE(plain) << plain.status().message();
  for (const codegen::GeneratedFile& file : plain->files) {
    if (file.path == "model.c") {
      ASSERT_LT(file.content.size(), source->content.size());
      EXPECT_EQ(source->content.substr(0, file.content.size()), file.content);
      EXPECT_EQ(file.content.find("layer_begin"), std::string::npos);
    }
  }
  EXPECT_EQ(sources->arena_bytes, plain->arena_bytes);
}

TEST(CompiledSources, GlueGivesTypedBuffersAndBothInvokes) {
  const model::Graph graph = examples::orientation_model();
  const std::string glue = glue_source(graph, false, false);
  EXPECT_NE(glue.find("static model_INPUT0_TYPE input0[3]"), std::string::npos);
  EXPECT_NE(glue.find("static model_OUTPUT0_TYPE output0[6]"),
            std::string::npos);
  EXPECT_NE(glue.find("model_invoke_with_arena(tm_arena, input0, output0)"),
            std::string::npos);
  EXPECT_NE(
      glue.find("model_invoke_layers_with_arena(tm_arena, input0, output0)"),
      std::string::npos);
  EXPECT_NE(glue.find("section(\".tm_arena\")"), std::string::npos);
  EXPECT_EQ(glue.find("reset_arena"), std::string::npos);
  EXPECT_NE(glue_source(graph, true, false).find("model_reset_arena(tm_arena)"),
            std::string::npos);
}

TEST(CompiledSources, GlueRunsInTheArenaWithoutBuffers) {
  const model::Graph graph = examples::orientation_model();
  const std::string glue = glue_source(graph, false, true);
  EXPECT_EQ(glue.find("static model_"), std::string::npos);
  EXPECT_NE(glue.find("tm_inputs[] = {tm_arena + model_INPUT0_OFFSET}"),
            std::string::npos);
  EXPECT_NE(glue.find("tm_outputs[] = {tm_arena + model_OUTPUT0_OFFSET}"),
            std::string::npos);
  EXPECT_NE(glue.find("return model_run_in_arena(tm_arena);"),
            std::string::npos);
  EXPECT_NE(glue.find("return model_run_layers_in_arena(tm_arena);"),
            std::string::npos);
}

TEST(OriginGroup, GeneratedCodeAndModel) {
  EXPECT_EQ(origin_group("generated_model.o"), "generated model");
  EXPECT_EQ(origin_group("model_blob.o"), "model");
  EXPECT_EQ(origin_group("glue.o"), "firmware");
  EXPECT_EQ(origin_group("/cache/lib/profile_compiled_main.o"), "firmware");
}

}  // namespace
}  // namespace tierml::target
