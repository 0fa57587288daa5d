// Scenarios built in code for the simulator tests: the field report's pair (mclt 1800,
// split 128, max-response-delay 30, max-unacked-updates 10, load balance max seconds 3,
// pool 192.168.102.110-210, default-lease-time 3600) and helpers to script it.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "fosim/sim/simulator.hpp"

namespace fosim::test {

inline std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

/// The field report's configuration, with `clients` clients arriving over `window`.
inline sim::Scenario field_pair(std::uint32_t clients = 1,
                                core::Duration window = core::Duration{0}) {
  sim::Scenario sc;
  sc.name = "field-report";
  sc.relationship = "dhcp-failover";
  sc.duration = std::chrono::hours(3);
  for (int i = 0; i < 2; ++i) {
    core::PeerConfig& c = sc.servers[i].config;
    c.name = "dhcp-failover";
    c.role = i == 0 ? core::Role::primary : core::Role::secondary;
    c.address = i == 0 ? "192.168.102.100" : "192.168.102.101";
    c.peer_address = i == 0 ? "192.168.102.101" : "192.168.102.100";
    c.port = c.peer_port = 647;
    c.max_response_delay_s = 30;
    c.max_unacked_updates = 10;
    c.load_balance_max_seconds = 3;
    if (i == 0) {
      c.mclt_s = 1800;
      c.split = 128;
    }
    sc.servers[i].host = i == 0 ? "dhcp-a" : "dhcp-b";
  }
  sc.pool.first = ip(192, 168, 102, 110);
  sc.pool.last = ip(192, 168, 102, 210);
  sc.pool.default_lease_time = core::Seconds{3600};
  sc.pool.max_lease_time = core::Seconds{86400};
  sim::ClientGroup g;
  g.count = clients;
  g.macs = {"52:54:00:02:bf:f8"};
  g.arrival_start = std::chrono::minutes(1);
  g.arrival_window = window;
  sc.clients.push_back(g);
  return sc;
}

/// Adds a script action at `at`.
inline void at(sim::Scenario& sc, core::Duration when, sim::ActionType type, std::size_t server = 0,
               core::State state = core::State::partner_down) {
  sim::ScriptAction a;
  a.at = core::Instant{when};
  a.type = type;
  a.server = server;
  a.state = state;
  sc.script.push_back(a);
  std::stable_sort(
      sc.script.begin(), sc.script.end(),
      [](const sim::ScriptAction& x, const sim::ScriptAction& y) { return x.at < y.at; });
}

/// The state changes of server `s` in a memory trace, as "from>to" strings.
inline std::vector<std::string> moves(const sim::MemoryTrace& t, int s) {
  std::vector<std::string> out;
  for (const sim::RunEvent& e : t.events)
    if (const auto* m = e.as<sim::StateMove>(); m != nullptr && e.server == s)
      out.push_back(std::string(core::to_string(m->from)) + ">" +
                    std::string(core::to_string(m->to)));
  return out;
}

}  // namespace fosim::test
