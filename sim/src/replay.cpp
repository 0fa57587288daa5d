#include "fosim/sim/replay.hpp"

#include <algorithm>

#include "fosim/core/peer_config.hpp"
#include "fosim/sim/scenario_json.hpp"

namespace fosim::sim {

using core::Instant;
using core::State;

struct Replay::Peer {
  core::PeerView view;
  bool known = false;      ///< a state line has been seen
  bool has_partner = false;  ///< a "peer moves" line has been seen
  State partner_before = State::unknown_state;  ///< the partner's state before the last "peer moves"
  bool connected = false;  ///< the link is up, as far as the log says
  std::optional<Instant> link_lost_at;
  std::optional<Instant> update_done_at;
  std::deque<std::pair<State, State>> expected;  ///< further moves of the last explained step
  std::string expected_cause;
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
    case ReplayFinding::Kind::unexplained_move: return "unexplained-move";
    case ReplayFinding::Kind::inconsistent: return "inconsistent";
    case ReplayFinding::Kind::duplicate_risk: return "duplicate-risk";
    case ReplayFinding::Kind::duplicate_address: return "duplicate-address";
  }
  return "unexplained-move";
}

Replay::Replay(ReplayConfig config, TraceSink* sink) : config_(std::move(config)), sink_(sink) {}

Replay::~Replay() = default;

core::Seconds Replay::lease_time() const {
  if (config_.lease_time) return *config_.lease_time;
  if (config_.known) return config_.known->pool.default_lease_time;
  if (common_gap_count_ >= 3) return core::Seconds{2 * common_gap_s_};  // clients renew at half the lease
  return core::Seconds{43200};
}

int Replay::server_index(std::string_view host, std::string& error) {
  for (std::size_t i = 0; i < servers_.size(); ++i)
    if (servers_[i].host == host) return static_cast<int>(i);
  if (servers_.size() == 2) {
    error = "a third server '" + std::string(host) + "' (already " + servers_[0].host + " and " + servers_[1].host +
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
    s.role = servers_.empty() || servers_[0].role == core::Role::secondary ? core::Role::primary : core::Role::secondary;
    if (s.role == core::Role::primary)
      notes_.push_back(s.host + " is taken to be the primary (the first server in the log); say --primary HOST if not");
  }
  p.view.role = s.role;
  p.view.state = State::unknown_state;
  servers_.push_back(std::move(s));
  peers_.push_back(std::move(p));
  return static_cast<int>(servers_.size() - 1);
}

void Replay::emit(TraceEvent e) {
  if (sink_ != nullptr) sink_->record(e);
}

void Replay::find(ReplayFinding f) {
  if (finding_counts_[f.kind]++ < max_findings_per_kind) findings_.push_back(std::move(f));
}

bool Replay::add(std::string_view host, std::int64_t time_ms, const LogEvent& e, std::string_view text,
                 const std::string& file, std::size_t line, std::string& error) {
  if (relationship_.empty() && !config_.relationship.empty()) relationship_ = config_.relationship;
  if (!e.peer.empty() && e.kind != LogEventKind::dhcp && !relationship_.empty() && e.peer != relationship_) {
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
  if (!e.peer.empty() && relationship_.empty() && e.kind != LogEventKind::dhcp) relationship_ = e.peer;
  TraceEvent t(at, s, TraceKind::log, std::string(text));
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
      t.kind = TraceKind::peer_state;
      t.from = e.from;
      t.to = e.to;
      emit(t);
      break;
    case LogEventKind::disconnected:
    case LogEventKind::timeout:
      if (p.connected || !p.link_lost_at) {
        if (outages_.empty() || outages_.back().up) outages_.push_back({at, e.kind == LogEventKind::timeout, {}});
      }
      p.connected = false;
      p.link_lost_at = at;
      t.kind = TraceKind::link;
      emit(t);
      break;
    case LogEventKind::connect_rejected:
      t.kind = TraceKind::link;
      emit(t);
      break;
    case LogEventKind::update_done:
      if (text.find("peer update completed") != std::string_view::npos) p.update_done_at = at;
      emit(t);
      break;
    case LogEventKind::dhcp:
    case LogEventKind::peer_holds_all_free:
    case LogEventKind::no_free_leases:
      on_dhcp(s, t, e, file, line);
      break;
    default:
      emit(t);
  }
  p.last_line = at;
  return true;
}

void Replay::on_move(int s, Instant at, const LogEvent& e, const std::string& file, std::size_t line) {
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
          srv.host + " says it moves from " + std::string(core::to_string(e.from)) + ", but the last state it logged was " +
              std::string(core::to_string(p.view.state)),
          "log lines are missing (or a restart's lines are)", file, line});
  }
  std::string cause;
  if (!p.expected.empty() && p.expected.front() == std::make_pair(e.from, e.to)) {
    cause = p.expected_cause;
    p.expected.pop_front();
  } else {
    p.expected.clear();
  }
  core::PeerView v = p.view;
  v.state = e.from;
  v.connected = p.connected;
  if (spec != nullptr && spec->config.auto_partner_down_s) v.auto_partner_down = core::Seconds{*spec->config.auto_partner_down_s};
  // The MCLT both run with is the primary's (the secondary learns it from CONNECT).
  v.mclt = core::Seconds{3600};
  if (config_.known && config_.known->servers[0].config.mclt_s)
    v.mclt = core::Seconds{*config_.known->servers[0].config.mclt_s};
  // auto-partner-down in seconds: -1 when the configuration is not known, 0 when off.
  const std::int64_t apd = spec == nullptr ? -1 : spec->config.auto_partner_down_s.value_or(0);
  auto recent = [&](const std::optional<Instant>& t) { return t && at - *t <= evidence_window; };
  if (cause.empty() && boot) {
    cause = "boot";
    if (p.known) {
      // A lease file without a failover record starts ISC in recover: a server that was in
      // another state (and not shut down, which records recover) lost its storage.
      const bool lost = e.from == State::recover && p.view.state != State::recover && p.view.state != State::shutdown &&
                        p.view.state != State::startup;
      restarts_.push_back({s, at, p.last_line.value_or(at), e.from == State::shutdown, p.shutdown_at, lost});
      p.connected = false;
    }
  }
  if (cause.empty() && e.to == State::shutdown) {
    cause = "shutdown";
    p.shutdown_at = at;
  }
  std::optional<Instant> model_stos;  // the state's start as ISC's machine records it
  if (cause.empty()) {
    struct Candidate {
      core::Event event;
      bool evidence;
      const char* cause;
    };
    const bool apd_due = e.from == State::communications_interrupted && apd > 0 &&
                         std::llabs((at - p.view.stos).count() - apd * 1000) <= 3000;
    const Candidate candidates[] = {
        {core::Event::peer(p.view.partner, false), p.has_partner && p.connected, "peer-state"},
        {core::Event::peer(p.view.partner, true), p.has_partner && p.connected, "peer-state"},
        {core::Event::of(core::EventKind::link_lost), recent(p.link_lost_at) || !p.connected, "link-lost"},
        {core::Event::of(core::EventKind::startup_timeout), e.from == State::startup, "startup-timer"},
        {core::Event::of(core::EventKind::update_done), recent(p.update_done_at), "update-done"},
        {core::Event::of(core::EventKind::recover_wait_timeout), e.from == State::recover_wait, "recover-wait-timer"},
        {core::Event::of(core::EventKind::auto_partner_down_timeout), apd_due, "auto-partner-down-timer"},
        {core::Event::of(core::EventKind::shutdown_exit), e.from == State::shutdown, "shutdown-exit"},
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
          if (matched) p.expected.emplace_back(a.from, a.to);
          else if (a.from == e.from && a.to == e.to) matched = true;
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
  if (cause.empty()) {
    cause = "operator?";
    operator_moves_.emplace_back(at, s, e.to);
    std::string why;
    if (e.to == State::partner_down) {
      why = "ISC enters partner-down only by auto-partner-down or by an operator: an operator's OMAPI "
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
      why = "nothing in the log makes ISC's machine move from " + std::string(core::to_string(e.from)) + " to " +
            std::string(core::to_string(e.to)) + ": an operator (OMAPI local-state), or log lines are missing";
    }
    find({ReplayFinding::Kind::unexplained_move, at, s,
          srv.host + " moves from " + std::string(core::to_string(e.from)) + " to " + std::string(core::to_string(e.to)),
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
  TraceEvent t(at, s, TraceKind::state,
               "failover peer " + e.peer + ": I move from " + std::string(core::to_string(e.from)) + " to " +
                   std::string(core::to_string(e.to)));
  t.from = e.from;
  t.to = e.to;
  t.cause = cause;
  emit(t);
  // The duplicate-risk window: this server in partner-down.
  if (e.to == State::partner_down) {
    p.pd_since = at;
    p.risk_reported = false;
    const Peer& other = peers_.size() == 2 ? peers_[static_cast<std::size_t>(1 - s)] : p;
    if (&other != &p && other.pd_since && !p.connected) {
      p.risk_reported = true;
      find({ReplayFinding::Kind::duplicate_risk, at, s,
            "both servers in partner-down and not connected (" + servers_[static_cast<std::size_t>(1 - s)].host +
                " since " + format_time(*other.pd_since) + ")",
            "each takes the other's free addresses MCLT after entering partner-down: both can hand out the same "
            "address",
            file, line});
    }
  } else if (e.from == State::partner_down) {
    p.pd_since.reset();
  }
}

void Replay::on_dhcp(int s, TraceEvent t, const LogEvent& e, const std::string& file, std::size_t line) {
  ReplayServer& srv = servers_[static_cast<std::size_t>(s)];
  const Instant at = t.at;
  t.kind = TraceKind::dhcp;
  t.ip = e.ip;
  if (!e.mac.empty() && !first_seen_.count(e.mac) && first_seen_.size() < max_clients_kept) {
    first_seen_.emplace(e.mac, at);
    mac_order_.push_back(e.mac);
  }
  if (e.kind == LogEventKind::dhcp && (e.verb == DhcpVerb::offer || e.verb == DhcpVerb::ack) && e.ip != 0) {
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
        const std::int64_t gap = std::chrono::duration_cast<std::chrono::seconds>(at - last->second.second).count();
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
        duplicates_seen_.insert(std::to_string(e.ip) + " " + std::min(e.mac, it->second.mac) + " " +
                                std::max(e.mac, it->second.mac))
            .second) {
      find({ReplayFinding::Kind::duplicate_address, at, s,
            format_ip(e.ip) + " acknowledged to " + e.mac + " by " + srv.host + ", and to " + it->second.mac + " by " +
                servers_[static_cast<std::size_t>(it->second.server)].host + " at " + format_time(it->second.at),
            "within the " + std::to_string(lease_time().count()) +
                " s a lease is taken to last: two clients may hold the address at once",
            file, line});
      t.kind = TraceKind::monitor;
    }
    leases_[e.ip] = {s, e.mac, at};
    // Evidence that this server serves while the other is in partner-down without it.
    if (peers_.size() == 2) {
      Peer& other = peers_[static_cast<std::size_t>(1 - s)];
      if (other.pd_since && !other.connected && !other.risk_reported) {
        other.risk_reported = true;
        find({ReplayFinding::Kind::duplicate_risk, at, 1 - s,
              servers_[static_cast<std::size_t>(1 - s)].host + " in partner-down since " + format_time(*other.pd_since) +
                  " while " + srv.host + " still answers clients (DHCPACK on " + format_ip(e.ip) + " to " + e.mac + ")",
              "the partner is alive but unreachable: the server in partner-down takes its addresses MCLT after "
              "entering partner-down, while it still hands out its own; both can give out the same address",
              file, line});
      }
    }
  }
  emit(t);
}

void Replay::finish() {
  for (Peer& p : peers_) p.expected.clear();
  if (out_of_order_ != 0)
    notes_.push_back(std::to_string(out_of_order_) +
                     " line(s) were earlier than the line before them; each is shown at the time of the line before it");
  for (const auto& [peer, n] : other_peers_)
    notes_.push_back(std::to_string(n) + " line(s) of failover peer " + peer + " were left out: fosim replays one "
                     "relationship (" + relationship_ + "); say --relationship " + peer + " for that one");
}

std::optional<Scenario> Replay::scenario(std::vector<std::string>& notes) const {
  if (servers_.size() != 2 || servers_[0].role == servers_[1].role) {
    notes.push_back("the logs show " + std::to_string(servers_.size()) + " server(s) with distinct roles, not two");
    return std::nullopt;
  }
  if (last_.time_since_epoch() > std::chrono::hours(24 * 3650) - std::chrono::minutes(1)) {
    notes.push_back("the logs span " + format_time(last_) +
                    ", more than the ten years a scenario may last (clocks of different years mixed?)");
    return std::nullopt;
  }
  Scenario sc;
  sc.name = "replay";
  sc.description = "rebuilt from the logs of " + servers_[0].host + " and " + servers_[1].host;
  sc.relationship = relationship_.empty() ? "dhcp-failover" : relationship_;
  sc.duration = last_.time_since_epoch() + std::chrono::minutes(1);
  const std::size_t primary = servers_[0].role == core::Role::primary ? 0 : 1;
  std::size_t index_of[2];  // log order -> scenario order
  index_of[primary] = 0;
  index_of[1 - primary] = 1;
  for (std::size_t i = 0; i < 2; ++i) {
    ServerSpec& spec = sc.servers[index_of[i]];
    spec.host = servers_[i].host;
    const ServerSpec* known = nullptr;
    if (config_.known)
      for (const ServerSpec& k : config_.known->servers)
        if (k.host == spec.host) known = &k;
    if (config_.known && known == nullptr) known = &config_.known->servers[index_of[i]];
    if (known != nullptr) {
      spec.config = known->config;
    } else {
      core::PeerConfig& c = spec.config;
      c.role = servers_[i].role;
      c.address = servers_[i].host;
      c.peer_address = servers_[1 - i].host;
      c.load_balance_max_seconds = 3;
      if (c.role == core::Role::primary) {
        c.mclt_s = 3600;
        c.split = 128;
      }
    }
    spec.config.name = sc.relationship;
  }
  if (!config_.known)
    notes.push_back("the logs do not show the configuration: played with mclt 3600, split 128, load balance max "
                    "seconds 3 and ISC's defaults otherwise (give the dhcpd.conf files with --config)");
  // The pool.
  if (config_.known) {
    sc.pool = config_.known->pool;
  } else if (min_ip_ <= max_ip_) {
    constexpr std::uint32_t most = 65536;  // a guess wider than this is no guess
    sc.pool.first = min_ip_;
    sc.pool.last = max_ip_ - min_ip_ < most ? max_ip_ : min_ip_ + most - 1;
    sc.pool.default_lease_time = lease_time();
    if (sc.pool.last == max_ip_)
      notes.push_back("the pool is taken to be " + format_ip(sc.pool.first) + " - " + format_ip(sc.pool.last) +
                      ", the addresses offered or acknowledged in the log");
    else
      notes.push_back("the addresses in the log span " + format_ip(min_ip_) + " - " + format_ip(max_ip_) +
                      ", more than one pool: the pool is taken to be the 65536 from " + format_ip(sc.pool.first) +
                      " (give the dhcpd.conf files with --config)");
  } else {
    sc.pool.first = 0x0a000001;
    sc.pool.last = 0x0a0000fe;
    notes.push_back("no address was offered in the log: the pool is taken to be 10.0.0.1 - 10.0.0.254");
  }
  // The clients: every MAC seen, arriving when first seen.
  if (!mac_order_.empty()) {
    ClientGroup g;
    g.count = static_cast<std::uint32_t>(mac_order_.size());
    Instant first = Instant::max(), last{};
    for (const std::string& m : mac_order_) {
      first = std::min(first, first_seen_.at(m));
      last = std::max(last, first_seen_.at(m));
      if (m.size() == 17) g.macs.push_back(m);  // Ethernet MACs; other clients get generated ones
    }
    g.arrival_start = first.time_since_epoch();
    g.arrival_window = last - first;
    sc.clients.push_back(g);
    notes.push_back(std::to_string(g.count) + " clients (the MACs in the log) arrive between " + format_time(first) +
                    " and " + format_time(last) + " and stay");
  }
  // The script: restarts, outages that no restart explains, operator moves.
  auto mrd = [&](std::size_t i) {
    return std::chrono::seconds(sc.servers[i].config.max_response_delay_s.value_or(20));
  };
  for (const Restart& r : restarts_) {
    const std::size_t i = index_of[r.server];
    ScriptAction down;
    down.server = i;
    if (r.after_shutdown && r.shutdown_at) {
      down.type = ActionType::stop;
      down.at = *r.shutdown_at;
    } else {
      down.type = ActionType::crash;
      // When the partner noticed, or the server's last line before the restart.
      down.at = r.last_before;
      for (const Outage& o : outages_)
        if (o.down <= r.at && o.down + std::chrono::minutes(10) >= r.last_before)
          down.at = std::max(r.last_before, o.timeout ? o.down - mrd(1 - i) : o.down);
    }
    ScriptAction up;
    up.type = ActionType::start;
    up.server = i;
    up.keep_storage = !r.storage_lost;
    if (r.storage_lost)
      notes.push_back(sc.servers[i].host + " started at " + format_time(r.at) +
                      " from recover after being in another state: its lease file is taken to have been lost");
    up.at = std::max(r.at, down.at + Duration{1});
    sc.script.push_back(down);
    sc.script.push_back(up);
  }
  for (const Outage& o : outages_) {
    bool by_restart = false;
    for (const Restart& r : restarts_)
      if (r.at >= o.down - std::chrono::minutes(1) && (!o.up || r.at <= *o.up)) by_restart = true;
    if (by_restart) continue;
    ScriptAction cut;
    cut.type = ActionType::partition;
    cut.at = o.timeout ? std::max(Instant{}, o.down - mrd(0)) : o.down;
    sc.script.push_back(cut);
    if (o.up) {
      ScriptAction heal;
      heal.type = ActionType::heal;
      heal.at = std::max(cut.at + Duration{1}, *o.up - std::chrono::seconds(1));
      sc.script.push_back(heal);
    }
  }
  if (std::any_of(sc.script.begin(), sc.script.end(), [](const ScriptAction& a) { return a.type == ActionType::partition; }))
    notes.push_back("a partition is taken to start max-response-delay before the first \"timeout waiting\" line (at the "
                    "line if the link closed) and to end 1 s before the link came back");
  for (const auto& [at, s, state] : operator_moves_) {
    ScriptAction a;
    a.type = ActionType::set_state;
    a.server = index_of[static_cast<std::size_t>(s)];
    a.state = state;
    a.at = at;
    sc.script.push_back(a);
  }
  std::stable_sort(sc.script.begin(), sc.script.end(), [](const ScriptAction& a, const ScriptAction& b) { return a.at < b.at; });
  for (std::size_t k = 0; k < sc.script.size(); ++k) sc.script[k].line = k + 1;
  return sc;
}

std::optional<std::string> apply_what_if(Scenario& sc, std::string_view assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == assignment.size())
    return "'" + std::string(assignment) + "' is not KEY=VALUE (e.g. mclt=600)";
  std::string key(assignment.substr(0, eq));
  const std::string value(assignment.substr(eq + 1));
  // An optional "primary." / "secondary." / "HOST." prefix picks one server.
  std::vector<std::size_t> which{0, 1};
  if (const std::size_t dot = key.find('.'); dot != std::string::npos) {
    const std::string who = key.substr(0, dot);
    key = key.substr(dot + 1);
    if (who == "primary" || who == sc.servers[0].host) which = {0};
    else if (who == "secondary" || who == sc.servers[1].host) which = {1};
    else return "no server '" + who + "'; valid: primary, secondary, " + sc.servers[0].host + ", " + sc.servers[1].host;
  }
  static const std::vector<std::string> time_keys{"mclt", "auto_partner_down", "max_response_delay",
                                                  "load_balance_max_seconds", "min_balance", "max_balance"};
  static const std::vector<std::string> count_keys{"split", "max_unacked_updates", "max_lease_misbalance",
                                                   "max_lease_ownership"};
  static const std::vector<std::string> pool_keys{"default_lease_time", "max_lease_time", "min_lease_time"};
  const bool is_time = std::find(time_keys.begin(), time_keys.end(), key) != time_keys.end();
  const bool is_pool = std::find(pool_keys.begin(), pool_keys.end(), key) != pool_keys.end();
  const bool is_count = std::find(count_keys.begin(), count_keys.end(), key) != count_keys.end();
  if (!is_time && !is_pool && !is_count)
    return "unknown setting '" + key +
           "'; valid: mclt, split, auto_partner_down, max_response_delay, load_balance_max_seconds, "
           "max_unacked_updates, max_lease_misbalance, max_lease_ownership, min_balance, max_balance, "
           "default_lease_time, max_lease_time, min_lease_time";
  std::int64_t n = 0;
  if (is_count) {
    if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), ::isdigit))
      return key + "=" + value + ": expected a whole number";
    n = std::stoll(value);
  } else {
    const auto d = parse_duration(value);
    if (!d || d->count() % 1000 != 0) return key + "=" + value + ": expected whole seconds or a duration such as 10m";
    if (d->count() / 1000 > 4294967295LL) return key + "=" + value + ": at most 4294967295 seconds";
    n = d->count() / 1000;
    if (n == 0 && (key == "mclt" || is_pool)) return key + "=" + value + ": must be at least 1 second";
  }
  if (is_pool) {
    if (key == "default_lease_time") sc.pool.default_lease_time = core::Seconds{n};
    else if (key == "max_lease_time") sc.pool.max_lease_time = core::Seconds{n};
    else sc.pool.min_lease_time = core::Seconds{n};
    return std::nullopt;
  }
  const bool primary_only = key == "mclt" || key == "split";
  for (std::size_t i : which) {
    if (primary_only && i == 1) continue;  // ISC takes these from the primary only
    core::PeerConfig& c = sc.servers[i].config;
    if (key == "mclt") c.mclt_s = n;
    else if (key == "split") c.split = n, c.hba.reset();
    else if (key == "auto_partner_down") c.auto_partner_down_s = n;
    else if (key == "max_response_delay") c.max_response_delay_s = n;
    else if (key == "load_balance_max_seconds") c.load_balance_max_seconds = n;
    else if (key == "min_balance") c.min_balance_s = n;
    else if (key == "max_balance") c.max_balance_s = n;
    else if (key == "max_unacked_updates") c.max_unacked_updates = n;
    else if (key == "max_lease_misbalance") c.max_lease_misbalance = n;
    else if (key == "max_lease_ownership") c.max_lease_ownership = n;
    for (const core::Problem& p : core::validate(c))
      if (p.severity == core::Severity::error && p.field != "name")
        return key + "=" + value + ": " + p.message + (p.valid.empty() ? "" : " (valid: " + p.valid + ")");
  }
  if (primary_only && which.size() == 1 && which[0] == 1) return key + " is the primary's setting (ISC ignores the secondary's)";
  return std::nullopt;
}

}  // namespace fosim::sim
