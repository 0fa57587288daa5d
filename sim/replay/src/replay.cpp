// Replay's history: the servers, their lines in time order, the link and the DHCP exchange
// (replay_check.cpp checks each move against ISC's machine; replay_scenario.cpp turns the
// whole into a scenario).
#include "fosim/replay/replay.hpp"

#include <algorithm>
#include <type_traits>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/isc_wording.hpp"
#include "replay_peer.hpp"

namespace fosim::sim {

using core::Instant;
using core::State;

namespace {

constexpr std::size_t max_findings_per_kind = 1000;
constexpr std::size_t max_clients_kept = 1u << 20;

/// The failover peer a failover line names (DHCP lines name none that counts here).
std::string_view peer_of(const RunEventBody& body) {
  return std::visit(
      [](const auto& b) -> std::string_view {
        using T = std::decay_t<decltype(b)>;
        if constexpr (requires { b.peer; } && !std::is_same_v<T, DhcpLine>)
          return b.peer;
        else
          return {};
      },
      body);
}

/// The ACK `e` in ISC's words, without the parts a line may add ("via eth0"), from the
/// catalogue.
std::string ack_words(const DhcpLine& e) {
  DhcpLine ack;
  ack.verb = DhcpVerb::ack;
  ack.ip = e.ip;
  ack.mac = e.mac;
  return render(RunEventBody{std::move(ack)});
}

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
    case ReplayFinding::Kind::operator_startup:
      return "operator-startup";
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
  // The role: --primary's, else the configuration's (by its failover addresses), else the
  // other role than the server seen before, else the primary.
  bool role_known = false;
  if (!config_.primary.empty()) {
    s.role = s.host == config_.primary ? core::Role::primary : core::Role::secondary;
    role_known = true;
  }
  if (!role_known && config_.known) {
    if (const std::optional<core::Role> r = configured_role(*config_.known, s.host)) {
      s.role = *r;
      role_known = true;
    } else {
      notes_.push_back(s.host +
                       " is neither server's failover address (nor the partner's peer address) "
                       "in the --config files; it is taken to have the other role");
    }
  }
  if (role_known && !servers_.empty() && peers_[0].role_guessed && servers_[0].role == s.role) {
    // The role left.
    servers_[0].role = peers_[0].view.role =
        s.role == core::Role::primary ? core::Role::secondary : core::Role::primary;
  } else if (!role_known) {
    s.role = servers_.empty() || servers_[0].role == core::Role::secondary ? core::Role::primary
                                                                           : core::Role::secondary;
    p.role_guessed = servers_.empty();
    if (s.role == core::Role::primary && !config_.known)
      notes_.push_back(
          s.host +
          " is taken to be the primary (the first server in the log); say --primary HOST if not");
  }
  p.view.role = s.role;
  p.view.state = State::unknown_state;
  if (both_normal_pending_) s.first_state = State::normal;  // its partner said both are normal
  both_normal_pending_ = false;
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

bool Replay::add(std::string_view host, std::int64_t time_ms, const RunEventBody& e,
                 std::string_view text, const std::string& file, std::size_t line,
                 std::string& error, std::optional<std::uint64_t> pid) {
  if (relationship_.empty() && !config_.relationship.empty()) relationship_ = config_.relationship;
  const std::string_view peer = peer_of(e);
  if (!peer.empty() && !relationship_.empty() && peer != relationship_) {
    ++other_peers_[std::string(peer)];  // one relationship at a time
    return true;
  }
  if (repeated_line(host, time_ms, pid, text, file)) return true;
  const int s = server_index(host, error);
  if (s < 0) return false;
  if (!origin_ms_) origin_ms_ = time_ms;
  Instant at{Duration{std::max<std::int64_t>(0, time_ms - *origin_ms_)}};
  if (at < last_) ++out_of_order_;
  at = std::max(at, last_);  // a line out of order is shown at the time of the line before it
  last_ = at;
  ++lines_;
  ++servers_[static_cast<std::size_t>(s)].lines;
  if (!peer.empty() && relationship_.empty()) relationship_ = std::string(peer);
  Peer& p = peers_[static_cast<std::size_t>(s)];
  // A banner or a new pid: a new process on that host, whose start ends the old one's lines.
  const bool started = (pid && p.pid && *p.pid != *pid) || std::holds_alternative<Banner>(e);
  if (started && !p.start_lines) p.last_line_before_start = p.last_line;
  p.start_lines = p.start_lines || started;
  if (pid) p.pid = pid;
  // A line replay does not rebuild as an event of its own is shown in its own words.
  on_line(s, RunEvent{at, s, OtherLine{}, std::string(text)}, e, file, line);
  p.last_line = at;
  return true;
}

void Replay::on_line(int s, RunEvent t, const RunEventBody& e, const std::string& file,
                     std::size_t line) {
  Peer& p = peers_[static_cast<std::size_t>(s)];
  const Instant at = t.at;
  if (const auto* move = std::get_if<StateMove>(&e)) {
    on_move(s, at, *move, file, line);
  } else if (const auto* seen = std::get_if<PeerStateSeen>(&e)) {
    p.partner_before = seen->from;
    p.view.partner = seen->to;
    p.view.partner_stos = at;
    p.has_partner = true;
    if (!p.connected && !outages_.empty() && !outages_.back().up) outages_.back().up = at;
    p.connected = true;
    t.what = PeerStateSeen{seen->peer, seen->from, seen->to};
    emit(std::move(t));
  } else if (const auto* link = std::get_if<LinkEvent>(&e)) {
    on_link(p, std::move(t), *link);
  } else if (const auto* dhcp = std::get_if<DhcpLine>(&e)) {
    on_dhcp(s, std::move(t), *dhcp, file, line);
  } else {
    const auto* note = std::get_if<FailoverLine>(&e);
    if (note != nullptr && note->note == FailoverNote::peer_update_completed) p.update_done_at = at;
    if (note != nullptr && note->note == FailoverNote::both_normal) both_normal(s, at);
    emit(std::move(t));
  }
}

void Replay::both_normal(int s, Instant at) {
  // ISC logs it when its partner's STATE says normal while it is normal itself: both servers
  // are normal and connected, whatever the excerpt showed of them before.
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    ReplayServer& srv = servers_[i];
    Peer& p = peers_[i];
    if (srv.states.empty() && !srv.first_state) srv.first_state = State::normal;
    if (static_cast<int>(i) != s) continue;
    if (!p.known) {
      p.view.state = State::normal;
      p.view.stos = at;
      p.known = true;
    }
    p.partner_before = p.view.partner;
    p.view.partner = State::normal;
    p.view.partner_stos = at;
    p.has_partner = true;
    if (!p.connected && !outages_.empty() && !outages_.back().up) outages_.back().up = at;
    p.connected = true;
  }
  if (servers_.size() < 2) both_normal_pending_ = true;
}

void Replay::on_link(Peer& p, RunEvent t, const LinkEvent& l) {
  const bool lost = l.change == LinkChange::disconnected || l.change == LinkChange::timeout;
  if (lost) {
    if ((p.connected || !p.link_lost_at) && (outages_.empty() || outages_.back().up))
      outages_.push_back({t.at, l.change == LinkChange::timeout, {}});
    p.connected = false;
    p.link_lost_at = t.at;
  }
  t.what = LinkEvent{l.peer, l.change, {}};  // the reason is in the line's own words
  emit(std::move(t));
}

void Replay::on_dhcp(int s, RunEvent t, const DhcpLine& e, const std::string& file,
                     std::size_t line) {
  ReplayServer& srv = servers_[static_cast<std::size_t>(s)];
  const Instant at = t.at;
  // The timeline keeps the verb, the address and the client; the line's words say the rest.
  DhcpLine d;
  d.verb = e.verb;
  d.ip = e.ip;
  d.mac = e.mac;
  if (!e.mac.empty() && !first_seen_.count(e.mac) && first_seen_.size() < max_clients_kept) {
    first_seen_.emplace(e.mac, at);
    mac_order_.push_back(e.mac);
  }
  // A DISCOVER no lease could answer is a client seen, not an exchange.
  const bool exchange =
      e.outcome != DhcpOutcome::peer_holds_all_free && e.outcome != DhcpOutcome::no_free_leases;
  if (exchange && (e.verb == DhcpVerb::offer || e.verb == DhcpVerb::ack) && e.ip != 0) {
    min_ip_ = std::min(min_ip_, e.ip);
    max_ip_ = std::max(max_ip_, e.ip);
  }
  if (exchange && e.verb == DhcpVerb::offer) ++srv.offers;
  if (exchange && e.verb == DhcpVerb::nak) ++srv.naks;
  if (exchange && e.verb == DhcpVerb::release && e.ip != 0) {
    const auto it = leases_.find(e.ip);
    if (it != leases_.end() && it->second.mac == e.mac) leases_.erase(it);
  }
  if (exchange && e.verb == DhcpVerb::ack && e.ip != 0 && !e.mac.empty())
    d.finding = on_ack(s, at, e, file, line);
  t.what = std::move(d);
  emit(std::move(t));
}

bool Replay::on_ack(int s, Instant at, const DhcpLine& e, const std::string& file,
                    std::size_t line) {
  ReplayServer& srv = servers_[static_cast<std::size_t>(s)];
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
  bool duplicate = false;
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
              it->second.mac + " by " + servers_[static_cast<std::size_t>(it->second.server)].host +
              " at " + format_time(it->second.at),
          "within the " + std::to_string(lease_time().count()) +
              " s a lease is taken to last: two clients may hold the address at once",
          file, line});
    duplicate = true;
  }
  leases_[e.ip] = {s, e.mac, at};
  // Evidence that this server serves while the other is in partner-down without it.
  if (peers_.size() == 2) {
    Peer& other = peers_[static_cast<std::size_t>(1 - s)];
    if (other.pd_since && !other.connected && !other.risk_reported) {
      other.risk_reported = true;
      find({ReplayFinding::Kind::duplicate_risk, at, 1 - s,
            servers_[static_cast<std::size_t>(1 - s)].host + " in partner-down since " +
                format_time(*other.pd_since) + " while " + srv.host + " still answers clients (" +
                ack_words(e) + ")",
            "the partner is alive but unreachable: the server in partner-down takes its "
            "addresses MCLT after "
            "entering partner-down, while it still hands out its own; both can give out the same "
            "address",
            file, line});
    }
  }
  return duplicate;
}

void Replay::finish() {
  for (Peer& p : peers_) p.expected.clear();
  if (out_of_order_ != 0)
    notes_.push_back(std::to_string(out_of_order_) +
                     " line(s) were earlier than the line before them; each is shown at the time "
                     "of the line before it");
  if (repeated_ != 0)
    notes_.push_back(std::to_string(repeated_) +
                     " line(s) repeated an earlier line's time, host, pid and text (an overlapping "
                     "excerpt: systemctl status and journalctl, or one excerpt pasted twice) and "
                     "were left out");
  for (const auto& [peer, n] : other_peers_)
    notes_.push_back(std::to_string(n) + " line(s) of failover peer " + peer +
                     " were left out: fosim replays one "
                     "relationship (" +
                     relationship_ + "); say --relationship " + peer + " for that one");
}

}  // namespace fosim::sim
