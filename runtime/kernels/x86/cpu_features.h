// The x86-64 host build's AVX2 paths (x86/*.cc): each function carries its
// own target attribute, so the binary still runs on CPUs without AVX2, and
// is used only where cpu_has_avx2() says so. Other targets (Cortex-M)
// compile the x86 files to nothing.
#ifndef TIERML_KERNELS_X86_CPU_FEATURES_H_
#define TIERML_KERNELS_X86_CPU_FEATURES_H_

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TM_X86_AVX2 1
#define TM_AVX2 __attribute__((target("avx2")))

namespace tierml {
// Whether this CPU (and OS) runs AVX2 code; detected once, at load time.
bool cpu_has_avx2();
}  // namespace tierml
#endif

#endif  // TIERML_KERNELS_X86_CPU_FEATURES_H_
