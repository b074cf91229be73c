// TFLite's int16 sigmoid and tanh: a 256-entry sigmoid table with linear
// interpolation (tanh(x) = 2 sigmoid(2x) - 1). Output is Q0.15. The input is
// first rescaled as (x * multiplier + round) >> left_shift; TFLite's
// power-of-two case (multiplier 0) means multiplier 3 << left_shift and no
// shift, which reads a Q3.12 input (Q4.11 for tanh after the shift folding
// LSTM does). Shared by the LSTM kernel; the int16 LOGISTIC and TANH kernels
// compute the same function.
#ifndef TIERML_KERNELS_SIGMOID_TANH_S16_H_
#define TIERML_KERNELS_SIGMOID_TANH_S16_H_

#include <stdint.h>

namespace tierml {

void sigmoid_s16(int32_t multiplier, int32_t left_shift, int32_t count,
                 const int16_t* input, int16_t* output);
void tanh_s16(int32_t multiplier, int32_t left_shift, int32_t count,
              const int16_t* input, int16_t* output);

}  // namespace tierml

#endif  // TIERML_KERNELS_SIGMOID_TANH_S16_H_
