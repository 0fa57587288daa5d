// The pair the benchmarks play: the field report's configuration (mclt 1800, split 128, load
// balance max seconds 3, max-response-delay 30) with N clients arriving over the first hour,
// `lease_s` leases (3600 is the field report's, a renewal every 30 min; 43200 is ISC's
// default-lease-time), and a partition of `cut` at noon of each of `days` days, so that every
// run also goes through communications-interrupted.
#pragma once

#include <chrono>
#include <cstdint>

#include "fosim/sim/scenario.hpp"

namespace fosim::bench {

inline sim::Scenario pair(std::uint32_t clients, std::uint32_t addresses, std::int64_t lease_s,
                          int days, core::Duration cut) {
  sim::Scenario sc;
  sc.name = "bench";
  sc.relationship = "dhcp-failover";
  sc.duration = std::chrono::hours(24 * days);
  for (int i = 0; i < 2; ++i) {
    core::PeerConfig& c = sc.servers[i].config;
    c.name = "dhcp-failover";
    c.role = i == 0 ? core::Role::primary : core::Role::secondary;
    c.address = i == 0 ? "10.0.0.1" : "10.0.0.2";
    c.peer_address = i == 0 ? "10.0.0.2" : "10.0.0.1";
    c.max_response_delay_s = 30;
    c.max_unacked_updates = 100;
    c.load_balance_max_seconds = 3;
    if (i == 0) {
      c.mclt_s = 1800;
      c.split = 128;
    }
    sc.servers[i].host = i == 0 ? "a" : "b";
  }
  sc.pool.first = (10u << 24) | (1u << 16);
  sc.pool.last = sc.pool.first + addresses - 1;
  sc.pool.default_lease_time = core::Seconds{lease_s};
  sim::ClientGroup g;
  g.count = clients;
  g.arrival_window = std::chrono::hours(1);
  sc.clients.push_back(g);
  for (int day = 0; day < days; ++day) {
    sim::ScriptAction partition, heal;
    partition.type = sim::ActionType::partition;
    partition.at = core::Instant{std::chrono::hours(24 * day + 12)};
    heal.type = sim::ActionType::heal;
    heal.at = partition.at + cut;
    sc.script.push_back(partition);
    sc.script.push_back(heal);
  }
  return sc;
}

}  // namespace fosim::bench
