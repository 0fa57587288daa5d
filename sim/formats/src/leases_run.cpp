// run_lease_file(): the lease file a server of a run holds at its end, as dhcpd would have
// written it.
#include "fosim/formats/leases_write.hpp"
#include "fosim/sim/clients.hpp"

namespace fosim::sim {
namespace {

using core::BindingState;

/// A run time as a lease-file time; nothing for 0 (not set: dhcpd leaves it out).
std::optional<LeaseTime> file_time(Instant t, std::int64_t base_s) {
  if (t == Instant{}) return std::nullopt;
  return core::at_seconds(base_s + core::to_seconds(t));
}

IscLease file_lease(const Simulator& run, const Lease& l, std::uint32_t address) {
  const std::int64_t base = run.scenario().lease_clock_base_s;
  IscLease out;
  out.address = address;
  out.starts = file_time(l.starts, base);
  out.ends = file_time(l.ends, base);
  out.tstp = file_time(l.tstp, base);
  out.tsfp = file_time(l.tsfp, base);
  out.atsfp = file_time(l.atsfp, base);
  out.cltt = file_time(l.cltt, base);
  out.binding = l.state;
  // In a failover pool an active lease moves to expired when it ends (dhcp server/mdb.c).
  out.next_binding = l.state == BindingState::active ? BindingState::expired : l.state;
  out.rewind_binding = l.rewind;
  if (l.client != 0) {
    const Clients& clients = run.clients();
    out.hardware_type = "ethernet";
    out.hardware =
        core::parse_hex_bytes(clients.mac_text(l.client - 1)).value_or(std::vector<std::uint8_t>{});
    out.uid = clients.uid(l.client - 1);
  }
  return out;
}

}  // namespace

std::string run_lease_file(const Simulator& run, std::size_t server) {
  const Server& s = run.server(server);
  const std::int64_t base = run.scenario().lease_clock_base_s;
  const core::PeerView& v = s.view();
  const StateRecord rec = s.state_record().value_or(
      StateRecord{v.effective(), v.stos, v.partner, v.partner_stos, v.mclt});
  PeerStateRecord r;
  r.peer = s.config().name;
  r.me = RecordedState{rec.state, core::at_seconds(base + core::to_seconds(rec.stos)), 0};
  r.partner =
      RecordedState{rec.partner, core::at_seconds(base + core::to_seconds(rec.partner_stos)), 0};
  // write_failover_state(): only a secondary writes the MCLT.
  if (s.config().role == core::Role::secondary) r.mclt_s = rec.mclt.count();
  std::vector<IscLease> leases;
  const LeaseDb& db = s.leases();
  for (std::uint32_t i = 0; i < db.size(); ++i)
    if (db[i].client != 0 || db[i].state != BindingState::free)
      leases.push_back(file_lease(run, db[i], db.address(i)));
  return write_dhcpd_leases({r}, leases);
}

}  // namespace fosim::sim
