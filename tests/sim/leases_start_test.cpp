// Starting a run from the servers' lease files. The hand-made pair (tests/data/leases/
// interrupted-*.leases) saved communications-interrupted at 2026-03-02 10:00:00 UTC with four
// leases active to 12:00:00 for 52:54:00:00:01:0b..0e; the run's time 0 is one second after
// the files' latest moment, 10:00:01 = 1772445601. dhcpd restarts in startup, leaves it after
// 15 s for the saved state, and serves from its own free (primary) or backup (secondary)
// leases, never an address its file holds active for another client.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "fosim/formats/leases_load.hpp"
#include "fosim/formats/leases_write.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/clients.hpp"

using fosim::core::at_seconds;
using fosim::core::BindingState;
using fosim::core::Instant;
using fosim::core::State;

namespace {

const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/leases/";

std::string text_of(const std::string& name) {
  std::ifstream f(data + name);
  REQUIRE(f);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

fosim::sim::Scenario interrupted_pair() {
  const fosim::sim::LoadResult r = fosim::sim::load_scenario(data + "interrupted-pair.json");
  for (const auto& e : r.errors) FAIL_CHECK(fosim::sim::format(e));
  REQUIRE(r.scenario);
  return *r.scenario;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("leases_start: a pair saved in communications-interrupted keeps its leases") {
    const fosim::sim::Scenario sc = interrupted_pair();
    CHECK(sc.lease_clock_base_s == 1772445601);
    REQUIRE(sc.servers[0].storage);
    CHECK(sc.servers[0].storage->leases.size() == 20);
    fosim::sim::Simulator s(sc, sc.seed, nullptr);
    s.run(Instant{std::chrono::seconds(10)});
    CHECK(s.server(0).view().state == State::startup);
    s.run();
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(s.server(i).view().state == State::communications_interrupted);
      // Leaving startup for the saved state keeps its stos: 10:00:00, a second before time 0.
      CHECK(s.server(i).view().stos == at_seconds(-1));
    }
    // 6 new clients and the client of 10.0.0.10; none of the others' addresses is given out.
    const fosim::sim::Clients& clients = s.clients();
    std::size_t bound = 0;
    for (std::uint32_t c = 0; c < clients.size(); ++c) {
      const std::uint32_t held = clients.lease(c);
      if (held == 0) continue;
      ++bound;
      CAPTURE(clients.mac_text(c));
      if (clients.mac_text(c) == "52:54:00:00:01:0b")
        CHECK(held == 1);  // its own 10.0.0.10, found by its hardware address
      else
        CHECK(held > 4);  // not 10.0.0.10-13
    }
    CHECK(bound == 7);
    CHECK(s.stats().duplicates.empty());
    // 10.0.0.11-13 stay active on both servers for their clients until 12:00:00 (7199 s).
    for (std::size_t i = 0; i < 2; ++i)
      for (std::uint32_t a = 1; a <= 3; ++a) {
        const fosim::sim::Lease& l = s.server(i).leases()[a];
        CHECK(l.state == BindingState::active);
        CHECK(l.ends == at_seconds(7199));
        CHECK(clients.mac_text(l.client - 1) == "52:54:00:00:01:0" + std::string(1, "bcde"[a]));
      }

    SUBCASE("the lease file written at the end holds them, on the files' clock") {
      const std::string file = fosim::sim::run_lease_file(s, 0);
      CHECK(has(file,
                "failover peer \"dhcp-failover\" state {\n"
                "  my state communications-interrupted at 1 2026/03/02 10:00:00;\n"
                "  partner state normal at 1 2026/03/02 09:00:00;\n}\n"));
      CHECK(has(file,
                "lease 10.0.0.12 {\n"
                "  starts 1 2026/03/02 09:30:00;\n"
                "  ends 1 2026/03/02 12:00:00;\n"
                "  tstp 1 2026/03/02 12:00:00;\n"
                "  tsfp 1 2026/03/02 12:00:00;\n"
                "  atsfp 1 2026/03/02 12:00:00;\n"
                "  cltt 1 2026/03/02 09:30:00;\n"
                "  binding state active;\n"
                "  next binding state expired;\n"
                "  hardware ethernet 52:54:00:00:01:0d;\n}\n"));
      // The secondary writes the MCLT it learned (here: from its file).
      CHECK(has(fosim::sim::run_lease_file(s, 1), "  mclt 3600;\n}\n"));
      const fosim::sim::LeasesFile back = fosim::sim::read_dhcpd_leases(file, "written");
      CHECK(back.errors.empty());
    }
  }

  TEST_CASE("leases_start: a lease outside the pool is an error naming the file and line") {
    fosim::sim::Scenario sc = interrupted_pair();
    sc.pool.last = 0x0a000014;  // 10.0.0.20
    std::vector<fosim::sim::LeasesError> errors;
    const std::array<std::optional<fosim::sim::LeaseFileText>, 2> files{
        fosim::sim::LeaseFileText{"p.leases", text_of("interrupted-primary.leases")}, std::nullopt};
    CHECK_FALSE(fosim::sim::start_from_lease_files(sc, files, errors));
    REQUIRE(errors.size() == 9);  // 10.0.0.21-29
    CHECK(errors[0].file == "p.leases");
    CHECK(errors[0].line == 76);  // 6 header lines, 4 record lines, 4 x 11 + 7 x 3
    CHECK(errors[0].message ==
          "lease 10.0.0.21 is outside the scenario's pool 10.0.0.10-10.0.0.20; valid: a lease "
          "file of this pair's failover pool (or the pool that holds its addresses)");
  }

  TEST_CASE("leases_start: a file that spans two pools fills both and is written back whole") {
    // The same pair with its range split in two failover pools, the upper half declared first:
    // 10.0.0.20-29 (lease indexes 0-9), then 10.0.0.10-19 (10-19).
    fosim::sim::Scenario sc = interrupted_pair();
    fosim::sim::PoolSpec second = sc.pool;
    second.last = 0x0a000013;    // 10.0.0.19
    sc.pool.first = 0x0a000014;  // 10.0.0.20
    sc.more_pools.push_back(second);
    for (auto& server : sc.servers) server.storage.reset();
    std::vector<fosim::sim::LeasesError> errors;
    const std::array<std::optional<fosim::sim::LeaseFileText>, 2> files{
        fosim::sim::LeaseFileText{"p.leases", text_of("interrupted-primary.leases")},
        fosim::sim::LeaseFileText{"s.leases", text_of("interrupted-secondary.leases")}};
    REQUIRE(fosim::sim::start_from_lease_files(sc, files, errors));
    fosim::sim::Simulator s(sc, sc.seed, nullptr);
    s.run(Instant{std::chrono::seconds(1)});
    const fosim::sim::LeaseDb& db = s.server(0).leases();
    CHECK(db.address(2) == 0x0a000016);  // 10.0.0.22: BACKUP in the file
    CHECK(db.pool_of(2) == 0);
    CHECK(db[2].state == BindingState::backup);
    CHECK(db.address(12) == 0x0a00000c);  // 10.0.0.12: ACTIVE to 12:00:00
    CHECK(db.pool_of(12) == 1);
    CHECK(db[12].state == BindingState::active);
    CHECK(db[12].ends == at_seconds(7199));
    const std::string file = fosim::sim::run_lease_file(s, 0);
    CHECK(has(file, "lease 10.0.0.22 {\n  binding state backup;\n"));
    CHECK(has(file, "lease 10.0.0.12 {\n  starts 1 2026/03/02 09:30:00;\n"));
  }

  TEST_CASE("leases_start: a real lease file (glass-isc-dhcp #65) starts the primary") {
    fosim::sim::Scenario sc = interrupted_pair();
    sc.relationship = "failover-partner";
    for (auto& server : sc.servers) {
      server.config.name = "failover-partner";
      server.leases.clear();
    }
    sc.pool.first = 0x0a0a1e64;  // 10.10.30.100
    sc.pool.last = 0x0a0a1ec8;   // 10.10.30.200
    sc.clients.clear();
    std::vector<fosim::sim::LeasesError> errors;
    const std::array<std::optional<fosim::sim::LeaseFileText>, 2> files{
        fosim::sim::LeaseFileText{"glass-isc-dhcp-65.leases", text_of("glass-isc-dhcp-65.leases")},
        std::nullopt};
    REQUIRE(fosim::sim::start_from_lease_files(sc, files, errors));
    // The latest moment: starts/cltt 5 2020/05/08 11:36:07 = 1588937767.
    CHECK(sc.lease_clock_base_s == 1588937768);
    CHECK_FALSE(sc.servers[1].storage);
    fosim::sim::Simulator s(sc, 1, nullptr);
    s.run(Instant{std::chrono::minutes(5)});
    // Saved normal, the link cut: startup, then communications-interrupted after 15 s.
    CHECK(s.server(0).view().state == State::communications_interrupted);
    // The secondary had no lease file: startup with saved recover, then recover.
    CHECK(s.server(1).view().state == State::recover);
    // 10.10.30.151 is active for b8:69:f4:99:d1:4c until 13:36:07, 2 h less a second on.
    const fosim::sim::Lease& l = s.server(0).leases()[51];
    CHECK(l.state == BindingState::active);
    CHECK(l.ends == at_seconds(7199));
    CHECK(s.clients().mac_text(l.client - 1) == "b8:69:f4:99:d1:4c");
    CHECK(s.server(0).leases()[50].state == BindingState::free);
  }

  TEST_CASE("leases_start: a lease that ended before the run begins expires at once") {
    fosim::sim::Scenario sc = interrupted_pair();
    std::string primary = text_of("interrupted-primary.leases");
    // 10.0.0.13 (the fourth lease) ends at 09:45:00, before time 0 (10:00:01).
    const std::size_t at = primary.find("lease 10.0.0.13 {");
    REQUIRE(at != std::string::npos);
    primary.replace(primary.find("ends 1 2026/03/02 12:00:00", at), 26,
                    "ends 1 2026/03/02 09:45:00");
    std::vector<fosim::sim::LeasesError> errors;
    const std::array<std::optional<fosim::sim::LeaseFileText>, 2> files{
        fosim::sim::LeaseFileText{"p.leases", primary},
        fosim::sim::LeaseFileText{"s.leases", text_of("interrupted-secondary.leases")}};
    REQUIRE(fosim::sim::start_from_lease_files(sc, files, errors));
    CHECK(sc.servers[0].storage->leases[3].ends == at_seconds(-901));
    fosim::sim::Simulator s(sc, sc.seed, nullptr);
    s.run(Instant{std::chrono::seconds(1)});
    // dhcpd's start-up expires it; the three others stay active.
    CHECK(s.server(0).leases()[3].state != BindingState::active);
    CHECK(s.server(0).leases()[2].state == BindingState::active);
  }

  TEST_CASE("leases_start: a file of another relationship is an error at its record") {
    fosim::sim::Scenario sc = interrupted_pair();
    sc.pool.first = 0x0a0a1e64;  // 10.10.30.100
    sc.pool.last = 0x0a0a1ec8;   // 10.10.30.200
    std::vector<fosim::sim::LeasesError> errors;
    const std::array<std::optional<fosim::sim::LeaseFileText>, 2> files{
        fosim::sim::LeaseFileText{"g.leases", text_of("glass-isc-dhcp-65.leases")}, std::nullopt};
    CHECK_FALSE(fosim::sim::start_from_lease_files(sc, files, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 1);
    CHECK(errors[0].message ==
          "the failover state records are for peer \"failover-partner\", not the scenario's "
          "relationship \"dhcp-failover\"; valid: the lease file of a server of this "
          "relationship");
  }
}
