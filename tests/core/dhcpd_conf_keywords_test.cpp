// What the dhcpd.conf reader does with what it cannot read as a statement: unknown words (with
// the statement they were likely meant to be), Unicode look-alikes of ASCII, a statement twice
// in one peer block, a declaration in the wrong scope, and the statements and defaults that
// differ between ISC series (ISC's source at v4_1_esv_r16_p1, v4_2_8, v4_3_6, v4_4_3).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "fosim/core/dhcpd_conf.hpp"

using fosim::core::ConfProblem;
using fosim::core::DhcpdConf;
using fosim::core::IscVersion;
using fosim::core::parse_dhcpd_conf;

namespace {

// A primary that checks clean; line numbers below are counted in it by hand.
const std::string primary = R"(failover peer "fo" {
  primary;
  address 10.0.0.1;
  port 647;
  peer address 10.0.0.2;
  peer port 647;
  mclt 300;
  split 128;
  load balance max seconds 3;
}
subnet 10.0.0.0 netmask 255.255.255.0 {
  pool {
    failover peer "fo";
    range 10.0.0.10 10.0.0.20;
  }
}
)";

std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto p = text.find(from);
  REQUIRE(p != std::string::npos);
  return text.replace(p, from.size(), to);
}

DhcpdConf parse(const std::string& text, IscVersion isc = IscVersion::v4_4) {
  return parse_dhcpd_conf(text, "t.conf", {}, isc);
}

/// The only problem of `c` (and that there is exactly one).
ConfProblem only(const DhcpdConf& c) {
  std::string all;
  for (const ConfProblem& p : c.problems)
    all += std::to_string(p.place.line) + ":" + std::to_string(p.place.column) + ": " + p.message +
           "\n";
  INFO(all);
  REQUIRE(c.problems.size() == 1);
  return c.problems[0];
}

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("dhcpd_conf: keywords: the clean file has no problem") {
    for (const IscVersion v :
         {IscVersion::v4_1, IscVersion::v4_2, IscVersion::v4_3, IscVersion::v4_4})
      CHECK(parse(primary, v).problems.empty());
  }

  TEST_CASE("dhcpd_conf: keywords: a misspelt statement is named with the one meant") {
    SUBCASE("in a pool") {
      const ConfProblem p =
          only(parse(with(primary, "    range", "    defualt-lease-time 600;\n    range")));
      CHECK(p.place.line == 14);
      CHECK(p.place.column == 5);
      CHECK(p.message ==
            "unknown statement `defualt-lease-time` (did you mean `default-lease-time`?)");
    }
    SUBCASE("in the peer block, a statement of several words written as one") {
      const ConfProblem p =
          only(parse(with(primary, "load balance max seconds 3;", "load-balance-max-seconds 3;")));
      CHECK(p.place.line == 9);
      CHECK(p.place.column == 3);
      CHECK(p.message ==
            "invalid statement in peer declaration: `load-balance-max-seconds` (did "
            "you mean `load balance max seconds`?)");
    }
    SUBCASE("in the peer block, the OMAPI name of a statement") {
      const ConfProblem p =
          only(parse(with(primary, "load balance max seconds 3;", "load-balance-max-secs 3;")));
      CHECK(p.message ==
            "invalid statement in peer declaration: `load-balance-max-secs` (did you "
            "mean `load balance max seconds`? `load-balance-max-secs` is its OMAPI name)");
    }
    SUBCASE("a peer statement outside its block") {
      const ConfProblem p = only(parse(with(primary, "subnet", "mclt 300;\nsubnet")));
      CHECK(p.place.line == 11);
      CHECK(p.message ==
            "unknown statement `mclt`: a failover peer statement outside a failover "
            "peer declaration");
    }
  }

  TEST_CASE("dhcpd_conf: keywords: a line of prose is one problem and hides nothing after it") {
    const DhcpdConf c = parse("This file was copied from the wiki, see below\n" + primary);
    const ConfProblem p = only(c);
    CHECK(p.place.line == 1);
    CHECK(p.place.column == 1);
    CHECK(p.message == "unknown statement `This`");
    REQUIRE(c.peers.size() == 1);  // the declaration on the next line is read
    CHECK(c.peers[0].config.mclt_s == 300);
  }

  TEST_CASE("dhcpd_conf: keywords: Unicode look-alikes are named and read as the ASCII meant") {
    SUBCASE("U+2010 hyphens: one problem for the line, with both columns") {
      // "  max‐response‐delay 30;": the hyphens are characters 6 and 15.
      const DhcpdConf c =
          parse(with(primary, "  mclt 300;", "  max\u2010response\u2010delay 30;\n  mclt 300;"));
      const ConfProblem p = only(c);
      CHECK(p.place.line == 7);
      CHECK(p.place.column == 6);
      CHECK(p.message ==
            "U+2010 HYPHEN where '-' was meant (columns 6, 15): pasted from a web "
            "page or a word processor?");
      CHECK(p.valid == "ASCII '-'");
      CHECK(c.peers[0].config.max_response_delay_s == 30);
    }
    SUBCASE("U+2011 and U+2013 in a number statement's keyword") {
      const ConfProblem p = only(
          parse(with(primary, "split 128;", "split 128;\n  max\u2011unacked\u2013updates 10;")));
      CHECK(p.message.find("U+2011 NON-BREAKING HYPHEN, U+2013 EN DASH where '-' was meant") == 0);
    }
    SUBCASE("curly quotes around the peer's name") {
      const DhcpdConf c =
          parse(with(primary, "failover peer \"fo\";", "failover peer \u201cfo\u201d;"));
      const ConfProblem p = only(c);
      CHECK(p.place.line == 13);
      CHECK(p.place.column == 19);
      CHECK(p.message.find("U+201C LEFT DOUBLE QUOTATION MARK, U+201D RIGHT DOUBLE QUOTATION MARK "
                           "where '\"' was meant (columns 19, 22)") == 0);
      REQUIRE(c.pools.size() == 1);
      CHECK(c.pools[0].peer == "fo");
    }
    SUBCASE("a non-breaking space") {
      const ConfProblem p = only(parse(with(primary, "range 10.0.0.10", "range\u00a010.0.0.10")));
      CHECK(p.place.line == 14);
      CHECK(p.place.column == 10);
      CHECK(p.valid == "an ASCII space");
    }
    SUBCASE("in a comment or a string they are text, not problems") {
      CHECK(parse("# \u201cquoted\u201d \u2010\n" + primary).problems.empty());
    }
  }

  TEST_CASE("dhcpd_conf: keywords: a statement twice in a peer block is an error") {
    const DhcpdConf c = parse(with(primary, "  split 128;", "  mclt 600;\n  split 128;"));
    const ConfProblem p = only(c);
    CHECK(p.place.line == 8);
    CHECK(p.place.column == 3);
    CHECK(p.message ==
          "`mclt` appears twice in failover peer fo (first on line 7); ISC keeps the last");
    CHECK(c.peers[0].config.mclt_s == 600);
  }

  TEST_CASE("dhcpd_conf: keywords: a peer declared inside a subnet is one problem") {
    const DhcpdConf c =
        parse(with(primary, "  pool {", "  failover peer \"inner\" { primary; }\n  pool {"));
    const ConfProblem p = only(c);
    CHECK(p.place.line == 12);
    CHECK(p.message ==
          "failover peers may only be defined in shared-network declarations and the "
          "outer scope.");
    CHECK(c.peers.size() == 1);
  }

  TEST_CASE("dhcpd_conf: keywords: statements and defaults by ISC series") {
    SUBCASE("auto-partner-down: 4.2 on (v4_2_0 parse_failover_peer)") {
      const std::string t =
          with(primary, "  split 128;", "  split 128;\n  auto-partner-down 3600;");
      const ConfProblem p = only(parse(t, IscVersion::v4_1));
      CHECK(p.place.line == 9);
      CHECK(p.message ==
            "invalid statement in peer declaration: `auto-partner-down` is not in ISC "
            "dhcpd 4.1 (it is in 4.2, 4.3, 4.4)");
      CHECK(parse(t, IscVersion::v4_2).problems.empty());
    }
    SUBCASE("the ports: no default in 4.1, 647 from 4.2") {
      const std::string t = with(with(primary, "  port 647;\n", ""), "  peer port 647;\n", "");
      const DhcpdConf c = parse(t, IscVersion::v4_1);
      REQUIRE(c.problems.size() == 2);
      CHECK(c.problems[0].message.find("local port may not be omitted") == 0);
      CHECK(c.problems[1].message.find("peer port may not be omitted") == 0);
      CHECK(c.problems[1].place.line == 1);
      CHECK(parse(t, IscVersion::v4_2).problems.empty());
    }
    SUBCASE("server options: server-id-check 4.3 on; abandon-lease-time in 4.1-ESV and 4.3 on") {
      const std::string sic = "server-id-check false;\n" + primary;
      CHECK(only(parse(sic, IscVersion::v4_2)).message ==
            "`server-id-check` is not a statement of ISC dhcpd 4.2 (it is in 4.3, 4.4)");
      CHECK(parse(sic, IscVersion::v4_3).problems.empty());
      const std::string alt = "abandon-lease-time 3600;\n" + primary;
      CHECK(parse(alt, IscVersion::v4_1).problems.empty());
      CHECK(only(parse(alt, IscVersion::v4_2)).message ==
            "`abandon-lease-time` is not a statement of ISC dhcpd 4.2 (it is in 4.1, 4.3, 4.4)");
      CHECK(only(parse("ping-timeout-ms 500;\n" + primary, IscVersion::v4_3)).place.line == 1);
    }
  }
}
