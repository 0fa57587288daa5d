// Fuzzes the parsers of single values: durations, IPv4 addresses, hex bytes and HBAs, failover
// and binding state names. Each reads the whole input, and what it returns must keep the
// promises of its header.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fosim/core/binding.hpp"
#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/core/load_balance.hpp"
#include "fosim/core/state.hpp"
#include "fosim/formats/scenario_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // "Nothing for negative or malformed input": a duration is never below zero.
  if (const auto d = fosim::sim::parse_duration(text); d && d->count() < 0) std::abort();

  (void)fosim::core::parse_ipv4(text);

  // Every byte takes at least one hex digit; an HBA is the same bytes, exactly 32 of them.
  const auto bytes = fosim::core::parse_hex_bytes(text);
  if (bytes && (bytes->empty() || bytes->size() > text.size())) std::abort();
  const auto hba = fosim::core::parse_hba(text);
  if (hba.has_value() != (bytes && bytes->size() == 32)) std::abort();

  (void)fosim::core::parse_state(text);
  (void)fosim::core::parse_binding_state(text);
  return 0;
}
