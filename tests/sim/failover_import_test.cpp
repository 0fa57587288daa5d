// Micetro and Windows descriptions of a failover relationship, read as ISC peer declarations.
// Expected values are worked out by hand from the mapping in docs/import.md.
#include "fosim/formats/failover_import.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

using fosim::core::Role;
using fosim::sim::import_relationship;
using fosim::sim::ImportFormat;

namespace {

bool has_note(const fosim::sim::ImportedRelationship& r, const std::string& part) {
  return std::any_of(r.notes.begin(), r.notes.end(),
                     [&](const auto& n) { return n.message.find(part) != std::string::npos; });
}

const std::string micetro = R"({
  "Name": "dhcp-failover",
  "PrimaryServer": "dhcp-a.example.net.",
  "SecondaryServer": "dhcp-b.example.net",
  "Percentage": 60,
  "Mclt": 1800,
  "Port": 647,
  "LoadBalanceMaxSeconds": 3,
  "MaxResponseDelay": 60,
  "MaxUnackedUpdates": 10
})";

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("import: Micetro's AddDHCPFailoverRelationship parameters") {
    const auto r = import_relationship(micetro, "m.json");
    REQUIRE(r.errors.empty());
    CHECK(r.format == ImportFormat::micetro);
    CHECK(r.name == "dhcp-failover");
    const auto& p = r.servers[0].config;
    const auto& s = r.servers[1].config;
    CHECK(r.servers[0].host == "dhcp-a.example.net");  // the root dot dropped
    CHECK(p.role == Role::primary);
    CHECK(s.role == Role::secondary);
    CHECK(p.peer_address == "dhcp-b.example.net");
    CHECK(s.peer_address == "dhcp-a.example.net");
    // 60 % of 256 buckets is 153.6: the nearest split is 154, i.e. 60.16 %, said in a note.
    CHECK(p.split == 154);
    CHECK(has_note(r, "154 of 256 hash buckets (60.16 %)"));
    CHECK_FALSE(s.split);
    CHECK(p.mclt_s == 1800);  // ISC takes the mclt from the primary only
    CHECK_FALSE(s.mclt_s);
    for (const auto& c : {p, s}) {
      CHECK(c.port == 647);
      CHECK(c.peer_port == 647);
      CHECK(c.load_balance_max_seconds == 3);
      CHECK(c.max_response_delay_s == 60);
      CHECK(c.max_unacked_updates == 10);
    }
  }

  TEST_CASE("import: Micetro: exact percentages, JSON-RPC params, keys in any case") {
    const auto r = import_relationship(
        R"({"method": "AddDHCPFailoverRelationship", "params": {"name": "x", "primaryServer": "10.0.0.1",
            "secondaryServer": "10.0.0.2", "percentage": 25, "mclt": "600"}})",
        "m.json");
    REQUIRE(r.errors.empty());
    CHECK(r.servers[0].config.split == 64);  // 25 % of 256, exactly
    CHECK_FALSE(has_note(r, "hash buckets"));
    CHECK(r.servers[0].config.mclt_s == 600);
  }

  TEST_CASE("import: Micetro: missing or impossible values are errors naming the key and line") {
    const auto no_mclt = import_relationship(
        "{\"Name\": \"x\",\n \"PrimaryServer\": \"a\",\n \"SecondaryServer\": \"b\"}", "m.json");
    REQUIRE(no_mclt.errors.size() == 1);
    CHECK(no_mclt.errors[0].message.find("Mclt") != std::string::npos);

    std::string wide = micetro;
    wide.replace(wide.find("\"Percentage\": 60"), 16, "\"Percentage\": 150");
    const auto r = import_relationship(wide, "m.json");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].path == "/Percentage");
    CHECK(r.errors[0].line == 5);
    CHECK(r.errors[0].valid == "0 to 100");

    std::string port = micetro;
    port.replace(port.find("\"Port\": 647"), 11, "\"Port\": 70000");
    CHECK(import_relationship(port, "m.json").errors.at(0).path == "/Port");

    CHECK_FALSE(import_relationship("{\"Name\": ", "m.json").errors.empty());
    CHECK_FALSE(import_relationship("[1, 2]", "m.json").errors.empty());
    CHECK_FALSE(
        import_relationship("{\"Name\": \"x\"}", "m.json").errors.empty());  // neither format
  }

  TEST_CASE("import: Windows hot standby, TimeSpans as ConvertTo-Json writes them") {
    const auto r = import_relationship(R"({
      "Name": "dhcp1-dhcp2", "PartnerServer": "dhcp2", "PSComputerName": "dhcp1",
      "Mode": "HotStandby", "ServerRole": "Standby", "ReservePercent": 5,
      "MaxClientLeadTime": {"Ticks": 36000000000, "TotalSeconds": 3600},
      "StateSwitchInterval": {"Ticks": 18000000000},
      "AutoStateTransition": true, "ScopeId": ["10.20.0.0"], "State": "Normal"})",
                                       "w.json");
    REQUIRE(r.errors.empty());
    CHECK(r.format == ImportFormat::windows);
    // The reporting server is the standby, so its partner is ISC's primary (the active one).
    CHECK(r.servers[0].host == "dhcp2");
    CHECK(r.servers[1].host == "dhcp1");
    CHECK(r.servers[0].config.split == 256);
    CHECK(r.servers[0].config.mclt_s == 3600);
    // 18,000,000,000 ticks of 100 ns = 1800 s on both servers.
    CHECK(r.servers[0].config.auto_partner_down_s == 1800);
    CHECK(r.servers[1].config.auto_partner_down_s == 1800);
    CHECK(r.servers[0].config.load_balance_max_seconds == 65535);
    CHECK(has_note(r, "reserve 5 % is not exact"));
  }

  TEST_CASE("import: Windows load balance, several relationships, text TimeSpans") {
    const std::string two = R"([
      {"Name": "a", "PartnerServer": "10.1.0.3", "Mode": "LoadBalance", "ServerRole": "", "LoadBalancePercent": 70,
       "MaxClientLeadTime": "1.02:00:00", "StateSwitchInterval": "00:45:00", "AutoStateTransition": false},
      {"Name": "b", "PartnerServer": "10.9.0.3", "Mode": "LoadBalance"}])";
    const auto none = import_relationship(two, "w.json");
    REQUIRE(none.errors.size() == 1);
    CHECK(none.errors[0].message.find("it has: a, b") != std::string::npos);

    const auto r = import_relationship(two, "w.json", ImportFormat::windows, "a");
    REQUIRE(r.errors.empty());
    CHECK(r.servers[0].host == "local-server");  // no PSComputerName
    CHECK(r.servers[1].host == "10.1.0.3");
    CHECK(r.servers[0].config.split == 179);                         // 70 % of 256 = 179.2
    CHECK(r.servers[0].config.mclt_s == 93600);                      // 1 day 2 hours
    CHECK(r.servers[0].config.auto_partner_down_s == std::nullopt);  // the interval is unused
    CHECK(has_note(r, "unused while AutoStateTransition is off"));

    const auto b = import_relationship(two, "w.json", {}, "b");
    REQUIRE(b.errors.empty());
    CHECK(b.servers[0].config.split == 128);    // Windows' default 50:50
    CHECK(b.servers[0].config.mclt_s == 3600);  // Windows' default MCLT, 1 hour
    CHECK(import_relationship(two, "w.json", {}, "c")
              .errors.at(0)
              .message.find("no relationship named 'c'") != std::string::npos);
    CHECK_FALSE(
        import_relationship(R"({"Name": "x", "PartnerServer": "p", "Mode": "Active"})", "w.json")
            .errors.empty());
    CHECK_FALSE(
        import_relationship(
            R"({"Name": "x", "PartnerServer": "p", "MaxClientLeadTime": "25:00:00"})", "w.json")
            .errors.empty());
  }
}

TEST_SUITE("sim") {
  TEST_CASE(
      "import: a scenario's config block reads the relationship, the pool stays the scenario's") {
    const fosim::core::IncludeReader reader = [](const std::string& path,
                                                 std::string& error) -> std::optional<std::string> {
      if (path == "rel.json") return micetro;
      error = "cannot open it";
      return std::nullopt;
    };
    const std::string base = R"({"duration": "1h", "config": {"micetro": "rel.json"})";
    const std::string pool = R"(, "pool": {"range": ["10.0.0.10", "10.0.0.20"]})";
    const auto ok = fosim::sim::parse_scenario(base + pool + "}", "s.json", reader);
    REQUIRE(ok.scenario);
    CHECK(ok.scenario->relationship == "dhcp-failover");
    CHECK(ok.scenario->servers[0].config.split == 154);
    CHECK(ok.scenario->servers[1].host == "dhcp-b.example.net");
    CHECK(ok.scenario->pool.first == 0x0a00000a);
    // The mapping's notes come with the scenario, naming the relationship file.
    CHECK(ok.warnings.empty());
    CHECK(std::any_of(ok.notes.begin(), ok.notes.end(),
                      [](const auto& w) { return w.file == "rel.json"; }));

    const auto no_pool = fosim::sim::parse_scenario(base + "}", "s.json", reader);
    CHECK_FALSE(no_pool.scenario);
    CHECK(no_pool.errors.at(0).path == "/pool");
    const auto missing = fosim::sim::parse_scenario(
        R"({"duration": "1h", "config": {"windows": "nope.json"})" + pool + "}", "s.json", reader);
    CHECK_FALSE(missing.scenario);
    CHECK(missing.errors.at(0).path == "/config/windows");
    const auto both = fosim::sim::parse_scenario(
        R"({"duration": "1h", "config": {"windows": "rel.json", "micetro": "rel.json"})" + pool +
            "}",
        "s.json", reader);
    CHECK_FALSE(both.scenario);
  }
}

TEST_SUITE("sim") {
  TEST_CASE("import: messages name the value as written, and lists that are no relationships") {
    std::string port = micetro;
    port.replace(port.find("\"Port\": 647"), 11, "\"Port\": 70000");
    CHECK(import_relationship(port, "m.json").errors.at(0).message == "Port 70000 is out of range");
    CHECK(
        import_relationship(
            R"({"Name": "x", "name": "y", "PrimaryServer": "a", "SecondaryServer": "b", "Mclt": 60})",
            "m.json")
            .errors.at(0)
            .message.find("same key") != std::string::npos);
    CHECK(import_relationship("[]", "w.json").errors.at(0).message.find("empty list") !=
          std::string::npos);
    CHECK(import_relationship(R"([{"Name": "a", "PartnerServer": "p"}, 5])", "w.json")
              .errors.at(0)
              .message.find("element 1 of the list is not an object") != std::string::npos);
    CHECK_FALSE(
        import_relationship(R"({"Name": "x", "PartnerServer": "p", "AutoStateTransition": true,
                                        "StateSwitchInterval": "00:00:00"})",
                            "w.json")
            .errors.empty());
    CHECK_FALSE(
        import_relationship(
            R"({"Name": "x", "PrimaryServer": ".", "SecondaryServer": "b", "Mclt": 60})", "m.json")
            .errors.empty());
  }
}

namespace {

std::string windows_console() {
  std::ifstream in(
      std::string(FOSIM_SOURCE_DIR) + "/tests/data/windows/get-dhcpserverv4failover.txt",
      std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE(
      "import: Windows console output (Format-List), as Microsoft's documentation prints it") {
    const std::string text = windows_console();
    REQUIRE_FALSE(text.empty());
    // Two relationships: one must be named.
    const auto none = import_relationship(text, "failover.txt");
    REQUIRE(none.errors.size() == 1);
    CHECK(none.errors[0].message.find("dhcp1-dc1 load balance") != std::string::npos);

    // Hot standby, this server Active: it is the primary and answers everyone (split 256);
    // MaxClientLeadTime 01:00:00 is mclt 3600; AutoStateTransition False: no auto-partner-down.
    const auto hot = import_relationship(text, "failover.txt", {}, "dc1.contoso.com-192.168.0.254");
    REQUIRE(hot.errors.empty());
    CHECK(hot.format == ImportFormat::windows);
    CHECK(hot.servers[0].host == "local-server");
    CHECK(hot.servers[1].host == "192.168.0.254");
    CHECK(hot.servers[0].config.split == 256);
    CHECK(hot.servers[0].config.mclt_s == 3600);
    CHECK(hot.servers[0].config.auto_partner_down_s == std::nullopt);

    // Load balance 50 %: split 128 (50 % of 256); the empty fields are not set.
    const auto lb = import_relationship(text, "failover.txt", {}, "dhcp1-dc1 load balance");
    REQUIRE(lb.errors.empty());
    CHECK(lb.servers[1].host == "dhcp1.contoso.com");
    CHECK(lb.servers[0].config.split == 128);
    CHECK(lb.servers[0].config.mclt_s == 3600);
  }

  TEST_CASE("import: Format-List: a bad value names its line; prose is not a relationship") {
    // Line 5 of the console text is the first relationship's Mode.
    std::string text = windows_console();
    text.replace(text.find("HotStandby"), 10, "Standby");
    const auto r = import_relationship(text, "failover.txt", {}, "dc1.contoso.com-192.168.0.254");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line == 5);
    CHECK(r.errors[0].message.find("unknown mode 'Standby'") != std::string::npos);
    // A wrapped value is joined, as PowerShell wraps a long one at the console's width.
    const auto wrapped = import_relationship(
        "Name          : a-very-long-relationship-\n                name\nPartnerServer : "
        "10.0.0.2\n",
        "w.txt");
    REQUIRE(wrapped.errors.empty());
    CHECK(wrapped.name == "a-very-long-relationship-name");
    const auto prose = import_relationship("The failover is set up on both servers.", "w.txt");
    REQUIRE(prose.errors.size() == 1);
    CHECK(prose.errors[0].valid.find("Format-List") != std::string::npos);
  }
}

TEST_SUITE("sim") {
  TEST_CASE("import: Windows' PrimaryServerName/IP and SecondaryServerName/IP name both servers") {
    // Reported by the secondary (ServerType), load balance: Windows' primary dhcp1 is ISC's
    // primary and keeps its address; PSComputerName does not decide the roles.
    const std::string lb =
        R"({"Name": "lb", "PartnerServer": "dhcp1.example.net", "Mode": "LoadBalance",
      "LoadBalancePercent": 60, "PrimaryServerName": "dhcp1.example.net", "PrimaryServerIP": "10.0.0.1",
      "SecondaryServerName": "dhcp2.example.net", "SecondaryServerIP": "10.0.0.2",
      "ServerType": "SecondaryServer", "PSComputerName": "dhcp2"})";
    const auto r = import_relationship(lb, "w.json");
    REQUIRE(r.errors.empty());
    CHECK(r.servers[0].host == "dhcp1.example.net");
    CHECK(r.servers[0].config.address == "10.0.0.1");
    CHECK(r.servers[0].config.peer_address == "10.0.0.2");
    CHECK(r.servers[1].host == "dhcp2.example.net");
    CHECK(r.servers[0].config.split == 154);  // 60 % of 256 = 153.6
    // Hot standby reported by the primary whose ServerRole is Standby: the active server, the
    // Windows secondary, is ISC's primary (split 256).
    const std::string hot = R"({"Name": "hs", "PartnerServer": "10.0.0.2", "Mode": "HotStandby",
      "ServerRole": "Standby", "PrimaryServerName": "a", "PrimaryServerIP": "10.0.0.1",
      "SecondaryServerName": "b", "SecondaryServerIP": "10.0.0.2"})";
    const auto h = import_relationship(hot, "w.json");
    REQUIRE(h.errors.empty());
    CHECK(h.servers[0].host == "b");
    CHECK(h.servers[0].config.address == "10.0.0.2");
    CHECK(h.servers[1].host == "a");
    CHECK(h.servers[0].config.split == 256);
  }
}
