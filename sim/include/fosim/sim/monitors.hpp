// The monitors of a run and the figures they keep: duplicate addresses (two clients holding
// unexpired leases on one address), the MCLT invariant on every ACK, both servers in
// partner-down while they can talk, time in each state, transitions, lease times and the pools'
// series.
//
// The monitors watch what the clients hold, not what the servers believe: a duplicate is what a
// user of the network would notice.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "fosim/core/state.hpp"
#include "fosim/core/time.hpp"
#include "fosim/sim/address_space.hpp"
#include "fosim/sim/client_impact.hpp"
#include "fosim/sim/dhcp.hpp"
#include "fosim/sim/kernel.hpp"
#include "fosim/sim/run_stats.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

class FailoverLink;
class Server;
class Simulator;

/// The monitors and run-wide figures of one run.
class Monitors {
 public:
  /// Monitors of `sim`'s servers, clients and `link`, on `kernel`'s clock.
  Monitors(Kernel& kernel, Simulator& sim, const FailoverLink& link, const Scenario& scenario);
  /// A copy of `other`'s figures and holdings, wired to `kernel`, `sim` and `link` (a clone's).
  Monitors(const Monitors& other, Kernel& kernel, Simulator& sim, const FailoverLink& link);

  /// Run-wide figures.
  const RunStats& stats() const { return stats_; }
  RunStats& stats() { return stats_; }
  /// The clients' holdings, as the clients report them (time without a lease, refusals).
  ImpactWatch& impact() { return impact_; }

  /// Server `i`'s time in its state counts from 0 (the run starts).
  void reset_state_clock(std::size_t i);
  /// Chooses the sampling interval and posts the first sample (the run starts).
  void start_sampling();
  /// Records the pools' counts and posts the next sample (an ev::Sample ran).
  void on_sample();
  /// Adds the time since the last state change to each server's current state (a run stops).
  void finish();

  /// Called by a server after each local state change (monitors, statistics); `forced` when an
  /// operator's set-state made it.
  void on_state_change(std::size_t server, core::State from, core::State to, bool forced);
  /// Called by a server whose process starts or goes away (time down, statistics).
  void on_process(std::size_t server, ProcessAction what);
  /// A client took a lease (checks for duplicates, records the grant).
  void on_client_lease(std::uint32_t client, std::uint32_t lease, std::size_t server,
                       core::Instant ends, RequestKind kind, core::Seconds granted,
                       core::Instant now);
  /// A client stopped holding its lease (expired, NAKed, released, left).
  void on_client_lease_lost(std::uint32_t client, std::uint32_t lease, core::Instant now);
  /// Called by a server that walked into `hazard` (hazard.hpp).
  void on_hazard(std::size_t server, Hazard hazard, std::optional<std::uint32_t> lease = {});
  /// Called by a server about to accept a peer's update that leaves `lease` no longer active
  /// for the client it had: a stale update when a client still holds the address.
  void on_binding_taken(std::size_t server, std::uint32_t lease, bool expired);
  /// Called by a server that ACKed: checks the MCLT invariant.
  void check_mclt(std::size_t server, std::uint32_t lease, core::Instant ends, core::Instant tsfp,
                  core::Seconds mclt);
  /// Called by a server that ACKed `granted` where min-lease-time is `floor`: a 0-second or
  /// MCLT-shortened grant is a finding (ISC applies min-lease-time before the MCLT cut).
  void check_lease_time(std::size_t server, std::uint32_t lease, core::Seconds granted,
                        core::Seconds floor);

 private:
  void sample_pools();
  Server& server(std::size_t i);
  bool tracing() const { return kernel_.tracing(); }
  void trace(const RunEvent& e) { kernel_.trace(e); }
  void post(core::Instant at, SimEvent e) { kernel_.post(at, e); }

  Kernel& kernel_;
  Simulator& sim_;
  const FailoverLink& link_;
  const Scenario& scenario_;
  std::vector<AddressSegment> segments_;  ///< lease index -> address
  const core::Instant& now_;              ///< the kernel's clock
  RunStats stats_;
  ImpactWatch impact_;

  // who holds each address, as the clients see it
  struct Holder {
    std::uint32_t client = 0;  ///< client index + 1; 0 = nobody
    std::uint8_t server = 0;
    core::Instant ends{};
    core::Instant since{};
  };
  std::vector<Holder> holders_;
  std::map<std::uint32_t, std::vector<Holder>> overlap_;  ///< addresses held by 2+ clients
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> reported_;  ///< (ip, a, b)

  // state-time bookkeeping
  std::array<core::Instant, 2> state_since_{};
  std::array<core::State, 2> state_now_{core::State::unknown_state, core::State::unknown_state};
  std::array<std::optional<ProcessAction>, 2> process_down_{};  ///< what took it down, if down
};

}  // namespace fosim::sim
