// The script runner: each action at its time, announced in the trace, then carried out.
#include "fosim/sim/script_runner.hpp"

#include <stdexcept>
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

void ScriptRunner::run_action(const ScriptAction& a) {
  if (a.type == ActionType::restart) throw std::invalid_argument("run_action: restart");
  run(a, 0);
}

void ScriptRunner::run_step(std::size_t index) { run(scenario_.script[index], index); }

void ScriptRunner::run(const ScriptAction& a, std::size_t index) {
  Server& s = server(a.server);
  change_link(a);
  if (a.type == ActionType::client) {
    // A scripted client's action that cannot apply now (nothing to renew) is shown as skipped.
    const bool applied = sim_.clients().scripted(a, now_);
    if (tracing()) {
      ScriptLine line = script_line(a);
      line.skipped = !applied;
      trace({now_, -1, line, {}});
    }
    return;
  }
  if (tracing()) trace({now_, -1, script_line(a), {}});
  act(a, index, s);
  note_recovery(a);
}

void ScriptRunner::note_recovery(const ScriptAction& a) {
  const bool heal = a.type == ActionType::heal;
  if (!heal && a.type != ActionType::start && a.type != ActionType::restart &&
      a.type != ActionType::thaw)
    return;
  Recovery r{
      now_, static_cast<ScriptLine::Action>(a.type), heal ? -1 : static_cast<int>(a.server), {}};
  if (server(0).view().state == State::normal && server(1).view().state == State::normal &&
      server(0).running() && server(1).running() && server(0).connection() != 0)
    r.normal = now_;  // nothing to recover from
  stats_.recoveries.push_back(r);
}

void ScriptRunner::change_link(const ScriptAction& a) {
  if (a.type == ActionType::partition) {
    partition(a.direction, true);
  } else if (a.type == ActionType::heal) {
    partition(a.direction, false);
    stats_.last_heal = now_;
    stats_.normal_after_heal.reset();
    if (server(0).view().state == State::normal && server(1).view().state == State::normal &&
        server(0).connection() != 0)
      stats_.normal_after_heal = now_;
  }
}

ScriptLine ScriptRunner::script_line(const ScriptAction& a) {
  ScriptLine line;
  line.action = static_cast<ScriptLine::Action>(a.type);  // the same order
  line.direction = static_cast<ScriptLine::Direction>(a.direction);
  const bool reverse = a.direction == Direction::secondary_to_primary;
  const bool cut = a.type == ActionType::partition || a.type == ActionType::heal;
  line.host = server(cut ? (reverse ? 1 : 0) : a.server).host();
  line.other_host = cut ? server(reverse ? 0 : 1).host() : std::string();
  line.keep_storage = a.keep_storage;
  line.graceful = a.graceful;
  line.omapi_connected = a.omapi_connected;
  line.state = a.state;
  if (a.type == ActionType::client) {
    line.host = a.mac;
    line.send = client_send_names[static_cast<std::size_t>(a.send)];
  }
  line.number = a.type == ActionType::set_state    ? core::to_isc(a.state).value_or(0)
                : a.type == ActionType::clock_skew ? a.offset.count() / 1000
                                                   : a.add_clients;
  return line;
}

void ScriptRunner::act(const ScriptAction& a, std::size_t index, Server& s) {
  switch (a.type) {
    case ActionType::partition:
    case ActionType::heal:
      break;
    case ActionType::stop:
      s.begin_shutdown(now_, a.omapi_connected);
      break;
    case ActionType::crash:
      s.crash(now_);
      break;
    case ActionType::kill:
      s.kill(now_);
      break;
    case ActionType::freeze:
      s.freeze(now_);
      break;
    case ActionType::thaw:
      s.thaw(now_);
      break;
    case ActionType::start:
      s.start(now_, a.keep_storage);
      break;
    case ActionType::restart:
      restart(a, index, s);
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
    case ActionType::client:  // run_step's own branch
      break;
  }
}

void ScriptRunner::restart(const ScriptAction& a, std::size_t index, Server& s) {
  const auto step = static_cast<std::uint32_t>(index);
  if (a.graceful && s.frozen()) return;  // a frozen process reads no OMAPI request
  if (a.graceful && s.running()) {
    // started again when its controlled shutdown has ended (the server posts the second half)
    s.restart_after_stop(step);
    s.begin_shutdown(now_, a.omapi_connected);
    return;
  }
  // Kill and start at once: the link lets the kill's FIN reach the partner before the new
  // process's SYN, as it would on a real machine, so the new connection is no duplicate.
  s.kill(now_);
  s.start(now_, a.keep_storage);
}

}  // namespace fosim::sim
