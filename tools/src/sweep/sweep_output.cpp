#include "fosim/tools/sweep_output.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "fosim/tools/escape.hpp"
#include "sweep_points.hpp"

namespace fosim::tools {
namespace {

using Json = nlohmann::ordered_json;

/// The metrics a point aggregates over its seeds, with how each is read from a run.
struct Metric {
  const char* name;
  std::optional<double> (*get)(const RunMetrics&);
};

std::optional<double> opt(const std::optional<std::int64_t>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

constexpr Metric metrics[] = {
    {"availability", [](const RunMetrics& m) -> std::optional<double> { return m.availability; }},
    {"unanswered",
     [](const RunMetrics& m) -> std::optional<double> {
       return static_cast<double>(m.unanswered);
     }},
    {"duplicates",
     [](const RunMetrics& m) -> std::optional<double> {
       return static_cast<double>(m.duplicates);
     }},
    {"time_to_normal_s", [](const RunMetrics& m) { return m.time_to_normal_s; }},
    {"partner_down_s",
     [](const RunMetrics& m) -> std::optional<double> { return m.partner_down_s; }},
    {"lease_min_s", [](const RunMetrics& m) { return opt(m.lease_min_s); }},
    {"lease_median_s", [](const RunMetrics& m) { return opt(m.lease_median_s); }},
    {"lease_max_s", [](const RunMetrics& m) { return opt(m.lease_max_s); }},
    {"pool_exhausted",
     [](const RunMetrics& m) -> std::optional<double> {
       return static_cast<double>(m.pool_exhausted);
     }},
    {"primary_share",
     [](const RunMetrics& m) -> std::optional<double> {
       const std::uint64_t all = m.acks[0] + m.acks[1];
       return all == 0 ? std::nullopt
                       : std::optional<double>(static_cast<double>(m.acks[0]) /
                                               static_cast<double>(all));
     }},
};

Json nullable(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
Json nullable(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

/// The finished runs of each point, in seed order.
std::vector<std::vector<const RunMetrics*>> by_point(const SweepResult& r) {
  std::vector<std::vector<const RunMetrics*>> out(r.shape.point_count());
  for (const RunMetrics& m : r.runs)
    if (m.point < out.size()) out[m.point].push_back(&m);
  return out;
}

Json aggregate(const std::vector<const RunMetrics*>& runs) {
  Json a = Json::object();
  for (const Metric& metric : metrics) {
    std::vector<double> v;
    for (const RunMetrics* m : runs)
      if (auto x = metric.get(*m)) v.push_back(*x);
    if (v.empty()) {
      a[metric.name] = nullptr;
      continue;
    }
    std::sort(v.begin(), v.end());
    a[metric.name] = {{"min", v.front()}, {"median", v[(v.size() - 1) / 2]}, {"max", v.back()}};
  }
  return a;
}

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

std::string seeds_text(const std::vector<std::uint64_t>& seeds) {
  std::string out;
  for (std::uint64_t s : seeds) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

}  // namespace

bool PointVerdict::holds() const {
  return std::all_of(expectations.begin(), expectations.end(),
                     [](const ExpectationVerdict& e) { return e.failed_seeds.empty(); });
}

std::vector<PointVerdict> verdicts(const SweepResult& r) {
  std::vector<PointVerdict> out;
  const auto points = by_point(r);
  for (std::size_t p = 0; p < points.size(); ++p) {
    PointVerdict v;
    v.point = p;
    v.runs = points[p].size();
    for (const RunMetrics* m : points[p])
      for (const sim::ExpectationResult& e : m->expectations) {
        auto it = std::find_if(v.expectations.begin(), v.expectations.end(),
                               [&](const ExpectationVerdict& x) { return x.what == e.what; });
        if (it == v.expectations.end()) {
          v.expectations.push_back({e.what, 0, 0, {}, {}});
          it = v.expectations.end() - 1;
        }
        ++it->runs;
        if (e.passed) {
          ++it->passed;
        } else {
          if (it->failed_seeds.empty()) it->first_observed = e.observed;
          it->failed_seeds.push_back(m->seed);
        }
      }
    out.push_back(std::move(v));
  }
  return out;
}

nlohmann::ordered_json detail::sweep_points(const SweepResult& r) {
  const auto points = by_point(r);
  const auto verdict = verdicts(r);
  Json ps = Json::array();
  for (std::size_t p = 0; p < points.size(); ++p) {
    Json o;
    o["point"] = p;
    o["label"] = r.shape.label(p);
    o["scenario"] = r.shape.scenario_names[r.shape.scenario_of(p)];
    Json values = Json::object();
    const auto v = r.shape.values_of(p);
    for (std::size_t k = 0; k < r.shape.parameters.size(); ++k)
      values[r.shape.parameters[k].key] = r.shape.parameters[k].values[v[k]];
    o["values"] = values;
    o["runs"] = points[p].size();
    o["complete"] = points[p].size() == r.shape.seeds.size();
    o["aggregate"] = aggregate(points[p]);
    Json ex = Json::array();
    for (const ExpectationVerdict& e : verdict[p].expectations)
      ex.push_back({{"what", e.what},
                    {"passed", e.passed},
                    {"runs", e.runs},
                    {"failed_seeds", e.failed_seeds}});
    o["expectations"] = ex;
    o["holds"] = verdict[p].holds();
    ps.push_back(o);
  }
  return ps;
}

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
       "expectations_total\n";
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
      << m.acks[1] << "," << passed << "," << m.expectations.size() << "\n";
  }
  return o.str();
}

std::string sweep_junit(const SweepResult& r) {
  const auto verdict = verdicts(r);
  struct Case {
    std::string name, body;
  };
  std::vector<std::vector<Case>> suites(r.shape.scenario_names.size());
  std::vector<std::size_t> failures(suites.size()), skipped(suites.size());
  for (const PointVerdict& v : verdict) {
    const std::size_t s = r.shape.scenario_of(v.point);
    if (v.runs == 0 && r.interrupted) {
      ++skipped[s];
      suites[s].push_back(
          {r.shape.label(v.point) + ": not run",
           "      <skipped message=\"interrupted before any of its seeds ran\"/>\n"});
      continue;
    }
    for (const ExpectationVerdict& e : v.expectations) {
      Case c{r.shape.label(v.point) + ": " + e.what, ""};
      if (!e.failed_seeds.empty()) {
        ++failures[s];
        c.body = "      <failure type=\"expectation\" message=\"" +
                 escape_xml("failed for " + std::to_string(e.failed_seeds.size()) + " of " +
                            std::to_string(e.runs) + " seeds") +
                 "\">" +
                 escape_xml("seeds " + seeds_text(e.failed_seeds) +
                            "; first observed: " + e.first_observed) +
                 "</failure>\n";
      } else if (v.runs < r.shape.seeds.size()) {
        ++skipped[s];
        c.body = "      <skipped message=\"" +
                 escape_xml("interrupted: " + std::to_string(v.runs) + " of " +
                            std::to_string(r.shape.seeds.size()) + " seeds ran") +
                 "\"/>\n";
      }
      suites[s].push_back(std::move(c));
    }
  }
  std::size_t tests = 0, fails = 0, skips = 0;
  for (std::size_t s = 0; s < suites.size(); ++s)
    tests += suites[s].size(), fails += failures[s], skips += skipped[s];
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o << "<testsuites name=\"fosim sweep\" tests=\"" << tests << "\" failures=\"" << fails
    << "\" errors=\"0\" skipped=\"" << skips << "\">\n";
  for (std::size_t s = 0; s < suites.size(); ++s) {
    const std::string& name = r.shape.scenario_names[s];
    o << "  <testsuite name=\"" << escape_xml(name) << "\" tests=\"" << suites[s].size()
      << "\" failures=\"" << failures[s] << "\" errors=\"0\" skipped=\"" << skipped[s] << "\">\n";
    for (const Case& c : suites[s]) {
      o << "    <testcase classname=\"fosim.sweep." << escape_xml(name) << "\" name=\""
        << escape_xml(c.name) << "\"";
      if (c.body.empty())
        o << "/>\n";
      else
        o << ">\n" << c.body << "    </testcase>\n";
    }
    o << "  </testsuite>\n";
  }
  o << "</testsuites>\n";
  return o.str();
}

namespace {

/// A whole number >= 0 of a sweep.json (a float would convert with undefined behaviour).
std::uint64_t whole(const Json& v) {
  if (!v.is_number_unsigned())
    throw std::invalid_argument("expected a whole number >= 0, found " + v.dump());
  return v.get<std::uint64_t>();
}

/// A whole number, which may be negative.
std::int64_t integer(const Json& v) {
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
    throw std::invalid_argument("expected a whole number, found " + v.dump());
  return v.get<std::int64_t>();
}

}  // namespace

std::optional<SweepResult> read_sweep_json(std::string_view text, const std::string& file,
                                           std::string& error) {
  SweepResult r;
  try {
    const Json j = Json::parse(text);
    if (!j.is_object() || !j.contains("fosim_sweep")) {
      error = file + ": not a fosim sweep.json";
      return std::nullopt;
    }
    if (j.at("fosim_sweep") != 1) {
      error = file + ": sweep.json format " + j.at("fosim_sweep").dump() +
              " is not one this fosim reads (1)";
      return std::nullopt;
    }
    r.source = file;
    r.shape.scenario_names = j.at("scenarios").get<std::vector<std::string>>();
    r.shape.scenario_fingerprints = j.at("scenario_fingerprints").get<std::vector<std::string>>();
    for (const Json& p : j.at("parameters"))
      r.shape.parameters.push_back(
          {p.at("key").get<std::string>(), p.at("values").get<std::vector<std::string>>()});
    for (const Json& seed : j.at("seeds")) r.shape.seeds.push_back(whole(seed));
    if (r.shape.scenario_names.empty() || r.shape.seeds.empty() ||
        std::any_of(r.shape.parameters.begin(), r.shape.parameters.end(),
                    [](const SweepParameter& p) { return p.values.empty(); })) {
      error = file + ": a sweep without scenarios, seeds or parameter values";
      return std::nullopt;
    }
    if (r.shape.scenario_fingerprints.size() != r.shape.scenario_names.size()) {
      error = file + ": a fingerprint for each scenario is needed";
      return std::nullopt;
    }
    // No sweep fosim plays is larger (fosim sweep refuses more than 10,000,000 runs).
    std::size_t runs = r.shape.seeds.size() * r.shape.scenario_names.size();
    for (const SweepParameter& p : r.shape.parameters) {
      if (runs > 10000000) break;
      runs *= p.values.size();
    }
    if (runs > 10000000 || r.shape.seeds.size() > 1000000) {
      error = file + ": more runs than a sweep holds";
      return std::nullopt;
    }
    if (j.contains("shard")) {
      const auto s = parse_shard(j.at("shard").get<std::string>());
      if (!s) {
        error = file + ": shard '" + j.at("shard").get<std::string>() + "' is not K/N";
        return std::nullopt;
      }
      r.shard = s;
    }
    r.interrupted = j.value("interrupted", false);
    const std::size_t points = r.shape.point_count();
    for (const Json& o : j.at("runs")) {
      RunMetrics m;
      if (!o.at("point").is_number_unsigned() || !o.at("seed").is_number_unsigned()) {
        error = file + ": a run's point and seed must be whole numbers >= 0";
        return std::nullopt;
      }
      m.point = o.at("point").get<std::size_t>();
      m.seed = o.at("seed").get<std::uint64_t>();
      if (m.point >= points ||
          std::find(r.shape.seeds.begin(), r.shape.seeds.end(), m.seed) == r.shape.seeds.end()) {
        error = file + ": run of point " + std::to_string(m.point) + ", seed " +
                std::to_string(m.seed) + " is not in the sweep";
        return std::nullopt;
      }
      m.availability = o.at("availability").get<double>();
      m.attempts = whole(o.at("attempts"));
      m.unanswered = whole(o.at("unanswered"));
      m.duplicates = whole(o.at("duplicates"));
      if (!o.at("time_to_normal_s").is_null())
        m.time_to_normal_s = o.at("time_to_normal_s").get<double>();
      m.partner_down_s = o.at("partner_down_s").get<double>();
      if (!o.at("lease_min_s").is_null()) m.lease_min_s = integer(o.at("lease_min_s"));
      if (!o.at("lease_median_s").is_null()) m.lease_median_s = integer(o.at("lease_median_s"));
      if (!o.at("lease_max_s").is_null()) m.lease_max_s = integer(o.at("lease_max_s"));
      m.pool_exhausted = whole(o.at("pool_exhausted"));
      m.acks[0] = whole(o.at("acks").at(0));
      m.acks[1] = whole(o.at("acks").at(1));
      m.events = whole(o.at("events"));
      for (const Json& e : o.at("expectations"))
        m.expectations.push_back({e.at("what").get<std::string>(), e.at("passed").get<bool>(),
                                  e.at("observed").get<std::string>()});
      r.runs.push_back(std::move(m));
    }
  } catch (const Json::exception& e) {
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    error = file + ": " + what;
    return std::nullopt;
  } catch (const std::invalid_argument& e) {
    error = file + ": " + e.what();
    return std::nullopt;
  }
  return r;
}

std::optional<SweepResult> merge_sweeps(const std::vector<SweepResult>& shards,
                                        std::string& error) {
  if (shards.empty()) {
    error = "no shard to merge";
    return std::nullopt;
  }
  SweepResult out;
  out.shape = shards[0].shape;
  const std::size_t seeds = out.shape.seeds.size();
  auto index_of = [&](const RunMetrics& m) {
    const auto at =
        std::find(out.shape.seeds.begin(), out.shape.seeds.end(), m.seed) - out.shape.seeds.begin();
    return m.point * seeds + static_cast<std::size_t>(at);
  };
  std::vector<const RunMetrics*> runs(out.shape.run_count(), nullptr);
  for (const SweepResult& s : shards) {
    if (!(s.shape == out.shape)) {
      const char* what = s.shape.scenario_names != out.shape.scenario_names ? "scenarios"
                         : s.shape.scenario_fingerprints != out.shape.scenario_fingerprints
                             ? "scenario contents (edited between the runs?)"
                         : s.shape.seeds != out.shape.seeds ? "seeds"
                                                            : "varied parameters";
      error = s.source + " and " + shards[0].source + " are of different sweeps: their " + what +
              " differ";
      return std::nullopt;
    }
    if (s.interrupted) {
      error = s.source +
              (s.shard ? " (shard " + std::to_string(s.shard->index) + "/" +
                             std::to_string(s.shard->count) + ")"
                       : "") +
              " was interrupted: run it again";
      return std::nullopt;
    }
    for (const RunMetrics& m : s.runs) {
      const std::size_t i = index_of(m);
      if (runs[i] != nullptr) {
        error = "run " + std::to_string(i) + " (" + out.shape.label(m.point) + ", seed " +
                std::to_string(m.seed) + ") is in two results (" + s.source + " and another)";
        return std::nullopt;
      }
      runs[i] = &m;
    }
  }
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (runs[i] == nullptr) missing.push_back(i);
  if (!missing.empty()) {
    std::string which;
    const std::size_t count = shards[0].shard ? shards[0].shard->count : 1;
    std::vector<bool> shard_missing(count, false);
    for (std::size_t i : missing) shard_missing[i % count] = true;
    for (std::size_t k = 0; k < count; ++k)
      if (shard_missing[k])
        which += (which.empty() ? "" : ", ") + std::to_string(k + 1) + "/" + std::to_string(count);
    error = std::to_string(missing.size()) + " of " + std::to_string(runs.size()) +
            " runs are missing (shard " + which + ")";
    return std::nullopt;
  }
  // Every run of a point checks the same expectations.
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunMetrics& first = *runs[i - i % seeds];
    const RunMetrics& m = *runs[i];
    bool same = first.expectations.size() == m.expectations.size();
    for (std::size_t k = 0; same && k < m.expectations.size(); ++k)
      same = first.expectations[k].what == m.expectations[k].what;
    if (!same) {
      error = "the runs of " + out.shape.label(m.point) + " check different expectations (seeds " +
              std::to_string(first.seed) + " and " + std::to_string(m.seed) +
              "): the results are not of one sweep";
      return std::nullopt;
    }
  }
  for (const RunMetrics* m : runs) out.runs.push_back(*m);
  return out;
}

}  // namespace fosim::tools
