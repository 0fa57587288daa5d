// Reading real dhcpd.conf files and checking a pair: the field report's configs (seed 003, as
// published with its line breaks lost), ISC's own messages (reference §7.3) and the checks
// across the two servers.
#include "fosim/core/dhcpd_conf.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

using fosim::core::check_pair;
using fosim::core::ConfProblem;
using fosim::core::DhcpdConf;
using fosim::core::parse_dhcpd_conf;
using fosim::core::Role;
using fosim::core::Severity;

namespace {

// The field report's two files exactly as the seed prints them: one line each, comments and all.
const std::string primary_one_line =
    "# primary authoritative; ddns-update-style none; failover peer \"dhcp-failover\" { primary; # "
    "declare "
    "this to be the primary server address 192.168.102.100; # primary's IP port 647; peer address "
    "192.168.102.101; # secondary's IP peer port 647; max-response-delay 30; max-unacked-updates "
    "10; load "
    "balance max seconds 3; mclt 1800; split 128; } subnet 192.168.102.0 netmask 255.255.255.0 { "
    "option "
    "subnet-mask 255.255.255.0; option broadcast-address 192.168.102.255; option routers "
    "192.168.102.1; "
    "option domain-name-servers 192.168.102.1; pool { failover peer \"dhcp-failover\"; "
    "default-lease-time "
    "3600; # 1 hour max-lease-time 86400; # 1 day range 192.168.102.110 192.168.102.210; } }\n";
const std::string secondary_one_line =
    "# secondary authoritative; ddns-update-style none; failover peer \"dhcp-failover\" { "
    "secondary; # "
    "declare this to be the secondary server address 192.168.102.101; # secondary's IP port 647; "
    "peer "
    "address 192.168.102.100; # primary's IP peer port 647; max-response-delay 30; "
    "max-unacked-updates 10; "
    "load balance max seconds 3; } subnet 192.168.102.0 netmask 255.255.255.0 { option subnet-mask "
    "255.255.255.0; option broadcast-address 192.168.102.255; option routers 192.168.102.1; option "
    "domain-name-servers 192.168.102.1; pool { failover peer \"dhcp-failover\"; default-lease-time "
    "3600; # "
    "1 hour max-lease-time 86400; # 1 day range 192.168.102.110 192.168.102.210; } }\n";

// The same primary with its line breaks, so that lines can be named.
const std::string primary_lines = R"(authoritative;
failover peer "dhcp-failover" {
  primary;
  address 192.168.102.100;
  port 647;
  peer address 192.168.102.101;
  peer port 647;
  max-response-delay 30;
  max-unacked-updates 10;
  load balance max seconds 3;
  mclt 1800;
  split 128;
}
subnet 192.168.102.0 netmask 255.255.255.0 {
  option routers 192.168.102.1;
  host printer { hardware ethernet 52:54:00:aa:bb:cc; fixed-address 192.168.102.20; }
  pool {
    failover peer "dhcp-failover";
    default-lease-time 3600;
    max-lease-time 86400;
    range 192.168.102.110 192.168.102.210;
  }
}
)";

DhcpdConf parse(const std::string& text, const std::string& file = "t.conf") {
  return parse_dhcpd_conf(text, file, {});
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto p = text.find(from);
  REQUIRE(p != std::string::npos);
  return text.replace(p, from.size(), to);
}

bool has(const std::vector<ConfProblem>& ps, std::size_t line, std::string_view fragment,
         Severity s = Severity::error) {
  return std::any_of(ps.begin(), ps.end(), [&](const ConfProblem& p) {
    return p.severity == s && p.place.line == line && p.message.find(fragment) != std::string::npos;
  });
}

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("dhcpd_conf: the field report's files, line breaks lost, read and clean") {
    const DhcpdConf a = parse(primary_one_line, "primary.conf");
    const DhcpdConf b = parse(secondary_one_line, "secondary.conf");
    CHECK(a.problems.empty());
    REQUIRE(a.notes.size() == 1);  // dhcpd itself would stop at the first '#'
    REQUIRE(a.peers.size() == 1);
    const auto& p = a.peers[0].config;
    CHECK(p.name == "dhcp-failover");
    CHECK(p.role == Role::primary);
    CHECK(p.address == "192.168.102.100");
    CHECK(p.port == 647);
    CHECK(p.peer_address == "192.168.102.101");
    CHECK(p.peer_port == 647);
    CHECK(p.max_response_delay_s == 30);
    CHECK(p.max_unacked_updates == 10);
    CHECK(p.load_balance_max_seconds == 3);
    CHECK(p.mclt_s == 1800);
    CHECK(p.split == 128);
    REQUIRE(a.pools.size() == 1);
    CHECK(a.pools[0].peer == "dhcp-failover");
    CHECK(a.pools[0].default_lease_time_s == 3600);
    CHECK(a.pools[0].max_lease_time_s == 86400);
    REQUIRE(a.pools[0].ranges.size() == 1);
    CHECK(a.pools[0].ranges[0].first == ((192u << 24) | (168u << 16) | (102u << 8) | 110u));
    CHECK(a.pools[0].ranges[0].last == ((192u << 24) | (168u << 16) | (102u << 8) | 210u));
    REQUIRE(b.peers.size() == 1);
    CHECK(b.peers[0].config.role == Role::secondary);
    CHECK_FALSE(b.peers[0].config.mclt_s.has_value());
    CHECK(check_pair(a, b).empty());
  }

  TEST_CASE("dhcpd_conf: a normal file: hosts and options skipped, lines known") {
    const DhcpdConf a = parse(primary_lines);
    CHECK(a.problems.empty());
    CHECK(a.notes.empty());
    REQUIRE(a.peers.size() == 1);
    CHECK(a.peers[0].place.line == 2);
    CHECK(a.peers[0].place_of("mclt").line == 11);
    REQUIRE(a.pools.size() == 1);
    CHECK(a.pools[0].ranges[0].place.line == 21);
  }

  TEST_CASE("dhcpd_conf: ISC's own messages, on the right line") {
    SUBCASE("split on a secondary (§7.3 #9)") {
      const auto ps = check_pair(parse(with(primary_lines, "  primary;", "  secondary;")),
                                 parse(primary_lines));
      CHECK(has(ps, 12, "secondary may not define load balance settings."));
    }
    SUBCASE("split over 256 (#12)") {
      const auto ps =
          check_pair(parse(with(primary_lines, "split 128;", "split 300;")), parse(primary_lines));
      CHECK(has(ps, 12, "split"));
    }
    SUBCASE("load balance max secs (#17: 'secs' is not accepted)") {
      const DhcpdConf a =
          parse(with(primary_lines, "load balance max seconds 3;", "load balance max secs 3;"));
      CHECK(has(a.problems, 10, "expecting 'secs'"));
    }
    SUBCASE("an unknown statement in the block (#18)") {
      const DhcpdConf a =
          parse(with(primary_lines, "  mclt 1800;", "  mclt 1800;\n  colour blue;"));
      CHECK(has(a.problems, 12, "invalid statement in peer declaration"));
    }
    SUBCASE("no peer address (#19), no split (#20), no mclt (#21)") {
      std::string t = with(primary_lines, "  peer address 192.168.102.101;\n", "");
      const auto a = check_pair(parse(t), parse(primary_lines));
      CHECK(has(a, 2, "peer address may not be omitted"));
      const auto b =
          check_pair(parse(with(primary_lines, "  split 128;\n", "")), parse(primary_lines));
      CHECK(has(b, 2, "primary failover server must have hba or split."));
      const auto c =
          check_pair(parse(with(primary_lines, "  mclt 1800;\n", "")), parse(primary_lines));
      CHECK(has(c, 2, "primary failover server must have mclt."));
    }
    SUBCASE("a missing semicolon (#22) is reported where the statement ends, and reading goes on") {
      const DhcpdConf a = parse(with(primary_lines, "mclt 1800;", "mclt 1800"));
      CHECK(has(a.problems, 11, "semicolon expected."));
      REQUIRE(a.peers.size() == 1);
      CHECK(a.peers[0].config.split == 128);  // the next statement is still read
    }
    SUBCASE("a pool naming an unknown peer (#26); a peer no pool names (sanity check)") {
      const DhcpdConf a = parse(
          with(primary_lines, "failover peer \"dhcp-failover\";", "failover peer \"other\";"));
      CHECK(has(a.problems, 18, "failover peer other: not found"));
      const auto ps = check_pair(a, parse(primary_lines));
      CHECK(has(ps, 2, "has no referring pools"));
    }
    SUBCASE("a declaration inside a subnet (#1)") {
      const std::string t = with(primary_lines, "  option routers 192.168.102.1;",
                                 "  failover peer \"x\" { primary; }");
      CHECK(has(parse(t).problems, 15, "failover peers may only be defined in shared-network"));
    }
    SUBCASE("broken syntax: an unterminated string, a missing brace") {
      CHECK(has(parse("failover peer \"dhcp-failover {\n primary;\n").problems, 1,
                "unterminated string"));
      CHECK(has(parse("subnet 10.0.0.0 netmask 255.0.0.0 {\n pool {\n range 10.0.0.1 10.0.0.9;\n")
                    .problems,
                3, "the file ends inside"));
    }
  }

  TEST_CASE("dhcpd_conf: the checks across the two servers") {
    const std::string secondary =
        with(with(with(with(with(primary_lines, "  primary;", "  secondary;"),
                            "address 192.168.102.100;", "address 192.168.102.101;"),
                       "peer address 192.168.102.101;", "peer address 192.168.102.100;"),
                  "  mclt 1800;\n", ""),
             "  split 128;\n", "");
    REQUIRE(check_pair(parse(primary_lines), parse(secondary)).empty());
    SUBCASE("both primary") {
      const auto ps =
          check_pair(parse(primary_lines), parse(with(secondary, "  secondary;", "  primary;")));
      CHECK(has(ps, 3, "both servers are primary"));
    }
    SUBCASE("a peer address that is not the partner's address") {
      const auto ps = check_pair(
          parse(primary_lines),
          parse(with(secondary, "peer address 192.168.102.100;", "peer address 192.168.102.9;")));
      CHECK(has(ps, 6,
                "peer address 192.168.102.9 is not the other server's address 192.168.102.100"));
    }
    SUBCASE("ports that do not meet") {
      const auto ps = check_pair(parse(primary_lines),
                                 parse(with(secondary, "peer port 647;", "peer port 847;")));
      CHECK(has(ps, 7, "peer port 847 is not the port the other server listens on (647)"));
    }
    SUBCASE("different names") {
      const auto ps =
          check_pair(parse(primary_lines),
                     parse(with(with(secondary, "peer \"dhcp-failover\" {", "peer \"dhcp\" {"),
                                "peer \"dhcp-failover\";", "peer \"dhcp\";")));
      CHECK(has(ps, 2, "declared on one server only"));
    }
    SUBCASE("different ranges, different lease times") {
      const auto r = check_pair(parse(primary_lines),
                                parse(with(secondary, "192.168.102.210", "192.168.102.200")));
      CHECK(has(r, 2, "the pools differ"));
      const auto t = check_pair(
          parse(primary_lines),
          parse(with(secondary, "default-lease-time 3600;", "default-lease-time 7200;")));
      CHECK(has(t, 15, "lease times of pool", Severity::warning));  // the secondary's pool line
    }
    SUBCASE("mclt on the secondary; auto-partner-down shorter than max-response-delay") {
      const auto m =
          check_pair(parse(primary_lines), parse(with(secondary, "  max-response-delay 30;",
                                                      "  max-response-delay 30;\n  mclt 600;")));
      CHECK(has(m, 9, "mclt on the secondary counts only until", Severity::warning));
      // Said once: the secondary's own check, not again as a cross-server one.
      CHECK(std::count_if(m.begin(), m.end(), [](const fosim::core::ConfProblem& p) {
              return p.message.find("mclt on the secondary") != std::string::npos;
            }) == 1);
      const auto a = check_pair(
          parse(with(primary_lines, "  mclt 1800;", "  mclt 1800;\n  auto-partner-down 10;")),
          parse(secondary));
      CHECK(has(a, 12, "auto-partner-down 10 s is shorter than max-response-delay 30 s",
                Severity::warning));
    }
  }

  TEST_CASE("dhcpd_conf: include files are read through the caller, and may not loop") {
    const fosim::core::IncludeReader reader = [](const std::string& path,
                                                 std::string& error) -> std::optional<std::string> {
      if (path == "peer.conf")
        return std::string(
            "failover peer \"p\" { primary; address 10.0.0.1; peer address 10.0.0.2; mclt 600; "
            "split 128; }");
      if (path == "loop.conf") return std::string("include \"loop.conf\";");
      error = "no such file";
      return std::nullopt;
    };
    const DhcpdConf a = parse_dhcpd_conf("include \"peer.conf\";\ninclude \"missing.conf\";\n",
                                         "main.conf", reader);
    REQUIRE(a.peers.size() == 1);
    CHECK(a.peers[0].place.file == "peer.conf");
    CHECK(a.peers[0].config.mclt_s == 600);
    CHECK(has(a.problems, 2, "cannot read included file missing.conf: no such file"));
    const DhcpdConf l = parse_dhcpd_conf("include \"loop.conf\";\n", "main.conf", reader);
    CHECK(std::any_of(l.problems.begin(), l.problems.end(), [](const ConfProblem& p) {
      return p.message.find("nest more than 10") != std::string::npos;
    }));
  }

  TEST_CASE("dhcpd_conf: includes that multiply are read a bounded number of times") {
    // Found by fuzzing: a file that includes itself four times was read 4^10 times (a hang).
    std::size_t reads = 0;
    const fosim::core::IncludeReader four = [&reads](const std::string&,
                                                     std::string&) -> std::optional<std::string> {
      ++reads;
      return std::string("include \"a\"; include \"a\"; include \"a\"; include \"a\";\n");
    };
    const DhcpdConf a = parse_dhcpd_conf("include \"a\";\n", "main.conf", four);
    CHECK(reads == 1000);
    CHECK(has(a.problems, 1, "more than 1000 includes (a loop?)"));
    // Twice, but 100 kB each time (2^10 reads): reading stops at 8 MB.
    reads = 0;
    const fosim::core::IncludeReader big = [&reads](const std::string&,
                                                    std::string&) -> std::optional<std::string> {
      ++reads;
      return "include \"b\"; include \"b\";\n" + std::string(100000, ' ');
    };
    const DhcpdConf b = parse_dhcpd_conf("include \"b\";\n", "main.conf", big);
    CHECK(reads < 100);  // 83 files of 100 kB fit; the few reads after that are refused
    CHECK(has(b.problems, 1, "the included files come to more than 8 MB (a loop?)"));
  }

  TEST_CASE("dhcpd_conf: blocks nested absurdly deep are reported, not followed down") {
    // Each { } level was a level of recursion: 10900 `group{` overflowed the stack (ASan).
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += "group {\n";
    const DhcpdConf a = parse(deep);
    CHECK(has(a.problems, 101, "{ } blocks nest more than 100 deep"));
    // 100 levels are still read.
    std::string ok = "subnet 10.0.0.0 netmask 255.255.255.0 {\n";
    for (int i = 1; i < 100; ++i) ok += "group {\n";
    ok += "range 10.0.0.10 10.0.0.20;\n" + std::string(100, '}') + "\n";
    const DhcpdConf b = parse(ok);
    CHECK(b.problems.empty());
    REQUIRE(b.pools.size() == 1);
    CHECK(b.pools[0].ranges.size() == 1);
  }
}
