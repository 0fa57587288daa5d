#include "fosim/sim/simulator.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "fosim/sim/clients.hpp"

namespace fosim::sim {
namespace {

using core::Instant;

/// Kernel invariants stay checked in every build: a broken one means a wrong answer.
void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fosim: internal error: %s\n", what);
  std::abort();
}
using core::State;

}  // namespace

Simulator::Simulator(const Scenario& scenario, std::uint64_t seed, TraceSink* trace)
    : scenario_(scenario), trace_(trace), rng_(seed) {
  for (std::size_t i = 0; i < 2; ++i) servers_[i] = std::make_unique<Server>(*this, i, scenario);
  clients_ = std::make_unique<Clients>(*this, scenario);
  holders_.resize(scenario.pool.last - scenario.pool.first + 1);
}

Simulator::~Simulator() = default;

EventId Simulator::schedule(Instant at, SimEvent e) {
  require(at >= now_, "an event was scheduled in the past");
  return queue_.schedule(at, e);
}

void Simulator::post(Instant at, SimEvent e) {
  require(at >= now_, "an event was scheduled in the past");
  queue_.post(at, e);
}

void Simulator::trace(const RunEvent& e) {
  if (trace_ != nullptr) trace_->record(e);
}

void Simulator::run(std::optional<Instant> until) {
  const Instant end = until.value_or(Instant{scenario_.duration});
  if (stats_.events == 0 && now_ == Instant{}) {
    for (std::size_t i = 0; i < scenario_.script.size(); ++i)
      post(scenario_.script[i].at, {SimEvent::Kind::script, 0, static_cast<std::uint32_t>(i), 0});
    for (std::size_t i = 0; i < 2; ++i) {
      state_since_[i] = Instant{};
      server(i).start(Instant{}, true);
    }
    clients_->start();
    // About 240 samples a run, on whole seconds: enough for a chart, nothing for the run time.
    const std::int64_t step_s = std::max<std::int64_t>(1, scenario_.duration.count() / 1000 / 240);
    stats_.sample_interval = core::Seconds{step_s};
    post(Instant{}, {SimEvent::Kind::sample, 0, 0, 0});
  }
  while (!queue_.empty()) {
    const std::optional<Instant> next = queue_.next_at();
    if (!next || *next > end) break;
    const auto due = queue_.pop();
    require(due.at >= now_, "simulated time went backwards");
    now_ = due.at;
    ++stats_.events;
    dispatch(due.payload);
  }
  now_ = std::max(now_, end);
  finish();
}

void Simulator::finish() {
  for (std::size_t i = 0; i < 2; ++i) {
    if (process_down_[i] && now_ > state_since_[i])
      stats_.time_down[i][*process_down_[i]] += now_ - state_since_[i];
    else if (!process_down_[i])
      stats_.time_in_state[i][state_now_[i]] += now_ - state_since_[i];
    state_since_[i] = now_;
  }
}

void Simulator::on_process(std::size_t i, ProcessAction what) {
  stats_.process_log.emplace_back(now_, i, what, stats_.state_log.size());
  if (what == ProcessAction::start) {
    if (process_down_[i] && now_ > state_since_[i])
      stats_.time_down[i][*process_down_[i]] += now_ - state_since_[i];
    process_down_[i].reset();
  } else {
    stats_.time_in_state[i][state_now_[i]] += now_ - state_since_[i];
    process_down_[i] = what;
  }
  state_since_[i] = now_;
}

void Simulator::dispatch(const SimEvent& e) {
  switch (e.kind) {
    case SimEvent::Kind::server_timer:
      server(e.a).on_timer(static_cast<TimerKind>(e.b), now_);
      break;
    case SimEvent::Kind::deliver:
      receive_on(in_flight_[e.a],
                 [this, from = std::size_t{e.a}](const Message& m) { deliver(from, m); });
      break;
    case SimEvent::Kind::fin:
      server(e.a).on_tcp_closed(now_, e.b);
      break;
    case SimEvent::Kind::dhcp_to_server:
      receive_on(up_, [this](const DhcpPacket& p) { server(p.server).on_dhcp(p, now_); });
      break;
    case SimEvent::Kind::dhcp_to_client:
      receive_on(down_, [this](const DhcpPacket& p) { clients_->on_reply(p, now_); });
      break;
    case SimEvent::Kind::sample:
      sample_pools();
      if (now_ + stats_.sample_interval <= Instant{scenario_.duration})
        post(now_ + stats_.sample_interval, {SimEvent::Kind::sample, 0, 0, 0});
      break;
    case SimEvent::Kind::client_timer:
      clients_->on_timer(e.b, e.c, now_);
      break;
    case SimEvent::Kind::script:
      if (e.a == 1) {  // second half of a graceful restart
        const ScriptAction& a = scenario_.script[e.b];
        server(a.server).start(now_, a.keep_storage);
      } else {
        run_script(e.b);
      }
      break;
  }
}

// ---- the failover link -------------------------------------------------------------------

template <class T>
void Simulator::send_on(Channel<T>& ch, T item, Instant arrival, SimEvent event) {
  ch.items.emplace_back(arrival, std::move(item));
  if (ch.pending && *ch.pending == arrival) return;  // the event for this instant is queued
  ch.pending = arrival;
  post(arrival, event);
}

void Simulator::deliver(std::size_t from, const Message& m) {
  // Data sent before a close still arrives while the receiver holds that connection (the FIN
  // comes after it); a receiver that has moved on drops it.
  if (m.connection != server(1 - from).connection()) return;
  if (tracing()) {
    ProtocolMessage p;
    p.type = to_string(m.type);
    p.from_host = server(from).host();
    if (m.type == MessageType::bndupd || m.type == MessageType::bndack) {
      p.ip = scenario_.pool.first + m.lease;
      p.binding = core::to_string(m.binding);
      p.reject = to_string(m.reject);
    }
    p.has_state = m.type == MessageType::state;
    p.state = m.state;
    p.startup = m.startup_flag;
    trace({now_, static_cast<int>(1 - from), std::move(p), {}});
  }
  server(1 - from).on_message(m, now_);
}

void Simulator::send(std::size_t from, const Message& m) {
  if (m.connection != connection_ || connection_ == 0) return;
  if (path_up_[from]) {
    send_on(in_flight_[from], m, now_ + scenario_.link_latency,
            {SimEvent::Kind::deliver, static_cast<std::uint8_t>(from), 0, 0});
  } else {
    held_[from].push_back(m);  // TCP keeps retransmitting; delivered if the path heals in time
  }
}

void Simulator::close_connection(std::size_t from, std::uint32_t connection, bool fin) {
  if (connection != connection_) return;
  connection_ = 0;
  held_[0].clear();
  held_[1].clear();
  if (fin && path_up_[from] && server(from).host_up())
    post(now_ + scenario_.link_latency,
         {SimEvent::Kind::fin, static_cast<std::uint8_t>(1 - from), connection, 0});
}

ConnectResult Simulator::try_connect(std::size_t from) {
  const std::size_t to = 1 - from;
  Server& peer = server(to);
  if (!path_up_[from] || !peer.host_up()) return ConnectResult::lost;  // SYN lost
  if (!peer.running()) return path_up_[to] ? ConnectResult::refused : ConnectResult::lost;  // RST
  if (!path_up_[to]) return ConnectResult::lost;  // SYN-ACK lost
  if (peer.connection() != 0 || connection_ != 0) return ConnectResult::duplicate;
  connection_ = next_connection_++;  // messages of older connections are dropped on arrival
  server(from).on_tcp_up(now_, connection_);
  peer.on_tcp_up(now_, connection_);
  return ConnectResult::connected;
}

void Simulator::partition(Direction d, bool down) {
  for (std::size_t from = 0; from < 2; ++from) {
    const bool affected = d == Direction::both ||
                          (d == Direction::primary_to_secondary && from == 0) ||
                          (d == Direction::secondary_to_primary && from == 1);
    if (!affected) continue;
    path_up_[from] = !down;
    if (!down) {
      // Healed: what TCP held back arrives now, in order.
      while (!held_[from].empty()) {
        send_on(in_flight_[from], held_[from].front(), now_ + scenario_.link_latency,
                {SimEvent::Kind::deliver, static_cast<std::uint8_t>(from), 0, 0});
        held_[from].pop_front();
      }
    }
  }
}

// ---- DHCP packets ------------------------------------------------------------------------

void Simulator::to_server(const DhcpPacket& p) {
  send_on(up_, p, now_ + scenario_.client_latency, {SimEvent::Kind::dhcp_to_server, 0, 0, 0});
}

void Simulator::to_client(const DhcpPacket& p) {
  send_on(down_, p, now_ + scenario_.client_latency, {SimEvent::Kind::dhcp_to_client, 0, 0, 0});
}

// ---- the script --------------------------------------------------------------------------

void Simulator::run_script(std::size_t index) {
  const ScriptAction& a = scenario_.script[index];
  Server& s = server(a.server);
  switch (a.type) {
    case ActionType::partition:
      partition(a.direction, true);
      break;
    case ActionType::heal:
      partition(a.direction, false);
      stats_.last_heal = now_;
      stats_.normal_after_heal.reset();
      if (server(0).view().state == State::normal && server(1).view().state == State::normal &&
          server(0).connection() != 0)
        stats_.normal_after_heal = now_;
      break;
    default:
      break;
  }
  if (tracing()) {
    ScriptLine line;
    line.action = static_cast<ScriptLine::Action>(a.type);  // the same order
    line.direction = static_cast<ScriptLine::Direction>(a.direction);
    const bool reverse = a.direction == Direction::secondary_to_primary;
    const bool cut = a.type == ActionType::partition || a.type == ActionType::heal;
    line.host = server(cut ? (reverse ? 1 : 0) : a.server).host();
    line.other_host = cut ? server(reverse ? 0 : 1).host() : std::string();
    line.keep_storage = a.keep_storage;
    line.graceful = a.graceful;
    line.state = a.state;
    line.number = a.type == ActionType::set_state    ? core::to_isc(a.state).value_or(0)
                  : a.type == ActionType::clock_skew ? a.offset.count() / 1000
                                                     : a.add_clients;
    trace({now_, -1, std::move(line), {}});
  }
  switch (a.type) {
    case ActionType::partition:
    case ActionType::heal:
      break;
    case ActionType::stop:
      s.begin_shutdown(now_);
      break;
    case ActionType::crash:
      s.crash(now_);
      break;
    case ActionType::start:
      s.start(now_, a.keep_storage);
      break;
    case ActionType::restart:
      if (a.graceful) {
        s.begin_shutdown(now_);
        // the process exits within 5 s; start it again once it is gone
        post(now_ + core::Seconds{6},
             {SimEvent::Kind::script, 1, static_cast<std::uint32_t>(index), 0});
      } else {
        s.kill(now_);
        s.start(now_, a.keep_storage);
      }
      break;
    case ActionType::set_state:
      s.operator_set_state(a.state, now_);
      break;
    case ActionType::clock_skew:
      s.set_clock_offset(a.offset);
      break;
    case ActionType::clients:
      clients_->add(a.add_clients, a.window);
      break;
  }
}

// ---- monitors ----------------------------------------------------------------------------

void Simulator::sample_pools() {
  PoolSample s;
  s.at = now_;
  for (std::size_t i = 0; i < 2; ++i) {
    const LeaseDb& db = server(i).leases();
    s.counts[i] = {db.count(BindingState::free), db.count(BindingState::backup),
                   db.count(BindingState::active),
                   db.count(BindingState::expired) + db.count(BindingState::released) +
                       db.count(BindingState::reset)};
  }
  stats_.pool_samples.push_back(s);
}

void Simulator::on_state_change(std::size_t i, State from, State to, bool forced) {
  stats_.time_in_state[i][state_now_[i]] += now_ - state_since_[i];
  state_since_[i] = now_;
  state_now_[i] = to;
  ++stats_.transitions[i][{from, to}];
  if (forced) ++stats_.operator_moves[i][{from, to}];
  stats_.state_log.emplace_back(now_, i, to);
  const State a = server(0).view().state, b = server(1).view().state;
  if (a == State::partner_down && b == State::partner_down && path_up_[0] && path_up_[1] &&
      server(0).running() && server(1).running()) {
    ++stats_.both_partner_down_connected;
    if (tracing()) {
      MonitorFinding f;
      f.kind = MonitorFinding::Kind::both_partner_down;
      trace({now_, -1, std::move(f), {}});
    }
  }
  if (a == State::normal && b == State::normal && stats_.last_heal && !stats_.normal_after_heal)
    stats_.normal_after_heal = now_;
}

void Simulator::check_mclt(std::size_t server_index, std::uint32_t lease, Instant ends,
                           Instant tsfp, core::Seconds mclt) {
  const Instant limit = std::max(now_, tsfp) + mclt;
  if (ends <= limit) return;
  ++stats_.mclt_violations;
  if (tracing()) {
    MonitorFinding f;
    f.kind = MonitorFinding::Kind::mclt_violation;
    f.ip = scenario_.pool.first + lease;
    trace({now_, static_cast<int>(server_index), std::move(f), {}});
  }
}

void Simulator::on_client_lease(std::uint32_t client, std::uint32_t lease, std::size_t server_index,
                                Instant ends, RequestKind kind, core::Seconds granted,
                                Instant now) {
  ++stats_.lease_times[granted.count()];
  if (kind == RequestKind::selecting && !stats_.first_lease_time) stats_.first_lease_time = granted;
  if (kind == RequestKind::renewing && !stats_.first_renewal_time)
    stats_.first_renewal_time = granted;
  if (!stats_.max_lease_time || granted > *stats_.max_lease_time) stats_.max_lease_time = granted;
  const std::uint32_t me = client + 1;
  Holder mine{me, static_cast<std::uint8_t>(server_index), ends, now};
  Holder& h = holders_[lease];
  auto conflict = [&](const Holder& other) {
    const auto key = std::make_tuple(lease, std::min(me, other.client), std::max(me, other.client));
    if (reported_.count(key) != 0) return;
    reported_.insert(key);
    Duplicate d{now,          scenario_.pool.first + lease,
                client,       other.client - 1,
                server_index, other.server,
                other.since};
    stats_.duplicates.push_back(d);
    if (tracing()) {
      MonitorFinding f{MonitorFinding::Kind::duplicate,
                       d.ip,
                       client,
                       d.other_client,
                       clients_->mac_text(client),
                       clients_->mac_text(d.other_client),
                       server(server_index).host(),
                       server(other.server).host(),
                       static_cast<std::int64_t>(other.server),
                       other.since};
      trace({now, static_cast<int>(server_index), std::move(f), {}});
    }
  };
  if (h.client == 0 || h.client == me || h.ends <= now) {
    if (h.client != me)
      mine.since = now;
    else
      mine.since = h.since;
    h = mine;
  } else {
    conflict(h);
    auto& extra = overlap_[lease];
    bool found = false;
    for (Holder& x : extra)
      if (x.client == me) {
        x.ends = ends;
        found = true;
      }
    if (!found) extra.push_back(mine);
  }
  if (auto it = overlap_.find(lease); it != overlap_.end()) {
    auto& extra = it->second;
    extra.erase(
        std::remove_if(extra.begin(), extra.end(), [&](const Holder& x) { return x.ends <= now; }),
        extra.end());
    for (const Holder& x : extra)
      if (x.client != me) conflict(x);
    if (extra.empty()) overlap_.erase(it);
  }
}

void Simulator::on_client_lease_lost(std::uint32_t client, std::uint32_t lease, Instant now) {
  (void)now;
  const std::uint32_t me = client + 1;
  Holder& h = holders_[lease];
  auto it = overlap_.find(lease);
  if (h.client == me) {
    h = Holder{};
    if (it != overlap_.end() && !it->second.empty()) {
      h = it->second.back();
      it->second.pop_back();
    }
  } else if (it != overlap_.end()) {
    auto& extra = it->second;
    extra.erase(
        std::remove_if(extra.begin(), extra.end(), [&](const Holder& x) { return x.client == me; }),
        extra.end());
  }
  if (it != overlap_.end() && it->second.empty()) overlap_.erase(it);
}

}  // namespace fosim::sim
