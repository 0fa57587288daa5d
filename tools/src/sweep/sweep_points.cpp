// Each point's figures over its seeds: the verdict of every expectation, and the min / lower
// median / max of every metric, as sweep.json holds them and the HTML page draws them.
#include "sweep_points.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "fosim/tools/sweep_output.hpp"

namespace fosim::tools {
namespace {

using Json = nlohmann::ordered_json;

/// Where a figure's colour scale runs: 0 to 1 (a share), or 0 to the largest value in the sweep.
enum class Domain : std::uint8_t { zero_to_one, zero_to_largest };

/// Which values of a figure are good: the higher, the lower, only zero (any count above it is a
/// harm), or neither (lease times and the primary's share depend on what the admin wants).
enum class Better : std::uint8_t { higher, lower, zero, neither };

/// A figure a point aggregates over its seeds: how it is read from a run, and the scale the
/// page colours it on, from what the figure means, so that 0.566 and 0.581 get close colours.
struct Metric {
  const char* name;
  std::optional<double> (*get)(const RunMetrics&);
  Domain domain;
  Better better;
  const char* meaning;  ///< what the page's legend says the figure is
};

std::optional<double> opt(const std::optional<std::int64_t>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

std::optional<double> count(std::uint64_t v) { return static_cast<double>(v); }

std::optional<double> available(const RunMetrics& m) { return m.availability; }

std::optional<double> partner_down(const RunMetrics& m) { return m.partner_down_s; }

std::optional<double> primary_share(const RunMetrics& m) {
  const std::uint64_t all = m.acks[0] + m.acks[1];
  return all == 0
             ? std::nullopt
             : std::optional<double>(static_cast<double>(m.acks[0]) / static_cast<double>(all));
}

using D = Domain;
using B = Better;
// clang-format off
constexpr Metric metrics[] = {
  {"availability",     available,
                       D::zero_to_one,     B::higher,  "the share of attempted exchanges answered"},
  {"unanswered",       [](const RunMetrics& m) { return count(m.unanswered); },
                       D::zero_to_largest, B::lower,   "attempts no server answered in time"},
  {"duplicates",       [](const RunMetrics& m) { return count(m.duplicates); },
                       D::zero_to_largest, B::zero,    "addresses held by two clients at once"},
  {"time_to_normal_s", [](const RunMetrics& m) { return m.time_to_normal_s; },
                       D::zero_to_largest, B::lower,   "seconds from the last heal to both normal"},
  {"partner_down_s",   partner_down,
                       D::zero_to_largest, B::lower,   "seconds in partner-down, both added"},
  {"lease_min_s",      [](const RunMetrics& m) { return opt(m.lease_min_s); },
                       D::zero_to_largest, B::neither, "the shortest lease granted, seconds"},
  {"lease_median_s",   [](const RunMetrics& m) { return opt(m.lease_median_s); },
                       D::zero_to_largest, B::neither, "the median lease granted, seconds"},
  {"lease_max_s",      [](const RunMetrics& m) { return opt(m.lease_max_s); },
                       D::zero_to_largest, B::neither, "the longest lease granted, seconds"},
  {"pool_exhausted",   [](const RunMetrics& m) { return count(m.pool_exhausted); },
                       D::zero_to_largest, B::zero,    "requests refused for want of a free lease"},
  {"primary_share",    primary_share,
                       D::zero_to_one,     B::neither, "the primary's share of the DHCPACKs"},
  {"clients_without_lease", [](const RunMetrics& m) { return count(m.clients_without_lease); },
                       D::zero_to_largest, B::zero,    "clients left without a valid lease"},
  {"worst_without_lease_s", [](const RunMetrics& m) -> std::optional<double> { return m.worst_without_lease_s; },
                       D::zero_to_largest, B::lower,   "the longest time a client went without a lease, s"},
};
// clang-format on

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

nlohmann::ordered_json detail::figure_scales() {
  constexpr const char* better[] = {"higher", "lower", "zero", "neither"};
  Json out = Json::array();
  for (const Metric& m : metrics)
    out.push_back({{"figure", m.name},
                   {"to", m.domain == Domain::zero_to_one ? "one" : "largest"},
                   {"better", better[static_cast<std::size_t>(m.better)]},
                   {"meaning", m.meaning}});
  return out;
}

std::string detail::seed_list(const std::vector<std::uint64_t>& seeds) {
  std::string out;
  for (std::uint64_t s : seeds) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

}  // namespace fosim::tools
