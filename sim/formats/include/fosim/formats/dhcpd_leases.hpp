// Reading ISC dhcpd's lease file, dhcpd.leases (and its backup dhcpd.leases~), into typed values.
//
// dhcpd writes the file as a journal (dhcp server/db.c write_lease(), write_failover_state()):
// every change appends a whole `lease A.B.C.D { ... }` or `failover peer "X" state { ... }`
// block, so one address or peer appears many times and, as when dhcpd reads it back (dhcp
// server/confpars.c parse_lease_declaration(), parse_failover_state_declaration()), the last one
// wins. The reader keeps what the file says and no more: a value the file leaves out stays empty
// (dhcpd fills some in from its clock when it starts, see docs/leases.md). Statements dhcpd
// writes that fosim does not model (set, on, option agent.*, billing, ddns, host, class, IPv6
// leases) are read over and counted. A mistake is an error naming the file, the line and what
// would have been valid; the reader then goes on with the next declaration, so one bad lease
// loses nothing else. Nothing in here throws on bad input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/core/binding.hpp"
#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"

namespace fosim::sim {

/// A lease-file time: whole seconds since 1970-01-01 00:00 UTC on fosim's Instant.
using LeaseTime = core::Instant;

/// `never;` (ISC's MAX_TIME). ISC also reads every year from 2038 on as never (dhcp
/// common/parse.c parse_date_core()).
inline constexpr LeaseTime lease_never = LeaseTime::max();

/// Parses the value of a time statement without its `;`: `W YYYY/MM/DD HH:MM:SS [TZOFF]`
/// (UTC, what dhcpd writes by default), `epoch N` (db-time-format local) or `never`.
std::optional<LeaseTime> parse_lease_time(std::string_view text);

/// Returns `t` as dhcpd writes it with the default db-time-format: "W YYYY/MM/DD HH:MM:SS"
/// (W the day of the week, 0 = Sunday, UTC), or "never".
std::string format_lease_time(LeaseTime t);

/// One failover state as the file records it: `my state normal at 3 2020/05/06 14:56:17;`.
struct RecordedState {
  core::State state = core::State::unknown_state;
  std::optional<LeaseTime> at;  ///< empty: written without `at` (dhcpd then takes its start time)
  std::size_t line = 0;
};

/// One `failover peer "NAME" state { ... }` record, the last of the file for that peer name.
struct PeerStateRecord {
  std::string peer;                      ///< the failover peer name
  std::optional<RecordedState> me;       ///< `my state`
  std::optional<RecordedState> partner;  ///< `partner state`
  std::optional<std::int64_t> mclt_s;    ///< `mclt N;`: dhcpd writes it on the secondary only
  std::size_t line = 0;                  ///< the line of the last record's `failover`
};

/// One `lease A.B.C.D { ... }` as the last declaration of that address in the file says.
struct IscLease {
  std::uint32_t address = 0;  ///< host order
  std::size_t line = 0;       ///< the line of the winning declaration's `lease`
  std::optional<LeaseTime> starts, ends;
  std::optional<LeaseTime> tstp;   ///< potential expiry sent to the partner
  std::optional<LeaseTime> tsfp;   ///< potential expiry the partner acknowledged (or sent)
  std::optional<LeaseTime> atsfp;  ///< the last potential expiry the partner really acked
  std::optional<LeaseTime> cltt;   ///< the client's last transaction time
  std::optional<core::BindingState> binding;  ///< `binding state` (`abandoned;` sets it too)
  std::optional<core::BindingState> next_binding;
  std::optional<core::BindingState> rewind_binding;
  std::string hardware_type;                     ///< e.g. "ethernet"; empty without `hardware`
  std::vector<std::uint8_t> hardware;            ///< the hardware address
  std::optional<std::vector<std::uint8_t>> uid;  ///< the client identifier
  std::optional<std::string> client_hostname;
  bool reserved = false;       ///< `reserved;` (or the old `binding state reserved;`)
  bool dynamic_bootp = false;  ///< `dynamic-bootp;` (or the old `binding state bootp;`)
};

/// A mistake in a lease file: where, and what would have been valid there.
struct LeasesError {
  std::string file;
  std::size_t line = 0;
  std::string message;  ///< e.g. "expected a binding state (free, active, ...), got 'bound'"
};

/// A statement read over because fosim does not model it.
struct SkippedStatement {
  std::size_t line = 0;
  std::string keyword;  ///< its first word, e.g. "set", "host", "ia-na"
};

/// Everything one lease file holds.
struct LeasesFile {
  std::string file;                        ///< the name given to the reader
  std::vector<PeerStateRecord> peers;      ///< one per peer name, in order of first appearance
  std::vector<IscLease> leases;            ///< one per address, in order of first appearance
  std::size_t lease_declarations = 0;      ///< every `lease` block read, repeats included
  std::optional<std::string> server_duid;  ///< the bytes of `server-duid`
  std::optional<std::string> authoring_byte_order;  ///< "little-endian" or "big-endian"
  std::vector<SkippedStatement> skipped;
  std::vector<LeasesError> errors;  ///< empty when the whole file was understood
};

/// Reads `text`, the contents of the lease file named `file` in messages.
LeasesFile read_dhcpd_leases(std::string_view text, const std::string& file);

/// Returns the record of `peer`, or the only one when `peer` is empty; nothing otherwise.
const PeerStateRecord* find_peer(const LeasesFile& leases, std::string_view peer = {});

/// Returns the address as a dotted quad.
std::string format_ipv4(std::uint32_t address);

}  // namespace fosim::sim
