// Reading a scenario's `expect`: the states, counts and lease times a run must show.
#include <algorithm>

#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

void read_states(Reader& r, const Json& states, bool servers_ok, Scenario& sc) {
  if (!states.is_array())
    r.error("/expect/states", "expected a list",
            "[ {\"at\": \"15m\", \"server\": \"primary\", \"state\": \"normal\"} ]");
  for (std::size_t k = 0; states.is_array() && k < states.size(); ++k) {
    const std::string p = "/expect/states/" + std::to_string(k);
    const Json& s = states[k];
    if (!r.object(s, p, {"at", "server", "state"}, {"at", "server", "state"})) continue;
    StateExpectation se;
    if (s.contains("at")) se.at = Instant{r.duration(s["at"], p + "/at").value_or(Duration{})};
    if (s.contains("server") && servers_ok)
      se.server = server_ref(r, s["server"], p + "/server", sc).value_or(0);
    if (s.contains("state"))
      se.state = state_value(r, s["state"], p + "/state").value_or(core::State::normal);
    if (se.at > Instant{sc.duration})
      r.error(p + "/at", "after the end of the run", "a time within duration");
    sc.expect.states.push_back(se);
  }
}

void read_max_time_to_normal(Reader& r, const Json& v, Scenario& sc) {
  sc.expect.max_time_to_normal = r.duration(v, "/expect/max_time_to_normal");
  const bool heals = std::any_of(sc.script.begin(), sc.script.end(),
                                 [](const ScriptAction& a) { return a.type == ActionType::heal; });
  if (!heals)
    r.error("/expect/max_time_to_normal", "there is no heal to measure from",
            "a script with a 'heal' action, or no max_time_to_normal");
}

}  // namespace

void read_expect(Reader& r, const Json& e, bool servers_ok, Scenario& sc) {
  if (!r.object(e, "/expect",
                {"states", "no_duplicates", "min_duplicates", "no_mclt_violations",
                 "min_availability", "max_time_to_normal", "first_lease_time", "renewal_lease_time",
                 "max_lease_time_granted"}))
    return;
  Expectations& ex = sc.expect;
  if (e.contains("states")) read_states(r, e["states"], servers_ok, sc);
  if (e.contains("no_duplicates"))
    ex.no_duplicates = r.boolean(e["no_duplicates"], "/expect/no_duplicates");
  if (e.contains("min_duplicates"))
    if (auto v =
            r.integer(e["min_duplicates"], "/expect/min_duplicates", 0, INT64_MAX, "a count >= 0"))
      ex.min_duplicates = static_cast<std::uint64_t>(*v);
  if (e.contains("no_mclt_violations"))
    ex.no_mclt_violations = r.boolean(e["no_mclt_violations"], "/expect/no_mclt_violations");
  if (e.contains("min_availability")) {
    const Json& a = e["min_availability"];
    if (!a.is_number() || a.get<double>() < 0 || a.get<double>() > 1)
      r.error("/expect/min_availability", "expected a fraction", "a number from 0 to 1, e.g. 0.99");
    else
      ex.min_availability = a.get<double>();
  }
  if (e.contains("max_time_to_normal")) read_max_time_to_normal(r, e["max_time_to_normal"], sc);
  auto secs = [&](const char* key, std::optional<core::Seconds>& out) {
    if (e.contains(key))
      out = r.positive_seconds(e[key], std::string("/expect/") + key, "seconds, e.g. 1800");
  };
  secs("first_lease_time", ex.first_lease_time);
  secs("renewal_lease_time", ex.renewal_lease_time);
  secs("max_lease_time_granted", ex.max_lease_time_granted);
}

}  // namespace fosim::sim::detail
