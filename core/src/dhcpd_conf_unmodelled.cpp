// The statements of dhcpd.conf that change lease times, failover or which server answers, and
// that fosim reads but does not model: each is warned about by name where it stands, never
// skipped silently. One row a statement, with what ISC does with it (dhcp server/dhcp.c,
// server/confpars.c, server/failover.c of ISC dhcpd 4.4.3; the keywords of server/stables.c).
#include <array>

#include "dhcpd_conf_detail.hpp"

namespace fosim::core::conf_detail {
namespace {

// clang-format off
/// The statements, by what comes before the keyword: nothing, a permit (`allow`, `deny`,
/// `ignore`), or `option`.
constexpr std::array<UnmodelledStatement, 23> unmodelled_statements{{
  // keyword                          follows          what ISC does that fosim does not; the value with which ISC does what fosim does (no warning)
  {"adaptive-lease-time-threshold",  Follows::nothing, "once the pool is that full (percent), ack_lease() cuts lease times to min-lease-time (or what the lease has left)", "0"},
  {"dynamic-bootp-lease-length",     Follows::nothing, "the lease time of BOOTP clients; fosim has none", ""},
  {"dynamic-bootp-lease-cutoff",     Follows::nothing, "when BOOTP clients' leases end; fosim has none", ""},
  {"ping-check",                     Follows::nothing, "whether an OFFER of a free lease waits for an ICMP echo first (ISC's default: on, ping-timeout 1 s); fosim offers at once", "false"},
  {"ping-timeout",                   Follows::nothing, "how long an OFFER of a free lease waits for an ICMP echo (ISC's default 1 s); fosim offers at once", ""},
  {"ping-timeout-ms",                Follows::nothing, "how long an OFFER of a free lease waits for an ICMP echo, in ms; fosim offers at once", ""},
  {"ping-cltt-secs",                 Follows::nothing, "when a returning client's OFFER is pinged again; fosim does not ping", ""},
  {"one-lease-per-client",           Follows::nothing, "a DHCPREQUEST releases the client's other leases (and so queues their updates to the partner)", "false"},
  {"server-id-check",                Follows::nothing, "a DHCPREQUEST naming the other server is dropped instead of going through the ownership rules", "false"},
  {"min-secs",                       Follows::nothing, "a DHCPDISCOVER with a smaller secs is dropped: which server answers, and when", "0"},
  {"dhcp-cache-threshold",           Follows::nothing, "a renewal within that share of the lease's age gets the rest of its lease, not a new one (reuse_lease(); ISC's default 25 %)", ""},
  {"infinite-is-reserved",           Follows::nothing, "a client asking for an infinite lease reserves its address; fosim has no reserved leases", ""},
  {"abandon-lease-time",             Follows::nothing, "how long an abandoned lease stays so; fosim has no abandoned leases", ""},
  {"ignore-client-uids",             Follows::nothing, "leases are keyed by MAC alone, so a client whose client-identifier changes keeps its address", "false"},
  {"delayed-ack",                    Follows::nothing, "ACKs are held back to batch lease-file writes: reply timing", "0"},
  {"max-ack-delay",                  Follows::nothing, "how long an ACK may be held back for a lease-file write: reply timing", ""},
  {"unknown-clients",                Follows::permit,  "a pool permit: which clients the pool serves", ""},
  {"known-clients",                  Follows::permit,  "a pool permit: which clients the pool serves", ""},
  {"members",                        Follows::permit,  "a pool permit (members of a class): which clients the pool serves", ""},
  {"duplicates",                     Follows::permit,  "whether a client's other leases are kept when it asks again with another client-identifier", ""},
  {"declines",                       Follows::permit,  "whether a DHCPDECLINE abandons the lease; fosim has no DHCPDECLINE", ""},
  {"dhcp-renewal-time",              Follows::option,  "T1, when clients renew (fosim's renew at half the lease time)", ""},
  {"dhcp-rebinding-time",            Follows::option,  "T2, when clients rebind (fosim's rebind at 7/8 of the lease time)", ""},
}};
// clang-format on

}  // namespace

const UnmodelledStatement* unmodelled_statement(std::string_view first, std::string_view second) {
  const bool permit = first == "allow" || first == "deny" || first == "ignore";
  const bool option = first == "option" || first == "supersede" || first == "default";
  for (const UnmodelledStatement& u : unmodelled_statements) {
    const std::string_view word = u.follows == Follows::nothing ? first : second;
    if (u.follows == Follows::nothing && !u.as_fosim.empty() &&
        (second == u.as_fosim || (u.as_fosim == "false" && second == "off")))
      continue;
    const bool placed = u.follows == Follows::nothing  ? true
                        : u.follows == Follows::permit ? permit
                                                       : option;
    if (placed && word == u.keyword) return &u;
  }
  return nullptr;
}

std::string statement_name(const UnmodelledStatement& u, std::string_view first) {
  if (u.follows == Follows::nothing) return std::string(u.keyword);
  return std::string(first) + " " + std::string(u.keyword);
}

}  // namespace fosim::core::conf_detail
