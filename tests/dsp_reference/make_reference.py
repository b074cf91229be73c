#!/usr/bin/python3
"""Reference data for tests/unit/dsp, computed with NumPy/SciPy.

Usage: make_reference.py OUT_DIR   (or import it: kws_mfcc, ad_logmel)

Writes raw little-endian arrays into OUT_DIR: test signals as int16
(<name>.i16) and reference results as float64 (<name>.f64); the C++ tests
read them by name. Exits 77 when NumPy or SciPy is missing so the caller can
skip. Nothing here is checked in: the data is regenerated for every run.

The mel filterbanks are written here from their textbook definitions
(triangles between mel-spaced edges), independently of runtime/dsp.
"""
import os
import sys

try:
    import numpy as np
    import scipy.fft
    import scipy.signal
    import scipy.stats
except ImportError as e:  # pragma: no cover
    print(f"make_reference: {e}", file=sys.stderr)
    sys.exit(77)

OUT = "."
RNG_SEED = 20241129


def save(name, array, dtype):
    np.ascontiguousarray(array, dtype=dtype).tofile(os.path.join(OUT, name))


def save_signal(name, x):
    save(name + ".i16", x, "<i2")


def save_ref(name, x):
    save(name + ".f64", x, "<f8")


def to_i16(x):
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)


def test_signals(n, rng):
    t = np.arange(n)
    k = max(1, n // 16)  # a bin-centred tone
    sigs = {
        "sine": to_i16(0.7 * np.sin(2 * np.pi * k * t / n + 0.3)),
        "chirp": to_i16(0.5 * scipy.signal.chirp(t, f0=0.01, t1=n, f1=0.45)),
        "noise": to_i16(rng.normal(0.0, 0.2, n)),
        "impulse": to_i16(np.where(t == 3, 0.9, 0.0)),
        "dc": to_i16(np.full(n, 0.25)),
        # Full scale, both rails: the saturation case.
        "square": np.where((t // 8) % 2 == 0, 32767, -32768).astype(np.int16),
        "quiet": to_i16(0.001 * np.sin(2 * np.pi * 3 * t / n)),
    }
    return sigs


def fft_group(rng):
    for n in (64, 256, 512, 2048):
        for name, x in test_signals(n, rng).items():
            base = f"fft_{name}_{n}"
            save_signal(base, x)
            spec = scipy.fft.rfft(x.astype(np.float64) / 32768.0)
            save_ref(base, np.stack([spec.real, spec.imag], axis=1).ravel())


def window_group():
    for kind in ("hann", "hamming"):
        for length in (64, 400, 480, 1024):
            for periodic in (0, 1):
                w = scipy.signal.get_window(kind, length, fftbins=bool(periodic))
                save_ref(f"window_{kind}_{length}_{periodic}", w)


def hz_to_mel(f, scale):
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 1127.0 * np.log1p(f / 700.0)
    lin = f / (200.0 / 3.0)
    return np.where(f < 1000.0, lin,
                    15.0 + np.log(np.maximum(f, 1e-9) / 1000.0) / (np.log(6.4) / 27.0))


def mel_to_hz(m, scale):
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * np.expm1(m / 1127.0)
    return np.where(m < 15.0, m * (200.0 / 3.0),
                    1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)))


def mel_matrix(sr, n_fft, bands, lo, hi, scale, in_mel, slaney_norm):
    """bands x (n_fft/2 + 1) triangular filterbank."""
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    edges_mel = np.linspace(hz_to_mel(lo, scale), hz_to_mel(hi, scale), bands + 2)
    if in_mel:
        x, edges = hz_to_mel(freqs, scale), edges_mel
    else:
        x, edges = freqs, mel_to_hz(edges_mel, scale)
    left, centre, right = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (x[None, :] - left) / (centre - left)
    down = (right - x[None, :]) / (right - centre)
    w = np.maximum(0.0, np.minimum(up, down))
    if slaney_norm:
        hz = mel_to_hz(edges_mel, scale)
        w *= (2.0 / (hz[2:] - hz[:-2]))[:, None]
    return w


# The two recipes of docs/features.md.
KWS = dict(sr=16000, frame=480, stride=320, n_fft=512, bands=40, lo=20.0,
           hi=4000.0, scale="htk", in_mel=True, norm=False, mfcc=10)
AD = dict(sr=16000, frame=1024, stride=512, n_fft=1024, bands=128, lo=0.0,
          hi=8000.0, scale="slaney", in_mel=False, norm=True)
KWS_Q = (0.584702909, 83)   # tiny_kws_ref_model input (meta.json)
AD_Q = (0.391015232, 89)    # tiny_ad01_int8 input (meta.json)


def mel_group():
    for name, c in (("kws", KWS), ("ad", AD)):
        m = mel_matrix(c["sr"], c["n_fft"], c["bands"], c["lo"], c["hi"],
                       c["scale"], c["in_mel"], c["norm"])
        save_ref(f"mel_{name}", m)


def dct_group(rng):
    x = rng.normal(0.0, 3.0, 40)
    save_ref("dct_in", x)
    save_ref("dct_ortho", scipy.fft.dct(x, type=2, norm="ortho"))


def frames_of(x, frame, stride):
    count = 1 + (len(x) - frame) // stride
    return np.stack([x[i * stride:i * stride + frame] for i in range(count)])


def quantize(v, q):
    return np.clip(np.round(v / q[0]) + q[1], -128, 127)


def hann(length, q15):
    """Periodic Hann; with q15, the fixed path's table round(w * 2^15)
    (saturated), whose coefficient rounding sets a noise floor about 125 dB
    under a loud tone's peak bin (docs/features.md)."""
    w = scipy.signal.get_window("hann", length, fftbins=True)
    return np.minimum(np.floor(w * 32768.0 + 0.5), 32767.0) / 32768.0 if q15 else w


def kws_mfcc(clip, q15_window=False):
    """MLPerf Tiny KWS features of an int16 clip of 16000 samples: x / max(x),
    periodic Hann, |rfft| zero-padded to 512, HTK mel (mel-domain triangles)
    20..4000 Hz, ln(mel + 1e-6), DCT-II times sqrt(2/M)
    (tf.signal.mfccs_from_log_mel_spectrograms), 10 coefficients.
    Returns (float [49, 10], int8 [49, 10])."""
    x = clip.astype(np.float64) / 32768.0
    x = x / x.max()
    c = KWS
    f = frames_of(x, c["frame"], c["stride"]) * hann(c["frame"], q15_window)
    mag = np.abs(scipy.fft.rfft(f, n=c["n_fft"], axis=1))
    mel = mag @ mel_matrix(c["sr"], c["n_fft"], c["bands"], c["lo"], c["hi"],
                           c["scale"], c["in_mel"], c["norm"]).T
    log_mel = np.log(mel + 1e-6)
    mfcc = scipy.fft.dct(log_mel, type=2, norm="ortho", axis=1)
    mfcc[:, 0] *= np.sqrt(2.0)  # TF's normalisation differs only in c0
    mfcc = mfcc[:, :c["mfcc"]]
    return mfcc, quantize(mfcc, KWS_Q)


def ad_logmel(clip):
    """MLPerf Tiny AD (DCASE 2020 baseline) log-mel frames of an int16 clip:
    librosa-style power mel spectrogram without centring, n_fft 1024, hop
    512, periodic Hann, Slaney mel 0..8 kHz with Slaney norm,
    10 log10(mel + eps). Returns (float [frames, 128], int8 [frames, 128])."""
    c = AD
    x = clip.astype(np.float64) / 32768.0
    f = frames_of(x, c["frame"], c["stride"]) * hann(c["frame"], False)
    power = np.abs(scipy.fft.rfft(f, n=c["n_fft"], axis=1)) ** 2
    mel = power @ mel_matrix(c["sr"], c["n_fft"], c["bands"], c["lo"], c["hi"],
                             c["scale"], c["in_mel"], c["norm"]).T
    log_mel = 10.0 * np.log10(mel + np.finfo(np.float64).eps)
    return log_mel, quantize(log_mel, AD_Q)


def pipeline_group(rng):
    sr = 16000
    t = np.arange(sr) / sr
    clip = (0.4 * scipy.signal.chirp(t, f0=200, t1=1.0, f1=3500) +
            0.2 * np.sin(2 * np.pi * 440 * t) * (t > 0.5) +
            rng.normal(0.0, 0.01, sr))
    clip = to_i16(clip)
    save_signal("kws_clip", clip)
    mfcc, mfcc_q = kws_mfcc(clip)
    save_ref("kws_mfcc", mfcc)
    save_ref("kws_mfcc_q", mfcc_q)

    ad_clip = to_i16(0.3 * np.sin(2 * np.pi * 1234.5 * t[:3072]) +
                     0.05 * rng.normal(0.0, 1.0, 3072))
    save_signal("ad_clip", ad_clip)
    log_mel, log_mel_q = ad_logmel(ad_clip)
    save_ref("ad_logmel", log_mel)
    save_ref("ad_logmel_q", log_mel_q)


def stats_group(rng):
    n = 2048
    t = np.arange(n)
    sigs = {
        "sine": to_i16(0.6 * np.sin(2 * np.pi * 8 * t / n)),
        "noise": to_i16(rng.normal(0.05, 0.15, n)),
        "skewed": to_i16(np.clip(rng.exponential(0.1, n) - 0.1, -1, 0.99)),
        "impacts": to_i16(np.where(t % 256 == 7, 0.95, 0.0) +
                          rng.normal(0.0, 0.01, n)),
        "square": np.where((t // 8) % 2 == 0, 32767, -32768).astype(np.int16),
        "quiet": to_i16(rng.normal(0.0, 0.0005, n)),
    }
    for name, x in sigs.items():
        save_signal(f"stats_{name}", x)
        v = x.astype(np.float64) / 32768.0
        rms = np.sqrt(np.mean(v * v))
        peak = np.max(np.abs(v))
        save_ref(f"stats_{name}", [np.mean(v), rms, peak, peak / rms,
                                   scipy.stats.skew(v),
                                   scipy.stats.kurtosis(v)])


def main():
    global OUT
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(RNG_SEED)
    fft_group(rng)
    window_group()
    mel_group()
    dct_group(rng)
    pipeline_group(rng)
    stats_group(rng)


if __name__ == "__main__":
    main()
