// Fuzzes the scenario reader, parse_scenario(). Scenarios are only read, never played: a valid
// scenario may rightly simulate for a long time.
//
// A `config` block names the servers' dhcpd.conf files; here a file's name is its text, so
// `"config": {"primary": "failover peer \"p\" { primary; ... }", ...}` reaches the dhcpd.conf
// reader and the pair check from a scenario, with no file system. Each input is also read a
// second time as `fosim run --config A --config B` reads it, with a fixed pair of files.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/formats/scenario_json.hpp"

namespace {

constexpr std::string_view primary_conf = R"(failover peer "dhcp-failover" {
  primary; address 10.0.0.1; peer address 10.0.0.2; port 647; peer port 647;
  max-response-delay 30; max-unacked-updates 10; mclt 1800; split 128;
}
subnet 10.0.0.0 netmask 255.255.255.0 {
  pool { failover peer "dhcp-failover"; default-lease-time 3600; range 10.0.0.100 10.0.0.199; }
}
)";
constexpr std::string_view secondary_conf = R"(failover peer "dhcp-failover" {
  secondary; address 10.0.0.2; peer address 10.0.0.1; port 647; peer port 647;
  max-response-delay 30; max-unacked-updates 10;
}
subnet 10.0.0.0 netmask 255.255.255.0 {
  pool { failover peer "dhcp-failover"; default-lease-time 3600; range 10.0.0.100 10.0.0.199; }
}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fosim::core::IncludeReader reader = [](const std::string& path,
                                               std::string&) -> std::optional<std::string> {
    if (path == "primary.conf") return std::string(primary_conf);
    if (path == "secondary.conf") return std::string(secondary_conf);
    return path;
  };
  (void)fosim::sim::parse_scenario(text, "fuzz.json", reader);
  const fosim::sim::ConfigFiles pair{"primary.conf", "secondary.conf"};
  (void)fosim::sim::parse_scenario(text, "fuzz.json", reader, pair);
  return 0;
}
