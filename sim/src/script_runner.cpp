// The script runner: each action at its time, announced in the trace, then carried out.
#include "fosim/sim/script_runner.hpp"

#include <string>

#include "fosim/sim/clients.hpp"
#include "fosim/sim/failover_link.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/simulator.hpp"

namespace fosim::sim {
namespace {

using core::State;

}  // namespace

ScriptRunner::ScriptRunner(Kernel& kernel, Simulator& sim, FailoverLink& link, RunStats& stats,
                           const Scenario& scenario)
    : kernel_(kernel),
      sim_(sim),
      link_(link),
      stats_(stats),
      scenario_(scenario),
      now_(kernel.clock()) {}

Server& ScriptRunner::server(std::size_t i) { return sim_.server(i); }

void ScriptRunner::partition(Direction d, bool down) { link_.partition(d, down); }

void ScriptRunner::start() {
  for (std::size_t i = 0; i < scenario_.script.size(); ++i)
    post(scenario_.script[i].at, ev::ScriptStep{static_cast<std::uint32_t>(i)});
}

void ScriptRunner::restart_second_half(std::size_t index) {
  const ScriptAction& a = scenario_.script[index];
  server(a.server).start(now_, a.keep_storage);
}

void ScriptRunner::run_step(std::size_t index) {
  const ScriptAction& a = scenario_.script[index];
  Server& s = server(a.server);
  const std::string text = announce(a, s);
  if (tracing()) trace({now_, -1, TraceKind::script, text});
  act(a, index, s);
}

std::string ScriptRunner::announce(const ScriptAction& a, Server& s) {
  std::string text;
  switch (a.type) {
    case ActionType::partition:
      partition(a.direction, true);
      text = a.direction == Direction::both ? "partition: failover link cut both ways"
             : a.direction == Direction::primary_to_secondary
                 ? "partition: " + server(0).host() + " -> " + server(1).host() + " cut"
                 : "partition: " + server(1).host() + " -> " + server(0).host() + " cut";
      break;
    case ActionType::heal:
      partition(a.direction, false);
      stats_.last_heal = now_;
      stats_.normal_after_heal.reset();
      text = "heal: failover link restored";
      if (server(0).view().state == State::normal && server(1).view().state == State::normal &&
          server(0).connection() != 0)
        stats_.normal_after_heal = now_;
      break;
    case ActionType::stop:
      text = "operator: controlled shutdown of " + s.host();
      break;
    case ActionType::crash:
      text = s.host() + " crashes (no goodbye on the failover link)";
      break;
    case ActionType::start:
      text = s.host() + " starts" + (a.keep_storage ? "" : " with no lease file");
      break;
    case ActionType::restart:
      text = s.host() + " restarts" +
             std::string(a.graceful ? " (controlled shutdown first)" : "") +
             (a.keep_storage ? "" : " with no lease file");
      break;
    case ActionType::set_state:
      text = "operator: OMAPI set " + s.host() + " local-state " +
             std::to_string(core::to_isc(a.state).value_or(0)) + " (" +
             std::string(core::to_string(a.state)) + ")";
      break;
    case ActionType::clock_skew:
      text = s.host() + " clock offset now " + std::to_string(a.offset.count() / 1000) + " s";
      break;
    case ActionType::clients:
      text = std::to_string(a.add_clients) + " more clients arrive";
      break;
  }
  return text;
}

void ScriptRunner::act(const ScriptAction& a, std::size_t index, Server& s) {
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
        post(now_ + core::Seconds{6}, ev::RestartSecondHalf{static_cast<std::uint32_t>(index)});
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
      sim_.clients().add(a.add_clients, a.window);
      break;
  }
}

}  // namespace fosim::sim
