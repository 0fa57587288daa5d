// The dhcpd.conf reader's lease times as ISC's ack_lease() looks them up (the scope chain), and
// the statements it reads but does not model, each named with its line.
#include <doctest/doctest.h>

#include <string>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/core/mclt.hpp"

using fosim::core::DhcpdConf;
using fosim::core::parse_dhcpd_conf;

namespace {

DhcpdConf parse(const std::string& text) { return parse_dhcpd_conf(text, "t.conf", {}); }

const std::string peer =
    "failover peer \"fo\" { primary; address 10.0.0.1; peer address 10.0.0.2; mclt 300; "
    "split 128; load balance max seconds 3; }\n";

/// The messages of `c`'s unmodelled statements, each "LINE: MESSAGE".
std::vector<std::string> unmodelled(const DhcpdConf& c) {
  std::vector<std::string> out;
  for (const auto& u : c.unmodelled) out.push_back(std::to_string(u.place.line) + ": " + u.message);
  return out;
}

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("dhcpd_conf: lease times: the innermost scope that sets one wins") {
    SUBCASE("wherever in its scope the statement stands: after the pool too") {
      // ISC executes the subnet's statements whatever their place, so the subnet's default
      // 300 and max 3600 written after the pool apply to it; min 600 is the pool's own; the
      // global 43200 / 86400 are overridden.
      const auto c = parse(peer +
                           "default-lease-time 43200; max-lease-time 86400;\n"
                           "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
                           "  pool { failover peer \"fo\"; min-lease-time 600; range 10.0.0.100 "
                           "10.0.0.199; }\n"
                           "  max-lease-time 3600; default-lease-time 300;\n"
                           "}\n");
      REQUIRE(c.pools.size() == 1);
      CHECK(c.pools[0].default_lease_time_s == 300);
      CHECK(c.pools[0].max_lease_time_s == 3600);
      CHECK(c.pools[0].min_lease_time_s == 600);
      // What a client gets before the MCLT rule: 300 (default) capped at 3600, raised to 600.
      fosim::core::LeaseTimeConfig lt;
      lt.default_lease_time = fosim::core::Seconds{300};
      lt.max_lease_time = fosim::core::Seconds{3600};
      lt.min_lease_time = fosim::core::Seconds{600};
      CHECK(fosim::core::desired_lease_time(lt, std::nullopt) == fosim::core::Seconds{600});
    }
    SUBCASE("the last of two in one scope, and a group in between") {
      const auto c = parse(peer +
                           "min-lease-time 60; min-lease-time 120;\n"
                           "group { default-lease-time 900;\n"
                           "  subnet 10.0.0.0 netmask 255.255.255.0 {\n"
                           "    pool { failover peer \"fo\"; range 10.0.0.100 10.0.0.199; } } }\n");
      REQUIRE(c.pools.size() == 1);
      CHECK(c.pools[0].min_lease_time_s == 120);
      CHECK(c.pools[0].default_lease_time_s == 900);
      CHECK_FALSE(c.pools[0].max_lease_time_s);  // none set: ISC's default applies
    }
    SUBCASE("a shared-network's own pool takes its subnet's setting before the network's") {
      // ISC runs the lease's subnet scope (global, shared-network, subnet), then the pool's
      // up to the shared-network: the subnet's min 180 beats the network's 240; the pool's own
      // max 7200 beats both; the other subnet's 999 does not hold the pool's addresses.
      const auto c = parse(peer +
                           "shared-network lan { min-lease-time 240;\n"
                           "  subnet 10.0.1.0 netmask 255.255.255.0 { min-lease-time 999; }\n"
                           "  subnet 10.0.0.0 netmask 255.255.255.0 { min-lease-time 180; "
                           "max-lease-time 3600; }\n"
                           "  pool { failover peer \"fo\"; max-lease-time 7200; range 10.0.0.100 "
                           "10.0.0.199; }\n"
                           "}\n");
      REQUIRE(c.pools.size() == 1);
      CHECK(c.pools[0].min_lease_time_s == 180);
      CHECK(c.pools[0].max_lease_time_s == 7200);
    }
  }

  TEST_CASE("dhcpd_conf: statements fosim does not model are named with their line") {
    const auto c = parse(peer +                                             // line 1
                         "adaptive-lease-time-threshold 80;\n"              // 2
                         "ping-check false;\n"                              // 3: as fosim
                         "server-id-check true;\n"                          // 4
                         "option dhcp-renewal-time 600;\n"                  // 5
                         "host h { hardware ethernet 52:54:00:00:00:01;\n"  // 6
                         "  default-lease-time 60; }\n"                     // 7
                         "class \"phones\" { match if substring(option vendor-class-identifier, "
                         "0, 4) = \"SIP/\";\n"                                        // 8
                         "  max-lease-time 120; }\n"                                  // 9
                         "subnet 10.0.0.0 netmask 255.255.255.0 {\n"                  // 10
                         "  if option user-class = \"x\" { min-lease-time 30; }\n"    // 11
                         "  pool { failover peer \"fo\"; deny unknown-clients;\n"     // 12
                         "    range 10.0.0.100 10.0.0.199; } }\n"                     // 13
                         "failover peer \"fo\" state { my state partner-down; }\n");  // 14
    CHECK(c.problems.empty());
    const auto u = unmodelled(c);
    REQUIRE(u.size() == 8);
    CHECK(u[0].find("2: `adaptive-lease-time-threshold`: ") == 0);
    CHECK(u[1].find("4: `server-id-check`: ") == 0);
    CHECK(u[2].find("5: `option dhcp-renewal-time`: T1") == 0);
    CHECK(u[3].find("7: `default-lease-time` in a host, class or if block") == 0);
    CHECK(u[4].find("9: `max-lease-time` in a host, class or if block") == 0);
    CHECK(u[5].find("11: `min-lease-time` in a host, class or if block") == 0);
    CHECK(u[6].find("12: `deny unknown-clients`: a pool permit") == 0);
    CHECK(u[7].find("14: `failover peer fo state { ... }`") == 0);
    // None of the host, class or if settings reaches the pool.
    REQUIRE(c.pools.size() == 1);
    CHECK_FALSE(c.pools[0].default_lease_time_s);
    CHECK_FALSE(c.pools[0].max_lease_time_s);
    CHECK_FALSE(c.pools[0].min_lease_time_s);
  }
}
