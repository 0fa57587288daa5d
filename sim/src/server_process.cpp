// A server's process life: construction, start (reading the lease file back), crash, kill,
// freeze and thaw with the input the kernel holds meanwhile, and exits by log_fatal. ISC's
// controlled shutdown is in server_shutdown.cpp.
#include "fosim/sim/address_space.hpp"
#include "fosim/sim/clients.hpp"
#include "fosim/sim/overloaded.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::Event;
using core::EventKind;
using core::Instant;
using core::State;

}  // namespace

UpdateLine Server::update_line(UpdateStep step, std::int64_t count) const {
  UpdateLine u;
  u.step = step;
  u.peer = config_.name;
  u.count = count;
  return u;
}

void Server::trace(Instant now, RunEventBody body) {
  sim_.trace({now, static_cast<int>(index_), std::move(body), {}});
}

Server::Server(Simulator& sim, std::size_t index, const Scenario& scenario)
    : sim_(sim.kernel()),
      link_(sim.link()),
      transport_(sim.transport()),
      monitors_(sim.monitors()),
      clients_(sim.clients()),
      scenario_(scenario) {
  index_ = index;
  host_ = scenario.servers[index].host;
  config_ = core::effective(scenario.servers[index].config);
  networks_ = pool_networks(scenario);
  db_ = LeaseDb(address_segments(scenario));
  clock_offset_ = scenario.servers[index].clock_offset;
  clock_phase_ = scenario.servers[index].clock_phase.value_or(
      Duration{static_cast<std::int64_t>(sim_.rng().below(1000))});
  for (const PoolSpec& pool : all_pools(scenario)) {
    core::LeaseTimeConfig& t = lease_times_.emplace_back();
    t.default_lease_time = pool.default_lease_time;
    t.max_lease_time = pool.max_lease_time;
    t.min_lease_time = pool.min_lease_time;
  }
  view_ = core::fresh_view(config_.role, Instant{}, config_.mclt, config_.auto_partner_down);
  hba_ = config_.hba;
  if (scenario.servers[index].storage) load_storage(*scenario.servers[index].storage);
}

Server::Server(const Server& other, Simulator& sim)
    : ServerState(other),
      sim_(sim.kernel()),
      link_(sim.link()),
      transport_(sim.transport()),
      monitors_(sim.monitors()),
      clients_(sim.clients()),
      scenario_(other.scenario_) {}

void Server::load_storage(const SavedStorage& st) {
  // As dhcpd reads its lease file: each address takes the file's binding, the client its
  // hardware address names, and the failover timestamps; the queues are built at start().
  for (const SavedLease& s : st.leases) {
    const std::optional<std::uint32_t> at = db_.index_of(s.address);
    if (!at) continue;  // the reader keeps only addresses of the scenario's pools
    const std::uint32_t i = *at;
    const std::optional<std::uint32_t> who = s.mac ? clients_.find(*s.mac) : std::nullopt;
    const std::uint32_t client = who ? *who + 1 : 0;
    if (s.state == core::BindingState::active) {
      db_.activate(i, client, s.ends);
    } else {
      db_.set_state(i, s.state);
      db_.set_ends(i, s.ends);
    }
    Lease& l = db_.at(i);
    l.client = client;
    l.rewind = s.rewind;
    l.starts = s.starts;
    l.tstp = s.tstp;
    l.tsfp = s.tsfp;
    l.atsfp = s.atsfp;
    l.cltt = s.cltt;
    if (who) {
      if (last_lease_.size() <= *who) last_lease_.resize(*who + 1, 0);
      last_lease_[*who] = i + 1;
    }
  }
  if (st.state)
    record_ = StateRecord{st.state->state, st.state->stos, st.state->partner,
                          st.state->partner_stos, st.state->mclt.value_or(config_.mclt)};
}

void Server::start(Instant now, bool keep_storage) {
  if (running_) return;
  running_ = true;
  started_ = now;
  host_up_ = true;
  dhcp_removed_ = false;
  if (!keep_storage) {
    if (record_) monitors_.on_hazard(index_, Hazard::lost_storage);
    record_.reset();
    db_ = LeaseDb(address_segments(scenario_));
    last_lease_.clear();
    deferred_.clear();
    reclaim_ = {};
  } else {
    db_.load();  // the lease file read back: the queues in start-up order
  }
  read_state_record(now);
  if (record_ && record_->state == State::shutdown)
    monitors_.on_hazard(index_, Hazard::saved_shutdown);
  forget_in_memory_queues();
  if (sim_.tracing()) {
    trace(now, ProcessEvent{ProcessAction::start});
    trace(now, Banner{std::string(simulated_isc_version)});
  }
  monitors_.on_process(index_, ProcessAction::start);
  feed(Event::of(EventKind::boot), now, Cause::process_start);
  schedule_connect(now);
  schedule_pool_timer(now);
}

void Server::read_state_record(Instant now) {
  view_ =
      core::fresh_view(config_.role, whole_second(now), config_.mclt, config_.auto_partner_down);
  if (config_.role == core::Role::secondary) hba_.reset();
  if (!record_) return;
  view_.storage_lost = false;
  view_.state = view_.saved = record_->state;
  view_.stos = record_->stos;
  view_.partner = record_->partner;
  view_.partner_stos = record_->partner_stos;
  if (config_.role == core::Role::secondary) view_.mclt = record_->mclt;
}

void Server::forget_in_memory_queues() {
  // In-memory queues die with the process; ISC requeues unacknowledged changes at startup.
  connection_ = 0;
  established_ = false;
  send_queue_.clear();
  ack_queue_.clear();
  unacked_ = 0;
  pending_acks_.clear();
  upddone_after_.reset();
  update_request_pending_ = false;
  peer_max_unacked_ = 0;
  last_rebalance_.reset();
  rebalance_at_.reset();
  pool_timer_at_.reset();
  for (std::uint32_t i = 0; i < db_.size(); ++i) {
    Lease& l = db_.at(i);
    l.on_send_queue = false;
    l.awaiting_ack = false;
    if (l.tstp > l.atsfp) queue_update(i);
  }
}

void Server::record_state() {
  record_ =
      StateRecord{view_.effective(), view_.stos, view_.partner, view_.partner_stos, view_.mclt};
}

void Server::exit_process(Instant now, bool send_fin, ProcessAction why) {
  if (!running_) return;
  running_ = false;
  if (sim_.tracing()) trace(now, ProcessEvent{why});
  monitors_.on_process(index_, why);
  if (connection_ != 0) link_.close_connection(index_, connection_, send_fin);
  connection_ = 0;
  established_ = false;
  view_.connected = false;
  for (EventId& t : timers_) {
    sim_.cancel(t);
    t = EventId{};
  }
  drop_held(send_fin);
  shutdown_step_ = ShutdownStep::none;
  omapi_until_ = Instant{};
  // A graceful restart starts again at once, as the second half of the script action.
  if (why == ProcessAction::stop && restart_after_stop_)
    sim_.post(now, ev::RestartSecondHalf{*restart_after_stop_});
  restart_after_stop_.reset();
}

void Server::drop_held(bool send_fin) {
  // The kernel closes the connections it queued for the process too.
  for (const HeldInput& in : held_input_)
    if (const auto* a = std::get_if<Accept>(&in);
        a != nullptr && link_.connection() == a->connection)
      link_.close_connection(index_, a->connection, send_fin);
  held_input_.clear();
  held_sends_.clear();
  frozen_timers_.clear();
  backlog_ = 0;
  frozen_ = false;
  io_stalled_ = false;
}

// ---- freeze and thaw ---------------------------------------------------------------------

void Server::freeze(Instant now) {
  if (!running_ || frozen_) return;
  frozen_ = true;
  if (sim_.tracing()) trace(now, ProcessEvent{ProcessAction::freeze});
}

void Server::thaw(Instant now) {
  if (!running_ || !frozen_) return;
  frozen_ = false;
  if (sim_.tracing()) trace(now, ProcessEvent{ProcessAction::thaw});
  // libisc's timer thread first (a real pair showed the frozen server's own expired receive timer
  // before the queued input), in the order the timers fell due. A timer that an earlier one
  // cancels or re-arms leaves the list (cancel()).
  while (!frozen_timers_.empty() && running_) {
    const TimerKind k = frozen_timers_.front();
    frozen_timers_.erase(frozen_timers_.begin());
    on_timer(k, now);
  }
  if (running_ && !io_stalled_) read_held_input(now);
}

void Server::hold(HeldInput in) {
  if (std::holds_alternative<Accept>(in)) ++backlog_;
  held_input_.push_back(std::move(in));
}

void Server::read_held_input(Instant now) {
  std::vector<HeldInput> in;
  in.swap(held_input_);
  backlog_ = 0;
  for (const HeldInput& h : in) {
    if (!running_) return;
    std::visit(Overloaded{
                   [&](const Message& m) { on_message(m, now); },
                   [&](const Closed& c) { on_tcp_closed(now, c.connection); },
                   // A connection the partner closed meanwhile reads as EOF at once: nothing.
                   [&](const Accept& a) {
                     if (connection_ == 0 && link_.connection() == a.connection)
                       on_tcp_up(now, a.connection);
                   },
                   [&](const DhcpPacket& p) { on_dhcp(p, now); },
               },
               h);
  }
}

void Server::log_fatal(Instant now) {
  if (sim_.tracing())
    trace(now, FailoverLine{FailoverNote::exiting, config_.name, State::unknown_state,
                            State::unknown_state, 0});
  exit_process(now, true, ProcessAction::fatal);
}

void Server::crash(Instant now) {
  host_up_ = false;
  exit_process(now, false, ProcessAction::crash);
}

void Server::kill(Instant now) { exit_process(now, true, ProcessAction::kill); }

void Server::operator_set_state(State s, Instant now) {
  // A frozen process reads no OMAPI request; a stopping one has closed its OMAPI listener.
  if (!running_ || frozen_ || shutdown_step_ != ShutdownStep::none) return;
  feed(Event::set_state(s), now, Cause::operator_set_state);
}

}  // namespace fosim::sim
