// Replay's second half: the outage as a scenario (what-if.cpp changes its settings).
#include <algorithm>

#include "fosim/core/peer_config.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/replay/replay.hpp"
#include "replay_peer.hpp"

namespace fosim::sim {

using core::Instant;
using core::State;

namespace {

/// max-response-delay of server `i` of `sc` (ISC's default 20 s when not set).
Duration max_response_delay(const Scenario& sc, std::size_t i) {
  return std::chrono::seconds(sc.servers[i].config.max_response_delay_s.value_or(20));
}

}  // namespace

std::optional<Scenario> Replay::scenario(std::vector<std::string>& notes) const {
  if (servers_.size() != 2 || servers_[0].role == servers_[1].role) {
    notes.push_back("the logs show " + std::to_string(servers_.size()) +
                    " server(s) with distinct roles, not two");
    return std::nullopt;
  }
  if (last_.time_since_epoch() > std::chrono::hours(24 * 3650) - std::chrono::minutes(1)) {
    notes.push_back(
        "the logs span " + format_time(last_) +
        ", more than the ten years a scenario may last (clocks of different years mixed?)");
    return std::nullopt;
  }
  Scenario sc;
  sc.name = "replay";
  sc.description = "rebuilt from the logs of " + servers_[0].host + " and " + servers_[1].host;
  sc.relationship = relationship_.empty() ? "dhcp-failover" : relationship_;
  sc.duration = last_.time_since_epoch() + std::chrono::minutes(1);
  const std::size_t primary = servers_[0].role == core::Role::primary ? 0 : 1;
  ServerOrder index_of{};
  index_of[primary] = 0;
  index_of[1 - primary] = 1;
  scenario_servers(sc, index_of, notes);
  scenario_pool(sc, notes);
  scenario_clients(sc, notes);
  // The script: restarts, outages that no restart explains, operator moves.
  scenario_restarts(sc, index_of, notes);
  scenario_outages(sc, index_of, notes);
  for (const auto& [at, s, state] : operator_moves_) {
    ScriptAction a;
    a.type = ActionType::set_state;
    a.server = index_of[static_cast<std::size_t>(s)];
    a.state = state;
    a.at = at;
    sc.script.push_back(a);
  }
  std::stable_sort(sc.script.begin(), sc.script.end(),
                   [](const ScriptAction& a, const ScriptAction& b) { return a.at < b.at; });
  for (std::size_t k = 0; k < sc.script.size(); ++k) sc.script[k].line = k + 1;
  return sc;
}

void Replay::scenario_servers(Scenario& sc, const ServerOrder& index_of,
                              std::vector<std::string>& notes) const {
  for (std::size_t i = 0; i < 2; ++i) {
    ServerSpec& spec = sc.servers[index_of[i]];
    spec.host = servers_[i].host;
    const ServerSpec* known = nullptr;
    if (config_.known)
      for (const ServerSpec& k : config_.known->servers)
        if (k.host == spec.host) known = &k;
    if (config_.known && known == nullptr) known = &config_.known->servers[index_of[i]];
    if (known != nullptr) {
      spec.config = known->config;
    } else {
      core::PeerConfig& c = spec.config;
      c.role = servers_[i].role;
      c.address = servers_[i].host;
      c.peer_address = servers_[1 - i].host;
      c.load_balance_max_seconds = 3;
      if (c.role == core::Role::primary) {
        c.mclt_s = 3600;
        c.split = 128;
      }
    }
    spec.config.name = sc.relationship;
  }
  if (!config_.known)
    notes.push_back(
        "the logs do not show the configuration: played with mclt 3600, split 128, load balance "
        "max "
        "seconds 3 and ISC's defaults otherwise (give the dhcpd.conf files with --config)");
}

void Replay::scenario_pool(Scenario& sc, std::vector<std::string>& notes) const {
  if (config_.known) {
    sc.pool = config_.known->pool;
  } else if (min_ip_ <= max_ip_) {
    constexpr std::uint32_t most = 65536;  // a guess wider than this is no guess
    sc.pool.first = min_ip_;
    sc.pool.last = max_ip_ - min_ip_ < most ? max_ip_ : min_ip_ + most - 1;
    sc.pool.default_lease_time = lease_time();
    if (sc.pool.last == max_ip_)
      notes.push_back("the pool is taken to be " + format_ip(sc.pool.first) + " - " +
                      format_ip(sc.pool.last) +
                      ", the addresses offered or acknowledged in the log");
    else
      notes.push_back("the addresses in the log span " + format_ip(min_ip_) + " - " +
                      format_ip(max_ip_) +
                      ", more than one pool: the pool is taken to be the 65536 from " +
                      format_ip(sc.pool.first) + " (give the dhcpd.conf files with --config)");
  } else {
    sc.pool.first = 0x0a000001;
    sc.pool.last = 0x0a0000fe;
    notes.push_back(
        "no address was offered in the log: the pool is taken to be 10.0.0.1 - 10.0.0.254");
  }
}

/// The clients: every MAC seen, arriving when first seen.
void Replay::scenario_clients(Scenario& sc, std::vector<std::string>& notes) const {
  if (!mac_order_.empty()) {
    ClientGroup g;
    g.count = static_cast<std::uint32_t>(mac_order_.size());
    Instant first = Instant::max(), last{};
    for (const std::string& m : mac_order_) {
      first = std::min(first, first_seen_.at(m));
      last = std::max(last, first_seen_.at(m));
      if (m.size() == 17) g.macs.push_back(m);  // Ethernet MACs; other clients get generated ones
    }
    g.arrival_start = first.time_since_epoch();
    g.arrival_window = last - first;
    sc.clients.push_back(g);
    notes.push_back(std::to_string(g.count) + " clients (the MACs in the log) arrive between " +
                    format_time(first) + " and " + format_time(last) + " and stay");
  }
}

void Replay::scenario_restarts(Scenario& sc, const ServerOrder& index_of,
                               std::vector<std::string>& notes) const {
  for (const Restart& r : restarts_) {
    const std::size_t i = index_of[static_cast<std::size_t>(r.server)];
    ScriptAction down;
    down.server = i;
    if (r.after_shutdown && r.shutdown_at) {
      down.type = ActionType::stop;
      down.at = *r.shutdown_at;
      down.omapi_connected = false;  // the log shows the move to shutdown: at once from here
    } else {
      down.type = ActionType::crash;
      // When the partner noticed, or the server's last line before the restart.
      down.at = r.last_before;
      for (const Outage& o : outages_)
        if (o.down <= r.at && o.down + std::chrono::minutes(10) >= r.last_before)
          down.at =
              std::max(r.last_before, o.timeout ? o.down - max_response_delay(sc, 1 - i) : o.down);
    }
    ScriptAction up;
    up.type = ActionType::start;
    up.server = i;
    up.keep_storage = !r.storage_lost;
    if (r.storage_lost)
      notes.push_back(
          sc.servers[i].host + " started at " + format_time(r.at) +
          " from recover after being in another state: its lease file is taken to have been lost");
    up.at = std::max(r.at, down.at + Duration{1});
    sc.script.push_back(down);
    sc.script.push_back(up);
  }
}

std::optional<int> Replay::silent_server(const Scenario& sc, const ServerOrder& index_of,
                                         Instant down) const {
  for (int k = 0; k < 2; ++k) {
    const std::optional<Instant>& mine = peers_[static_cast<std::size_t>(k)].last_line;
    const std::optional<Instant>& other = peers_[static_cast<std::size_t>(1 - k)].last_line;
    const Duration mrd = max_response_delay(sc, index_of[static_cast<std::size_t>(k)]);
    if (mine && other && *mine < down && *other >= down + mrd) return k;
  }
  return std::nullopt;
}

/// The outages no restart explains: a partition, or, when one server's lines end at an outage
/// still open at the end of the log, that server's death (a kill when its partner saw the
/// connection close, else a crash), kept to the end.
void Replay::scenario_outages(Scenario& sc, const ServerOrder& index_of,
                              std::vector<std::string>& notes) const {
  bool partition = false;
  for (const Outage& o : outages_) {
    bool by_restart = false;
    for (const Restart& r : restarts_)
      if (r.at >= o.down - std::chrono::minutes(1) && (!o.up || r.at <= *o.up)) by_restart = true;
    if (by_restart) continue;
    if (const std::optional<int> dead = o.up ? std::nullopt : silent_server(sc, index_of, o.down)) {
      const std::size_t i = index_of[static_cast<std::size_t>(*dead)];
      ScriptAction down;
      down.server = i;
      down.type = o.timeout ? ActionType::crash : ActionType::kill;
      const Instant last = *peers_[static_cast<std::size_t>(*dead)].last_line;
      down.at = o.timeout ? std::max(last, o.down - max_response_delay(sc, 1 - i)) : o.down;
      sc.script.push_back(down);
      notes.push_back(sc.servers[i].host + " logs nothing after " + format_time(last) +
                      " while its partner logs on: taken to have " +
                      (o.timeout ? "crashed (its partner timed out) at "
                                 : "died (its partner saw the connection close) at ") +
                      format_time(down.at) + " and to stay down to the end");
      continue;
    }
    ScriptAction cut;
    cut.type = ActionType::partition;
    cut.at = o.timeout ? std::max(Instant{}, o.down - max_response_delay(sc, 0)) : o.down;
    sc.script.push_back(cut);
    partition = true;
    if (o.up) {
      ScriptAction heal;
      heal.type = ActionType::heal;
      heal.at = std::max(cut.at + Duration{1}, *o.up - std::chrono::seconds(1));
      sc.script.push_back(heal);
    } else {
      notes.push_back("the link is still down at the end of the log: the partition from " +
                      format_time(cut.at) + " is kept to the end");
    }
  }
  if (partition)
    notes.push_back(
        "a partition is taken to start max-response-delay before the first \"timeout waiting\" "
        "line (at the "
        "line if the link closed) and to end 1 s before the link came back");
}

}  // namespace fosim::sim
