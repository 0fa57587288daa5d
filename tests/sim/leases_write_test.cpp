// Writing dhcpd.leases: one lease and one failover record known by hand from ISC's writer
// (dhcp server/db.c write_lease(), write_failover_state(); common/print.c quotify_buf()), and
// every file of tests/data/leases/ read, written and read back to the same leases.
#include "fosim/formats/leases_write.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using fosim::core::at_seconds;
using fosim::core::BindingState;
using fosim::core::State;
using fosim::sim::IscLease;
using fosim::sim::LeasesFile;
using fosim::sim::PeerStateRecord;
using fosim::sim::read_dhcpd_leases;
using fosim::sim::RecordedState;

namespace {

std::string data_file(const std::string& name) {
  std::ifstream f(std::string(FOSIM_SOURCE_DIR) + "/tests/data/leases/" + name);
  REQUIRE(f);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

/// The lease's fields as dhcpd reads them: a missing next or rewind state is the binding's.
void check_same(const IscLease& a, const IscLease& b) {
  CHECK(a.starts == b.starts);
  CHECK(a.ends == b.ends);
  CHECK(a.tstp == b.tstp);
  CHECK(a.tsfp == b.tsfp);
  CHECK(a.atsfp == b.atsfp);
  CHECK(a.cltt == b.cltt);
  CHECK(a.binding == b.binding);
  CHECK(a.next_binding.value_or(*a.binding) == b.next_binding.value_or(*b.binding));
  CHECK(a.rewind_binding.value_or(*a.binding) == b.rewind_binding.value_or(*b.binding));
  CHECK(a.hardware_type == b.hardware_type);
  CHECK(a.hardware == b.hardware);
  CHECK(a.uid == b.uid);
  CHECK(a.client_hostname == b.client_hostname);
  CHECK(a.reserved == b.reserved);
  CHECK(a.dynamic_bootp == b.dynamic_bootp);
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("leases_write: a lease and a failover record in write_lease()'s order") {
    // 2026-03-02 (a Monday) 09:00:00 UTC = 1772442000.
    IscLease l;
    l.address = 0x0a00000b;  // 10.0.0.11
    l.starts = at_seconds(1772445600);
    l.ends = at_seconds(1772449200);
    l.tstp = at_seconds(1772449200);
    l.tsfp = at_seconds(1772451000);
    l.atsfp = at_seconds(1772451000);
    l.cltt = at_seconds(1772445600);
    l.binding = BindingState::active;
    l.next_binding = BindingState::expired;
    l.rewind_binding = BindingState::free;
    l.hardware_type = "ethernet";
    l.hardware = {0x52, 0x54, 0, 0, 0, 0x11};
    l.uid = std::vector<std::uint8_t>{1, 0x52, 0x54, 0, 0, 0, 0x11};
    l.client_hostname = "pc-11";
    PeerStateRecord r;
    r.peer = "dhcp-failover";
    r.me = RecordedState{State::normal, at_seconds(1772442000), 0};
    r.partner = RecordedState{State::communications_interrupted, at_seconds(1772442005), 0};
    r.mclt_s = 3600;
    const std::string text = fosim::sim::write_dhcpd_leases({r}, {l});
    CHECK(text.find("authoring-byte-order little-endian;\n") != std::string::npos);
    // The failover records come before the leases (write_leases()).
    const std::string expected =
        "\nfailover peer \"dhcp-failover\" state {\n"
        "  my state normal at 1 2026/03/02 09:00:00;\n"
        "  partner state communications-interrupted at 1 2026/03/02 09:00:05;\n"
        "  mclt 3600;\n"
        "}\n"
        "lease 10.0.0.11 {\n"
        "  starts 1 2026/03/02 10:00:00;\n"
        "  ends 1 2026/03/02 11:00:00;\n"
        "  tstp 1 2026/03/02 11:00:00;\n"
        "  tsfp 1 2026/03/02 11:30:00;\n"
        "  atsfp 1 2026/03/02 11:30:00;\n"
        "  cltt 1 2026/03/02 10:00:00;\n"
        "  binding state active;\n"
        "  next binding state expired;\n"
        "  rewind binding state free;\n"
        "  hardware ethernet 52:54:00:00:00:11;\n"
        "  uid \"\\001RT\\000\\000\\000\\021\";\n"
        "  client-hostname \"pc-11\";\n"
        "}\n";
    CHECK(text.substr(text.size() - expected.size()) == expected);

    SUBCASE("a state equal to the binding and unset times are left out") {
      IscLease f;
      f.address = 0x0a00000a;
      f.binding = BindingState::backup;
      f.next_binding = BindingState::backup;
      f.rewind_binding = BindingState::backup;
      const std::string t = fosim::sim::write_dhcpd_leases({}, {f});
      const std::string only = "lease 10.0.0.10 {\n  binding state backup;\n}\n";
      CHECK(t.substr(t.size() - only.size()) == only);
    }
    SUBCASE("quotify_buf() escapes a quote and a backslash") {
      IscLease q = l;
      q.uid = std::vector<std::uint8_t>{'a', '"', '\\', 0xff};
      const std::string t = fosim::sim::write_dhcpd_leases({}, {q});
      CHECK(t.find("  uid \"a\\\"\\\\\\377\";\n") != std::string::npos);
    }
  }

  TEST_CASE("leases_write: every file of tests/data/leases reads back to the same leases") {
    std::size_t checked = 0;
    for (const char* name :
         {"glass-isc-dhcp-65.leases", "glass-isc-dhcp-74.leases", "clean-primary.leases",
          "clean-secondary.leases", "planted-primary.leases", "planted-secondary.leases",
          "interrupted-primary.leases", "interrupted-secondary.leases"}) {
      CAPTURE(name);
      const LeasesFile first = read_dhcpd_leases(data_file(name), name);
      REQUIRE(first.errors.empty());
      const std::string written = fosim::sim::write_dhcpd_leases(first.peers, first.leases);
      const LeasesFile again = read_dhcpd_leases(written, "written");
      CHECK(again.errors.empty());
      REQUIRE(again.leases.size() == first.leases.size());
      REQUIRE(again.peers.size() == first.peers.size());
      for (const IscLease& a : first.leases)
        for (const IscLease& b : again.leases)
          if (a.address == b.address) {
            check_same(a, b);
            ++checked;
          }
      for (std::size_t i = 0; i < first.peers.size(); ++i) {
        CHECK(again.peers[i].peer == first.peers[i].peer);
        CHECK(again.peers[i].me->state == first.peers[i].me->state);
        CHECK(again.peers[i].me->at == first.peers[i].me->at);
        CHECK(again.peers[i].partner->state == first.peers[i].partner->state);
        CHECK(again.peers[i].partner->at == first.peers[i].partner->at);
        CHECK(again.peers[i].mclt_s == first.peers[i].mclt_s);
      }
    }
    // 3 + 4 + 6 + 6 + 6 + 6 + 20 + 20 distinct addresses, each matched once.
    CHECK(checked == 71);
  }
}
