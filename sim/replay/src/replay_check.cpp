// Replay's model check: each "I move" line against ISC's state machine (core::step), given
// what the server knew at that moment, with the likely explanation of the moves it cannot make,
// and the windows in which both servers could hand out the same address.
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/replay/replay.hpp"
#include "replay_peer.hpp"

namespace fosim::sim {

using core::Instant;
using core::State;

namespace {

constexpr Duration evidence_window = std::chrono::seconds(5);

std::string seconds_text(Duration d) { return std::to_string(d.count() / 1000) + " s"; }

std::string state_text(State s) { return std::string(core::to_string(s)); }

/// The known configuration of a server, matched by host name, else by role; null when unknown.
const ServerSpec* spec_of(const ReplayConfig& config, const ReplayServer& srv) {
  const ServerSpec* spec = nullptr;
  if (config.known)
    for (const ServerSpec& k : config.known->servers)
      if (k.host == srv.host || k.config.role.value_or(core::Role::primary) == srv.role) spec = &k;
  return spec;
}

/// What a server in state `from` knew as ISC's machine takes it: `known`, with the link as the
/// log shows it and the timers the configuration sets.
core::PeerView view_before(core::PeerView known, State from, bool connected,
                           const ReplayConfig& config, const ServerSpec* spec) {
  known.state = from;
  known.connected = connected;
  if (spec != nullptr && spec->config.auto_partner_down_s)
    known.auto_partner_down = core::Seconds{*spec->config.auto_partner_down_s};
  // The MCLT both run with is the primary's (the secondary learns it from CONNECT).
  known.mclt = core::Seconds{3600};
  if (config.known && config.known->servers[0].config.mclt_s)
    known.mclt = core::Seconds{*config.known->servers[0].config.mclt_s};
  return known;
}

/// Whether ISC's machine can move from `from` to `to` given some history before the excerpt:
/// any saved state (in startup), partner state, link, state start and timer the log does not
/// show. Used for a server's first move, of which the excerpt holds no history. `apd` is
/// auto-partner-down in seconds (-1 unknown, 0 off).
bool possible_with_some_history(core::Role role, State from, State to, Instant at,
                                std::int64_t apd) {
  using core::Event;
  using core::EventKind;
  std::vector<Event> events{Event::of(EventKind::link_lost), Event::of(EventKind::startup_timeout),
                            Event::of(EventKind::update_done),
                            Event::of(EventKind::recover_wait_timeout),
                            Event::of(EventKind::shutdown_exit)};
  if (apd != 0) events.push_back(Event::of(EventKind::auto_partner_down_timeout));
  for (const core::StateInfo& p : core::state_table) {
    events.push_back(Event::peer(p.state, false));
    events.push_back(Event::peer(p.state, true));
  }
  const Instant long_ago =
      at > Instant{} + std::chrono::hours(24 * 30) ? at - std::chrono::hours(24 * 30) : Instant{};
  for (const core::StateInfo& saved : core::state_table) {
    if (from != State::startup && saved.state != from) continue;
    for (const core::StateInfo& partner : core::state_table)
      for (const bool connected : {false, true})
        for (const Instant stos : {long_ago, at})
          for (const Event& e : events) {
            core::PeerView v;
            v.role = role;
            v.state = from;
            v.saved = saved.state;
            v.partner = partner.state;
            v.connected = connected;
            v.stos = stos;
            v.mclt = core::Seconds{3600};
            v.auto_partner_down = core::Seconds{apd > 0 ? apd : (apd < 0 ? 1 : 0)};
            const core::Step step = core::step(v, e, at);
            for (const core::Action& a : step.actions)
              if (a.kind == core::ActionKind::moved && a.from == from && a.to == to) return true;
          }
  }
  return false;
}

}  // namespace

void Replay::on_move(int s, Instant at, const StateMove& m, const std::string& file,
                     std::size_t line) {
  Peer& p = peers_[static_cast<std::size_t>(s)];
  ReplayServer& srv = servers_[static_cast<std::size_t>(s)];
  const ServerSpec* spec = spec_of(config_, srv);
  // A move to startup is a start when the log shows a process starting (its banner, a new pid)
  // or holds nothing of the server before it; otherwise an operator set local-state 1.
  const bool boot = m.to == State::startup && (!p.known || p.start_lines);
  const bool local_state_1 = m.to == State::startup && !boot;
  const std::optional<Instant> last_before = p.start_lines ? p.last_line_before_start : p.last_line;
  p.start_lines = false;
  if (!srv.first_state) srv.first_state = m.from;
  if (p.known && !boot && p.view.state != m.from) {
    find({ReplayFinding::Kind::inconsistent, at, s,
          srv.host + " says it moves from " + state_text(m.from) +
              ", but the last state it logged was " + state_text(p.view.state),
          "log lines are missing (or a restart's lines are)", file, line});
  }
  Cause cause = Cause::none;
  if (!p.expected.empty() && p.expected.front() == std::make_pair(m.from, m.to)) {
    cause = p.expected_cause;
    p.expected.pop_front();
  } else {
    p.expected.clear();
  }
  core::PeerView v = view_before(p.view, m.from, p.connected, config_, spec);
  // auto-partner-down in seconds: -1 when the configuration is not known, 0 when off.
  const std::int64_t apd = spec == nullptr ? -1 : spec->config.auto_partner_down_s.value_or(0);
  if (cause == Cause::none && boot) {
    cause = Cause::boot;
    if (p.known) {
      // A lease file without a failover record starts ISC in recover: a server that was in
      // another state (and not shut down, which records recover) lost its storage.
      const bool lost = m.from == State::recover && p.view.state != State::recover &&
                        p.view.state != State::shutdown && p.view.state != State::startup;
      restarts_.push_back(
          {s, at, last_before.value_or(at), m.from == State::shutdown, p.shutdown_at, lost});
      p.connected = false;
    }
  }
  if (cause == Cause::none && local_state_1) {
    cause = Cause::operator_set_state;
    operator_moves_.emplace_back(at, s, m.to);
    flag_operator_startup(s, at, m, file, line);
  }
  if (cause == Cause::none && m.to == State::shutdown) {
    cause = Cause::shutdown;
    p.shutdown_at = at;
  }
  std::optional<Instant> model_stos;  // the state's start as ISC's machine records it
  if (cause == Cause::none) cause = explain_move(p, v, m, at, apd, model_stos);
  // A server's first move: what made it happened before the excerpt's first line.
  if (cause == Cause::none && !p.known &&
      possible_with_some_history(srv.role, m.from, m.to, at, apd))
    cause = Cause::before_excerpt;
  if (cause == Cause::none) {
    cause = Cause::operator_guess;
    operator_moves_.emplace_back(at, s, m.to);
    flag_unexplained(s, at, m, apd, file, line);
  }
  // What the server knows now.
  if (boot) {
    v.saved = m.from;
    p.boot_at = at;
  } else {
    // ISC's own record where the machine explains the move (a controlled shutdown records
    // recover MCLT in the past), else the time of the line.
    v.stos = model_stos && p.expected.empty() ? *model_stos : at;
  }
  v.state = m.to;
  v.connected = p.connected;
  p.view = v;
  p.known = true;
  srv.states.emplace_back(at, m.to);
  emit({at, s, StateMove{m.peer, m.from, m.to, cause}, {}});
  partner_down_window(s, at, m, file, line);
}

Cause Replay::explain_move(Peer& p, const core::PeerView& v, const StateMove& m, Instant at,
                           std::int64_t apd, std::optional<Instant>& model_stos) {
  struct Candidate {
    core::Event event;
    bool evidence;
    Cause cause;
  };
  auto recent = [&](const std::optional<Instant>& t) { return t && at - *t <= evidence_window; };
  const bool apd_due = m.from == State::communications_interrupted && apd > 0 &&
                       std::llabs((at - p.view.stos).count() - apd * 1000) <= 3000;
  const Candidate candidates[] = {
      {core::Event::peer(p.view.partner, false), p.has_partner && p.connected, Cause::peer_state},
      {core::Event::peer(p.view.partner, true), p.has_partner && p.connected, Cause::peer_state},
      {core::Event::of(core::EventKind::link_lost), recent(p.link_lost_at) || !p.connected,
       Cause::link_lost},
      {core::Event::of(core::EventKind::startup_timeout), m.from == State::startup,
       Cause::startup_timer},
      {core::Event::of(core::EventKind::update_done), recent(p.update_done_at), Cause::update_done},
      {core::Event::of(core::EventKind::recover_wait_timeout), m.from == State::recover_wait,
       Cause::recover_wait_timer},
      {core::Event::of(core::EventKind::auto_partner_down_timeout), apd_due,
       Cause::auto_partner_down_timer},
      {core::Event::of(core::EventKind::shutdown_exit), m.from == State::shutdown,
       Cause::shutdown_exit},
  };
  for (const Candidate& c : candidates) {
    if (!c.evidence) continue;
    // A STATE message is judged against the partner state known before it arrived. The
    // state's start time is the one recorded, or, when the lease file was lost at the last
    // start, that start (the log cannot tell which).
    core::PeerView before = v;
    if (c.event.kind == core::EventKind::peer_state) before.partner = p.partner_before;
    bool matched = false;
    for (int variant = 0; variant < 2 && !matched; ++variant) {
      if (variant == 1) {
        if (!p.boot_at || before.stos == *p.boot_at) break;
        before.stos = *p.boot_at;
      }
      const core::Step step = core::step(before, c.event, at);
      model_stos = step.view.stos;
      p.expected.clear();
      for (const core::Action& a : step.actions) {
        if (a.kind != core::ActionKind::moved) continue;
        if (matched)
          p.expected.emplace_back(a.from, a.to);
        else if (a.from == m.from && a.to == m.to)
          matched = true;
      }
    }
    if (matched) {
      p.expected_cause = c.cause;
      return c.cause;
    }
    p.expected.clear();
    model_stos.reset();
  }
  return Cause::none;
}

void Replay::flag_unexplained(int s, Instant at, const StateMove& m, std::int64_t apd,
                              const std::string& file, std::size_t line) {
  const Peer& p = peers_[static_cast<std::size_t>(s)];
  std::string why;
  if (m.to == State::partner_down) {
    why =
        "ISC enters partner-down only by auto-partner-down or by an operator: an operator's "
        "OMAPI "
        "local-state 4 (or `my state partner-down;` written into the lease file)";
    if (apd < 0)
      why += ", unless auto-partner-down is set to " + seconds_text(at - p.view.stos) +
             " (give the dhcpd.conf files with --config to know)";
    else if (apd > 0)
      why += "; auto-partner-down " + std::to_string(apd) + " s would have fired at " +
             format_time(p.view.stos + std::chrono::seconds(apd));
    else
      why += "; auto-partner-down is off";
  } else {
    why = "nothing in the log makes ISC's machine move from " + state_text(m.from) + " to " +
          state_text(m.to) + ": an operator (OMAPI local-state), or log lines are missing";
  }
  find({ReplayFinding::Kind::unexplained_move, at, s,
        servers_[static_cast<std::size_t>(s)].host + " moves from " + state_text(m.from) + " to " +
            state_text(m.to),
        why, file, line});
}

void Replay::flag_operator_startup(int s, Instant at, const StateMove& m, const std::string& file,
                                   std::size_t line) {
  const Peer& p = peers_[static_cast<std::size_t>(s)];
  const std::string host = servers_[static_cast<std::size_t>(s)].host;
  find({ReplayFinding::Kind::operator_startup, at, s,
        host + " moves from " + state_text(m.from) + " to startup without starting: no banner" +
            (p.pid ? " and the same pid " + std::to_string(*p.pid) : std::string()) +
            " since its last move",
        "not a restart: an operator's OMAPI local-state 1 (startup in ISC 4.x; the server leaves "
        "startup 15 s later as if the link were lost)",
        file, line});
}

void Replay::partner_down_window(int s, Instant at, const StateMove& m, const std::string& file,
                                 std::size_t line) {
  Peer& p = peers_[static_cast<std::size_t>(s)];
  if (m.to == State::partner_down) {
    p.pd_since = at;
    p.risk_reported = false;
    const Peer& other = peers_.size() == 2 ? peers_[static_cast<std::size_t>(1 - s)] : p;
    if (&other != &p && other.pd_since && !p.connected) {
      p.risk_reported = true;
      find({ReplayFinding::Kind::duplicate_risk, at, s,
            "both servers in partner-down and not connected (" +
                servers_[static_cast<std::size_t>(1 - s)].host + " since " +
                format_time(*other.pd_since) + ")",
            "each takes the other's free addresses MCLT after entering partner-down: both can hand "
            "out the same "
            "address",
            file, line});
    }
  } else if (m.from == State::partner_down) {
    p.pd_since.reset();
  }
}

}  // namespace fosim::sim
