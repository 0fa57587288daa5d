// The events' side of the catalogue: which entry each event is written with and its values,
// and, for ISC's entries, the event a line's values describe.
#include <charconv>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/sim/trace.hpp"
#include "wording_fields.hpp"

namespace fosim::sim {
namespace {

using W = Wording;

std::string state_name(core::State s) { return std::string(core::to_string(s)); }

std::optional<std::int64_t> integer(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

W failover_wording(FailoverNote n) {
  static constexpr std::array<W, 12> by_note{
      W::both_normal,         W::requesting_full_update,  W::invalid_peer_state,
      W::invalid_transition,  W::normal_during_conflict,  W::unexpected_conflict_done,
      W::both_recover_done,   W::secondary_conflict_done, W::spurious_update_done,
      W::fatal_conflict_done, W::peer_update_completed,   W::exiting};
  return by_note[static_cast<std::size_t>(n)];
}

W update_wording(UpdateStep s) {
  static constexpr std::array<W, 11> by_step{
      W::update_request_sent,    W::update_request_all_sent,
      W::update_done_sent,       W::sending_updates,
      W::update_request_nothing, W::update_request_all_nothing,
      W::update_request_sending, W::update_request_all_sending,
      W::bind_update_rejected,   W::poolreq_negative,
      W::pool_response};
  return by_step[static_cast<std::size_t>(s)];
}

W dhcp_wording(const DhcpLine& d) {
  switch (d.verb) {
    case DhcpVerb::discover:
      switch (d.outcome) {
        case DhcpOutcome::not_responding:
          return W::dhcp_discover_not_responding;
        case DhcpOutcome::load_balance:
          return W::dhcp_discover_load_balance;
        case DhcpOutcome::peer_holds_all_free:
          return W::dhcp_discover_peer_holds;
        case DhcpOutcome::no_free_leases:
          return W::dhcp_discover_no_free;
        default:
          return W::dhcp_discover;
      }
    case DhcpVerb::offer:
      return W::dhcp_offer;
    case DhcpVerb::request:
      switch (d.outcome) {
        case DhcpOutcome::selecting:
          return W::dhcp_request_selecting;
        case DhcpOutcome::not_responding:
          return W::dhcp_request_not_responding;
        case DhcpOutcome::lease_owned_by_peer:
          return W::dhcp_request_owned_by_peer;
        case DhcpOutcome::lease_in_transition:
          return W::dhcp_request_in_transition;
        case DhcpOutcome::unknown_lease:
          return W::dhcp_request_unknown_lease;
        default:
          return W::dhcp_request;
      }
    case DhcpVerb::ack:
      return W::dhcp_ack;
    case DhcpVerb::nak:
      return W::dhcp_nak;
    case DhcpVerb::release:
      return d.outcome == DhcpOutcome::ignored ? W::dhcp_release_ignored : W::dhcp_release_found;
    case DhcpVerb::decline:
      return W::dhcp_decline;
    case DhcpVerb::inform:
      return W::dhcp_inform;
  }
  return W::dhcp_discover;
}

W script_wording(const ScriptLine& s, Fields& f) {
  using A = ScriptLine::Action;
  f.set("host", s.host);
  f.set("other_host", s.other_host);
  f.set("number", std::to_string(s.number));
  f.set("state", state_name(s.state));
  f.set("storage", std::string(s.keep_storage ? "" : piece_no_lease_file()));
  f.set("graceful", std::string(s.graceful ? piece_shutdown_first() : ""));
  const bool shutdown = s.action == A::stop || (s.action == A::restart && s.graceful);
  f.set("omapi", std::string(shutdown && !s.omapi_connected ? piece_no_omapi_client() : ""));
  switch (s.action) {
    case A::partition:
      return s.direction == ScriptLine::Direction::both ? W::partition_both : W::partition_one;
    case A::heal:
      return W::heal;
    case A::stop:
      return W::stop;
    case A::crash:
      return W::crash;
    case A::start:
      return W::start;
    case A::restart:
      return W::restart;
    case A::set_state:
      return W::set_state;
    case A::clock_skew:
      return W::clock_skew;
    case A::clients:
      return W::clients;
    case A::kill:
      return W::kill;
    case A::freeze:
      return W::freeze;
    case A::thaw:
      return W::thaw;
    case A::client:
      f.set("send", s.send);
      return s.skipped ? W::client_skipped : W::client_sends;
  }
  return W::heal;
}

struct Filler {
  Fields& f;
  W operator()(const StateMove& m) const {
    f.set("peer", m.peer), f.set("from", state_name(m.from)), f.set("to", state_name(m.to));
    return W::i_move;
  }
  W operator()(const PeerStateSeen& m) const {
    f.set("peer", m.peer), f.set("from", state_name(m.from)), f.set("to", state_name(m.to));
    return W::peer_moves;
  }
  W operator()(const FailoverLine& l) const {
    f.set("peer", l.peer), f.set("from", state_name(l.from)), f.set("to", state_name(l.to));
    f.set("number", std::to_string(l.number));
    return failover_wording(l.note);
  }
  W operator()(const LinkEvent& l) const {
    f.set("peer", l.peer), f.set("reason", l.reason);
    static constexpr std::array<W, 5> by_change{W::link_connected, W::link_disconnected,
                                                W::link_timeout, W::link_rejected,
                                                W::link_peer_rejected};
    return by_change[static_cast<std::size_t>(l.change)];
  }
  W operator()(const UpdateLine& u) const {
    f.set("peer", u.peer), f.set("ip", format_ip(u.ip)), f.set("reason", u.reason);
    f.set("count", std::to_string(u.count));
    return update_wording(u.step);
  }
  W operator()(const PoolBalance& p) const {
    f.set("pool", format_ip(p.pool)), f.set("total", std::to_string(p.total));
    f.set("free", std::to_string(p.free)), f.set("backup", std::to_string(p.backup));
    f.set("lts", std::to_string(p.lts)), f.set("limit", std::to_string(p.limit));
    using P = PoolBalance::Phase;
    return p.phase == P::balanced     ? W::pool_balanced
           : p.phase == P::imbalanced ? W::pool_imbalanced
           : p.requesting_peer        ? W::pool_balancing_requesting
                                      : W::pool_balancing;
  }
  W operator()(const DhcpLine& d) const {
    f.set("mac", d.mac), f.set("ip", format_ip(d.ip)), f.set("pool", format_ip(d.ip));
    f.set("server_id", d.server_id), f.set("nrr", d.nrr), f.set("peer", d.peer);
    return dhcp_wording(d);
  }
  W operator()(const Unanswered& u) const {
    f.set("mac", u.mac);
    static constexpr std::array<W, 4> by_attempt{W::unanswered_discover, W::unanswered_request,
                                                 W::unanswered_renewing, W::unanswered_rebinding};
    return by_attempt[static_cast<std::size_t>(u.attempt)];
  }
  W operator()(const ScriptLine& s) const { return script_wording(s, f); }
  W operator()(const ProcessEvent& p) const {
    static constexpr std::array<W, 7> by_action{
        W::process_start, W::process_stop,   W::process_crash, W::process_kill,
        W::process_fatal, W::process_freeze, W::process_thaw};
    return by_action[static_cast<std::size_t>(p.action)];
  }
  W operator()(const Banner& b) const {
    f.set("version", b.version);
    return W::banner;
  }
  W operator()(const MonitorFinding& m) const {
    f.set("ip", format_ip(m.ip)), f.set("mac", m.mac), f.set("other_mac", m.other_mac);
    f.set("host", m.host), f.set("other_host", m.other_host), f.set("since", format_time(m.since));
    using K = MonitorFinding::Kind;
    switch (m.kind) {
      case K::duplicate:
        return W::monitor_duplicate;
      case K::mclt_violation:
        return W::monitor_mclt;
      case K::both_partner_down:
        return W::monitor_both_partner_down;
      case K::zero_lease:
        return W::monitor_zero_lease;
      case K::short_lease:
        return W::monitor_short_lease;
    }
    return W::monitor_both_partner_down;
  }
  W operator()(const ProtocolMessage& m) const {
    f.set("type", m.type), f.set("host", m.from_host);
    std::string detail;
    if (!m.binding.empty()) {
      detail = " " + format_ip(m.ip) + " " + m.binding;
      if (!m.reject.empty()) detail += std::string(piece_message_rejected()) + m.reject;
    }
    if (m.has_state) {
      detail += " " + state_name(m.state);
      if (m.startup) detail += piece_message_startup();
    }
    f.set("detail", std::move(detail));
    return W::message;
  }
  W operator()(const OtherLine&) const { return W::other; }
  W operator()(const UnreadableLine&) const { return W::other; }
};

/// The failover note an entry writes, for entries that are FailoverLines.
std::optional<FailoverNote> note_of(W w) {
  for (std::size_t n = 0; n <= static_cast<std::size_t>(FailoverNote::exiting); ++n)
    if (failover_wording(static_cast<FailoverNote>(n)) == w) return static_cast<FailoverNote>(n);
  return std::nullopt;
}

std::optional<UpdateStep> step_of(W w) {
  for (std::size_t n = 0; n <= static_cast<std::size_t>(UpdateStep::pool_response); ++n)
    if (update_wording(static_cast<UpdateStep>(n)) == w) return static_cast<UpdateStep>(n);
  return std::nullopt;
}

/// Reads the states of a move; false when either is not a state ISC knows.
bool states(const Fields& f, core::State& from, core::State& to) {
  if (!f.has("from")) return true;
  const auto a = core::parse_state(f.get("from")), b = core::parse_state(f.get("to"));
  if (!a || !b) return false;
  from = *a, to = *b;
  return true;
}

std::optional<RunEventBody> dhcp_body(W w, const Fields& f) {
  DhcpLine d;
  for (std::size_t v = 0; v <= static_cast<std::size_t>(DhcpVerb::inform); ++v)
    if (entry(w).text.substr(0, to_string(static_cast<DhcpVerb>(v)).size()) ==
        to_string(static_cast<DhcpVerb>(v)))
      d.verb = static_cast<DhcpVerb>(v);
  for (std::size_t o = 0; o <= static_cast<std::size_t>(DhcpOutcome::found); ++o) {
    DhcpLine probe;
    probe.verb = d.verb;
    probe.outcome = static_cast<DhcpOutcome>(o);
    if (dhcp_wording(probe) == w) {
      d.outcome = probe.outcome;
      break;
    }
  }
  if (f.has("ip") || f.has("pool")) {
    const auto ip = core::parse_ipv4(f.has("ip") ? f.get("ip") : f.get("pool"));
    if (!ip) return std::nullopt;
    d.ip = *ip;
  }
  d.mac = std::string(f.get("mac"));
  if (f.has("mac") && (d.mac.empty() || d.mac.find(' ') != std::string::npos)) return std::nullopt;
  d.server_id = std::string(f.get("server_id"));
  d.nrr = std::string(f.get("nrr"));
  d.peer = std::string(f.get("peer"));
  return d;
}

}  // namespace

Wording fields_of(const RunEventBody& body, Fields& f) { return std::visit(Filler{f}, body); }

Wording wording_of(const RunEventBody& body) {
  Fields f;
  return fields_of(body, f);
}

std::optional<RunEventBody> body_of(W w, const Fields& f) {
  const std::string peer(f.get("peer"));
  if (w == W::i_move || w == W::peer_moves) {
    core::State from{}, to{};
    if (!states(f, from, to)) return std::nullopt;
    if (w == W::i_move) return StateMove{peer, from, to, Cause::none};
    return PeerStateSeen{peer, from, to};
  }
  if (const auto note = note_of(w)) {
    FailoverLine l{*note, peer, core::State::unknown_state, core::State::unknown_state, 0};
    if (!states(f, l.from, l.to)) return std::nullopt;
    if (f.has("number")) {
      const auto n = integer(f.get("number"));
      if (!n) return std::nullopt;
      l.number = *n;
    }
    return l;
  }
  if (w >= W::link_connected && w <= W::link_peer_rejected)
    return LinkEvent{
        peer, static_cast<LinkChange>(static_cast<int>(w) - static_cast<int>(W::link_connected)),
        std::string(f.get("reason"))};
  if (const auto step = step_of(w)) {
    UpdateLine u{*step, peer, 0, std::string(f.get("reason")), 0};
    if (f.has("ip")) {
      const auto ip = core::parse_ipv4(f.get("ip"));
      if (!ip) return std::nullopt;
      u.ip = *ip;
    }
    if (f.has("count")) {
      const auto n = integer(f.get("count"));
      if (!n) return std::nullopt;
      u.count = *n;
    }
    return u;
  }
  if (w >= W::pool_balancing && w <= W::pool_imbalanced) {
    PoolBalance p;
    p.phase = w == W::pool_balanced     ? PoolBalance::Phase::balanced
              : w == W::pool_imbalanced ? PoolBalance::Phase::imbalanced
                                        : PoolBalance::Phase::balancing;
    p.requesting_peer = w == W::pool_balancing_requesting;
    const auto pool = core::parse_ipv4(f.get("pool"));
    const auto total = integer(f.get("total")), free = integer(f.get("free")),
               backup = integer(f.get("backup")), lts = integer(f.get("lts")),
               limit = integer(f.get("limit"));
    if (!pool || !total || !free || !backup || !lts || !limit) return std::nullopt;
    p.pool = *pool, p.total = *total, p.free = *free, p.backup = *backup, p.lts = *lts;
    p.limit = *limit;
    return p;
  }
  if (w >= W::dhcp_discover && w <= W::dhcp_inform) return dhcp_body(w, f);
  if (w == W::banner) return Banner{std::string(f.get("version"))};
  return std::nullopt;
}

}  // namespace fosim::sim
