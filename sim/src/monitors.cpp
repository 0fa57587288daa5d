// The monitors: time in state, transitions, the MCLT check, the both-partner-down check, the
// pools' series, and the duplicate-address watch over what the clients hold.
#include "fosim/sim/monitors.hpp"

#include <algorithm>
#include <string>

#include "fosim/sim/clients.hpp"
#include "fosim/sim/failover_link.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::Instant;
using core::State;

}  // namespace

Monitors::Monitors(Kernel& kernel, Simulator& sim, const FailoverLink& link,
                   const Scenario& scenario)
    : kernel_(kernel),
      sim_(sim),
      link_(link),
      scenario_(scenario),
      segments_(address_segments(scenario)),
      now_(kernel.clock()) {
  for (const AddressSegment& seg : segments_) holders_.resize(holders_.size() + seg.size);
}

// Every member but the wiring: keep in step with the class.
Monitors::Monitors(const Monitors& other, Kernel& kernel, Simulator& sim, const FailoverLink& link)
    : kernel_(kernel),
      sim_(sim),
      link_(link),
      scenario_(other.scenario_),
      segments_(other.segments_),
      now_(kernel.clock()),
      stats_(other.stats_),
      impact_(other.impact_),
      holders_(other.holders_),
      overlap_(other.overlap_),
      reported_(other.reported_),
      state_since_(other.state_since_),
      state_now_(other.state_now_),
      process_down_(other.process_down_) {}

Server& Monitors::server(std::size_t i) { return sim_.server(i); }

void Monitors::reset_state_clock(std::size_t i) { state_since_[i] = Instant{}; }

void Monitors::start_sampling() {
  // About 240 samples a run, on whole seconds: enough for a chart, nothing for the run time.
  const std::int64_t step_s = std::max<std::int64_t>(1, scenario_.duration.count() / 1000 / 240);
  stats_.sample_interval = core::Seconds{step_s};
  post(Instant{}, ev::Sample{});
}

void Monitors::on_sample() {
  sample_pools();
  if (now_ + stats_.sample_interval <= Instant{scenario_.duration})
    post(now_ + stats_.sample_interval, ev::Sample{});
}

void Monitors::finish() {
  for (std::size_t i = 0; i < 2; ++i) {
    if (process_down_[i] && now_ > state_since_[i])
      stats_.time_down[i][*process_down_[i]] += now_ - state_since_[i];
    else if (!process_down_[i])
      stats_.time_in_state[i][state_now_[i]] += now_ - state_since_[i];
    state_since_[i] = now_;
  }
  stats_.impact = impact_.figures(now_);
}

void Monitors::on_process(std::size_t i, ProcessAction what) {
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

void Monitors::sample_pools() {
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

void Monitors::on_state_change(std::size_t i, State from, State to, bool forced) {
  stats_.time_in_state[i][state_now_[i]] += now_ - state_since_[i];
  state_since_[i] = now_;
  state_now_[i] = to;
  ++stats_.transitions[i][{from, to}];
  if (forced) ++stats_.operator_moves[i][{from, to}];
  stats_.state_log.emplace_back(now_, i, to);
  const State a = server(0).view().state, b = server(1).view().state;
  if (a == State::partner_down && b == State::partner_down && link_.path_up(0) &&
      link_.path_up(1) && server(0).running() && server(1).running()) {
    ++stats_.both_partner_down_connected;
    if (tracing()) {
      MonitorFinding f;
      f.kind = MonitorFinding::Kind::both_partner_down;
      trace({now_, -1, std::move(f), {}});
    }
  }
  if (a == State::normal && b == State::normal && stats_.last_heal && !stats_.normal_after_heal)
    stats_.normal_after_heal = now_;
  if (a == State::normal && b == State::normal)
    for (Recovery& r : stats_.recoveries)
      if (!r.normal) r.normal = now_;
}

void Monitors::check_mclt(std::size_t server_index, std::uint32_t lease, Instant ends, Instant tsfp,
                          core::Seconds mclt) {
  const Instant limit = std::max(now_, tsfp) + mclt;
  if (ends <= limit) return;
  ++stats_.mclt_violations;
  if (tracing()) {
    MonitorFinding f;
    f.kind = MonitorFinding::Kind::mclt_violation;
    f.ip = segment_address(segments_, lease);
    trace({now_, static_cast<int>(server_index), std::move(f), {}});
  }
}

void Monitors::check_lease_time(std::size_t server_index, std::uint32_t lease,
                                core::Seconds granted, core::Seconds floor) {
  if (granted >= floor) return;
  const bool zero = granted == core::Seconds{0};
  ++(zero ? stats_.zero_leases : stats_.short_leases);
  if (tracing()) {
    MonitorFinding f;
    f.kind = zero ? MonitorFinding::Kind::zero_lease : MonitorFinding::Kind::short_lease;
    f.ip = segment_address(segments_, lease);
    f.host = server(server_index).host();
    trace({now_, static_cast<int>(server_index), std::move(f), {}});
  }
}

void Monitors::on_client_lease(std::uint32_t client, std::uint32_t lease, std::size_t server_index,
                               Instant ends, RequestKind kind, core::Seconds granted, Instant now) {
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
    Duplicate d{now,          segment_address(segments_, lease),
                client,       other.client - 1,
                server_index, other.server,
                other.since};
    stats_.duplicates.push_back(d);
    if (tracing()) {
      MonitorFinding f{MonitorFinding::Kind::duplicate,
                       d.ip,
                       client,
                       d.other_client,
                       sim_.clients().mac_text(client),
                       sim_.clients().mac_text(d.other_client),
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

void Monitors::on_hazard(std::size_t server, Hazard hazard, std::optional<std::uint32_t> lease) {
  auto& count = stats_.hazard_counts[static_cast<std::size_t>(hazard)];
  const std::uint32_t ip = lease ? segment_address(segments_, *lease) : 0;
  if (++count <= hazard_marks_kept) stats_.hazards.push_back({now_, server, hazard, ip});
}

void Monitors::on_binding_taken(std::size_t server, std::uint32_t lease, bool expired) {
  const Holder& h = holders_[lease];
  const bool held = (h.client != 0 && h.ends > now_) || overlap_.count(lease) != 0;
  if (held) on_hazard(server, expired ? Hazard::expired_within_fudge : Hazard::stale_update, lease);
}

void Monitors::on_client_lease_lost(std::uint32_t client, std::uint32_t lease, Instant now) {
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
