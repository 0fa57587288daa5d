#include "fosim/tools/sweep.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/replay/replay.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/tools/numbers.hpp"
#include "fosim/tools/parallel.hpp"

namespace fosim::tools {
namespace {

constexpr std::size_t max_values = 10000;
constexpr std::size_t max_runs = 10000000;  ///< in a sweep
constexpr std::size_t max_shard_runs =
    1000000;  ///< in one process: their results are held in memory

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

bool whole(const std::string& s) {
  return !s.empty() && s.size() <= 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// A range bound in seconds (a whole number, or a duration of whole seconds).
std::optional<std::int64_t> bound(const std::string& s) {
  if (whole(s)) return std::stoll(s);
  const auto d = sim::parse_duration(s);
  if (!d || d->count() % 1000 != 0) return std::nullopt;
  return d->count() / 1000;
}

}  // namespace

std::optional<SweepParameter> parse_vary(std::string_view text, std::string& error) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    error =
        "'" + std::string(text) + "' is not KEY=VALUES (e.g. mclt=300,900,1800 or split=0..256:32)";
    return std::nullopt;
  }
  SweepParameter p;
  p.key = trim(text.substr(0, eq));
  const std::string values = trim(text.substr(eq + 1));
  if (const std::size_t dots = values.find(".."); dots != std::string::npos) {
    const std::size_t colon = values.find(':', dots);
    const std::string from = trim(values.substr(0, dots)),
                      to = trim(values.substr(dots + 2, colon == std::string::npos
                                                            ? std::string::npos
                                                            : colon - dots - 2)),
                      step = colon == std::string::npos ? "1" : trim(values.substr(colon + 1));
    const auto a = bound(from), b = bound(to), s = bound(step);
    if (!a || !b || !s) {
      error = p.key + "=" + values +
              ": FROM, TO and STEP must be whole numbers or durations of whole seconds, e.g. "
              "0..256:32 or 5m..1h:5m";
      return std::nullopt;
    }
    if (*s <= 0 || *b < *a) {
      error = p.key + "=" + values + ": a range is FROM..TO:STEP with FROM <= TO and STEP > 0";
      return std::nullopt;
    }
    if ((*b - *a) / *s + 1 > static_cast<std::int64_t>(max_values)) {
      error = p.key + "=" + values + ": more than " + std::to_string(max_values) + " values";
      return std::nullopt;
    }
    for (std::int64_t v = *a; v <= *b; v += *s) p.values.push_back(std::to_string(v));
  } else {
    std::size_t start = 0;
    while (start <= values.size()) {
      const std::size_t comma = values.find(',', start);
      const std::string v = trim(
          values.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (v.empty()) {
        error = p.key + "=" + values + ": an empty value";
        return std::nullopt;
      }
      if (std::find(p.values.begin(), p.values.end(), v) != p.values.end()) {
        error = p.key + "=" + values + ": " + v + " is given twice";
        return std::nullopt;
      }
      p.values.push_back(v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (p.values.size() > max_values) {
      error = p.key + "=" + values + ": more than " + std::to_string(max_values) + " values";
      return std::nullopt;
    }
  }
  return p;
}

std::optional<std::vector<std::uint64_t>> parse_seeds(std::string_view text, std::string& error) {
  const std::string s = trim(text);
  std::vector<std::uint64_t> out;
  error =
      "--seeds '" + s + "' is not valid; valid: N, N1,N2,... or FROM..TO (at most 1000000 seeds)";
  if (const std::size_t dots = s.find(".."); dots != std::string::npos) {
    const auto a = parse_seed(trim(s.substr(0, dots))), b = parse_seed(trim(s.substr(dots + 2)));
    if (a && b && *b < *a) error = "--seeds '" + s + "': FROM is after TO";
    if (!a || !b || *b < *a || *b - *a >= 1000000) return std::nullopt;
    for (std::uint64_t v = *a;; ++v) {
      out.push_back(v);
      if (v == *b) break;
    }
  } else {
    std::size_t start = 0;
    while (start <= s.size()) {
      const std::size_t comma = s.find(',', start);
      const auto v = parse_seed(
          trim(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (v && std::find(out.begin(), out.end(), *v) != out.end())
        error = "--seeds '" + s + "': seed " + std::to_string(*v) + " is given twice";
      if (!v || std::find(out.begin(), out.end(), *v) != out.end() || out.size() >= 1000000)
        return std::nullopt;
      out.push_back(*v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  error.clear();
  return out;
}

std::size_t SweepShape::point_count() const {
  std::size_t n = scenario_names.size();
  for (const SweepParameter& p : parameters) n *= p.values.size();
  return n;
}

std::size_t SweepShape::scenario_of(std::size_t p) const {
  std::size_t per = 1;
  for (const SweepParameter& q : parameters) per *= q.values.size();
  return p / per;
}

std::vector<std::size_t> SweepShape::values_of(std::size_t p) const {
  std::vector<std::size_t> out(parameters.size());
  for (std::size_t k = parameters.size(); k-- > 0;) {
    out[k] = p % parameters[k].values.size();
    p /= parameters[k].values.size();
  }
  return out;
}

std::string SweepShape::label(std::size_t p) const {
  std::string out = scenario_names.size() > 1 ? scenario_names[scenario_of(p)] : "";
  const std::vector<std::size_t> v = values_of(p);
  for (std::size_t k = 0; k < parameters.size(); ++k)
    out += (out.empty() ? "" : " ") + parameters[k].key + "=" + parameters[k].values[v[k]];
  return out.empty() ? scenario_names[scenario_of(p)] : out;
}

std::string fingerprint(const sim::Scenario& sc) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits
  for (const char c : sim::write_scenario(sc))
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

std::optional<std::string> check_sweep(const SweepSpec& spec) {
  if (spec.shape.seeds.empty()) return std::string("no seeds");
  if (spec.shape.scenario_names.empty()) return std::string("no scenario to play");
  // Products are taken one factor at a time, stopping past the limit, so that they cannot
  // overflow (point_count() is only used once this has passed).
  std::size_t runs = spec.shape.seeds.size() * spec.shape.scenario_names.size();
  for (const SweepParameter& p : spec.shape.parameters) {
    if (runs > max_runs) break;
    runs *= p.values.size();
  }
  if (runs > max_runs)
    return "the sweep has more than " + std::to_string(max_runs) +
           " runs; vary fewer values or use fewer seeds";
  for (std::size_t i = 0; i < spec.shape.parameters.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (spec.shape.parameters[i].key == spec.shape.parameters[j].key)
        return "--vary " + spec.shape.parameters[i].key + " is given twice";
  for (std::size_t s = 0; s < spec.scenarios.size(); ++s)
    for (const SweepParameter& p : spec.shape.parameters) {
      // Each value's setting as the scenario then holds it, to find two values that mean the
      // same (600 and 10m).
      std::vector<std::vector<std::optional<std::int64_t>>> played;
      for (const std::string& v : p.values) {
        sim::Scenario copy = spec.scenarios[s];
        if (auto error = sim::apply_what_if(copy, p.key + "=" + v))
          return "--vary " + *error + " (scenario " + spec.shape.scenario_names[s] + ")";
        std::string error;
        played.push_back(sim::setting_values(copy, p.key, error)
                             .value_or(std::vector<std::optional<std::int64_t>>{}));
        for (std::size_t k = 0; k + 1 < played.size(); ++k)
          if (played[k] == played.back())
            return "--vary " + p.key + ": " + p.values[k] + " and " + v + " are the same setting";
      }
    }
  return std::nullopt;
}

RunMetrics run_one(const SweepSpec& spec, std::size_t index) {
  RunMetrics m;
  m.point = index / spec.shape.seeds.size();
  m.seed = spec.shape.seeds[index % spec.shape.seeds.size()];
  sim::Scenario sc = spec.scenarios[spec.shape.scenario_of(m.point)];
  const std::vector<std::size_t> v = spec.shape.values_of(m.point);
  for (std::size_t k = 0; k < spec.shape.parameters.size(); ++k)
    if (auto error = sim::apply_what_if(
            sc, spec.shape.parameters[k].key + "=" + spec.shape.parameters[k].values[v[k]]))
      throw std::runtime_error(*error);  // check_sweep() has ruled this out
  sc.seed = m.seed;
  sim::Simulator s(sc, m.seed, nullptr);
  s.run();
  const sim::RunStats& st = s.stats();
  m.availability = sim::availability(st);
  m.attempts = st.attempts;
  m.unanswered = st.unanswered;
  m.duplicates = st.duplicates.size();
  m.clients_without_lease = st.impact.without_lease.size();
  m.worst_without_lease_s = static_cast<double>(st.impact.worst().count()) / 1000.0;
  if (st.last_heal && st.normal_after_heal)
    m.time_to_normal_s =
        static_cast<double>((*st.normal_after_heal - *st.last_heal).count()) / 1000.0;
  for (std::size_t i = 0; i < 2; ++i) {
    const auto it = st.time_in_state[i].find(core::State::partner_down);
    if (it != st.time_in_state[i].end())
      m.partner_down_s += static_cast<double>(it->second.count()) / 1000.0;
    m.pool_exhausted +=
        s.server(i).stats().no_free_leases + s.server(i).stats().peer_holds_all_free;
    m.acks[i] = s.server(i).stats().acks;
  }
  std::uint64_t grants = 0;
  for (const auto& [secs, n] : st.lease_times) grants += n;
  if (grants > 0) {
    m.lease_min_s = st.lease_times.begin()->first;
    m.lease_max_s = st.lease_times.rbegin()->first;
    std::uint64_t seen = 0;
    for (const auto& [secs, n] : st.lease_times) {
      seen += n;
      if (seen > (grants - 1) / 2) {
        m.lease_median_s = secs;  // the lower median
        break;
      }
    }
  }
  m.events = st.events;
  m.expectations = sim::check_expectations(s);
  return m;
}

std::optional<Shard> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto k = parse_seed(std::string(text.substr(0, slash))),
             n = parse_seed(std::string(text.substr(slash + 1)));
  if (!k || !n || *k < 1 || *k > *n || *n > 1000000) return std::nullopt;
  return Shard{static_cast<std::size_t>(*k), static_cast<std::size_t>(*n)};
}

std::optional<std::string> check_shard(const SweepSpec& spec, Shard shard) {
  const std::size_t runs = spec.shape.run_count() / shard.count +
                           (spec.shape.run_count() % shard.count >= shard.index ? 1 : 0);
  if (runs > max_shard_runs)
    return "this process would play " + std::to_string(runs) + " runs, more than the " +
           std::to_string(max_shard_runs) +
           " one process holds; split the sweep with --shard K/N (N at least " +
           std::to_string((spec.shape.run_count() + max_shard_runs - 1) / max_shard_runs) + ")";
  return std::nullopt;
}

std::vector<RunMetrics> run_sweep(const SweepSpec& spec, Shard shard, unsigned jobs,
                                  const std::atomic<bool>& stop,
                                  const std::function<void(std::size_t, std::size_t)>& progress) {
  std::vector<std::size_t> runs;
  for (std::size_t i = shard.index - 1; i < spec.shape.run_count(); i += shard.count)
    runs.push_back(i);
  std::vector<std::optional<RunMetrics>> results(runs.size());
  for_each_index(
      runs.size(), jobs, stop,
      [&](std::size_t k) {
        try {
          results[k] = run_one(spec, runs[k]);
        } catch (const std::exception& e) {
          throw std::runtime_error("run " + std::to_string(runs[k]) + " (" +
                                   spec.shape.label(runs[k] / spec.shape.seeds.size()) +
                                   "): " + e.what());
        }
      },
      [&](std::size_t done) {
        if (progress) progress(done, runs.size());
      });
  std::vector<RunMetrics> out;
  for (auto& r : results)
    if (r) out.push_back(std::move(*r));
  return out;
}

}  // namespace fosim::tools
