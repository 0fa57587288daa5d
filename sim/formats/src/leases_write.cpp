// write_dhcpd_leases(): a lease file as dhcpd 4.4's new_lease_file() writes one (dhcp
// server/db.c write_lease(), write_failover_state(); common/print.c print_hw_addr(),
// quotify_buf()).
#include "fosim/formats/leases_write.hpp"

#include <algorithm>
#include <tuple>

namespace fosim::sim {
namespace {

using core::BindingState;

/// `"..."` as quotify_buf() writes bytes: printable ASCII as is, `"` and `\` escaped, every
/// other byte as a three-digit octal escape.
std::string quoted(const std::vector<std::uint8_t>& bytes) {
  std::string out = "\"";
  for (std::uint8_t b : bytes) {
    if (b == '"' || b == '\\') {
      out += '\\';
      out += static_cast<char>(b);
    } else if (b >= 0x20 && b < 0x7f) {
      out += static_cast<char>(b);
    } else {
      out += '\\';
      out += static_cast<char>('0' + (b >> 6));
      out += static_cast<char>('0' + ((b >> 3) & 7));
      out += static_cast<char>('0' + (b & 7));
    }
  }
  return out + '"';
}

/// print_hw_addr(): lower-case hex bytes joined by ':'.
std::string hex_colons(const std::vector<std::uint8_t>& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    if (!out.empty()) out += ':';
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

/// db_printable(): printable ASCII without `"` or `\` (dhcpd leaves any other hostname out).
bool printable(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

void time_line(std::string& out, const char* key, const std::optional<LeaseTime>& t) {
  if (t) out += std::string("\n  ") + key + ' ' + format_lease_time(*t) + ';';
}

void state_line(std::string& out, const char* key, BindingState s) {
  out += std::string("\n  ") + key + ' ' + std::string(core::to_string(s)) + ';';
}

void write_lease(std::string& out, const IscLease& l) {
  out += "lease " + format_ipv4(l.address) + " {";
  time_line(out, "starts", l.starts);
  time_line(out, "ends", l.ends);
  time_line(out, "tstp", l.tstp);
  time_line(out, "tsfp", l.tsfp);
  time_line(out, "atsfp", l.atsfp);
  time_line(out, "cltt", l.cltt);
  const BindingState state = l.binding.value_or(BindingState::free);
  state_line(out, "binding state", state);
  if (l.next_binding && *l.next_binding != state)
    state_line(out, "next binding state", *l.next_binding);
  if (l.rewind_binding && *l.rewind_binding != state)
    state_line(out, "rewind binding state", *l.rewind_binding);
  if (l.reserved) out += "\n  reserved;";
  if (l.dynamic_bootp) out += "\n  dynamic-bootp;";
  if (!l.hardware_type.empty())
    out += "\n  hardware " + l.hardware_type + ' ' + hex_colons(l.hardware) + ';';
  if (l.uid) out += "\n  uid " + quoted(*l.uid) + ';';
  if (l.client_hostname && printable(*l.client_hostname))
    out += "\n  client-hostname \"" + *l.client_hostname + "\";";
  out += "\n}\n";
}

void write_state(std::string& out, const PeerStateRecord& r) {
  // write_failover_state(): both states always carry `at` (dhcpd's stos).
  out += "\nfailover peer \"" + r.peer + "\" state {";
  for (const auto& [key, rec] : {std::pair{"my", &r.me}, std::pair{"partner", &r.partner}}) {
    const RecordedState s = rec->value_or(RecordedState{});
    out += std::string("\n  ") + key + " state " + std::string(core::to_string(s.state)) + " at " +
           format_lease_time(s.at.value_or(LeaseTime{})) + ';';
  }
  if (r.mclt_s) out += "\n  mclt " + std::to_string(*r.mclt_s) + ';';
  out += "\n}\n";
}

/// write_leases4()'s queue order: free, active, expired (expired, released, reset), abandoned,
/// backup.
int queue_rank(const IscLease& l) {
  switch (l.binding.value_or(BindingState::free)) {
    case BindingState::free:
      return 0;
    case BindingState::active:
      return 1;
    case BindingState::expired:
    case BindingState::released:
    case BindingState::reset:
      return 2;
    case BindingState::abandoned:
      return 3;
    case BindingState::backup:
      return 4;
  }
  return 0;
}

}  // namespace

std::string write_dhcpd_leases(const std::vector<PeerStateRecord>& peers,
                               const std::vector<IscLease>& leases) {
  std::string out =
      "# The format of this file is documented in the dhcpd.leases(5) manual page.\n"
      "# This lease file was written by fosim, as isc-dhcp-4.4 writes it\n\n"
      "# authoring-byte-order entry is generated, DO NOT DELETE\n"
      "authoring-byte-order little-endian;\n\n";
  for (const PeerStateRecord& r : peers) write_state(out, r);
  // Each queue in the order its leases end (ISC keeps them sorted by ends), then by address.
  std::vector<const IscLease*> order;
  for (const IscLease& l : leases) order.push_back(&l);
  std::stable_sort(order.begin(), order.end(), [](const IscLease* a, const IscLease* b) {
    const LeaseTime a_ends = a->ends.value_or(LeaseTime{}), b_ends = b->ends.value_or(LeaseTime{});
    return std::tuple{queue_rank(*a), a_ends, a->address} <
           std::tuple{queue_rank(*b), b_ends, b->address};
  });
  for (const IscLease* l : order) write_lease(out, *l);
  return out;
}

}  // namespace fosim::sim
