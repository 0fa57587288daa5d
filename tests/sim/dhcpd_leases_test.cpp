// Reading dhcpd.leases: ISC's time formats, every statement dhcpd writes in a lease and a
// failover record (dhcp server/db.c write_lease(), write_failover_state()), the journal's last
// declaration winning, and mistakes reported by line. Epoch seconds were worked out apart from
// the code (Python's datetime in UTC); the real files are in tests/data/leases/.
#include "fosim/formats/dhcpd_leases.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "fosim/formats/leases_audit.hpp"

using fosim::core::at_seconds;
using fosim::core::BindingState;
using fosim::core::State;
using fosim::sim::format_lease_time;
using fosim::sim::lease_never;
using fosim::sim::LeasesFile;
using fosim::sim::parse_lease_time;
using fosim::sim::read_dhcpd_leases;

namespace {

LeasesFile real(const std::string& name) {
  const std::string path = std::string(FOSIM_SOURCE_DIR) + "/tests/data/leases/" + name;
  std::ifstream f(path);
  REQUIRE(f);
  std::ostringstream s;
  s << f.rdbuf();
  return read_dhcpd_leases(s.str(), name);
}

const fosim::sim::IscLease* find(const LeasesFile& f, std::string_view ip) {
  for (const auto& l : f.leases)
    if (fosim::sim::format_ipv4(l.address) == ip) return &l;
  return nullptr;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("dhcpd_leases: times: the three formats ISC writes and ISC's 2038 rule") {
    // 2026-03-02 10:00:00 UTC (a Monday) = 1772445600.
    CHECK(parse_lease_time("1 2026/03/02 10:00:00") == at_seconds(1772445600));
    CHECK(parse_lease_time("epoch 1772445600") == at_seconds(1772445600));
    CHECK(parse_lease_time("never") == lease_never);
    // parse_date_core() adds a time-zone offset in seconds to the UTC value.
    CHECK(parse_lease_time("1 2026/03/02 10:00:00 -3600") == at_seconds(1772442000));
    // Every year from 2038 on is MAX_TIME in ISC, written back as never.
    CHECK(parse_lease_time("5 2038/01/01 00:00:00") == lease_never);
    CHECK(parse_lease_time("1 2026/13/02 10:00:00") == std::nullopt);
    CHECK(parse_lease_time("1 2026/03/02 10:00") == std::nullopt);
    CHECK(parse_lease_time("9 2026/03/02 10:00:00") == std::nullopt);
    CHECK(parse_lease_time("epoch") == std::nullopt);
    CHECK(parse_lease_time("soon") == std::nullopt);
    // Written as dhcpd's print_time() does (%w %Y/%m/%d %H:%M:%S, UTC).
    CHECK(format_lease_time(at_seconds(1606129308)) == "1 2020/11/23 11:01:48");
    CHECK(format_lease_time(at_seconds(0)) == "4 1970/01/01 00:00:00");
    CHECK(format_lease_time(lease_never) == "never");
  }

  TEST_CASE("dhcpd_leases: a real file: leases, agent options skipped, the failover record") {
    const LeasesFile f = real("glass-isc-dhcp-65.leases");
    CHECK(f.errors.empty());
    REQUIRE(f.leases.size() == 3);
    REQUIRE(f.peers.size() == 1);
    CHECK(f.peers[0].peer == "failover-partner");
    REQUIRE(f.peers[0].me);
    CHECK(f.peers[0].me->state == State::normal);
    // 2020-05-06 14:56:17 UTC.
    CHECK(f.peers[0].me->at == at_seconds(1588776977));
    CHECK(f.peers[0].mclt_s == std::nullopt);
    CHECK(fosim::sim::recorded_role(f.peers[0]) == fosim::core::Role::primary);
    const auto* l = find(f, "10.10.30.151");
    REQUIRE(l);
    CHECK(l->line == 26);
    CHECK(l->binding == BindingState::active);
    CHECK(l->next_binding == BindingState::expired);
    CHECK(l->rewind_binding == std::nullopt);
    CHECK(l->hardware_type == "ethernet");
    CHECK(l->hardware == std::vector<std::uint8_t>{0xb8, 0x69, 0xf4, 0x99, 0xd1, 0x4c});
    // "\001\270i\364\231\321L": octal escapes and plain characters.
    CHECK(l->uid == std::vector<std::uint8_t>{0x01, 0xb8, 'i', 0xf4, 0x99, 0xd1, 'L'});
    CHECK(l->client_hostname == "MKTK-SW01");
    // 2020-05-08 13:36:07 and 14:36:07 UTC.
    CHECK(l->ends == at_seconds(1588944967));
    CHECK(l->tsfp == at_seconds(1588948567));
    CHECK(f.skipped.size() == 3);  // the three option agent.* lines
    CHECK(find(f, "10.10.30.149")->cltt == std::nullopt);
  }

  TEST_CASE("dhcpd_leases: a real journal: the second failover record wins, server-duid") {
    const LeasesFile f = real("glass-isc-dhcp-74.leases");
    CHECK(f.errors.empty());
    CHECK(f.leases.size() == 4);
    const fosim::sim::BindingCounts c = fosim::sim::count_bindings(f);
    CHECK(c.of(BindingState::backup) == 4);
    CHECK(c.of(BindingState::free) == 0);
    REQUIRE(f.peers.size() == 1);
    CHECK(f.peers[0].line == 44);
    REQUIRE(f.peers[0].partner);
    CHECK(f.peers[0].partner->state == State::communications_interrupted);
    CHECK(f.peers[0].partner->at == at_seconds(1606129318));  // 2020-11-23 11:01:58 UTC
    // "\000\001\000\001&zZ\337\002\\\037\002\037\021": \\ is one backslash.
    CHECK(f.server_duid == std::string("\x00\x01\x00\x01&zZ\xdf\x02\\\x1f\x02\x1f\x11", 14));
    CHECK(find(f, "10.10.200.147")->ends == std::nullopt);
  }

  TEST_CASE("dhcpd_leases: statements: last declaration wins, old states, hex uid, epoch") {
    const LeasesFile f = read_dhcpd_leases(
        "lease 10.0.0.1 { binding state active; hardware ethernet 52:54:00:00:00:01; }\n"
        "lease 10.0.0.2 { binding state bootp; uid 01:52:54:00:00:00:02; }\n"
        "lease 10.0.0.3 { abandoned; starts epoch 1772445600; # Mon Mar  2 10:00:00 2026\n"
        "  ends never; rewind binding state free; on commit { set x = \"}\"; } }\n"
        "lease 10.0.0.1 { binding state free; next binding state backup; }\n"
        "failover peer \"p\" state { my state partner-down; partner state recover at 1 "
        "2026/03/02 10:00:00; mclt 1800; }\n"
        "host fixed { hardware ethernet 52:54:00:00:00:09; fixed-address 10.0.0.9; }\n",
        "inline");
    CHECK(f.errors.empty());
    CHECK(f.lease_declarations == 4);
    REQUIRE(f.leases.size() == 3);
    CHECK(fosim::sim::format_ipv4(f.leases[0].address) == "10.0.0.1");
    CHECK(f.leases[0].line == 5);
    CHECK(f.leases[0].binding == BindingState::free);
    CHECK(f.leases[0].next_binding == BindingState::backup);
    CHECK(f.leases[0].hardware.empty());  // the later declaration has none
    CHECK(f.leases[1].binding == BindingState::active);
    CHECK(f.leases[1].dynamic_bootp);
    CHECK(f.leases[1].uid == std::vector<std::uint8_t>{1, 0x52, 0x54, 0, 0, 0, 2});
    CHECK(f.leases[2].binding == BindingState::abandoned);
    CHECK(f.leases[2].next_binding == BindingState::abandoned);
    CHECK(f.leases[2].rewind_binding == BindingState::free);
    CHECK(f.leases[2].starts == at_seconds(1772445600));
    CHECK(f.leases[2].ends == lease_never);
    REQUIRE(f.peers.size() == 1);
    CHECK(f.peers[0].me->state == State::partner_down);
    CHECK(f.peers[0].me->at == std::nullopt);
    CHECK(f.peers[0].partner->state == State::recover);
    CHECK(f.peers[0].mclt_s == 1800);
    CHECK(fosim::sim::recorded_role(f.peers[0]) == fosim::core::Role::secondary);
    REQUIRE(f.skipped.size() == 2);
    CHECK(f.skipped[0].keyword == "on");
    CHECK(f.skipped[1].keyword == "host");
  }

  TEST_CASE("dhcpd_leases: mistakes name the line and what was valid; the rest is kept") {
    const LeasesFile f = read_dhcpd_leases(
        "lease 10.0.0.300 { binding state free; }\n"
        "lease 10.0.0.2 {\n  binding state bound;\n}\n"
        "lease 10.0.0.3 { ends 1 2026/02/30 25:00:00; }\n"
        "lease 10.0.0.4 { binding state free; }\n"
        "failover peer \"p\" state { my state sleepy at 1 2026/03/02 10:00:00; }\n"
        "lease 10.0.0.5 { client-hostname \"open\n",
        "bad.leases");
    REQUIRE(f.leases.size() == 1);
    CHECK(fosim::sim::format_ipv4(f.leases[0].address) == "10.0.0.4");
    CHECK(f.peers.empty());
    REQUIRE(f.errors.size() == 6);
    CHECK(f.errors[0].file == "bad.leases");
    CHECK(f.errors[0].line == 1);
    CHECK(f.errors[0].message == "expected an IPv4 address after 'lease', got '10.0.0.300'");
    CHECK(f.errors[1].line == 3);
    CHECK(f.errors[1].message.find("expected a binding state (free, active, expired") == 0);
    CHECK(f.errors[1].message.find("got 'bound'") != std::string::npos);
    CHECK(f.errors[2].line == 5);
    CHECK(f.errors[2].message.find("W YYYY/MM/DD HH:MM:SS, epoch N or never") != std::string::npos);
    CHECK(f.errors[3].line == 7);
    CHECK(f.errors[3].message.find("got 'sleepy'") != std::string::npos);
    // The unterminated string: the tokens stop there, so the lease is cut short too.
    CHECK(f.errors[4].line == 8);
    CHECK(f.errors[4].message.find("never closed") != std::string::npos);
    CHECK(f.errors[5].message == "expected a quoted host name, got the end of the file");
  }

  TEST_CASE("dhcpd_leases: nothing crashes on cut or odd input") {
    const std::string text =
        "failover peer \"p\" state {\n  my state normal at 1 2026/03/02 10:00:00;\n}\n"
        "lease 10.0.0.1 {\n  starts 1 2026/03/02 10:00:00;\n  uid \"\\001\\x4z\";\n}\n";
    std::size_t checked = 0;
    for (std::size_t n = 0; n <= text.size(); ++n, ++checked) {
      const LeasesFile f = read_dhcpd_leases(text.substr(0, n), "cut");
      CHECK(f.leases.size() <= 1);
    }
    CHECK(checked == text.size() + 1);
    CHECK(read_dhcpd_leases("}}};;{{ lease", "odd").errors.size() >= 1);
  }
}
