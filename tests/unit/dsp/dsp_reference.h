// Reference data for the DSP tests, computed by
// tests/dsp_reference/make_reference.py with NumPy/SciPy when the tests run
// (never checked in). The script runs once per script version: its output
// directory under the system temp folder is keyed by a hash of the script
// and published with an atomic rename, so parallel test processes share it.
#ifndef TIERML_TESTS_UNIT_DSP_DSP_REFERENCE_H_
#define TIERML_TESTS_UNIT_DSP_DSP_REFERENCE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tierml::testing {

class DspReference {
 public:
  static const DspReference& get();

  bool available() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // Empty (with a test failure) if the file is missing.
  std::vector<double> f64(const std::string& name) const;
  std::vector<int16_t> i16(const std::string& name) const;

 private:
  DspReference();
  std::string dir_;
  std::string error_;
};

}  // namespace tierml::testing

// Skips the test with the reason when NumPy/SciPy are unavailable.
#define TM_REQUIRE_DSP_REFERENCE(ref)                       \
  const auto& ref = ::tierml::testing::DspReference::get(); \
  if (!ref.available()) GTEST_SKIP() << "DSP reference data: " << ref.error()

#endif  // TIERML_TESTS_UNIT_DSP_DSP_REFERENCE_H_
