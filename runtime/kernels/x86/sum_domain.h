// The two ways the AVX2 convolutions get TFLite's sums, bias + sum of
// w * (x + input_offset) over the taps inside the input, from windows laid
// out as int16 values, padded taps included. With a folded bias (bias +
// input_offset * sum of all the weights; the only one the generated code
// passes when every window lies inside the input), the windows hold x as it
// is and padded taps hold -input_offset, which takes their share back out.
// Without, the windows hold x + input_offset, padded taps 0, and the sums
// start from the bias.
#ifndef TIERML_KERNELS_X86_SUM_DOMAIN_H_
#define TIERML_KERNELS_X86_SUM_DOMAIN_H_

#include <stdint.h>

namespace tierml {
namespace x86 {

struct Domain {
  const int32_t* init;  // the starting sums (may be NULL)
  int32_t offset;       // added to every input value
  int16_t padding;      // the value of a padded tap
};

// Params: TmConvParams or TmDepthwiseConvParams.
template <typename Params>
Domain domain_of(const Params& p, const int32_t* bias) {
  if (p.folded_bias != nullptr) {
    return {p.folded_bias, 0, static_cast<int16_t>(-p.input_offset)};
  }
  return {bias, p.input_offset, 0};
}

}  // namespace x86
}  // namespace tierml

#endif  // TIERML_KERNELS_X86_SUM_DOMAIN_H_
