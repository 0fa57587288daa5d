// Writing a lease file as ISC dhcpd 4.4 writes a fresh one, and the lease files of a run.
//
// dhcpd rewrites its lease file from memory (dhcp server/db.c new_lease_file(), write_leases(),
// write_failover_state(), write_lease()): a header, `authoring-byte-order`, every failover
// state record, then the leases queue by queue (free, active, expired, abandoned, backup),
// each lease that has a client or is not free. Each statement is on its own line, indented two
// spaces, in write_lease()'s order: starts, ends, tstp, tsfp, atsfp, cltt (each only when set),
// binding state, next binding state (only when it differs), rewind binding state (only when it
// differs), reserved, dynamic-bootp, hardware, uid, client-hostname. read_dhcpd_leases() reads
// every such file back to the same values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fosim/formats/dhcpd_leases.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {

/// Returns the text of a lease file holding `peers`' failover state records and `leases`.
std::string write_dhcpd_leases(const std::vector<PeerStateRecord>& peers,
                               const std::vector<IscLease>& leases);

/// Returns the lease file server `server` of `run` holds now: its last failover state record
/// (or, before it wrote one, its current state) and every address it knows a client of or
/// that is not free, with times on `run`'s scenario's `lease_clock_base_s`.
std::string run_lease_file(const Simulator& run, std::size_t server);

}  // namespace fosim::sim
