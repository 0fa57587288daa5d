// Failover-peer configuration: ISC's defaults (ISC parse_failover_peer()) and every validation
// problem (with ISC's wording where it has one), on the field report's real configs.
#include "fosim/core/peer_config.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using fosim::core::PeerConfig;
using fosim::core::Problem;
using fosim::core::Role;
using fosim::core::Seconds;
using fosim::core::Severity;

namespace {

// Seed 003, primary: primary; address 192.168.102.100; port 647; peer address
// 192.168.102.101; peer port 647; max-response-delay 30; max-unacked-updates 10;
// load balance max seconds 3; mclt 1800; split 128.
PeerConfig field_primary() {
  PeerConfig c;
  c.name = "dhcp-failover";
  c.role = Role::primary;
  c.address = "192.168.102.100";
  c.port = 647;
  c.peer_address = "192.168.102.101";
  c.peer_port = 647;
  c.max_response_delay_s = 30;
  c.max_unacked_updates = 10;
  c.load_balance_max_seconds = 3;
  c.mclt_s = 1800;
  c.split = 128;
  return c;
}

// Seed 003, secondary: the same without mclt and split.
PeerConfig field_secondary() {
  PeerConfig c = field_primary();
  c.role = Role::secondary;
  c.address = "192.168.102.101";
  c.peer_address = "192.168.102.100";
  c.mclt_s.reset();
  c.split.reset();
  return c;
}

const Problem* find(const std::vector<Problem>& problems, std::string_view field, Severity s) {
  auto it = std::find_if(problems.begin(), problems.end(),
                         [&](const Problem& p) { return p.field == field && p.severity == s; });
  return it == problems.end() ? nullptr : &*it;
}

// Checks that `c` has a problem on `field` of severity `s`, with ISC's text `isc` if given.
void expect_problem(const PeerConfig& c, std::string_view field, Severity s,
                    std::string_view isc = {}) {
  const auto problems = fosim::core::validate(c);
  CAPTURE(field);
  const Problem* p = find(problems, field, s);
  REQUIRE(p != nullptr);
  CHECK_FALSE(p->message.empty());
  CHECK_FALSE(p->valid.empty());
  if (!isc.empty()) CHECK(p->isc_message == isc);
}

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("peer_config: the field report's configs are clean") {
    CHECK(fosim::core::validate(field_primary()).empty());
    CHECK(fosim::core::validate(field_secondary()).empty());
  }

  TEST_CASE("peer_config: effective values and ISC defaults") {
    SUBCASE("the field report's primary") {
      const auto e = fosim::core::effective(field_primary());
      CHECK(e.role == Role::primary);
      CHECK(e.mclt == Seconds{1800});
      CHECK(e.max_response_delay == Seconds{30});
      CHECK(e.max_unacked_updates == 10);
      REQUIRE(e.hba.has_value());
      CHECK(*e.hba == fosim::core::hba_from_split(128));
      CHECK(e.load_balance_max_seconds == 3);
    }
    SUBCASE("omitted values get ISC's defaults, and so does a configured 0") {
      PeerConfig c;
      c.name = "p";
      c.peer_address = "10.0.0.2";
      for (bool zero : {false, true}) {
        if (zero) {
          c.max_response_delay_s = 0;
          c.max_unacked_updates = 0;
          c.max_lease_misbalance = 0;
          c.max_lease_ownership = 0;
          c.min_balance_s = 0;
          c.max_balance_s = 0;
          c.port = 0;
        }
        const auto e = fosim::core::effective(c);
        CHECK(e.role == Role::primary);  // the zero-filled struct's first enumerator
        CHECK(e.port == 647);
        CHECK(e.peer_port == 647);
        CHECK(e.max_response_delay == Seconds{20});
        CHECK(e.max_unacked_updates == 100);
        CHECK(e.max_lease_misbalance == 15);
        CHECK(e.max_lease_ownership == 10);
        CHECK(e.min_balance == Seconds{60});
        CHECK(e.max_balance == Seconds{3600});
        CHECK(e.load_balance_max_seconds == 0);  // load balancing off
        CHECK(e.auto_partner_down == Seconds{0});
      }
    }
    SUBCASE("the secondary learns MCLT and HBA from the primary") {
      const auto e = fosim::core::effective(field_secondary());
      CHECK(e.mclt == Seconds{0});
      CHECK_FALSE(e.hba.has_value());
    }
    SUBCASE("hba bytes are used as given") {
      PeerConfig c = field_primary();
      c.split.reset();
      c.hba = std::vector<std::uint8_t>(32, 0xaa);
      const auto e = fosim::core::effective(c);
      REQUIRE(e.hba.has_value());
      CHECK(fosim::core::primary_serves(*e.hba, 1));
      CHECK_FALSE(fosim::core::primary_serves(*e.hba, 0));
    }
  }

  TEST_CASE("peer_config: validation: ISC's own errors") {
    SUBCASE("split out of range") {
      for (std::int64_t split : {257, -1, 1000}) {
        PeerConfig c = field_primary();
        c.split = split;
        expect_problem(c, "split", Severity::error, "split must be between 0 and 256, inclusive");
      }
      PeerConfig edge = field_primary();
      edge.split = 256;
      CHECK(fosim::core::validate(edge).empty());
      edge.split = 0;
      CHECK(fosim::core::validate(edge).empty());
    }
    SUBCASE("split or hba on a secondary") {
      PeerConfig c = field_secondary();
      c.split = 128;
      expect_problem(c, "split", Severity::error,
                     "secondary may not define load balance settings.");
      c.split.reset();
      c.hba = std::vector<std::uint8_t>(32, 0xff);
      expect_problem(c, "hba", Severity::error, "secondary may not define load balance settings.");
    }
    SUBCASE("primary without split or hba") {
      PeerConfig c = field_primary();
      c.split.reset();
      expect_problem(c, "split", Severity::error,
                     "primary failover server must have hba or split.");
    }
    SUBCASE("primary without mclt, or mclt 0") {
      PeerConfig c = field_primary();
      c.mclt_s.reset();
      expect_problem(c, "mclt", Severity::error, "primary failover server must have mclt.");
      c.mclt_s = 0;
      expect_problem(c, "mclt", Severity::error, "primary failover server must have mclt.");
    }
    SUBCASE("missing peer address") {
      PeerConfig c = field_primary();
      c.peer_address.reset();
      expect_problem(c, "peer_address", Severity::error, "peer address may not be omitted");
    }
    SUBCASE("missing own address") {
      PeerConfig c = field_primary();
      c.address.reset();
      expect_problem(c, "address", Severity::error,
                     "failover peer dhcp-failover: no local address.");
    }
    SUBCASE("hba not 32 bytes") {
      PeerConfig c = field_primary();
      c.split.reset();
      c.hba = std::vector<std::uint8_t>(31, 0xff);
      expect_problem(c, "hba", Severity::error, "too few numbers.");
      c.hba = std::vector<std::uint8_t>(33, 0xff);
      expect_problem(c, "hba", Severity::error, "semicolon expected.");
    }
    SUBCASE("no name") {
      PeerConfig c = field_primary();
      c.name.clear();
      expect_problem(c, "name", Severity::error, "expecting failover peer name.");
    }
    SUBCASE("negative numbers") {
      PeerConfig c = field_primary();
      c.max_response_delay_s = -5;
      expect_problem(c, "max_response_delay", Severity::error, "expecting number.");
      c = field_primary();
      c.mclt_s = -1;
      expect_problem(c, "mclt", Severity::error, "expecting number.");
    }
  }

  TEST_CASE("peer_config: validation: problems ISC does not report") {
    SUBCASE("ports outside 1..65535") {
      PeerConfig c = field_primary();
      c.port = 70000;
      expect_problem(c, "port", Severity::error);
      c = field_primary();
      c.peer_port = -1;
      expect_problem(c, "peer_port", Severity::error);
    }
    SUBCASE("both split and hba") {
      PeerConfig c = field_primary();
      c.hba = std::vector<std::uint8_t>(32, 0xff);
      expect_problem(c, "hba", Severity::warning);
      CHECK_FALSE(fosim::core::has_errors(fosim::core::validate(c)));
    }
    SUBCASE("mclt on the secondary counts only until") {
      PeerConfig c = field_secondary();
      c.mclt_s = 1800;
      expect_problem(c, "mclt", Severity::warning);
    }
    SUBCASE("load balance max seconds omitted or 0: load balancing off, on either role") {
      PeerConfig c = field_primary();
      c.load_balance_max_seconds.reset();
      expect_problem(c, "load_balance_max_seconds", Severity::warning,
                     "WARNING: load balancing will be disabled for failover peer, dhcp-failover, "
                     "because its load balance max secs is 0");
      PeerConfig s = field_secondary();
      s.load_balance_max_seconds = 0;
      expect_problem(s, "load_balance_max_seconds", Severity::warning);
    }
    SUBCASE("auto-partner-down shorter than max-response-delay") {
      PeerConfig c = field_primary();
      c.auto_partner_down_s = 10;  // mrd 30
      expect_problem(c, "auto_partner_down", Severity::warning);
      c.auto_partner_down_s = 3600;
      CHECK(fosim::core::validate(c).empty());
    }
    SUBCASE("max-response-delay under 3 s makes CONTACT continuous") {
      PeerConfig c = field_primary();
      c.max_response_delay_s = 2;
      expect_problem(c, "max_response_delay", Severity::warning);
    }
    SUBCASE("percentages over 100, min-balance over max-balance, mclt over a week") {
      PeerConfig c = field_primary();
      c.max_lease_misbalance = 150;
      expect_problem(c, "max_lease_misbalance", Severity::error);
      c = field_primary();
      c.max_lease_ownership = 101;
      expect_problem(c, "max_lease_ownership", Severity::error);
      c = field_primary();
      c.min_balance_s = 7200;
      expect_problem(c, "min_balance", Severity::warning);
      c = field_primary();
      c.mclt_s = 8 * 86400;
      expect_problem(c, "mclt", Severity::warning);
    }
  }

  TEST_CASE("peer_config: validation: every problem at once, not just the first") {
    PeerConfig c;  // a primary by default, with nothing set
    c.port = -1;
    c.split = 300;
    c.max_lease_misbalance = 200;
    const auto problems = fosim::core::validate(c);
    // name, address, peer_address, port, split range, mclt, lb warning, misbalance.
    CHECK(problems.size() == 8);
    CHECK(fosim::core::has_errors(problems));
    for (std::string_view field : {"name", "address", "peer_address", "port", "split", "mclt",
                                   "load_balance_max_seconds", "max_lease_misbalance"})
      CHECK(std::any_of(problems.begin(), problems.end(),
                        [&](const Problem& p) { return p.field == field; }));
  }
}
