#include "plan/explain.h"

#include <fmt/format.h>

#include <algorithm>

#include "plan/sharing.h"

namespace tierml::plan {
namespace {

bool buffer_ok(const model::Graph& graph, const Buffer& b) {
  if (b.kind == Buffer::Kind::kScratch) return true;
  return b.tensor >= 0 && b.tensor < static_cast<int32_t>(graph.tensors.size());
}

int64_t rounded(int64_t bytes, int64_t alignment) {
  if (alignment <= 0) return bytes;
  return (bytes + alignment - 1) / alignment * alignment;
}

std::string kind_name(Buffer::Kind kind) {
  switch (kind) {
    case Buffer::Kind::kActivation:
      return "activation";
    case Buffer::Kind::kState:
      return "state";
    case Buffer::Kind::kScratch:
      return "scratch";
  }
  return "?";
}

// "view of t3" / "in place over t3" / "".
std::string sharing_note(const model::Graph& graph, const Buffer& b) {
  if (b.aliases_tensor < 0) return "";
  for (const model::Operator& op : graph.operators) {
    if (std::find(op.outputs.begin(), op.outputs.end(), b.tensor) ==
        op.outputs.end()) {
      continue;
    }
    return fmt::format(
        "{} t{}", is_view_op(op.builtin_code) ? "view of" : "in place over",
        b.aliases_tensor);
  }
  return fmt::format("shares t{}", b.aliases_tensor);
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
  return out;
}

std::string op_label(const model::Graph& graph, const Plan& plan, size_t s) {
  const int32_t op = plan.order[s];
  if (op < 0 || op >= static_cast<int32_t>(graph.operators.size())) return "?";
  return model::op_name(graph.operators[op].builtin_code);
}

std::string bytes_text(int64_t bytes) {
  if (bytes >= 10 * 1024) return fmt::format("{:.1f} KiB", bytes / 1024.0);
  return fmt::format("{} B", bytes);
}

}  // namespace

std::string buffer_label(const model::Graph& graph, const Buffer& buffer,
                         size_t max_chars) {
  if (buffer.kind == Buffer::Kind::kScratch) {
    return fmt::format("scratch op{}", buffer.operator_index);
  }
  if (!buffer_ok(graph, buffer)) return "t?";
  std::string name = graph.tensors[buffer.tensor].name;
  // TFLite fuses names with ';'; the first part names the layer's result.
  const size_t semicolon = name.find(';');
  if (semicolon != std::string::npos) name.resize(semicolon);
  std::string label = fmt::format("t{} {}", buffer.tensor, name);
  if (label.size() > max_chars && max_chars > 3) {
    // Keep the end, where layer names differ.
    const std::string prefix = fmt::format("t{} ...", buffer.tensor);
    const size_t keep =
        max_chars > prefix.size() ? max_chars - prefix.size() : 0;
    label = prefix + name.substr(name.size() - std::min(keep, name.size()));
  }
  return label;
}

std::vector<StepSummary> step_summaries(const model::Graph& graph,
                                        const Plan& plan) {
  std::vector<StepSummary> steps;
  for (size_t s = 0; s < plan.order.size(); ++s) {
    StepSummary summary;
    summary.step = static_cast<int32_t>(s);
    summary.operator_index = plan.order[s];
    summary.op = op_label(graph, plan, s);
    summary.live_bytes =
        s < plan.live_bytes_per_step.size() ? plan.live_bytes_per_step[s] : 0;
    for (size_t i = 0; i < plan.buffers.size(); ++i) {
      const Buffer& b = plan.buffers[i];
      if (!buffer_ok(graph, b)) continue;
      if (b.first_step > summary.step || summary.step > b.last_step) continue;
      summary.live_buffers.push_back(static_cast<int32_t>(i));
      summary.top_bytes = std::max(summary.top_bytes,
                                   rounded(b.offset + b.bytes, plan.alignment));
    }
    std::stable_sort(summary.live_buffers.begin(), summary.live_buffers.end(),
                     [&](int32_t a, int32_t b) {
                       return plan.buffers[a].offset < plan.buffers[b].offset;
                     });
    steps.push_back(std::move(summary));
  }
  return steps;
}

int64_t plan_top_bytes(const model::Graph& graph, const Plan& plan) {
  int64_t top = 0;
  for (const StepSummary& s : step_summaries(graph, plan)) {
    top = std::max(top, s.top_bytes);
  }
  return top;
}

std::string explain_text(const model::Graph& graph, const Plan& plan) {
  const std::vector<StepSummary> steps = step_summaries(graph, plan);
  std::string out = fmt::format(
      "memory plan: {} steps, {} buffers, arena {} bytes, alignment {}\n",
      plan.order.size(), plan.buffers.size(), plan.arena_bytes, plan.alignment);
  int64_t top = 0;
  int32_t top_step = -1;
  for (const StepSummary& s : steps) {
    out +=
        fmt::format("step {:>3}  op {:>3} {:<24} live {:>8} B  top {:>8} B\n",
                    s.step, s.operator_index, s.op, s.live_bytes, s.top_bytes);
    for (int32_t i : s.live_buffers) {
      const Buffer& b = plan.buffers[i];
      std::string role;
      if (b.first_step == s.step && b.kind != Buffer::Kind::kState &&
          !(b.first_step == 0 && b.kind == Buffer::Kind::kActivation &&
            std::find(graph.inputs.begin(), graph.inputs.end(), b.tensor) !=
                graph.inputs.end())) {
        role = "new";
      }
      if (b.last_step == s.step &&
          s.step + 1 < static_cast<int32_t>(steps.size())) {
        role += role.empty() ? "last use" : ", last use";
      }
      const std::string note = sharing_note(graph, b);
      if (!note.empty()) role += role.empty() ? note : ", " + note;
      out += fmt::format("    [{:>8}, {:>8}) {:>8} B  {:<10} {}{}\n", b.offset,
                         b.offset + b.bytes, b.bytes, kind_name(b.kind),
                         buffer_label(graph, b, 60),
                         role.empty() ? "" : "  (" + role + ")");
    }
    if (s.top_bytes > top) {
      top = s.top_bytes;
      top_step = s.step;
    }
  }
  out += fmt::format(
      "most bytes live at one step: {} (no placement of these lifetimes needs "
      "fewer)\n",
      plan.peak_live_bytes);
  out += fmt::format("peak: {} bytes (highest arena address in use, step {})\n",
                     top, top_step);
  return out;
}

std::string explain_svg(const model::Graph& graph, const Plan& plan) {
  const auto steps = static_cast<int32_t>(plan.order.size());
  const int64_t arena = std::max<int64_t>(
      {plan.arena_bytes, plan_top_bytes(graph, plan), int64_t{1}});
  // Wide enough for the title and legend even with few steps.
  const double column =
      std::max(std::clamp(960.0 / std::max(steps, 1), 28.0, 90.0),
               640.0 / std::max(steps, 1));
  const double left = 90, top = 60, plot_h = 560, bottom = 160;
  const double plot_w = column * std::max(steps, 1);
  const double width = left + plot_w + 30, height = top + plot_h + bottom;
  const double scale = plot_h / static_cast<double>(arena);

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
      "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n",
      width, height, width, height);
  svg += fmt::format(
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{:.0f}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">"
      "Memory plan: arena {} bytes, most live at one step {} bytes, {} steps"
      "</text>\n",
      left, plan.arena_bytes, plan.peak_live_bytes, steps);
  // Axes and address grid.
  svg += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
      "fill=\"#f7f7f7\" stroke=\"#444\"/>\n",
      left, top, plot_w, plot_h);
  for (int k = 0; k <= 8; ++k) {
    const int64_t address = arena * k / 8;
    const double y = top + plot_h - address * scale;
    svg += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
        "stroke=\"#ddd\"/><text x=\"{:.1f}\" y=\"{:.1f}\" "
        "text-anchor=\"end\">{}</text>\n",
        left, y, left + plot_w, y, left - 6, y + 4, address);
  }
  svg += fmt::format(
      "<text x=\"16\" y=\"{:.1f}\" transform=\"rotate(-90 16 {:.1f})\" "
      "text-anchor=\"middle\">arena address (bytes)</text>\n",
      top + plot_h / 2, top + plot_h / 2);
  for (int32_t s = 0; s < steps; ++s) {
    const double x = left + (s + 0.5) * column;
    const double y = top + plot_h + 12;
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" transform=\"rotate(60 {:.1f} "
        "{:.1f})\">{} {}</text>\n",
        x, y, x, y, s, xml_escape(op_label(graph, plan, s)));
  }
  svg += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">step "
      "(operator)</text>\n",
      left + plot_w / 2, height - 10);

  // One rectangle per buffer; aliases drawn over their target's bytes.
  for (size_t i = 0; i < plan.buffers.size(); ++i) {
    const Buffer& b = plan.buffers[i];
    if (!buffer_ok(graph, b) || b.bytes <= 0) continue;
    const double x = left + b.first_step * column;
    const double w = (b.last_step - b.first_step + 1) * column;
    const double h = std::max(1.0, b.bytes * scale);
    const double y = top + plot_h - (b.offset + b.bytes) * scale;
    std::string fill;
    if (b.kind == Buffer::Kind::kScratch) {
      fill = "#bbbbbb";
    } else if (b.kind == Buffer::Kind::kState) {
      fill = "#f4a460";
    } else {
      const int hue = static_cast<int>((b.tensor * 47) % 360);
      fill =
          fmt::format("hsl({},55%,{}%)", hue, b.aliases_tensor >= 0 ? 80 : 68);
    }
    const std::string label = buffer_label(graph, b, 60);
    const std::string note = sharing_note(graph, b);
    svg += fmt::format(
        "<g><title>{} ({}): bytes [{}, {}), {} B, steps {}..{}{}</title>"
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "fill=\"{}\" stroke=\"#333\" stroke-width=\"0.6\"{}/>",
        xml_escape(label), kind_name(b.kind), b.offset, b.offset + b.bytes,
        b.bytes, b.first_step, b.last_step,
        note.empty() ? "" : ", " + xml_escape(note), x, y, w, h, fill,
        b.aliases_tensor >= 0 ? " stroke-dasharray=\"3,2\"" : "");
    // A label only where it fits: about 6 px per character, 12 px high.
    if (h >= 12 && w >= 30) {
      const auto chars = static_cast<size_t>(std::max(3.0, (w - 6) / 6.0));
      const std::string text = buffer_label(graph, b, chars);
      svg += fmt::format(
          "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\">{}</text>", x + 3,
          y + std::min(h / 2 + 4, 13.0), xml_escape(text));
      if (h >= 26) {
        svg += fmt::format(
            "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" "
            "fill=\"#333\">{}</text>",
            x + 3, y + 25, bytes_text(b.bytes));
      }
    }
    svg += "</g>\n";
  }
  // Legend (two rows of text would collide with rotated step names below).
  const double ly = 34;  // under the title, clear of the step labels
  svg += fmt::format(
      "<rect x=\"{0:.0f}\" y=\"{1:.0f}\" width=\"12\" height=\"10\" "
      "fill=\"hsl(200,55%,68%)\" stroke=\"#333\"/><text x=\"{2:.0f}\" "
      "y=\"{3:.0f}\">activation</text>"
      "<rect x=\"{4:.0f}\" y=\"{1:.0f}\" width=\"12\" height=\"10\" "
      "fill=\"hsl(200,55%,80%)\" stroke=\"#333\" stroke-dasharray=\"3,2\"/>"
      "<text x=\"{5:.0f}\" y=\"{3:.0f}\">shares an input's bytes (view or in "
      "place)</text>"
      "<rect x=\"{6:.0f}\" y=\"{1:.0f}\" width=\"12\" height=\"10\" "
      "fill=\"#bbbbbb\" stroke=\"#333\"/><text x=\"{7:.0f}\" "
      "y=\"{3:.0f}\">kernel scratch</text>"
      "<rect x=\"{8:.0f}\" y=\"{1:.0f}\" width=\"12\" height=\"10\" "
      "fill=\"#f4a460\" stroke=\"#333\"/><text x=\"{9:.0f}\" "
      "y=\"{3:.0f}\">state</text>\n",
      left, ly, left + 16, ly + 9, left + 100, left + 116, left + 370,
      left + 386, left + 480, left + 496);
  svg += "</svg>\n";
  return svg;
}

nlohmann::json explain_json(const model::Graph& graph, const Plan& plan) {
  nlohmann::json j;
  j["arena_bytes"] = plan.arena_bytes;
  j["peak_live_bytes"] = plan.peak_live_bytes;
  j["alignment"] = plan.alignment;
  nlohmann::json steps = nlohmann::json::array();
  for (const StepSummary& s : step_summaries(graph, plan)) {
    steps.push_back({{"step", s.step},
                     {"operator", s.operator_index},
                     {"op", s.op},
                     {"live_bytes", s.live_bytes},
                     {"top_bytes", s.top_bytes}});
  }
  j["steps"] = steps;
  nlohmann::json buffers = nlohmann::json::array();
  for (const Buffer& b : plan.buffers) {
    nlohmann::json e = {{"kind", kind_name(b.kind)},
                        {"offset", b.offset},
                        {"bytes", b.bytes},
                        {"first_step", b.first_step},
                        {"last_step", b.last_step}};
    if (b.kind == Buffer::Kind::kScratch) {
      e["operator"] = b.operator_index;
    } else {
      e["tensor"] = b.tensor;
    }
    if (b.aliases_tensor >= 0) e["shares_tensor"] = b.aliases_tensor;
    buffers.push_back(std::move(e));
  }
  j["buffers"] = buffers;
  return j;
}

}  // namespace tierml::plan
