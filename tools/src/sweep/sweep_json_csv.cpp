// sweep.json (everything, and what `fosim merge` reads back) and sweep.csv (a row per run).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fosim/tools/sweep_output.hpp"
#include "sweep_points.hpp"

namespace fosim::tools {
namespace {

using Json = nlohmann::ordered_json;

Json nullable(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
Json nullable(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string fixed(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

}  // namespace

std::string sweep_json(const SweepResult& r) {
  Json j;
  j["fosim_sweep"] = 1;
  j["scenarios"] = r.shape.scenario_names;
  j["scenario_fingerprints"] = r.shape.scenario_fingerprints;
  Json params = Json::array();
  for (const SweepParameter& p : r.shape.parameters)
    params.push_back({{"key", p.key}, {"values", p.values}});
  j["parameters"] = params;
  j["seeds"] = r.shape.seeds;
  j["runs_total"] = r.shape.run_count();
  if (r.shard) j["shard"] = std::to_string(r.shard->index) + "/" + std::to_string(r.shard->count);
  if (r.interrupted) j["interrupted"] = true;
  Json runs = Json::array();
  for (const RunMetrics& m : r.runs) {
    Json o;
    o["point"] = m.point;
    o["seed"] = m.seed;
    o["availability"] = m.availability;
    o["attempts"] = m.attempts;
    o["unanswered"] = m.unanswered;
    o["duplicates"] = m.duplicates;
    o["time_to_normal_s"] = nullable(m.time_to_normal_s);
    o["partner_down_s"] = m.partner_down_s;
    o["lease_min_s"] = nullable(m.lease_min_s);
    o["lease_median_s"] = nullable(m.lease_median_s);
    o["lease_max_s"] = nullable(m.lease_max_s);
    o["pool_exhausted"] = m.pool_exhausted;
    o["acks"] = {m.acks[0], m.acks[1]};
    o["clients_without_lease"] = m.clients_without_lease;
    o["worst_without_lease_s"] = m.worst_without_lease_s;
    o["events"] = m.events;
    Json ex = Json::array();
    for (const sim::ExpectationResult& e : m.expectations)
      ex.push_back({{"what", e.what}, {"passed", e.passed}, {"observed", e.observed}});
    o["expectations"] = ex;
    runs.push_back(o);
  }
  j["runs"] = runs;
  if (!r.shard) j["points"] = detail::sweep_points(r);
  return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string sweep_csv(const SweepResult& r) {
  std::ostringstream o;
  o << "scenario,point";
  for (const SweepParameter& p : r.shape.parameters) o << "," << csv_field(p.key);
  o << ",seed,availability,attempts,unanswered,duplicates,time_to_normal_s,partner_down_s,lease_"
       "min_s,"
       "lease_median_s,lease_max_s,pool_exhausted,acks_primary,acks_secondary,expectations_passed,"
       "expectations_total,clients_without_lease,worst_without_lease_s\n";
  for (const RunMetrics& m : r.runs) {
    o << csv_field(r.shape.scenario_names[r.shape.scenario_of(m.point)]) << "," << m.point;
    const auto v = r.shape.values_of(m.point);
    for (std::size_t k = 0; k < r.shape.parameters.size(); ++k)
      o << "," << csv_field(r.shape.parameters[k].values[v[k]]);
    auto num = [](const std::optional<std::int64_t>& x) {
      return x ? std::to_string(*x) : std::string();
    };
    std::size_t passed = 0;
    for (const auto& e : m.expectations) passed += e.passed ? 1 : 0;
    o << "," << m.seed << "," << fixed(m.availability, 6) << "," << m.attempts << ","
      << m.unanswered << "," << m.duplicates << ","
      << (m.time_to_normal_s ? fixed(*m.time_to_normal_s, 3) : "") << ","
      << fixed(m.partner_down_s, 3) << "," << num(m.lease_min_s) << "," << num(m.lease_median_s)
      << "," << num(m.lease_max_s) << "," << m.pool_exhausted << "," << m.acks[0] << ","
      << m.acks[1] << "," << passed << "," << m.expectations.size() << ","
      << m.clients_without_lease << "," << fixed(m.worst_without_lease_s, 3) << "\n";
  }
  return o.str();
}

}  // namespace fosim::tools
