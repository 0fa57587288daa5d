// `fosim check` as a script sees it: exit codes and FILE:LINE messages.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "cli_run.hpp"
#include "fosim/core/settings.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;

namespace {
const std::string conf = std::string(FOSIM_SOURCE_DIR) + "/scenarios/dhcpd/";
}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: check: the field report's pair is clean, a broken copy is not") {
    const auto ok = run_fosim(
        {"check", conf + "field-report-primary.conf", conf + "field-report-secondary.conf"});
    CHECK(ok.rc == 0);
    CHECK(ok.out == "ok: 2 failover peer declarations, no problem found\n");

    // The secondary given the primary's split: ISC refuses it (reference §7.3 #9), on line 10.
    std::ifstream in(conf + "field-report-secondary.conf");
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    const std::string at = "  load balance max seconds 3;\n";
    text.replace(text.find(at), at.size(), at + "  split 128;\n");
    const fs::path dir =
        fs::temp_directory_path() / ("fosim-check-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path broken = dir / "secondary.conf";
    std::ofstream(broken) << text;
    const auto bad = run_fosim({"check", conf + "field-report-primary.conf", broken.string()});
    CHECK(bad.rc == 1);
    CHECK(bad.out.find(broken.string() +
                       ":13:3: error: failover peer dhcp-failover: a secondary may not define") !=
          std::string::npos);
    CHECK(bad.out.find("1 error, 0 warnings") != std::string::npos);
    fs::remove_all(dir);
  }

  TEST_CASE("cli: run: --config plays a scenario with the servers' own dhcpd.conf files") {
    const std::string scenario = std::string(FOSIM_SOURCE_DIR) + "/scenarios/field-report.json";
    const auto r =
        run_fosim({"run", scenario, "--quiet", "--config", conf + "field-report-primary.conf",
                   "--config", conf + "field-report-secondary.conf"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("field-report-primary (primary): normal") != std::string::npos);
    CHECK(r.out.find("lease times granted: 1800s x1 3600s x6") != std::string::npos);
    CHECK(r.err.find("/servers: replaced by the dhcpd.conf files given with --config") !=
          std::string::npos);
    CHECK(run_fosim({"run", scenario, "--config", conf + "field-report-primary.conf"}).rc == 2);
  }

  TEST_CASE("cli: export-conf: what it writes checks clean and plays the same run") {
    const fs::path dir =
        fs::temp_directory_path() / ("fosim-export-test-" + std::to_string(::getpid()));
    for (const std::string name : {"field-report", "split-brain", "auto-partner-down"}) {
      CAPTURE(name);
      const std::string scenario = std::string(FOSIM_SOURCE_DIR) + "/scenarios/" + name + ".json";
      REQUIRE(run_fosim({"export-conf", scenario, "--out", dir.string()}).rc == 0);
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
      std::sort(files.begin(), files.end());  // dhcp-a (the primary) before dhcp-b
      REQUIRE(files.size() == 2);
      CHECK(run_fosim({"check", files[0].string(), files[1].string()}).rc == 0);
      const auto direct = run_fosim({"run", scenario, "--quiet"});
      const auto via = run_fosim({"run", scenario, "--quiet", "--config", files[0].string(),
                                  "--config", files[1].string()});
      CHECK(via.rc == direct.rc);
      auto grants = [](const std::string& out) {
        const auto at = out.find("lease times granted:");
        return out.substr(at, out.find('\n', at) - at);
      };
      CHECK(grants(via.out) == grants(direct.out));
      fs::remove_all(dir);
    }
  }

  TEST_CASE("cli: export-conf: every setting's keyword reads back into its field") {
    const fs::path dir =
        fs::temp_directory_path() / ("fosim-export-all-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    // The primary sets every number of the table: times 120 s, counts 7 (ports 7 too).
    std::string primary = R"({"host": "a", "role": "primary", "address": "10.0.0.1",
                              "peer_address": "10.0.0.2")";
    for (const auto& s : fosim::core::peer_settings)
      if (s.number != nullptr)
        primary += ", \"" + std::string(s.key) +
                   "\": " + (s.unit == fosim::core::Unit::seconds ? "120" : "7");
    std::ofstream(dir / "all.json")
        << R"({"relationship": "r", "duration": "1h", "servers": [)" << primary << "}, "
        << R"({"host": "b", "role": "secondary", "address": "10.0.0.2", "peer_address": "10.0.0.1",
              "port": 7, "peer_port": 7}],
             "pool": {"range": ["10.0.1.10", "10.0.1.20"], "default_lease_time": 600,
                      "max_lease_time": 7200, "min_lease_time": 300}})";
    const auto r = run_fosim({"export-conf", (dir / "all.json").string()});
    REQUIRE(r.rc == 0);
    const std::string a = r.out.substr(0, r.out.find("\n# b.conf"));
    const fosim::core::DhcpdConf conf = fosim::core::parse_dhcpd_conf(a, "a.conf", {});
    REQUIRE(conf.peers.size() == 1);
    std::size_t checked = 0;
    for (const auto& s : fosim::core::peer_settings) {
      if (s.number == nullptr) continue;
      CAPTURE(s.key);
      CHECK(conf.peers[0].config.*(s.number) == (s.unit == fosim::core::Unit::seconds ? 120 : 7));
      ++checked;
    }
    CHECK(checked == 12);
    CHECK(a.find("  load balance max seconds 120;\n") != std::string::npos);
    REQUIRE(conf.pools.size() == 1);
    CHECK(conf.pools[0].default_lease_time_s == 600);
    CHECK(conf.pools[0].max_lease_time_s == 7200);
    CHECK(conf.pools[0].min_lease_time_s == 300);
    fs::remove_all(dir);
  }

  TEST_CASE("cli: check: a pair generated by theforeman/puppet-dhcp, with what is not modelled") {
    // tests/data/dhcpd/README.md names the templates. The files are clean (exit 0); the
    // statements fosim does not model are named with their line: `ping-check false` is not
    // (ISC then offers at once, as fosim does), `one-lease-per-client true` is, on each file.
    const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/dhcpd/";
    const auto r =
        run_fosim({"check", data + "foreman-primary.conf", data + "foreman-secondary.conf"});
    CHECK(r.rc == 0);
    CHECK(
        r.out.find("foreman-primary.conf:74:3: warning: not modelled: `one-lease-per-client`: ") !=
        std::string::npos);
    CHECK(
        r.out.find("foreman-secondary.conf:72:3: warning: not modelled: `one-lease-per-client`") !=
        std::string::npos);
    CHECK(r.out.find("ping-check") == std::string::npos);
    CHECK(r.out.find("no problem found (2 statements not modelled)") != std::string::npos);
    // Played: the pool's lease times are min 600 its own, default 300 and max 3600 the
    // subnet's, written after the pool. A client asking nothing wants 300, raised to 600; with
    // mclt 300 its first grant is the MCLT, 300 s, and its renewal after the partner's ack 600 s
    // (the field report's own expectations, 1800 / 3600, then fail: exit 1).
    const fs::path dir =
        fs::temp_directory_path() / ("fosim-check-foreman-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const auto run =
        run_fosim({"run", std::string(FOSIM_SOURCE_DIR) + "/scenarios/field-report.json", "--quiet",
                   "--config", data + "foreman-primary.conf", "--config",
                   data + "foreman-secondary.conf", "--out", dir.string()});
    CHECK(run.rc == 1);
    CHECK(run.err.find("foreman-primary.conf:74: /: not modelled: `one-lease-per-client`") !=
          std::string::npos);
    std::ifstream summary(dir / "summary.json");
    const auto j = nlohmann::json::parse(summary);
    CHECK(j["pool"]["min_lease_time"] == 600);
    CHECK(j["pool"]["default_lease_time"] == 300);
    CHECK(j["pool"]["max_lease_time"] == 3600);
    CHECK(j["first_lease_time_s"] == 300);
    CHECK(j["first_renewal_time_s"] == 600);
    fs::remove_all(dir);
  }

  TEST_CASE("cli: check: one server's real file: a clean one is ok, a real slip is named") {
    // tests/data/dhcpd/README.md names the sources.
    const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/dhcpd/";
    const auto ok = run_fosim({"check", data + "servicioenred-primary.conf"});
    CHECK(ok.rc == 0);
    CHECK(ok.out == "ok: 1 failover peer declaration, no problem found\n");
    CHECK(run_fosim({"check", "--isc", "4.1", data + "servicioenred-primary.conf"}).rc == 0);
    // As published: `max-unacked-update` (no s), and a peer no pool names (the range is the
    // subnet's own, without `failover peer`).
    const std::string f = data + "minilabs-master.conf";
    const auto bad = run_fosim({"check", f});
    CHECK(bad.rc == 1);
    CHECK(bad.out.find(f + ":24:5: error: invalid statement in peer declaration: "
                           "`max-unacked-update` (did you mean `max-unacked-updates`?)") == 0);
    CHECK(bad.out.find("\n" + f +
                       ":17:1: error: ERROR: Failover peer, dhcp-failover, has no "
                       "referring pools.") != std::string::npos);
    CHECK(bad.out.find("\n2 errors, 0 warnings\n") != std::string::npos);
  }

  TEST_CASE("cli: check: planted mistakes, each named once with its line and column") {
    const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/dhcpd/";
    std::ifstream in(data + "servicioenred-primary.conf");
    std::stringstream s;
    s << in.rdbuf();
    std::string t = s.str();
    const auto plant = [&t](const std::string& from, const std::string& to) {
      const auto at = t.find(from);
      REQUIRE(at != std::string::npos);
      t.replace(at, from.size(), to);
    };
    plant("authoritative;\n", "Paste the following into /etc/dhcp/dhcpd.conf\nauthoritative;\n");
    plant("  mclt 1800;\n", "  mclt 1800;\n  mclt 3600;\n");
    plant("load balance max seconds 3;", "load-balance-max-seconds 3;");
    plant("max-response-delay 30;", "max\u2010response\u2010delay 30;");
    plant("  pool {\n", "  failover peer \"lab\" { secondary; }\n  pool {\n");
    const fs::path dir =
        fs::temp_directory_path() / ("fosim-check-plant-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string f = (dir / "dhcpd.conf").string();
    std::ofstream(f) << t;
    const auto r = run_fosim({"check", f});
    CHECK(r.rc == 1);
    const std::vector<std::string> expected{
        f + ":12:6: error: U+2010 HYPHEN where '-' was meant (columns 6, 15): pasted from a web "
            "page or a word processor? (valid: ASCII '-')",
        f + ":1:1: error: unknown statement `Paste` (valid: a dhcpd.conf statement or declaration "
            "(man dhcpd.conf))",
        f + ":13:3: error: invalid statement in peer declaration: `load-balance-max-seconds` (did "
            "you mean `load balance max seconds`?)",
        f + ":15:3: error: `mclt` appears twice in failover peer FAILOVER (first on line 14); ISC "
            "keeps the last (valid: one mclt statement per failover peer declaration)",
        f + ":23:3: error: failover peers may only be defined in shared-network declarations and "
            "the outer scope.",
    };
    std::size_t found = 0;
    for (const std::string& e : expected) {
      CAPTURE(e);
      CHECK(r.out.find(e) != std::string::npos);
      found += r.out.find(e) != std::string::npos ? 1U : 0U;
    }
    CHECK(found == 5);
    // Each once: five errors, and the one consequence of the misspelt line (load balancing off).
    CHECK(r.out.find("\n5 errors, 1 warning\n") != std::string::npos);
    fs::remove_all(dir);
  }

  TEST_CASE("cli: check: --root reads absolute includes from a copy of the server's tree") {
    const fs::path dir =
        fs::temp_directory_path() / ("fosim-check-root-" + std::to_string(::getpid()));
    fs::create_directories(dir / "etc/dhcp");
    const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/dhcpd/";
    std::ifstream in(data + "servicioenred-primary.conf");
    std::stringstream s;
    s << in.rdbuf();
    std::ofstream(dir / "etc/dhcp/failover.conf") << s.str();
    const std::string main = (dir / "main.conf").string();
    std::ofstream(main) << "ddns-update-style none;\ninclude \"/etc/dhcp/failover.conf\";\n";
    const auto without = run_fosim({"check", main});
    CHECK(without.rc == 1);
    CHECK(without.out.find(main +
                           ":2:1: error: cannot read included file /etc/dhcp/failover.conf") == 0);
    const auto with_root = run_fosim({"check", "--root", dir.string(), main});
    CHECK(with_root.rc == 0);
    CHECK(with_root.out == "ok: 1 failover peer declaration, no problem found\n");
    fs::remove_all(dir);
  }

  TEST_CASE("cli: check: unreadable input and misuse are exit 2") {
    const std::string p = conf + "field-report-primary.conf";
    CHECK(run_fosim({"check", p, "/nonexistent.conf"}).rc == 2);
    CHECK(run_fosim({"check"}).rc == 2);
    CHECK(run_fosim({"check", p, p, p}).rc == 2);
    const auto dir = run_fosim({"check", conf});
    CHECK(dir.rc == 2);
    CHECK(dir.out.empty());
    CHECK(dir.err == "fosim check: cannot read " + conf + ": it is a directory, not a file\n");
    const auto isc = run_fosim({"check", "--isc", "4.5", p});
    CHECK(isc.rc == 2);
    CHECK(isc.err == "fosim check: --isc 4.5: give 4.1, 4.2, 4.3 or 4.4\n");
    CHECK(run_fosim({"check", "--root", "/nonexistent", p}).rc == 2);
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: import: prints scenario servers, notes on stderr, exit 2 on bad input") {
    const std::string dir = std::string(FOSIM_SOURCE_DIR) + "/scenarios/imports/";
    const auto ok = run_fosim({"import", dir + "micetro-relationship.json"});
    CHECK(ok.rc == 0);
    CHECK(ok.out.find("\"split\": 154") != std::string::npos);
    CHECK(ok.err.find("micetro-relationship.json:5: note: Percentage 60 % becomes split 154") !=
          std::string::npos);
    CHECK(run_fosim({"import", dir + "windows-load-balance.json"}).rc == 2);
    CHECK(run_fosim({"import", dir + "windows-load-balance.json", "--name", "lab-lb"}).rc == 0);
    CHECK(run_fosim({"import", dir + "micetro-relationship.json", "--format", "kea"}).rc == 2);
    CHECK(run_fosim({"import", dir + "no-such.json"}).rc == 2);
  }

  TEST_CASE("cli: import --pool --duration: a Windows console paste becomes a runnable scenario") {
    namespace fs = std::filesystem;
    // Microsoft's documented Get-DhcpServerv4Failover output (tests/data/windows/README.md).
    const std::string paste =
        std::string(FOSIM_SOURCE_DIR) + "/tests/data/windows/get-dhcpserverv4failover.txt";
    const auto r = run_fosim({"import", paste, "--name", "dhcp1-dc1 load balance", "--pool",
                              "192.168.0.10-192.168.0.209", "--duration", "4h"});
    REQUIRE(r.rc == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["duration"] == 4 * 3600);
    CHECK(j["pool"]["range"] == nlohmann::json::array({"192.168.0.10", "192.168.0.209"}));
    // 200 addresses: half of them, held to 100, is 100 clients.
    CHECK(j["clients"][0]["count"] == 100);
    CHECK(j["servers"].size() == 2);
    CHECK(j.value("script", nlohmann::json::array()).empty());
    // One step from the paste to a run: the printed scenario plays as it is.
    const fs::path file = fs::temp_directory_path() / "fosim-import-whole.json";
    std::ofstream(file) << r.out;
    const auto played = run_fosim({"run", file.string(), "--quiet"});
    CHECK(played.rc == 0);
    fs::remove(file);

    const auto small = run_fosim({"import", paste, "--name", "dhcp1-dc1 load balance", "--pool",
                                  "10.0.0.1-10.0.0.9", "--duration", "1d", "--clients", "3"});
    CHECK(nlohmann::json::parse(small.out)["clients"][0]["count"] == 3);
  }

  TEST_CASE("cli: import --pool --duration: each mistake is exit 2 and says what would do") {
    const std::string file =
        std::string(FOSIM_SOURCE_DIR) + "/scenarios/imports/micetro-relationship.json";
    const auto no_duration = run_fosim({"import", file, "--pool", "10.0.0.1-10.0.0.9"});
    CHECK(no_duration.rc == 2);
    CHECK(no_duration.err.find("give --duration D too") != std::string::npos);
    const auto reversed =
        run_fosim({"import", file, "--pool", "10.0.0.9-10.0.0.1", "--duration", "1h"});
    CHECK(reversed.rc == 2);
    CHECK(reversed.err.find("its last address is before its first") != std::string::npos);
    const auto no_range = run_fosim({"import", file, "--pool", "10.0.0.0/24", "--duration", "1h"});
    CHECK(no_range.rc == 2);
    CHECK(no_range.err.find("give FIRST-LAST") != std::string::npos);
    CHECK(run_fosim({"import", file, "--pool", "10.0.0.1-10.0.0.9", "--duration", "soon"}).rc == 2);
    CHECK(run_fosim({"import", file, "--clients", "5"}).rc == 2);
    CHECK(run_fosim({"import", file, "--pool", "10.0.0.1-10.0.0.9", "--duration", "1h", "--clients",
                     "-1"})
              .rc == 2);
  }

  TEST_CASE("cli: run: a scenario takes its servers from a Windows relationship") {
    const auto r = run_fosim(
        {"run", std::string(FOSIM_SOURCE_DIR) + "/scenarios/windows-hot-standby.json", "--quiet"});
    CHECK(r.rc == 0);
  }
}
