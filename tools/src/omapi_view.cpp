// The failover-state object as omshell shows it; the attribute names of settings come from core's
// settings table.
#include "fosim/tools/omapi_view.hpp"

#include <cstdio>
#include <sstream>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/core/settings.hpp"
#include "fosim/sim/trace.hpp"

namespace fosim::tools {
namespace {

/// An integer as OMAPI carries it: four bytes, network order, as omshell prints data.
std::string hex32(std::uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x", v >> 24, (v >> 16) & 0xff,
                (v >> 8) & 0xff, v & 0xff);
  return text;
}

std::string hex_bytes(const core::Hba& bytes) {
  std::string out;
  char b[4];
  for (std::uint8_t v : bytes) {
    std::snprintf(b, sizeof b, "%02x", v);
    out += (out.empty() ? "" : ":") + std::string(b);
  }
  return out;
}

/// Seconds of the server's clock; fosim's clocks start at 0 (1970-01-01 00:00:00 UTC).
std::uint32_t clock_seconds(core::Instant at, core::Duration offset) {
  const std::int64_t ms = (at + offset).time_since_epoch().count();
  return ms <= 0 ? 0 : static_cast<std::uint32_t>(ms / 1000);
}

class Lines {
 public:
  void add(std::string_view attribute, const std::string& value, const std::string& meaning) {
    std::string left = std::string(attribute) + " = " + value;
    if (left.size() < 40) left.resize(40, ' ');
    out_ << left << "  # " << meaning << "\n";
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

std::string state_text(core::State s, core::Numbering numbering) {
  const auto n = core::to_number(s, numbering);
  return n ? hex32(*n) : "(none)";
}

/// The OMAPI attribute of the setting `key` (core's settings table names them once).
consteval std::string_view omapi(std::string_view key) { return core::peer_setting(key).omapi; }

std::string address(const std::string& text) {
  const auto ip = core::parse_ipv4(text);
  return ip ? hex32(*ip) : "\"" + text + "\"";
}

}  // namespace

std::string omapi_failover_state(const sim::Simulator& sim, std::size_t index,
                                 core::Numbering numbering) {
  const sim::Server& s = sim.server(index);
  const core::EffectiveConfig& c = s.config();
  const core::PeerView& v = s.view();
  const std::string scheme = numbering == core::Numbering::isc3 ? "ISC 3.0.x" : "ISC 4.x";
  std::ostringstream head;
  head << "# " << s.host() << " at " << sim::format_time(sim.now()) << ": ";
  if (!s.running()) {
    head << "dhcpd is not running; OMAPI does not answer\n";
    return head.str();
  }
  head << "obj: failover-state (states in " << scheme << " numbers)\n";
  Lines l;
  l.add("name", "\"" + c.name + "\"", "the failover peer");
  l.add(omapi("peer_address"), address(c.peer_address), c.peer_address);
  l.add(omapi("address"), address(c.address), c.address);
  l.add(omapi("peer_port"), hex32(c.peer_port), std::to_string(c.peer_port));
  l.add(omapi("port"), hex32(c.port), std::to_string(c.port));
  l.add(omapi("max_unacked_updates"), hex32(c.max_unacked_updates),
        std::to_string(c.max_unacked_updates) + " (this server's max-unacked-updates)");
  const auto mclt = static_cast<std::uint32_t>(s.mclt().count());
  l.add(omapi("mclt"), hex32(mclt),
        std::to_string(mclt) + " s" +
            (c.role == core::Role::secondary && mclt == 0 ? " (not yet learned from the primary)"
                                                          : ""));
  l.add(omapi("load_balance_max_seconds"), hex32(c.load_balance_max_seconds),
        std::to_string(c.load_balance_max_seconds) + " s" +
            (c.load_balance_max_seconds == 0 ? " (load balancing off)" : ""));
  if (const core::Hba* hba = s.hba())
    l.add(omapi("hba"), hex_bytes(*hba), "32 bytes, one bit per hash bucket");
  l.add("local-state", state_text(v.state, numbering),
        std::to_string(core::to_number(v.state, numbering).value_or(0)) + " " +
            std::string(core::to_string(v.state)));
  l.add("partner-state", state_text(v.partner, numbering),
        std::to_string(core::to_number(v.partner, numbering).value_or(0)) + " " +
            std::string(core::to_string(v.partner)));
  const std::uint32_t stos = clock_seconds(v.stos, s.clock_offset());
  const std::uint32_t pstos = clock_seconds(v.partner_stos, s.clock_offset());
  l.add("local-stos", hex32(stos),
        std::to_string(stos) + " (" +
            sim::format_time(core::Instant{core::Duration{std::int64_t{stos} * 1000}}) +
            " on its clock)");
  l.add("partner-stos", hex32(pstos),
        std::to_string(pstos) + " (" +
            sim::format_time(core::Instant{core::Duration{std::int64_t{pstos} * 1000}}) +
            " on its clock)");
  l.add(omapi("role"), hex32(c.role == core::Role::primary ? 0 : 1),
        c.role == core::Role::primary ? "0 primary" : "1 secondary");
  // ISC 4.4 declares these three but never assigns them, so OMAPI always reads 0.
  l.add("last-packet-sent", hex32(0),
        "0: never set by ISC 4.4 (fosim: last sent at " + sim::format_time(s.last_sent()) + ")");
  l.add("last-timestamp-received", hex32(0),
        "0: never set by ISC 4.4 (fosim: peer's clock " +
            sim::format_time(s.last_timestamp_received()) + ")");
  l.add("skew", hex32(0), "0: never set by ISC 4.4");
  const auto mrd = static_cast<std::uint32_t>(c.max_response_delay.count());
  l.add(omapi("max_response_delay"), hex32(mrd), std::to_string(mrd) + " s (this server's)");
  l.add("cur-unacked-updates", hex32(s.unacked_updates()),
        std::to_string(s.unacked_updates()) + " BNDUPDs sent and not yet acknowledged");
  return head.str() + l.str();
}

}  // namespace fosim::tools
