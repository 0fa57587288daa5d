// `fosim run` with lease files, as a user runs it: a pair started from the hand-made files of
// tests/data/leases/ (saved in communications-interrupted with 10.0.0.10-13 active), the lease
// files `--out` writes, `--leases` errors, and, where ISC dhcpd 4.4 is installed, its own lease
// file test (`dhcpd -T`) on what fosim wrote.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_run.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;

namespace {

const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/leases/";

struct TempDir {
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "fosim-run-leases-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Runs `command`, returning its exit status and what it printed on stdout and stderr.
std::pair<int, std::string> shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, ""};
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  return {::pclose(p), out};
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: run: a pair started from its lease files keeps their active leases") {
    TempDir tmp;
    const auto r =
        run_fosim({"run", data + "interrupted-pair.json", "--out", (tmp.path / "out").string()});
    CHECK(r.rc == 0);
    CHECK(r.err.empty());
    CHECK(has(r.out,
              "00:00:00.000  dhcp-a  failover peer dhcp-failover: I move from "
              "communications-interrupted to startup\n"));
    CHECK(has(r.out,
              "00:00:15.000  dhcp-a  failover peer dhcp-failover: I move from startup to "
              "communications-interrupted\n"));
    // The client of 10.0.0.10 gets it back; no one else gets any of 10.0.0.10-13.
    CHECK(has(r.out, "DHCPACK on 10.0.0.10 to 52:54:00:00:01:0b"));
    for (const char* ip : {"10.0.0.11 ", "10.0.0.12 ", "10.0.0.13 "})
      CHECK_MESSAGE(!has(r.out, std::string("DHCPACK on ") + ip), ip);
    CHECK(has(r.out, "duplicate addresses: 0\n"));
    for (const char* name : {"dhcpd-primary.leases", "dhcpd-secondary.leases"}) {
      CAPTURE(name);
      const std::string file = slurp(tmp.path / "out" / name);
      CHECK(has(file, "  my state communications-interrupted at 1 2026/03/02 10:00:00;\n"));
      CHECK(has(file,
                "lease 10.0.0.13 {\n"
                "  starts 1 2026/03/02 09:30:00;\n"
                "  ends 1 2026/03/02 12:00:00;\n"));
    }
  }

  TEST_CASE("cli: run --leases: the files replace the scenario's; a lease outside the pool") {
    const auto r = run_fosim({"run", std::string(FOSIM_SOURCE_DIR) + "/scenarios/one-client.json",
                              "--quiet", "--leases", data + "interrupted-primary.leases",
                              "--leases", data + "interrupted-secondary.leases"});
    CHECK(r.rc == 2);
    CHECK(has(r.err, data +
                         "interrupted-primary.leases:11: error: lease 10.0.0.10 is outside the "
                         "scenario's pool 192.168.102.110-192.168.102.210; valid: a lease file of "
                         "this pair's failover pool"));
    CHECK(has(r.err, data + "interrupted-secondary.leases:"));
    const auto once = run_fosim({"run", data + "interrupted-pair.json", "--quiet", "--leases",
                                 data + "interrupted-primary.leases"});
    CHECK(once.rc == 2);
    CHECK(has(once.err, "--leases takes the primary's and then the secondary's dhcpd.leases"));
    const auto again = run_fosim({"run", data + "interrupted-pair.json", "--quiet", "--leases",
                                  data + "interrupted-primary.leases", "--leases",
                                  data + "interrupted-secondary.leases"});
    CHECK(again.rc == 0);
    CHECK(has(again.out, "dhcp-a (primary): communications-interrupted, partner normal"));
  }

  TEST_CASE("cli: run: a server's leases key naming a missing file is bad input") {
    TempDir tmp;
    std::string text = slurp(data + "interrupted-pair.json");
    text.replace(text.find("interrupted-primary.leases"), 26, "missing.leases");
    std::ofstream(tmp.path / "pair.json") << text;
    const auto r = run_fosim({"run", (tmp.path / "pair.json").string(), "--quiet"});
    CHECK(r.rc == 2);
    CHECK(has(r.err, "/servers/0/leases: cannot open " + (tmp.path / "missing.leases").string()));
    CHECK(has(r.err, "(valid: a readable dhcpd.leases file)"));
  }

  TEST_CASE("cli: run --out: dhcpd -T accepts each lease file written (when dhcpd is installed)") {
    if (!fs::exists("/usr/sbin/dhcpd")) {
      MESSAGE("ISC dhcpd is not installed (Debian: isc-dhcp-server); skipped");
      return;
    }
    TempDir tmp;
    REQUIRE(run_fosim({"run", data + "interrupted-pair.json", "--quiet", "--out",
                       (tmp.path / "out").string()})
                .rc == 0);
    REQUIRE(run_fosim({"export-conf", data + "interrupted-pair.json", "--out",
                       (tmp.path / "conf").string()})
                .rc == 0);
    std::size_t checked = 0;
    for (const auto& [host, role] : {std::pair{"dhcp-a", "primary"}, {"dhcp-b", "secondary"}}) {
      const fs::path leases = tmp.path / (std::string(role) + ".leases");
      fs::copy_file(tmp.path / "out" / ("dhcpd-" + std::string(role) + ".leases"), leases);
      const auto [rc, out] =
          shell("/usr/sbin/dhcpd -4 -T -cf " +
                (tmp.path / "conf" / (std::string(host) + ".conf")).string() + " -lf " +
                leases.string() + " -pf " + (tmp.path / "dhcpd.pid").string());
      CAPTURE(out);
      CHECK(rc == 0);
      CHECK(has(out, "Lease file test successful"));
      CHECK_FALSE(has(out, "Corrupt lease file"));
      ++checked;
    }
    CHECK(checked == 2);
  }
}
