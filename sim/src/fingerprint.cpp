// The fingerprint of a run's state (state_hash.hpp): what each part holds, with times measured
// from now and no address, MAC, connection number or transaction id in it.
#include <variant>

#include "fosim/sim/clients.hpp"
#include "fosim/sim/failover_link.hpp"
#include "fosim/sim/overloaded.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

std::uint64_t code(auto e) { return static_cast<std::uint64_t>(e); }

void add_view(StateHash& h, const core::PeerView& v) {
  h.add(code(v.state));
  h.add(code(v.saved));
  h.add(code(v.partner));
  h.add_time(v.stos);
  h.add_time(v.partner_stos);
  h.add(v.connected);
  h.add(v.updates_pending);
  h.add(static_cast<std::uint64_t>(v.mclt.count()));
  h.add(v.storage_lost);
}

void add_lease(StateHash& h, const Lease& l) {
  h.add(code(l.state));
  h.add(code(l.rewind));
  h.add(l.client != 0);
  h.add_time(l.ends);
  h.add_time(l.tstp);
  h.add_time(l.tsfp);
  h.add_time(l.atsfp);
  h.add(l.offered_to != 0);
  h.add_time(l.offer_until);
  h.add(l.on_send_queue);
  h.add(l.awaiting_ack);
}

void add_message(StateHash& h, const Message& m) {
  h.add(code(m.type));
  h.add(code(m.state));
  h.add_time(m.stos);
  h.add(code(m.binding));
  h.add_time(m.ends);
  h.add_time(m.potential_expiry);
  h.add(code(m.reject));
}

/// One pending event: when, what, and which server it is for (never which client).
std::uint64_t event_hash(core::Instant now, core::Instant at, const SimEvent& e) {
  StateHash h(now);
  h.add_time(at);
  h.add(static_cast<std::uint64_t>(e.index()));
  std::visit(
      Overloaded{
          [&](const ev::ServerTimer& t) {
            h.add(static_cast<std::uint64_t>(t.server));
            h.add(code(t.timer));
          },
          [&](const ev::Deliver& d) { h.add(static_cast<std::uint64_t>(d.from)); },
          [&](const ev::Fin& f) { h.add(static_cast<std::uint64_t>(f.server)); },
          [&](const ev::DhcpToClient& d) { h.add(static_cast<std::uint64_t>(d.server)); },
          [&](const ev::ScriptStep& s) { h.add(static_cast<std::uint64_t>(s.index)); },
          [&](const ev::RestartSecondHalf& s) { h.add(static_cast<std::uint64_t>(s.index)); },
          [&](const ev::ServerStarts& s) { h.add(static_cast<std::uint64_t>(s.server)); },
          [&](const auto&) {},
      },
      e);
  return h.value();
}

}  // namespace

void Server::fingerprint(StateHash& h) const {
  add_view(h, view_);
  h.add(record_.has_value());
  if (record_) {
    h.add(code(record_->state));
    h.add_time(record_->stos);
    h.add(code(record_->partner));
    h.add_time(record_->partner_stos);
  }
  h.add(running_);
  h.add(host_up_);
  h.add(frozen_);
  h.add(io_stalled_);
  h.add(dhcp_removed_);
  h.add(code(shutdown_step_));
  h.add(static_cast<std::uint64_t>(backlog_));
  for (const TimerKind k : frozen_timers_) h.add(code(k));
  h.add(static_cast<std::uint64_t>(held_input_.size()));
  for (const HeldInput& in : held_input_) h.add(static_cast<std::uint64_t>(in.index()));
  h.add(static_cast<std::uint64_t>(held_sends_.size()));
  for (const Message& m : held_sends_) add_message(h, m);
  h.add(connection_ != 0);
  h.add(established_);
  h.add(static_cast<std::uint64_t>(syn_count_));
  h.add(static_cast<std::uint64_t>(send_queue_.size()));
  h.add(static_cast<std::uint64_t>(ack_queue_.size()));
  h.add(static_cast<std::uint64_t>(unacked_));
  h.add(static_cast<std::uint64_t>(pending_acks_.size()));
  h.add(upddone_after_.has_value());
  h.add(update_request_pending_);
  h.add(update_request_all_);
  h.add(static_cast<std::uint64_t>(deferred_.size()));
  h.add(static_cast<std::uint64_t>(reclaim_.size()));
  h.add(static_cast<std::uint64_t>(clock_offset_.count()));
}

void Clients::fingerprint(StateHash& h) const {
  std::uint64_t set = 0;
  for (const Client& c : clients_) {
    StateHash e(h.now());
    e.add(code(c.state));
    e.add(static_cast<std::uint64_t>(c.server));
    e.add(static_cast<std::uint64_t>(c.tries));
    e.add(c.answered);
    e.add(static_cast<std::uint64_t>(c.rejected));
    e.add(c.lease != 0);
    e.add(c.offer != 0);
    e.add_time(c.lease_end);
    e.add_time(c.t1);
    e.add_time(c.t2);
    e.add(static_cast<std::uint64_t>(c.group));
    StateHash::add_to_set(set, e);
  }
  h.add(set);
}

void FailoverLink::fingerprint(StateHash& h) const {
  for (std::size_t i = 0; i < 2; ++i) {
    h.add(path_up_[i]);
    h.add(fin_to_[i] != 0);
    h.add(static_cast<std::uint64_t>(in_flight_[i].items.size()));
    for (const auto& [arrival, m] : in_flight_[i].items) {
      h.add_time(arrival);
      add_message(h, m);
    }
    h.add(static_cast<std::uint64_t>(held_[i].size()));
    for (const Message& m : held_[i]) add_message(h, m);
  }
  h.add(connection_ != 0);
}

std::uint64_t Simulator::fingerprint() const {
  StateHash h(now());
  for (const auto& s : servers_) {
    s->fingerprint(h);
    h.add(s->connection() != 0 && s->connection() == link_.connection());
  }
  link_.fingerprint(h);
  clients_->fingerprint(h);
  // Each address once, both servers' bindings of it side by side.
  std::uint64_t leases = 0;
  const LeaseDb& a = servers_[0]->leases();
  const LeaseDb& b = servers_[1]->leases();
  for (std::uint32_t i = 0; i < a.size(); ++i) {
    StateHash e(now());
    add_lease(e, a[i]);
    add_lease(e, b[i]);
    StateHash::add_to_set(leases, e);
  }
  h.add(leases);
  std::uint64_t events = 0;
  kernel_.for_each_pending([&](core::Instant at, const SimEvent& e) {
    events += event_hash(now(), at, e) | 1;  // odd, so that no event adds nothing
  });
  h.add(events);
  return h.value();
}

}  // namespace fosim::sim
