// Reading one relationship as Windows' Get-DhcpServerv4Failover reports it (ConvertTo-Json):
// its mode and roles, and the fields of windows_fields, each checked against its setting's
// range; every choice where Windows and ISC do not line up is a note (docs/import.md).
#include "import_fields.hpp"

namespace fosim::sim::detail {
namespace {

constexpr const ImportField& split_field = *field_for(windows_fields, "split");
constexpr const ImportField& mclt_field = *field_for(windows_fields, "mclt");
constexpr const ImportField& interval_field = *field_for(windows_fields, "auto_partner_down");

/// The fields of one relationship, read in the order its notes and errors are reported.
struct WindowsFields {
  std::optional<std::string> name, partner, local, mode, role;
  /// Windows 2012 R2 and later: both servers of the relationship, and which one reported it.
  std::optional<std::string> primary_name, primary_ip, secondary_name, secondary_ip, type;
  std::optional<double> lb_pct, reserve;
  std::optional<std::int64_t> mclt, interval;
  std::optional<bool> auto_transition;
};

WindowsFields read_fields(Fields& f) {
  WindowsFields w;
  w.name = f.string("Name", true);
  w.partner = f.string("PartnerServer", true);
  w.local = f.string("PSComputerName", false);
  const auto computer = f.string("ComputerName", false);
  if (!w.local) w.local = computer;
  w.mode = f.string("Mode", false);
  const Json* role_value = f.get("ServerRole");  // "" outside hot standby
  if (role_value != nullptr && role_value->is_string()) w.role = role_value->get<std::string>();
  w.lb_pct = f.percent(split_field.field);
  w.reserve = f.percent("ReservePercent");
  w.mclt = f.setting(mclt_field);
  w.interval = f.setting(interval_field);
  w.auto_transition = f.boolean("AutoStateTransition");
  w.primary_name = f.string("PrimaryServerName", false);
  w.primary_ip = f.string("PrimaryServerIP", false);
  w.secondary_name = f.string("SecondaryServerName", false);
  w.secondary_ip = f.string("SecondaryServerIP", false);
  w.type = f.string("ServerType", false);
  for (const char* k : {"ScopeId", "State", "EnableAuth", "SharedSecret", "CimClass",
                        "CimInstanceProperties", "CimSystemProperties"})
    f.get(k);  // known, and nothing fosim plays
  for (const std::string& k : f.unused())
    f.note(k, "ignored: " + k + " is not a field fosim maps",
           "Name, PartnerServer, Mode, ServerRole, LoadBalancePercent, ReservePercent, "
           "MaxClientLeadTime, StateSwitchInterval, AutoStateTransition, PrimaryServerName, "
           "PrimaryServerIP, SecondaryServerName, SecondaryServerIP, ServerType");
  return w;
}

/// Whether the relationship is hot standby, and whether the reporting server is its primary
/// (the active server); an unknown mode or role is an error.
struct Roles {
  bool hot = false;
  bool local_primary = true;
};

Roles read_roles(Fields& f, const WindowsFields& w) {
  if (!w.mode) f.note("", "Mode not given: LoadBalance, Windows' default");
  const std::string m = lower(w.mode.value_or("LoadBalance"));
  if (m != "loadbalance" && m != "hotstandby")
    f.error("Mode", "unknown mode '" + *w.mode + "'", "LoadBalance, HotStandby");
  Roles r;
  r.hot = m == "hotstandby";
  if (r.hot) {
    const std::string sr = lower(w.role.value_or(""));
    if (sr != "active" && sr != "standby")
      f.error("ServerRole",
              w.role ? "unknown server role '" + *w.role + "'"
                     : "missing ServerRole: hot standby needs it",
              "Active, Standby");
    r.local_primary = sr != "standby";
  }
  return r;
}

/// Hot standby plays split 256; load balance its percentage as a split.
void set_split(Fields& f, const WindowsFields& w, bool hot, ImportedRelationship& r) {
  if (hot) {
    set_setting(r, "split", 256);
    f.note("Mode", "hot standby becomes split 256: the active server (" + r.servers[0].host +
                       ") answers every client while both are normal");
    f.note(
        w.reserve ? "ReservePercent" : "Mode",
        "reserve " + number(w.reserve.value_or(5.0)) +
            " % is not exact: ISC has no reserve; its pool balancing keeps about half of the free "
            "addresses on the secondary (max-lease-misbalance, max-lease-ownership)");
  } else {
    set_setting(r, "split", w.lb_pct ? split_for(*w.lb_pct, f, split_field.field) : 128);
    if (!w.lb_pct) f.note("", "LoadBalancePercent not given: Windows' default 50, split 128");
  }
}

/// Windows' automatic state transition becomes auto-partner-down; false when it cannot.
bool set_auto_partner_down(Fields& f, const WindowsFields& w, ImportedRelationship& r) {
  const bool on = w.auto_transition.value_or(false);
  if (on && w.interval && *w.interval == 0) {
    f.error("StateSwitchInterval",
            "a StateSwitchInterval of 0 with AutoStateTransition on has no ISC counterpart: "
            "auto-partner-down 0 means off",
            "at least 1 second");
    return false;
  }
  if (on) {
    if (!w.interval)
      f.note("AutoStateTransition", "StateSwitchInterval not given: Windows' default 60 minutes");
    set_setting(r, "auto_partner_down", w.interval.value_or(3600));
    f.note(w.interval ? "StateSwitchInterval" : "AutoStateTransition",
           "automatic state transition after " + std::to_string(w.interval.value_or(3600)) +
               " s becomes auto-partner-down " + std::to_string(w.interval.value_or(3600)));
  } else if (w.interval) {
    f.note("StateSwitchInterval",
           "StateSwitchInterval is unused while AutoStateTransition is off: no auto-partner-down");
  }
  return true;
}

/// One server of the relationship as Windows names it: its name (else its address) and its
/// address, if given.
struct WindowsServer {
  std::string host;
  std::optional<std::string> ip;
};

/// Windows' primary and secondary server ([0], [1]) when the export names both
/// (PrimaryServerName / PrimaryServerIP, SecondaryServerName / SecondaryServerIP), and which of
/// them reported it: ServerType, else the one PartnerServer does not name.
struct WindowsPair {
  std::array<WindowsServer, 2> servers;
  std::size_t local = 0;
};

std::optional<WindowsPair> windows_pair(Fields& f, const WindowsFields& w) {
  const auto primary = w.primary_name ? w.primary_name : w.primary_ip;
  const auto secondary = w.secondary_name ? w.secondary_name : w.secondary_ip;
  if (!primary || !secondary) return std::nullopt;
  WindowsPair p;
  p.servers[0] = {host_of(*primary), w.primary_ip};
  p.servers[1] = {host_of(*secondary), w.secondary_ip};
  const std::string type = lower(w.type.value_or(""));
  const std::string partner = lower(host_of(*w.partner));
  auto names = [&](std::size_t i, const std::string& who) {
    return lower(p.servers[i].host) == who || (p.servers[i].ip && lower(*p.servers[i].ip) == who);
  };
  if (type.find("secondary") != std::string::npos)
    p.local = 1;
  else if (type.find("primary") != std::string::npos)
    p.local = 0;
  else if (names(0, partner))
    p.local = 1;
  else if (!names(1, partner))
    f.note("PartnerServer", "PartnerServer names neither PrimaryServer nor SecondaryServer: " +
                                p.servers[0].host + " is taken as the reporting server");
  return p;
}

}  // namespace

void read_windows(const Json& j, const std::string& base, std::string_view text,
                  const std::string& file, ImportedRelationship& r) {
  Fields f(j, base, text, file, r);
  const WindowsFields w = read_fields(f);
  const Roles roles = read_roles(f, w);
  if (!r.errors.empty()) return;
  r.name = *w.name;
  if (const auto pair = windows_pair(f, w)) {
    // Load balance: Windows' primary is ISC's primary, whichever server reported it. Hot
    // standby: the active server is, and ServerRole is the reporting server's role.
    const std::size_t first = roles.hot ? (roles.local_primary ? pair->local : 1 - pair->local) : 0;
    for (std::size_t i = 0; i < 2; ++i) {
      const WindowsServer& s = pair->servers[i == 0 ? first : 1 - first];
      r.servers[i].host = s.host;
      if (s.ip) r.servers[i].config.address = *s.ip;
    }
  } else {
    if (!w.local)
      f.note("",
             "no PSComputerName: the server that reported the relationship is called "
             "'local-server'");
    const std::string here = w.local ? host_of(*w.local) : "local-server";
    r.servers[roles.local_primary ? 0 : 1].host = here;
    r.servers[roles.local_primary ? 1 : 0].host = host_of(*w.partner);
  }
  set_split(f, w, roles.hot, r);
  set_setting(r, "mclt", w.mclt.value_or(3600));
  if (!w.mclt) f.note("", "MaxClientLeadTime not given: Windows' default 1 hour, mclt 3600");
  if (!set_auto_partner_down(f, w, r)) return;
  // Windows balances by the hash alone; ISC's 0 would switch load balancing off altogether.
  set_setting(r, "load_balance_max_seconds", 65535);
  f.note("",
         "Windows has no load balance max seconds: 65535 plays balancing by the hash alone (the "
         "secs field "
         "never exceeds it)");
  f.note("", "Windows has no max-response-delay: ISC's default 20 s is played");
}

}  // namespace fosim::sim::detail
