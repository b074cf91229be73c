// The demo model: which face of a board points up, from one 3-axis
// accelerometer sample. Built with tierml's own GraphBuilder and writer, with
// weights chosen by hand so the right answer is obvious.
#ifndef TIERML_EXAMPLES_ORIENTATION_MODEL_H_
#define TIERML_EXAMPLES_ORIENTATION_MODEL_H_

#include <array>
#include <cstdint>

#include "model/graph.h"

namespace tierml::examples {

// Class order of the output.
constexpr std::array<const char*, 6> kOrientationClasses = {"+x", "-x", "+y",
                                                            "-y", "+z", "-z"};
// Input: int8 [1, 3], acceleration in g with scale 1/64 (range +-2 g).
constexpr float kOrientationInputScale = 1.0f / 64;

// FULLY_CONNECTED 3->6 (+ReLU) projects onto the six signed axes,
// FULLY_CONNECTED 6->6 scores each face as 4 * its projection - 0.5 * the
// others, SOFTMAX gives probabilities (int8, scale 1/256, zero point -128).
model::Graph orientation_model();

// The same computation in float, the oracle for the quantized model.
std::array<float, 6> orientation_reference(float x_g, float y_g, float z_g);

}  // namespace tierml::examples

#endif  // TIERML_EXAMPLES_ORIENTATION_MODEL_H_
