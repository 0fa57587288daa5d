// Names of the run vocabulary's enums (as timeline.jsonl writes them) and each event's kind;
// ISC's names of DHCP messages come from the catalogue (isc_wording.hpp).
#include "fosim/sim/run_event.hpp"

#include <array>

#include "fosim/sim/isc_wording.hpp"

namespace fosim::sim {
namespace {

template <class E, std::size_t N>
std::string_view name_in(const std::array<std::string_view, N>& names, E e) {
  const auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : std::string_view("?");
}

}  // namespace

std::string_view to_string(Cause c) {
  static constexpr std::array<std::string_view, 17> names{"",
                                                          "process-start",
                                                          "peer-state",
                                                          "link-lost",
                                                          "startup-timer",
                                                          "mclt-timer",
                                                          "auto-partner-down",
                                                          "update-done",
                                                          "operator",
                                                          "operator-shutdown",
                                                          "boot",
                                                          "shutdown",
                                                          "shutdown-exit",
                                                          "recover-wait-timer",
                                                          "auto-partner-down-timer",
                                                          "operator?",
                                                          "before the excerpt"};
  return name_in(names, c);
}

std::string_view to_string(LinkChange c) {
  static constexpr std::array<std::string_view, 5> names{"connected", "disconnected", "timeout",
                                                         "rejected", "peer-rejected"};
  return name_in(names, c);
}

std::string_view to_string(DhcpVerb v) { return isc_dhcp_verb(v); }

std::string_view to_string(DhcpOutcome o) {
  static constexpr std::array<std::string_view, 11> names{"plain",
                                                          "selecting",
                                                          "not-responding",
                                                          "load-balance",
                                                          "peer-holds-all-free",
                                                          "no-free-leases",
                                                          "lease-owned-by-peer",
                                                          "lease-in-transition",
                                                          "unknown-lease",
                                                          "ignored",
                                                          "found"};
  return name_in(names, o);
}

std::string_view to_string(ScriptLine::Action a) {
  static constexpr std::array<std::string_view, 13> names{
      "partition",  "heal",    "stop", "crash",  "start", "restart", "set-state",
      "clock-skew", "clients", "kill", "freeze", "thaw",  "client"};
  return name_in(names, a);
}

std::string_view to_string(ScriptLine::Direction d) {
  static constexpr std::array<std::string_view, 3> names{"both", "primary-to-secondary",
                                                         "secondary-to-primary"};
  return name_in(names, d);
}

std::string_view to_string(ProcessAction a) {
  static constexpr std::array<std::string_view, 7> names{"start", "stop",   "crash", "kill",
                                                         "fatal", "freeze", "thaw"};
  return name_in(names, a);
}

std::string_view to_string(MonitorFinding::Kind k) {
  static constexpr std::array<std::string_view, 5> names{
      "duplicate", "mclt-violation", "both-partner-down", "zero-lease", "short-lease"};
  return name_in(names, k);
}

std::string_view to_string(TraceKind k) {
  static constexpr std::array<std::string_view, 11> names{
      "state",      "peer-state", "log",     "link",    "dhcp",   "grant",
      "unanswered", "script",     "monitor", "message", "process"};
  return name_in(names, k);
}

TraceKind RunEvent::kind() const {
  struct Kind {
    TraceKind operator()(const StateMove&) const { return TraceKind::state; }
    TraceKind operator()(const PeerStateSeen&) const { return TraceKind::peer_state; }
    TraceKind operator()(const LinkEvent&) const { return TraceKind::link; }
    TraceKind operator()(const DhcpLine& d) const {
      return d.finding             ? TraceKind::monitor
             : d.lease_time_s >= 0 ? TraceKind::grant
                                   : TraceKind::dhcp;
    }
    TraceKind operator()(const Unanswered&) const { return TraceKind::unanswered; }
    TraceKind operator()(const ScriptLine&) const { return TraceKind::script; }
    TraceKind operator()(const ProcessEvent&) const { return TraceKind::process; }
    TraceKind operator()(const MonitorFinding&) const { return TraceKind::monitor; }
    TraceKind operator()(const ProtocolMessage&) const { return TraceKind::message; }
    TraceKind operator()(const FailoverLine&) const { return TraceKind::log; }
    TraceKind operator()(const UpdateLine&) const { return TraceKind::log; }
    TraceKind operator()(const PoolBalance&) const { return TraceKind::log; }
    TraceKind operator()(const Banner&) const { return TraceKind::log; }
    TraceKind operator()(const OtherLine&) const { return TraceKind::log; }
    TraceKind operator()(const UnreadableLine&) const { return TraceKind::log; }
  };
  return std::visit(Kind{}, what);
}

}  // namespace fosim::sim
