/* Analysis windows. "Periodic" windows (length L taken from a cycle of
 * L + 1 points: scipy.signal.get_window's default, tf.signal.hann_window,
 * librosa) suit spectral analysis; "symmetric" ones (numpy.hanning) suit
 * filter design. Tables are filled once, at set-up, by the caller's code. */
#ifndef TIERML_DSP_WINDOW_H_
#define TIERML_DSP_WINDOW_H_

#include <stdint.h>

#include "tierml/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  kTmWindowRectangular = 0,
  kTmWindowHann = 1,    /* 0.5 - 0.5 cos(2 pi n / D) */
  kTmWindowHamming = 2, /* 0.54 - 0.46 cos(2 pi n / D) */
} TmWindowType;

/* D = length when periodic != 0, length - 1 otherwise. length >= 1; a
 * symmetric window of length 1 is {1}. type is a TmWindowType, passed as an
 * int so that any value a caller stores can be checked without undefined
 * behaviour. */
TmStatus tm_window_f32(int32_t type, int32_t length, int32_t periodic,
                       float* out);
/* The same in Q15, round(w * 32768) saturated to 32767. */
TmStatus tm_window_q15(int32_t type, int32_t length, int32_t periodic,
                       int16_t* out);

/* out[i] = x[i] * w[i]; out may alias x. */
void tm_window_apply_f32(const float* w, const float* x, int32_t length,
                         float* out);
/* out[i] = round(x[i] * w[i] / 32768), half away from zero. */
void tm_window_apply_q15(const int16_t* w, const int16_t* x, int32_t length,
                         int16_t* out);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_WINDOW_H_ */
