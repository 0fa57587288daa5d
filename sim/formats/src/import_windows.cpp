// Reading one relationship as Windows' Get-DhcpServerv4Failover reports it (ConvertTo-Json):
// its mode and roles, and the fields of windows_fields, each checked against its setting's
// range; every choice where Windows and ISC do not line up is a note (docs/import.md).
#include "import_fields.hpp"

namespace fosim::sim::detail {
namespace {

constexpr const ImportField& split_field = *field_for(windows_fields, "split");
constexpr const ImportField& mclt_field = *field_for(windows_fields, "mclt");
constexpr const ImportField& interval_field = *field_for(windows_fields, "auto_partner_down");

}  // namespace

void read_windows(const Json& j, const std::string& base, std::string_view text,
                  const std::string& file, ImportedRelationship& r) {
  Fields f(j, base, text, file, r);
  const auto name = f.string("Name", true);
  const auto partner = f.string("PartnerServer", true);
  auto local = f.string("PSComputerName", false);
  const auto computer = f.string("ComputerName", false);
  if (!local) local = computer;
  const auto mode = f.string("Mode", false);
  const Json* role_value = f.get("ServerRole");  // "" outside hot standby
  const std::optional<std::string> role = role_value != nullptr && role_value->is_string()
                                              ? std::optional(role_value->get<std::string>())
                                              : std::nullopt;
  const auto lb_pct = f.percent(split_field.field);
  const auto reserve = f.percent("ReservePercent");
  const auto mclt = f.setting(mclt_field);
  const auto interval = f.setting(interval_field);
  const auto auto_transition = f.boolean("AutoStateTransition");
  for (const char* k : {"ScopeId", "State", "EnableAuth", "SharedSecret", "CimClass",
                        "CimInstanceProperties", "CimSystemProperties"})
    f.get(k);  // known, and nothing fosim plays
  for (const std::string& k : f.unused())
    f.note(k, "ignored: " + k + " is not a field fosim maps",
           "Name, PartnerServer, Mode, ServerRole, LoadBalancePercent, ReservePercent, "
           "MaxClientLeadTime, "
           "StateSwitchInterval, AutoStateTransition");
  if (!mode) f.note("", "Mode not given: LoadBalance, Windows' default");
  const std::string m = lower(mode.value_or("LoadBalance"));
  if (m != "loadbalance" && m != "hotstandby")
    f.error("Mode", "unknown mode '" + *mode + "'", "LoadBalance, HotStandby");
  const bool hot = m == "hotstandby";
  bool local_primary = true;
  if (hot) {
    const std::string sr = lower(role.value_or(""));
    if (sr != "active" && sr != "standby")
      f.error(
          "ServerRole",
          role ? "unknown server role '" + *role + "'" : "missing ServerRole: hot standby needs it",
          "Active, Standby");
    local_primary = sr != "standby";
  }
  if (!r.errors.empty()) return;
  r.name = *name;
  if (!local)
    f.note("",
           "no PSComputerName: the server that reported the relationship is called 'local-server'");
  const std::string here = local ? host_of(*local) : "local-server";
  r.servers[local_primary ? 0 : 1].host = here;
  r.servers[local_primary ? 1 : 0].host = host_of(*partner);
  if (hot) {
    set_setting(r, "split", 256);
    f.note("Mode", "hot standby becomes split 256: the active server (" + r.servers[0].host +
                       ") answers every client while both are normal");
    f.note(
        reserve ? "ReservePercent" : "Mode",
        "reserve " + number(reserve.value_or(5.0)) +
            " % is not exact: ISC has no reserve; its pool balancing keeps about half of the free "
            "addresses on the secondary (max-lease-misbalance, max-lease-ownership)");
  } else {
    set_setting(r, "split", lb_pct ? split_for(*lb_pct, f, split_field.field) : 128);
    if (!lb_pct) f.note("", "LoadBalancePercent not given: Windows' default 50, split 128");
  }
  set_setting(r, "mclt", mclt.value_or(3600));
  if (!mclt) f.note("", "MaxClientLeadTime not given: Windows' default 1 hour, mclt 3600");
  if (auto_transition.value_or(false) && interval && *interval == 0) {
    f.error("StateSwitchInterval",
            "a StateSwitchInterval of 0 with AutoStateTransition on has no ISC counterpart: "
            "auto-partner-down 0 means off",
            "at least 1 second");
    return;
  }
  if (auto_transition.value_or(false)) {
    if (!interval)
      f.note("AutoStateTransition", "StateSwitchInterval not given: Windows' default 60 minutes");
    set_setting(r, "auto_partner_down", interval.value_or(3600));
    f.note(interval ? "StateSwitchInterval" : "AutoStateTransition",
           "automatic state transition after " + std::to_string(interval.value_or(3600)) +
               " s becomes auto-partner-down " + std::to_string(interval.value_or(3600)));
  } else if (interval) {
    f.note("StateSwitchInterval",
           "StateSwitchInterval is unused while AutoStateTransition is off: no auto-partner-down");
  }
  // Windows balances by the hash alone; ISC's 0 would switch load balancing off altogether.
  set_setting(r, "load_balance_max_seconds", 65535);
  f.note("",
         "Windows has no load balance max seconds: 65535 plays balancing by the hash alone (the "
         "secs field "
         "never exceeds it)");
  f.note("", "Windows has no max-response-delay: ISC's default 20 s is played");
}

}  // namespace fosim::sim::detail
