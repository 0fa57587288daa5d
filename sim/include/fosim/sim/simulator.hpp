// The discrete-event simulator: two virtual servers, the failover link between them, a client
// population, a script of faults and operator actions, and monitors, all in simulated time.
//
// `Simulator` is the façade that owns the parts of a run and routes each event to the part it
// is for: the kernel (clock, queue, random generator, trace: kernel.hpp), the failover link
// (failover_link.hpp), the client transport (client_transport.hpp), the monitors and their
// figures (monitors.hpp), the script runner (script_runner.hpp), the servers and the clients.
//
// Everything a run does derives from the scenario and its seed: events run in (time, schedule
// order), every random choice draws from the one generator, and no wall clock is read. Two
// simulators can live side by side; nothing here is global.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "fosim/sim/client_transport.hpp"
#include "fosim/sim/failover_link.hpp"
#include "fosim/sim/kernel.hpp"
#include "fosim/sim/monitors.hpp"
#include "fosim/sim/rng.hpp"
#include "fosim/sim/run_stats.hpp"
#include "fosim/sim/scenario.hpp"
#include "fosim/sim/script_runner.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/sim_event.hpp"
#include "fosim/sim/trace.hpp"

namespace fosim::sim {

class Clients;

/// A whole simulation of one scenario.
class Simulator {
 public:
  /// Prepares a run of `scenario` with `seed`, reporting to `trace` (may be null).
  Simulator(const Scenario& scenario, std::uint64_t seed, TraceSink* trace);
  ~Simulator();
  /// A copy of this run where it is, with no trace: the same state, so the copy and the
  /// original play the same future (an exploration branches from it).
  std::unique_ptr<Simulator> clone() const;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Runs until `until` (default: the scenario's duration). When `stop` is given and becomes
  /// true, stops soon after, where it is, and returns false; the run's figures then cover the
  /// time played.
  bool run(std::optional<core::Instant> until = {}, const std::atomic<bool>* stop = nullptr);

  /// Runs every event due before `t` and moves the clock on to `t`, so that what is done next
  /// comes before the events due at `t`, as a script step posted at the start would.
  void run_before(core::Instant t);
  /// Carries out `a` now, as the script would (not a restart).
  void act(const ScriptAction& a) { script_.run_action(a); }

  /// The fingerprint of where this run stands (state_hash.hpp): equal for two runs that hold
  /// the same state up to the renaming of addresses and clients, with times measured from now.
  std::uint64_t fingerprint() const;

  /// The current simulated time.
  core::Instant now() const { return kernel_.now(); }
  /// The scenario.
  const Scenario& scenario() const { return scenario_; }
  /// Server 0 (primary) or 1 (secondary).
  Server& server(std::size_t i) { return *servers_[i]; }
  const Server& server(std::size_t i) const { return *servers_[i]; }
  /// Run-wide figures.
  const RunStats& stats() const { return monitors_.stats(); }
  RunStats& stats() { return monitors_.stats(); }
  /// The run's random generator.
  Rng& rng() { return kernel_.rng(); }
  /// The client population.
  Clients& clients() { return *clients_; }
  const Clients& clients() const { return *clients_; }

  /// The kernel: clock, queue, random generator, trace.
  Kernel& kernel() { return kernel_; }
  /// The failover link between the servers.
  FailoverLink& link() { return link_; }
  /// The DHCP packet channels between clients and servers.
  ClientTransport& transport() { return transport_; }
  /// The monitors and the run-wide figures.
  Monitors& monitors() { return monitors_; }

 private:
  struct CloneTag {};
  Simulator(const Simulator& other, CloneTag);
  void start();
  void dispatch(const SimEvent& e);

  const Scenario& scenario_;
  Kernel kernel_;
  FailoverLink link_;
  ClientTransport transport_;
  Monitors monitors_;
  ScriptRunner script_;
  std::unique_ptr<Clients> clients_;
  std::array<std::unique_ptr<Server>, 2> servers_;
};

}  // namespace fosim::sim
