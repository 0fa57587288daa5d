// Fuzzes the reader of sweep.json that fosim merge relies on, read_sweep_json(), and every
// writer of what it reads (JSON, CSV, JUnit, the HTML page, the summary) and the merge of it with
// itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fosim/tools/sweep_output.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto r = fosim::tools::read_sweep_json(text, "sweep.json", error);
  if (!r) return 0;
  (void)fosim::tools::sweep_json(*r);
  (void)fosim::tools::sweep_csv(*r);
  (void)fosim::tools::sweep_junit(*r);
  (void)fosim::tools::sweep_html(*r);
  (void)fosim::tools::sweep_summary(*r);
  (void)fosim::tools::merge_sweeps({*r, *r}, error);
  return 0;
}
