#include "fosim/sim/replay.hpp"

#include <algorithm>

#include "fosim/core/peer_config.hpp"
#include "fosim/sim/scenario_json.hpp"

namespace fosim::sim {

using core::Instant;
using core::State;

struct Replay::Peer {
  core::PeerView view;
  bool known = false;        ///< a state line has been seen
  bool has_partner = false;  ///< a "peer moves" line has been seen
  State partner_before =
      State::unknown_state;  ///< the partner's state before the last "peer moves"
  bool connected = false;    ///< the link is up, as far as the log says
  std::optional<Instant> link_lost_at;
  std::optional<Instant> update_done_at;
  std::deque<std::pair<State, State>> expected;  ///< further moves of the last explained step
  Cause expected_cause = Cause::none;
  std::optional<Instant> last_line;
  std::optional<Instant> shutdown_at;
  std::optional<Instant> pd_since;  ///< in partner-down since (duplicate-risk window)
  std::optional<Instant> boot_at;   ///< the last "I move from ... to startup"
  bool risk_reported = false;
};

namespace {

constexpr std::size_t max_findings_per_kind = 1000;
constexpr std::size_t max_clients_kept = 1u << 20;
constexpr Duration evidence_window = std::chrono::seconds(5);

std::string seconds_text(Duration d) { return std::to_string(d.count() / 1000) + " s"; }

}  // namespace

std::string_view to_string(ReplayFinding::Kind k) {
  switch (k) {
    case ReplayFinding::Kind::unexplained_move:
      return "unexplained-move";
    case ReplayFinding::Kind::inconsistent:
      return "inconsistent";
    case ReplayFinding::Kind::duplicate_risk:
      return "duplicate-risk";
    case ReplayFinding::Kind::duplicate_address:
      return "duplicate-address";
  }
  return "unexplained-move";
}

Replay::Replay(ReplayConfig config, TraceSink* sink) : config_(std::move(config)), sink_(sink) {}

Replay::~Replay() = default;

core::Seconds Replay::lease_time() const {
  if (config_.lease_time) return *config_.lease_time;
  if (config_.known) return config_.known->pool.default_lease_time;
  if (common_gap_count_ >= 3)
    return core::Seconds{2 * common_gap_s_};  // clients renew at half the lease
  return core::Seconds{43200};
}

int Replay::server_index(std::string_view host, std::string& error) {
  for (std::size_t i = 0; i < servers_.size(); ++i)
    if (servers_[i].host == host) return static_cast<int>(i);
  if (servers_.size() == 2) {
    error =
        "a third server '" + std::string(host) + "' (already " + servers_[0].host + " and " +
        servers_[1].host +
        "); give only the two servers' lines, or name each server's file with --server NAME=FILE";
    return -1;
  }
  ReplayServer s;
  s.host = std::string(host);
  Peer p;
  // The role: the configuration's, else --primary, else the first host seen is the primary.
  bool role_known = false;
  if (config_.known)
    for (const ServerSpec& spec : config_.known->servers)
      if (spec.host == s.host) {
        s.role = spec.config.role.value_or(core::Role::primary);
        role_known = true;
      }
  if (!role_known && !config_.primary.empty()) {
    s.role = s.host == config_.primary ? core::Role::primary : core::Role::secondary;
    role_known = true;
  }
  if (!role_known) {
    s.role = servers_.empty() || servers_[0].role == core::Role::secondary ? core::Role::primary
                                                                           : core::Role::secondary;
    if (s.role == core::Role::primary)
      notes_.push_back(
          s.host +
          " is taken to be the primary (the first server in the log); say --primary HOST if not");
  }
  p.view.role = s.role;
  p.view.state = State::unknown_state;
  servers_.push_back(std::move(s));
  peers_.push_back(std::move(p));
  return static_cast<int>(servers_.size() - 1);
}

void Replay::emit(RunEvent e) {
  if (sink_ != nullptr) sink_->record(e);
}

void Replay::find(ReplayFinding f) {
  if (finding_counts_[f.kind]++ < max_findings_per_kind) findings_.push_back(std::move(f));
}

bool Replay::add(std::string_view host, std::int64_t time_ms, const LogEvent& e,
                 std::string_view text, const std::string& file, std::size_t line,
                 std::string& error) {
  if (relationship_.empty() && !config_.relationship.empty()) relationship_ = config_.relationship;
  if (!e.peer.empty() && e.kind != LogEventKind::dhcp && !relationship_.empty() &&
      e.peer != relationship_) {
    ++other_peers_[e.peer];  // one relationship at a time
    return true;
  }
  const int s = server_index(host, error);
  if (s < 0) return false;
  if (!origin_ms_) origin_ms_ = time_ms;
  Instant at{Duration{std::max<std::int64_t>(0, time_ms - *origin_ms_)}};
  if (at < last_) ++out_of_order_;
  at = std::max(at, last_);  // a line out of order is shown at the time of the line before it
  last_ = at;
  ++lines_;
  ++servers_[static_cast<std::size_t>(s)].lines;
  Peer& p = peers_[static_cast<std::size_t>(s)];
  if (!e.peer.empty() && relationship_.empty() && e.kind != LogEventKind::dhcp)
    relationship_ = e.peer;
  RunEvent t{at, s, OtherLine{}, std::string(text)};
  switch (e.kind) {
    case LogEventKind::i_move:
      on_move(s, at, e, file, line);
      break;
    case LogEventKind::peer_moves:
      p.partner_before = e.from;
      p.view.partner = e.to;
      p.view.partner_stos = at;
      p.has_partner = true;
      if (!p.connected && !outages_.empty() && !outages_.back().up) outages_.back().up = at;
      p.connected = true;
      t.what = PeerStateSeen{e.peer, e.from, e.to};
      emit(std::move(t));
      break;
    case LogEventKind::disconnected:
    case LogEventKind::timeout:
      if (p.connected || !p.link_lost_at) {
        if (outages_.empty() || outages_.back().up)
          outages_.push_back({at, e.kind == LogEventKind::timeout, {}});
      }
      p.connected = false;
      p.link_lost_at = at;
      t.what = LinkEvent{
          e.peer,
          e.kind == LogEventKind::timeout ? LinkChange::timeout : LinkChange::disconnected,
          {}};
      emit(std::move(t));
      break;
    case LogEventKind::connect_rejected:
      t.what = LinkEvent{
          e.peer,
          e.wording == Wording::link_rejected ? LinkChange::rejected : LinkChange::peer_rejected,
          {}};
      emit(std::move(t));
      break;
    case LogEventKind::update_done:
      if (e.wording == Wording::peer_update_completed) p.update_done_at = at;
      emit(std::move(t));
      break;
    case LogEventKind::dhcp:
    case LogEventKind::peer_holds_all_free:
    case LogEventKind::no_free_leases:
      on_dhcp(s, std::move(t), e, file, line);
      break;
    default:
      emit(std::move(t));
  }
  p.last_line = at;
  return true;
}

void Replay::on_move(int s, Instant at, const LogEvent& e, const std::string& file,
                     std::size_t line) {
  Peer& p = peers_[static_cast<std::size_t>(s)];
  ReplayServer& srv = servers_[static_cast<std::size_t>(s)];
  const ServerSpec* spec = nullptr;
  if (config_.known)
    for (const ServerSpec& k : config_.known->servers)
      if (k.host == srv.host || k.config.role.value_or(core::Role::primary) == srv.role) spec = &k;
  const bool boot = e.to == State::startup;
  if (!srv.first_state) srv.first_state = e.from;
  if (p.known && !boot && p.view.state != e.from) {
    find({ReplayFinding::Kind::inconsistent, at, s,
          srv.host + " says it moves from " + std::string(core::to_string(e.from)) +
              ", but the last state it logged was " + std::string(core::to_string(p.view.state)),
          "log lines are missing (or a restart's lines are)", file, line});
  }
  Cause cause = Cause::none;
  if (!p.expected.empty() && p.expected.front() == std::make_pair(e.from, e.to)) {
    cause = p.expected_cause;
    p.expected.pop_front();
  } else {
    p.expected.clear();
  }
  core::PeerView v = p.view;
  v.state = e.from;
  v.connected = p.connected;
  if (spec != nullptr && spec->config.auto_partner_down_s)
    v.auto_partner_down = core::Seconds{*spec->config.auto_partner_down_s};
  // The MCLT both run with is the primary's (the secondary learns it from CONNECT).
  v.mclt = core::Seconds{3600};
  if (config_.known && config_.known->servers[0].config.mclt_s)
    v.mclt = core::Seconds{*config_.known->servers[0].config.mclt_s};
  // auto-partner-down in seconds: -1 when the configuration is not known, 0 when off.
  const std::int64_t apd = spec == nullptr ? -1 : spec->config.auto_partner_down_s.value_or(0);
  auto recent = [&](const std::optional<Instant>& t) { return t && at - *t <= evidence_window; };
  if (cause == Cause::none && boot) {
    cause = Cause::boot;
    if (p.known) {
      // A lease file without a failover record starts ISC in recover: a server that was in
      // another state (and not shut down, which records recover) lost its storage.
      const bool lost = e.from == State::recover && p.view.state != State::recover &&
                        p.view.state != State::shutdown && p.view.state != State::startup;
      restarts_.push_back(
          {s, at, p.last_line.value_or(at), e.from == State::shutdown, p.shutdown_at, lost});
      p.connected = false;
    }
  }
  if (cause == Cause::none && e.to == State::shutdown) {
    cause = Cause::shutdown;
    p.shutdown_at = at;
  }
  std::optional<Instant> model_stos;  // the state's start as ISC's machine records it
  if (cause == Cause::none) {
    struct Candidate {
      core::Event event;
      bool evidence;
      Cause cause;
    };
    const bool apd_due = e.from == State::communications_interrupted && apd > 0 &&
                         std::llabs((at - p.view.stos).count() - apd * 1000) <= 3000;
    const Candidate candidates[] = {
        {core::Event::peer(p.view.partner, false), p.has_partner && p.connected, Cause::peer_state},
        {core::Event::peer(p.view.partner, true), p.has_partner && p.connected, Cause::peer_state},
        {core::Event::of(core::EventKind::link_lost), recent(p.link_lost_at) || !p.connected,
         Cause::link_lost},
        {core::Event::of(core::EventKind::startup_timeout), e.from == State::startup,
         Cause::startup_timer},
        {core::Event::of(core::EventKind::update_done), recent(p.update_done_at),
         Cause::update_done},
        {core::Event::of(core::EventKind::recover_wait_timeout), e.from == State::recover_wait,
         Cause::recover_wait_timer},
        {core::Event::of(core::EventKind::auto_partner_down_timeout), apd_due,
         Cause::auto_partner_down_timer},
        {core::Event::of(core::EventKind::shutdown_exit), e.from == State::shutdown,
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
          else if (a.from == e.from && a.to == e.to)
            matched = true;
        }
      }
      if (matched) {
        cause = c.cause;
        p.expected_cause = cause;
        break;
      }
      p.expected.clear();
      model_stos.reset();
    }
  }
  if (cause == Cause::none) {
    cause = Cause::operator_guess;
    operator_moves_.emplace_back(at, s, e.to);
    std::string why;
    if (e.to == State::partner_down) {
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
      why = "nothing in the log makes ISC's machine move from " +
            std::string(core::to_string(e.from)) + " to " + std::string(core::to_string(e.to)) +
            ": an operator (OMAPI local-state), or log lines are missing";
    }
    find({ReplayFinding::Kind::unexplained_move, at, s,
          srv.host + " moves from " + std::string(core::to_string(e.from)) + " to " +
              std::string(core::to_string(e.to)),
          why, file, line});
  }
  // What the server knows now.
  if (boot) {
    v.saved = e.from;
    p.boot_at = at;
  } else {
    // ISC's own record where the machine explains the move (a controlled shutdown records
    // recover MCLT in the past), else the time of the line.
    v.stos = model_stos && p.expected.empty() ? *model_stos : at;
  }
  v.state = e.to;
  v.connected = p.connected;
  p.view = v;
  p.known = true;
  srv.states.emplace_back(at, e.to);
  emit({at, s, StateMove{e.peer, e.from, e.to, cause}, {}});
  // The duplicate-risk window: this server in partner-down.
  if (e.to == State::partner_down) {
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
  } else if (e.from == State::partner_down) {
    p.pd_since.reset();
  }
}

void Replay::on_dhcp(int s, RunEvent t, const LogEvent& e, const std::string& file,
                     std::size_t line) {
  ReplayServer& srv = servers_[static_cast<std::size_t>(s)];
  const Instant at = t.at;
  DhcpLine d;
  d.verb = e.verb;
  d.ip = e.ip;
  d.mac = e.mac;
  if (!e.mac.empty() && !first_seen_.count(e.mac) && first_seen_.size() < max_clients_kept) {
    first_seen_.emplace(e.mac, at);
    mac_order_.push_back(e.mac);
  }
  if (e.kind == LogEventKind::dhcp && (e.verb == DhcpVerb::offer || e.verb == DhcpVerb::ack) &&
      e.ip != 0) {
    min_ip_ = std::min(min_ip_, e.ip);
    max_ip_ = std::max(max_ip_, e.ip);
  }
  if (e.kind == LogEventKind::dhcp && e.verb == DhcpVerb::offer) ++srv.offers;
  if (e.kind == LogEventKind::dhcp && e.verb == DhcpVerb::nak) ++srv.naks;
  if (e.kind == LogEventKind::dhcp && e.verb == DhcpVerb::release && e.ip != 0) {
    const auto it = leases_.find(e.ip);
    if (it != leases_.end() && it->second.mac == e.mac) leases_.erase(it);
  }
  if (e.kind == LogEventKind::dhcp && e.verb == DhcpVerb::ack && e.ip != 0 && !e.mac.empty()) {
    ++srv.acks;
    if (const auto last = last_ack_.find(e.mac); last != last_ack_.end()) {
      if (last->second.first == e.ip && at - last->second.second >= std::chrono::seconds(10)) {
        const std::int64_t gap =
            std::chrono::duration_cast<std::chrono::seconds>(at - last->second.second).count();
        const std::uint64_t n = ++renewal_gaps_s_[gap];
        if (n > common_gap_count_) common_gap_count_ = n, common_gap_s_ = gap;
      }
      last->second = {e.ip, at};
    } else if (last_ack_.size() < max_clients_kept) {
      last_ack_.emplace(e.mac, std::make_pair(e.ip, at));
    }
    const auto it = leases_.find(e.ip);
    if (it != leases_.end() && it->second.server != s && it->second.mac != e.mac &&
        at - it->second.at < std::chrono::duration_cast<Duration>(lease_time()) &&
        duplicates_seen_.size() < max_clients_kept &&
        duplicates_seen_
            .insert(std::to_string(e.ip) + " " + std::min(e.mac, it->second.mac) + " " +
                    std::max(e.mac, it->second.mac))
            .second) {
      find({ReplayFinding::Kind::duplicate_address, at, s,
            format_ip(e.ip) + " acknowledged to " + e.mac + " by " + srv.host + ", and to " +
                it->second.mac + " by " +
                servers_[static_cast<std::size_t>(it->second.server)].host + " at " +
                format_time(it->second.at),
            "within the " + std::to_string(lease_time().count()) +
                " s a lease is taken to last: two clients may hold the address at once",
            file, line});
      d.finding = true;
    }
    leases_[e.ip] = {s, e.mac, at};
    // Evidence that this server serves while the other is in partner-down without it.
    if (peers_.size() == 2) {
      Peer& other = peers_[static_cast<std::size_t>(1 - s)];
      if (other.pd_since && !other.connected && !other.risk_reported) {
        other.risk_reported = true;
        find({ReplayFinding::Kind::duplicate_risk, at, 1 - s,
              servers_[static_cast<std::size_t>(1 - s)].host + " in partner-down since " +
                  format_time(*other.pd_since) + " while " + srv.host +
                  " still answers clients (DHCPACK on " + format_ip(e.ip) + " to " + e.mac + ")",
              "the partner is alive but unreachable: the server in partner-down takes its "
              "addresses MCLT after "
              "entering partner-down, while it still hands out its own; both can give out the same "
              "address",
              file, line});
      }
    }
  }
  t.what = std::move(d);
  emit(std::move(t));
}

void Replay::finish() {
  for (Peer& p : peers_) p.expected.clear();
  if (out_of_order_ != 0)
    notes_.push_back(std::to_string(out_of_order_) +
                     " line(s) were earlier than the line before them; each is shown at the time "
                     "of the line before it");
  for (const auto& [peer, n] : other_peers_)
    notes_.push_back(std::to_string(n) + " line(s) of failover peer " + peer +
                     " were left out: fosim replays one "
                     "relationship (" +
                     relationship_ + "); say --relationship " + peer + " for that one");
}

}  // namespace fosim::sim
