// Reading a scenario's `script`: the timed faults and operator actions, each with only the keys
// its kind takes, and warnings for actions a freeze makes do nothing.
#include <algorithm>
#include <array>

#include "fosim/core/load_balance.hpp"
#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

const Keys actions{"partition", "heal",    "stop",      "kill",       "crash",   "freeze", "thaw",
                   "start",     "restart", "set-state", "clock-skew", "clients", "client"};

/// The kinds that act on a server's process.
bool process_kind(const std::string& k) {
  return k == "stop" || k == "kill" || k == "crash" || k == "freeze" || k == "thaw" ||
         k == "start" || k == "restart";
}

/// One action being read: its JSON, path and kind, and what it becomes.
struct ActionReader {
  Reader& r;
  const Json& a;
  const std::string& p;
  const std::string& kind;
  bool servers_ok;
  const Scenario& sc;
  ScriptAction act;

  /// Reports a missing `key` this kind needs; true when it is there.
  bool need(const char* key) {
    if (!a.contains(key)) r.error(p + "/" + key, "'" + kind + "' needs '" + key + "'", key);
    return a.contains(key);
  }
  /// Reports every key besides at, action and `keys`.
  void only(const Keys& keys) {
    for (const auto& [key, v] : a.items()) {
      (void)v;
      if (key == "at" || key == "action") continue;
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        r.error(p + "/" + key, "'" + key + "' does not apply to '" + kind + "'",
                Reader::list(keys).empty() ? "nothing else" : Reader::list(keys));
    }
  }
  void server() {
    if (need("server") && servers_ok)
      act.server = server_ref(r, a["server"], p + "/server", sc).value_or(0);
  }

  void link() {
    act.type = kind == "partition" ? ActionType::partition : ActionType::heal;
    only({"direction"});
    if (!a.contains("direction")) return;
    const auto d = r.string(a["direction"], p + "/direction");
    if (d == "both")
      act.direction = Direction::both;
    else if (d == "primary_to_secondary")
      act.direction = Direction::primary_to_secondary;
    else if (d == "secondary_to_primary")
      act.direction = Direction::secondary_to_primary;
    else if (d)
      r.error(p + "/direction", "unknown direction '" + *d + "'",
              "both, primary_to_secondary, secondary_to_primary");
  }

  void process() {
    act.type = kind == "stop"     ? ActionType::stop
               : kind == "kill"   ? ActionType::kill
               : kind == "crash"  ? ActionType::crash
               : kind == "freeze" ? ActionType::freeze
               : kind == "thaw"   ? ActionType::thaw
               : kind == "start"  ? ActionType::start
                                  : ActionType::restart;
    if (kind == "restart")
      only({"server", "storage", "graceful", "omapi_connected"});
    else if (kind == "start")
      only({"server", "storage"});
    else if (kind == "stop")
      only({"server", "omapi_connected"});
    else
      only({"server"});
    server();
    if (a.contains("storage")) {
      const auto st = r.string(a["storage"], p + "/storage");
      if (st == "keep")
        act.keep_storage = true;
      else if (st == "lost")
        act.keep_storage = false;
      else if (st)
        r.error(p + "/storage", "unknown storage '" + *st + "'", "keep, lost");
    }
    if (a.contains("graceful"))
      if (auto b = r.boolean(a["graceful"], p + "/graceful")) act.graceful = *b;
    if (a.contains("omapi_connected")) {
      if (auto b = r.boolean(a["omapi_connected"], p + "/omapi_connected"))
        act.omapi_connected = *b;
      if (kind == "restart" && !act.graceful)
        r.error(p + "/omapi_connected", "'omapi_connected' applies to a graceful restart only",
                "\"graceful\": true, or no 'omapi_connected'");
    }
  }

  void set_state() {
    act.type = ActionType::set_state;
    only({"server", "state"});
    server();
    if (need("state"))
      act.state = state_value(r, a["state"], p + "/state").value_or(core::State::partner_down);
  }

  void clock_skew() {
    act.type = ActionType::clock_skew;
    only({"server", "offset"});
    server();
    if (need("offset"))
      if (auto d = r.signed_duration(a["offset"], p + "/offset", false)) act.offset = *d;
  }

  void clients() {
    act.type = ActionType::clients;
    only({"count", "window"});
    if (need("count"))
      act.add_clients = static_cast<std::uint32_t>(
          r.integer(a["count"], p + "/count", 0, 2000000, "0 to 2000000").value_or(0));
    if (a.contains("window"))
      act.window = r.duration(a["window"], p + "/window").value_or(Duration{});
  }

  void client() {
    act.type = ActionType::client;
    only({"mac", "send", "secs"});
    if (need("mac")) {
      const auto s = r.string(a["mac"], p + "/mac");
      const auto bytes = s ? core::parse_hex_bytes(*s) : std::nullopt;
      if (s && (!bytes || bytes->size() != 6))
        r.error(p + "/mac", "'" + *s + "' is not a MAC address",
                "six hex bytes, e.g. 52:54:00:aa:bb:cc");
      else if (s)
        act.mac = core::format_hex(*bytes);
    }
    if (need("send")) {
      const auto s = r.string(a["send"], p + "/send");
      const auto* at = s ? std::find(client_send_names.begin(), client_send_names.end(), *s)
                         : client_send_names.end();
      if (at != client_send_names.end())
        act.send = static_cast<ClientSend>(at - client_send_names.begin());
      else if (s)
        r.error(p + "/send", "unknown send '" + *s + "'",
                "discover, probe, renew, rebind, reboot, release");
    }
    if (a.contains("secs"))
      act.secs = static_cast<std::uint16_t>(
          r.integer(a["secs"], p + "/secs", 0, 65535, "0 to 65535 seconds").value_or(0));
  }

  /// Reads the action's keys for its kind; false for an unknown kind.
  bool read() {
    if (kind == "partition" || kind == "heal")
      link();
    else if (process_kind(kind))
      process();
    else if (kind == "set-state")
      set_state();
    else if (kind == "clock-skew")
      clock_skew();
    else if (kind == "clients")
      clients();
    else if (kind == "client")
      client();
    else
      return false;
    return true;
  }
};

void read_action(Reader& r, const Json& a, std::size_t k, bool servers_ok, Scenario& sc) {
  const std::string p = "/script/" + std::to_string(k);
  if (!r.object(a, p,
                {"at", "action", "direction", "server", "storage", "graceful", "omapi_connected",
                 "state", "offset", "count", "window", "mac", "send", "secs"},
                {"at", "action"}))
    return;
  ScriptAction act;
  act.line = k;
  if (a.contains("at")) act.at = Instant{r.duration(a["at"], p + "/at").value_or(Duration{})};
  const std::string kind =
      a.contains("action") ? r.string(a["action"], p + "/action").value_or("") : "";
  ActionReader reader{r, a, p, kind, servers_ok, sc, act};
  if (!reader.read()) {
    // An empty name is as unknown as any other; a non-string was reported already.
    if (a.contains("action") && a["action"].is_string())
      r.error(p + "/action", "unknown action '" + kind + "'", Reader::list(actions));
    return;
  }
  if (reader.act.at > Instant{sc.duration} && sc.duration.count() > 0)
    r.warning(p + "/at", "after the end of the run: it will not happen", "a time within duration");
  sc.script.push_back(reader.act);
}

/// Warns about actions that do nothing because of a freeze: a thaw of a server that is not
/// frozen, a second freeze, and OMAPI requests (stop, set-state, a graceful restart) to a frozen
/// process, which reads none.
void check_freezes(Reader& r, const Scenario& sc) {
  std::array<bool, 2> frozen{false, false};
  for (const ScriptAction& a : sc.script) {
    const std::string p = "/script/" + std::to_string(a.line) + "/action";
    bool& f = frozen[a.server & 1];
    switch (a.type) {
      case ActionType::freeze:
        if (f) r.warning(p, "the server is frozen already: this does nothing", "a 'thaw' first");
        f = true;
        break;
      case ActionType::thaw:
        if (!f) r.warning(p, "the server is not frozen: this does nothing", "a 'freeze' first");
        f = false;
        break;
      case ActionType::stop:
      case ActionType::set_state:
        if (f)
          r.warning(p, "a frozen dhcpd reads no OMAPI request: this does nothing",
                    "a 'thaw' first");
        break;
      case ActionType::restart:
        if (f && a.graceful)
          r.warning(p, "a frozen dhcpd reads no OMAPI request: this does nothing",
                    "a 'thaw' first, or a restart that is not graceful");
        f = f && a.graceful;
        break;
      case ActionType::kill:
      case ActionType::crash:
        f = false;
        break;
      default:
        break;
    }
  }
}

/// Reports a scripted client whose MAC is a group's fixed MAC: one client in two places.
void check_client_macs(Reader& r, const Scenario& sc) {
  for (const ScriptAction& a : sc.script) {
    if (a.type != ActionType::client) continue;
    for (std::size_t g = 0; g < sc.clients.size(); ++g)
      for (std::size_t k = 0; k < sc.clients[g].macs.size(); ++k) {
        const auto bytes = core::parse_hex_bytes(sc.clients[g].macs[k]);
        if (bytes && core::format_hex(*bytes) == a.mac)
          r.error("/script/" + std::to_string(a.line) + "/mac",
                  "MAC " + a.mac + " is also /clients/" + std::to_string(g) + "/macs/" +
                      std::to_string(k) + ": a client is its MAC",
                  "a MAC no client group has");
      }
  }
}

}  // namespace

void read_script(Reader& r, const Json& s, bool servers_ok, Scenario& sc) {
  if (!s.is_array())
    r.error("/script", "expected a list of actions",
            "[ {\"at\": \"10m\", \"action\": \"partition\"} ]");
  for (std::size_t k = 0; s.is_array() && k < s.size(); ++k)
    read_action(r, s[k], k, servers_ok, sc);
  std::stable_sort(sc.script.begin(), sc.script.end(),
                   [](const ScriptAction& x, const ScriptAction& y) { return x.at < y.at; });
  check_freezes(r, sc);
  check_client_macs(r, sc);
}

}  // namespace fosim::sim::detail
