// Fuzzes the Micetro and Windows relationship importer, import_relationship(), with the format
// told by the keys and given either way, and with a relationship name to pick.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fosim/formats/failover_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)fosim::sim::import_relationship(text, "fuzz.json");
  (void)fosim::sim::import_relationship(text, "fuzz.json", fosim::sim::ImportFormat::micetro);
  (void)fosim::sim::import_relationship(text, "fuzz.json", fosim::sim::ImportFormat::windows,
                                        "branch-lb");
  return 0;
}
