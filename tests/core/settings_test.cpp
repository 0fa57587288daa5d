// The one table of settings: its rows say what ISC says, and each row's keyword reads into its
// field through the dhcpd.conf reader and its range is enforced by the validation.
#include "fosim/core/settings.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace fosim::core;

namespace {

/// A primary's declaration with one more statement.
std::string peer_with(const std::string& statement) {
  return "failover peer \"p\" {\n  primary;\n  address 10.0.0.1;\n  peer address 10.0.0.2;\n"
         "  mclt 1800;\n  split 128;\n  load balance max seconds 3;\n  " +
         statement + "\n}\n";
}

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("settings: rows: ISC's keywords, OMAPI names, units and defaults") {
    // dhcpd.conf(5) spells these with spaces; confpars.c reads "load balance max seconds".
    CHECK(find_peer_keyword("load balance max seconds")->key == "load_balance_max_seconds");
    CHECK(find_peer_keyword("peer port")->key == "peer_port");
    CHECK(find_peer_keyword("max-response-delay")->key == "max_response_delay");
    CHECK(find_peer_keyword("mclt")->unit == Unit::seconds);
    CHECK(find_peer_keyword("no-such-thing") == nullptr);
    // omshell's failover-state attributes (server/failover.c).
    CHECK(peer_setting("max_unacked_updates").omapi == "max-outstanding-updates");
    CHECK(peer_setting("load_balance_max_seconds").omapi == "load-balance-max-secs");
    CHECK(peer_setting("hba").omapi == "load-balance-hba");
    CHECK(peer_setting("peer_port").omapi == "partner-port");
    CHECK(peer_setting("auto_partner_down").omapi.empty());
    // ISC's defaults (confpars.c / failover.c): 647, 20 s, 100, 15 %, 10 %, 60 s, 3600 s.
    CHECK(peer_setting("port").isc_default == 647);
    CHECK(peer_setting("max_response_delay").isc_default == 20);
    CHECK(peer_setting("max_unacked_updates").isc_default == 100);
    CHECK(peer_setting("max_lease_misbalance").isc_default == 15);
    CHECK(peer_setting("max_lease_ownership").isc_default == 10);
    CHECK(peer_setting("min_balance").isc_default == 60);
    CHECK(peer_setting("max_balance").isc_default == 3600);
    CHECK(!peer_setting("mclt").isc_default);  // required on the primary
    // The primary's settings, which the secondary learns in CONNECT.
    CHECK(peer_setting("mclt").holder == Holder::primary);
    CHECK(peer_setting("split").holder == Holder::primary);
    CHECK(peer_setting("max_response_delay").holder == Holder::each);
    // dhcpd's lease-time defaults: 12 hours and 24 hours; min-lease-time has none of its own.
    CHECK(find_pool_setting("default_lease_time")->isc_default == 43200);
    CHECK(find_pool_setting("max_lease_time")->isc_default == 86400);
    CHECK(!find_pool_setting("min_lease_time")->isc_default);
    CHECK(find_pool_keyword("min-lease-time")->key == "min_lease_time");
  }

  TEST_CASE("settings: every number's keyword reads into its field in dhcpd.conf") {
    std::size_t checked = 0;
    for (const PeerSetting& s : peer_settings) {
      if (s.number == nullptr || s.key == "mclt" || s.key == "split" ||
          s.key == "load_balance_max_seconds")
        continue;  // those three are in every declaration of peer_with(); checked below
      CAPTURE(s.key);
      // 7 lies in every range but a port's, which starts at 1 and also holds it.
      const DhcpdConf conf = parse_dhcpd_conf(peer_with(std::string(s.keyword) + " 7;"), "a", {});
      REQUIRE(conf.peers.size() == 1);
      CHECK(conf.problems.empty());
      CHECK(conf.peers[0].config.*(s.number) == 7);
      CHECK(conf.peers[0].place_of(std::string(s.key)).line == 8);
      ++checked;
    }
    CHECK(checked == 9);  // port, peer port, mrd, mau, apd, 2 percentages, 2 balance times
    const DhcpdConf conf = parse_dhcpd_conf(peer_with(""), "a", {});
    CHECK(conf.peers[0].config.mclt_s == 1800);
    CHECK(conf.peers[0].config.split == 128);
    CHECK(conf.peers[0].config.load_balance_max_seconds == 3);
  }

  TEST_CASE("settings: every pool keyword reads into its field in dhcpd.conf") {
    const DhcpdConf conf = parse_dhcpd_conf(peer_with("") +
                                                "subnet 10.0.1.0 netmask 255.255.255.0 {\n"
                                                "  pool {\n    failover peer \"p\";\n"
                                                "    default-lease-time 600;\n"
                                                "    max-lease-time 7200;\n"
                                                "    min-lease-time 300;\n"
                                                "    range 10.0.1.10 10.0.1.20;\n  }\n}\n",
                                            "a", {});
    REQUIRE(conf.pools.size() == 1);
    CHECK(conf.problems.empty());
    CHECK(conf.pools[0].default_lease_time_s == 600);
    CHECK(conf.pools[0].max_lease_time_s == 7200);
    CHECK(conf.pools[0].min_lease_time_s == 300);
  }

  TEST_CASE("settings: a value past a row's range is an error on that field") {
    auto base = [] {
      PeerConfig c;
      c.name = "p";
      c.role = Role::primary;
      c.address = "10.0.0.1";
      c.peer_address = "10.0.0.2";
      c.mclt_s = 1800;
      c.split = 128;
      c.load_balance_max_seconds = 3;
      return c;
    };
    auto error_on = [](const PeerConfig& c, const std::string& field) -> const Problem* {
      static std::vector<Problem> problems;
      problems = validate(c);
      for (const Problem& p : problems)
        if (p.field == field && p.severity == Severity::error) return &p;
      return nullptr;
    };
    SUBCASE("by hand: ports 1 to 65535, split 0 to 256, percentages 0 to 100") {
      PeerConfig c = base();
      c.port = 65536;
      const Problem* p = error_on(c, "port");
      REQUIRE(p != nullptr);
      CHECK(p->message == "port 65536 is out of range");
      CHECK(p->valid == "a TCP port from 1 to 65535 (ISC default 647)");
      c = base();
      c.split = 257;
      REQUIRE(error_on(c, "split") != nullptr);
      CHECK(error_on(c, "split")->valid == "0 to 256");
      CHECK(error_on(c, "split")->isc_message == "split must be between 0 and 256, inclusive");
      c = base();
      c.max_lease_misbalance = 101;
      REQUIRE(error_on(c, "max_lease_misbalance") != nullptr);
      CHECK(error_on(c, "max_lease_misbalance")->valid == "a percentage 0 to 100 (default 15)");
      c = base();
      c.load_balance_max_seconds = 65536;
      CHECK(error_on(c, "load_balance_max_seconds") != nullptr);
    }
    SUBCASE("every row: one past the top and one below the bottom") {
      std::size_t checked = 0;
      for (const PeerSetting& s : peer_settings) {
        if (s.number == nullptr || s.key == "mclt") continue;  // mclt: reader's bound, below
        CAPTURE(s.key);
        PeerConfig c = base();
        c.*(s.number) = s.max + 1;
        CHECK(error_on(c, std::string(s.key)) != nullptr);
        c.*(s.number) = s.min - 1;
        CHECK(error_on(c, std::string(s.key)) != nullptr);
        ++checked;
      }
      CHECK(checked == 11);
      PeerConfig c = base();
      c.mclt_s = 0;  // below its minimum of 1: the primary has no mclt
      CHECK(error_on(c, "mclt") != nullptr);
    }
  }
}
