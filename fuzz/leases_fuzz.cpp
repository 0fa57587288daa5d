// Fuzzes the dhcpd.leases reader, read_dhcpd_leases(), then what `fosim leases` does with what it
// read: the counts, a rebalance run, the audit of the file alone and as both servers of a pair,
// and every time written back as dhcpd writes it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fosim/formats/dhcpd_leases.hpp"
#include "fosim/formats/leases_audit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fosim::sim::LeasesFile f = fosim::sim::read_dhcpd_leases(text, "fuzz.leases");
  (void)fosim::sim::count_bindings(f);
  (void)fosim::sim::balance_pool(f, fosim::core::Role::primary);
  (void)fosim::sim::balance_pool(f, fosim::core::Role::secondary);
  const std::array<fosim::sim::LeasesFile, 2> pair{f, f};
  (void)fosim::sim::audit_leases(std::span(pair.data(), 1), std::nullopt);
  (void)fosim::sim::audit_leases(pair, 0);
  for (const fosim::sim::IscLease& l : f.leases)
    for (const auto& t : {l.starts, l.ends, l.tstp, l.tsfp, l.atsfp, l.cltt})
      if (t) (void)fosim::sim::format_lease_time(*t);
  return 0;
}
