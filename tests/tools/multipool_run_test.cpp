// `fosim run` with several failover pools: clients on each subnet get addresses of their own
// subnet's pools, and the summaries give each pool's figures.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;

namespace {

const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/dhcpd/";

fs::path scratch(const std::string& name, const std::string& text) {
  const fs::path dir =
      fs::temp_directory_path() / ("fosim-multipool-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

/// Two servers on the defaults (mclt 3600), two subnets: 10 addresses with 600-s leases on
/// 10.0.1.0/24, 5 with 1200-s leases on 10.0.2.0/24; three clients on the first, two on the
/// second, arriving once both servers are normal; two minutes, so no client renews (T1 is
/// 300 s at the soonest).
constexpr const char* two_subnets = R"({
  "name": "two-subnets", "relationship": "dhcp-failover", "duration": "2m",
  "servers": [
    {"host": "dhcp-a", "role": "primary", "address": "10.0.1.2", "peer_address": "10.0.1.3",
     "mclt": 3600, "split": 128},
    {"host": "dhcp-b", "role": "secondary", "address": "10.0.1.3", "peer_address": "10.0.1.2"}
  ],
  "pools": [
    {"range": ["10.0.1.10", "10.0.1.19"], "subnet": "10.0.1.0/24", "default_lease_time": 600},
    {"range": ["10.0.2.100", "10.0.2.104"], "subnet": "10.0.2.0/24",
     "default_lease_time": 1200}
  ],
  "clients": [
    {"count": 3, "pool": 0, "arrival": {"start": "30s"},
     "macs": ["52:54:00:00:01:01", "52:54:00:00:01:02", "52:54:00:00:01:03"]},
    {"count": 2, "pool": 1, "arrival": {"start": "30s"},
     "macs": ["52:54:00:00:02:01", "52:54:00:00:02:02"]}
  ]
})";

/// Every "DHCPACK on IP to MAC" line of `out`, as (MAC, IP).
std::vector<std::pair<std::string, std::string>> acks(const std::string& out) {
  std::vector<std::pair<std::string, std::string>> found;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find("DHCPACK on ");
    if (at == std::string::npos) continue;
    std::istringstream words(line.substr(at + 11));
    std::string ip, to, mac;
    words >> ip >> to >> mac;
    found.emplace_back(mac, ip);
  }
  return found;
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: run: two subnets: each client gets an address of its own subnet's pool") {
    const fs::path file = scratch("two-subnets.json", two_subnets);
    const fs::path out = file.parent_path() / "out";
    const auto r = run_fosim({"run", file.string(), "--out", out.string()});
    REQUIRE(r.rc == 0);
    const auto granted = acks(r.out);
    CHECK(granted.size() == 5);  // one ACK per client, none renews in two minutes
    for (const auto& [mac, ip] : granted) {
      CAPTURE(mac);
      CHECK(ip.rfind(mac.rfind("52:54:00:00:01:", 0) == 0 ? "10.0.1.1" : "10.0.2.10", 0) == 0);
    }
    // The per-pool lines: three ACKs on the first pool, two on the second.
    CHECK(r.out.find("pools: 2\n") != std::string::npos);
    CHECK(r.out.find("  10.0.1.10-10.0.1.19 (subnet 10.0.1.0/24): 10 addresses, 3 ACKs") !=
          std::string::npos);
    CHECK(r.out.find("  10.0.2.100-10.0.2.104 (subnet 10.0.2.0/24): 5 addresses, 2 ACKs") !=
          std::string::npos);
    // Each pool's own lease time: 600 s on the first subnet, 1200 s on the second.
    CHECK(r.out.find("lease times granted: 600s x3 1200s x2") != std::string::npos);
    // summary.json: both servers know every binding (the BNDUPDs), pool by pool.
    std::ifstream in(out / "summary.json");
    const nlohmann::json s = nlohmann::json::parse(in);
    REQUIRE(s["pools"].size() == 2);
    const int clients[2] = {3, 2}, sizes[2] = {10, 5};
    for (std::size_t p = 0; p < 2; ++p) {
      CAPTURE(p);
      const nlohmann::json& pool = s["pools"][p];
      CHECK(pool["addresses"] == sizes[p]);
      CHECK(pool["servers"][0]["acks"].get<int>() + pool["servers"][1]["acks"].get<int>() ==
            clients[p]);
      for (std::size_t i = 0; i < 2; ++i) {
        const nlohmann::json& l = pool["servers"][i]["leases"];
        CHECK(l["active"] == clients[p]);
        CHECK(l["free"].get<int>() + l["backup"].get<int>() + l["active"].get<int>() == sizes[p]);
      }
    }
  }

  TEST_CASE("cli: run --config: ISC's own failover test pair plays all five of its pools") {
    // tests/data/dhcpd/README.md: ISC's tests/failover pair, three subnets with pools naming
    // peer "foo": 10.0.2.100-200 (101), 10.0.1.10-200 (191), and on 10.0.0.0/24 the "even"
    // pool (10.0.0.10-54 and 100-149: 95), the "odd" pool (55-99 and 150-200: 96) and the
    // one-address "sniffer" pool (fosim does not model the class permits).
    const fs::path file = scratch("isc-pair.json", R"({
      "name": "isc-pair", "duration": "2m",
      "clients": [
        {"count": 2, "pool": 0, "arrival": {"start": "30s"}},
        {"count": 2, "pool": 1, "arrival": {"start": "30s"}},
        {"count": 3, "pool": 2, "arrival": {"start": "30s"}}
      ]})");
    const auto r =
        run_fosim({"run", file.string(), "--quiet", "--config", data + "multipool-dhcp-1.conf",
                   "--config", data + "multipool-dhcp-2.conf"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("pools: 5\n") != std::string::npos);
    CHECK(r.out.find("  10.0.2.100-10.0.2.200 (subnet 10.0.2.0/24): 101 addresses") !=
          std::string::npos);
    CHECK(r.out.find("  10.0.1.10-10.0.1.200 (subnet 10.0.1.0/24): 191 addresses") !=
          std::string::npos);
    CHECK(r.out.find("  10.0.0.10-10.0.0.54, 10.0.0.100-10.0.0.149 (subnet 10.0.0.0/24): 95 "
                     "addresses") != std::string::npos);
    CHECK(r.out.find("  10.0.0.55-10.0.0.99, 10.0.0.150-10.0.0.200 (subnet 10.0.0.0/24): 96 "
                     "addresses") != std::string::npos);
    CHECK(r.out.find("  10.0.0.9-10.0.0.9 (subnet 10.0.0.0/24): 1 addresses") != std::string::npos);
    // At the end every client holds an address of its subnet, on both servers: 2, 2 and 3 on
    // 10.0.0.0/24, where every address is unused, so ISC's allocate_lease() takes the first
    // pool's (the oldest ends ties; the first pool walked wins).
    const std::string per_server[5] = {"active 2", "active 2", "active 3", "active 0", "active 0"};
    std::istringstream lines(r.out.substr(r.out.find("pools: 5\n")));
    std::string line;
    std::getline(lines, line);
    for (const std::string& active : per_server) {
      std::getline(lines, line);
      CAPTURE(line);
      const auto first = line.find(active);
      REQUIRE(first != std::string::npos);
      CHECK(line.find(active, first + 1) != std::string::npos);  // the secondary's too
    }
  }

  TEST_CASE("cli: export-conf: every pool, grouped by subnet, and the files play the same pools") {
    const fs::path file = scratch("isc-export.json", R"({
      "name": "isc-export", "duration": "2m",
      "config": {"primary": ")" + data + R"(multipool-dhcp-1.conf",
                 "secondary": ")" + data + R"(multipool-dhcp-2.conf"}})");
    const fs::path dir = file.parent_path() / "exported";
    const auto e = run_fosim({"export-conf", file.string(), "--out", dir.string()});
    REQUIRE(e.rc == 0);
    std::ifstream in(dir / "multipool-dhcp-1.conf");
    std::ostringstream text;
    text << in.rdbuf();
    const std::string conf = text.str();
    auto count = [&conf](const std::string& what) {
      std::size_t n = 0;
      for (auto at = conf.find(what); at != std::string::npos; at = conf.find(what, at + 1)) ++n;
      return n;
    };
    // ISC's pair: three subnets, five failover pools, seven ranges (two pools have two).
    CHECK(count("\nsubnet ") == 3);
    CHECK(count("  pool {\n") == 5);
    CHECK(count("    range ") == 7);
    CHECK(conf.find("subnet 10.0.0.0 netmask 255.255.255.0 {\n  pool {") != std::string::npos);
    CHECK(conf.find("    range 10.0.0.10 10.0.0.54;\n    range 10.0.0.100 10.0.0.149;\n") !=
          std::string::npos);
    const fs::path plain = scratch("plain.json", R"({"name": "plain", "duration": "1m"})");
    const auto r = run_fosim({"run", plain.string(), "--quiet", "--config",
                              (dir / "multipool-dhcp-1.conf").string(), "--config",
                              (dir / "multipool-dhcp-2.conf").string()});
    CHECK(r.rc == 0);
    CHECK(r.out.find("pools: 5\n") != std::string::npos);
    CHECK(r.out.find("  10.0.0.55-10.0.0.99, 10.0.0.150-10.0.0.200 (subnet 10.0.0.0/24): 96 "
                     "addresses") != std::string::npos);
  }

  TEST_CASE("cli: run: pools that overlap, or a client group naming no pool, are exit 2") {
    std::string text = two_subnets;
    text.replace(text.find("\"10.0.2.100\", \"10.0.2.104\""), 26, "\"10.0.1.15\", \"10.0.1.25\"");
    text.replace(text.find("\"10.0.2.0/24\""), 13, "\"10.0.1.0/24\"");
    const auto overlap = run_fosim({"run", scratch("overlap.json", text).string()});
    CHECK(overlap.rc == 2);
    CHECK(overlap.err.find("/pools/1") != std::string::npos);
    CHECK(overlap.err.find("overlaps pool 0") != std::string::npos);
    std::string far = two_subnets;
    far.replace(far.find("\"pool\": 1"), 9, "\"pool\": 2");
    const auto none = run_fosim({"run", scratch("no-pool.json", far).string()});
    CHECK(none.rc == 2);
    CHECK(none.err.find("/clients/1/pool") != std::string::npos);
    CHECK(none.err.find("there is no pool 2") != std::string::npos);
  }
}
