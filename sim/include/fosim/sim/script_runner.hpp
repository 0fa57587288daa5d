// The scenario's script of faults and operator actions: partitions and heals, controlled
// shutdowns, kills, crashes, freezes and thaws, starts and restarts, OMAPI set-state, clock
// skew and arriving clients, each at its time.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "fosim/sim/kernel.hpp"
#include "fosim/sim/run_event.hpp"
#include "fosim/sim/run_stats.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

class FailoverLink;
class Server;
class Simulator;

/// Runs the script of one run.
class ScriptRunner {
 public:
  /// The script of `scenario`, acting on `sim`'s servers and clients, `link` and `stats`.
  ScriptRunner(Kernel& kernel, Simulator& sim, FailoverLink& link, RunStats& stats,
               const Scenario& scenario);

  /// Posts every action at its time (the run starts).
  void start();
  /// Runs action `index` (an ev::ScriptStep ran).
  void run_step(std::size_t index);
  /// Runs `a` now, as a script step would, though it is no step of the scenario's script (an
  /// exploration choosing its actions as it goes); a restart is not taken.
  void run_action(const ScriptAction& a);
  /// Starts the server of restart `index` again (an ev::RestartSecondHalf ran).
  void restart_second_half(std::size_t index);

 private:
  /// Runs action `a` (script action `index`, which a restart needs).
  void run(const ScriptAction& a, std::size_t index);
  /// Makes the link changes of a partition or heal and its figures.
  void change_link(const ScriptAction& a);
  /// Records `a` in the run's recoveries when it is one (heal, start, restart, thaw).
  void note_recovery(const ScriptAction& a);
  /// Returns the trace's typed line for `a`.
  ScriptLine script_line(const ScriptAction& a);
  /// Carries out `a` (action `index`) on its server or the clients.
  void act(const ScriptAction& a, std::size_t index, Server& s);
  /// Restart `a` (action `index`): kill, or a controlled shutdown, then start again.
  void restart(const ScriptAction& a, std::size_t index, Server& s);
  void partition(Direction d, bool down);
  Server& server(std::size_t i);
  bool tracing() const { return kernel_.tracing(); }
  void trace(const RunEvent& e) { kernel_.trace(e); }
  void post(core::Instant at, SimEvent e) { kernel_.post(at, e); }

  Kernel& kernel_;
  Simulator& sim_;
  FailoverLink& link_;
  RunStats& stats_;
  const Scenario& scenario_;
  const core::Instant& now_;  ///< the kernel's clock
};

}  // namespace fosim::sim
