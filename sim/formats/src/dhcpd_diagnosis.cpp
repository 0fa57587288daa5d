// ISC's diagnostic lines in one table: wording, diagnosis, explanation (dhcpd_diagnosis.hpp).
#include "fosim/formats/dhcpd_diagnosis.hpp"

#include <algorithm>
#include <array>

namespace fosim::sim {
namespace {

using D = Diagnosis;

// clang-format off
constexpr std::array<DiagnosisRow, 8> rows{{
  // failover.c dhcp_failover_listener_signal(): the connecting address is no peer's.
  {"failover: listener: no matching state", D::no_matching_peer, "no-matching-peer",
   "a failover connection came in that no `failover peer` block matches: the address it came "
   "from is not that block's `peer address` (ISC 4.x matches the connection by its source "
   "address), so the peer's name or addresses do not match. Check `address` and `peer address` "
   "on both servers against the addresses the partner really connects from (NAT, a second "
   "interface), and that both name the same failover peer"},
  // failover.c: the CONNECT (or our CONNECT's answer) was refused; the reason says which.
  {"CONNECT rejected: ", D::connect_rejected, "connect-rejected",
   "this server refused its partner's CONNECT: the two configurations disagree on what the "
   "reason names (the failover peer's name, the roles - both primary or both secondary -, "
   "MCLT, split/hba, or an unknown server); the link stays down until the files agree"},
  {"Failover CONNECT to ", D::connect_refused, "connect-refused",
   "the partner refused this server's CONNECT (or this server its CONNECTACK): the two "
   "configurations disagree on what the reason names (the failover peer's name, the roles, "
   "MCLT, split/hba); the link stays down until the files agree"},
  // dhcp.c: a DISCOVER in a failover pool when this server's own free leases are used up.
  {"peer holds all free leases", D::peer_holds_all_free, "peer-holds-all-free",
   "this server has no free lease of its own left: the free leases of the pool are its "
   "partner's (ISC splits them between the servers and rebalances with POOLREQ). In normal "
   "the partner answers the client; a pool too small or a balance that never ran (the link "
   "down, communications-interrupted) leaves clients without an address here"},
  {"no free leases", D::no_free_leases, "no-free-leases",
   "the pool has no lease to give this client: it is exhausted (or the client's subnet has no "
   "pool it may use)"},
  // failover.c dhcp_failover_pool_dobalance() / dhcp_failover_pool_check().
  {"IMBALANCED pool ", D::pool_imbalanced, "pool-imbalanced",
   "the free leases are split between the servers further from even than max-misbal allows: "
   "free is this server's, backup its partner's, lts how many this server would hand over "
   "(negative: how many it wants); ISC rebalances on the next balance run if the link is up"},
  {"balancing pool ", D::pool_balance, "pool-balance",
   "ISC balances a pool: total leases, free (this server's), backup (the partner's), lts (to "
   "send to the partner; negative: to get from it) and max-own, the most it keeps; "
   "`requesting peer rebalance` means it asked the partner for leases (POOLREQ)"},
  {"balanced pool ", D::pool_balance, "pool-balance",
   "a pool's split after balancing: total leases, free (this server's), backup (the "
   "partner's), lts (to send; negative: to get) within max-misbal"},
}};
// clang-format on

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::span<const DiagnosisRow> diagnosis_table() { return rows; }

std::optional<Diagnosis> diagnose(std::string_view message) {
  for (const DiagnosisRow& r : rows)
    if (message.find(r.pattern) != std::string_view::npos) {
      // "Failover CONNECT to P rejected: ..." - both words, not a CONNECT that went out.
      if (starts(r.pattern, "Failover CONNECT") && message.find(" rejected") == message.npos)
        continue;
      return r.diagnosis;
    }
  return std::nullopt;
}

const DiagnosisRow& row_of(Diagnosis d) {
  return *std::find_if(rows.begin(), rows.end(),
                       [d](const DiagnosisRow& r) { return r.diagnosis == d; });
}

bool lease_file_line(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  if (starts(line, "lease ") && line.find('{') != std::string_view::npos) return true;
  if (starts(line, "failover peer \"") && line.find("state {") != std::string_view::npos)
    return true;
  return starts(line, "server-duid ") || starts(line, "authoring-byte-order ") ||
         starts(line, "# The format of this file is documented in the dhcpd.leases(5)");
}

}  // namespace fosim::sim
