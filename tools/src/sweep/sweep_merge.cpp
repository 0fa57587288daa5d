// Reading sweep.json back, and combining the results of a sweep's shards (`fosim merge`).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fosim/tools/sweep_output.hpp"

namespace fosim::tools {
namespace {

using Json = nlohmann::ordered_json;

/// No sweep fosim plays is larger (fosim sweep refuses more than 10,000,000 runs).
constexpr std::size_t max_runs = 10000000;
constexpr std::size_t max_seeds = 1000000;

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

/// What keeps `j` from being a sweep.json of the format this fosim reads, if anything.
std::optional<std::string> format_problem(const Json& j) {
  if (!j.is_object() || !j.contains("fosim_sweep")) return "not a fosim sweep.json";
  if (j.at("fosim_sweep") != 1)
    return "sweep.json format " + j.at("fosim_sweep").dump() + " is not one this fosim reads (1)";
  return std::nullopt;
}

/// Reads the scenarios, varied parameters and seeds; what is wrong with them, if anything.
std::optional<std::string> read_shape(const Json& j, SweepShape& shape) {
  shape.scenario_names = j.at("scenarios").get<std::vector<std::string>>();
  shape.scenario_fingerprints = j.at("scenario_fingerprints").get<std::vector<std::string>>();
  for (const Json& p : j.at("parameters"))
    shape.parameters.push_back(
        {p.at("key").get<std::string>(), p.at("values").get<std::vector<std::string>>()});
  for (const Json& seed : j.at("seeds")) shape.seeds.push_back(whole(seed));
  if (shape.scenario_names.empty() || shape.seeds.empty() ||
      std::any_of(shape.parameters.begin(), shape.parameters.end(),
                  [](const SweepParameter& p) { return p.values.empty(); }))
    return "a sweep without scenarios, seeds or parameter values";
  if (shape.scenario_fingerprints.size() != shape.scenario_names.size())
    return "a fingerprint for each scenario is needed";
  std::size_t runs = shape.seeds.size() * shape.scenario_names.size();
  for (const SweepParameter& p : shape.parameters) {
    if (runs > max_runs) break;
    runs *= p.values.size();
  }
  if (runs > max_runs || shape.seeds.size() > max_seeds) return "more runs than a sweep holds";
  return std::nullopt;
}

/// Reads which shard the result is of and whether it was interrupted; a problem, if any.
std::optional<std::string> read_shard(const Json& j, SweepResult& r) {
  if (j.contains("shard")) {
    const auto s = parse_shard(j.at("shard").get<std::string>());
    if (!s) return "shard '" + j.at("shard").get<std::string>() + "' is not K/N";
    r.shard = s;
  }
  r.interrupted = j.value("interrupted", false);
  return std::nullopt;
}

/// Reads one run of `shape` into `m`; what is wrong with it, if anything.
std::optional<std::string> read_run(const Json& o, const SweepShape& shape, RunMetrics& m) {
  if (!o.at("point").is_number_unsigned() || !o.at("seed").is_number_unsigned())
    return "a run's point and seed must be whole numbers >= 0";
  m.point = o.at("point").get<std::size_t>();
  m.seed = o.at("seed").get<std::uint64_t>();
  if (m.point >= shape.point_count() ||
      std::find(shape.seeds.begin(), shape.seeds.end(), m.seed) == shape.seeds.end())
    return "run of point " + std::to_string(m.point) + ", seed " + std::to_string(m.seed) +
           " is not in the sweep";
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
  if (o.contains("clients_without_lease"))  // absent from an earlier fosim's shard
    m.clients_without_lease = whole(o.at("clients_without_lease"));
  if (o.contains("worst_without_lease_s"))
    m.worst_without_lease_s = o.at("worst_without_lease_s").get<double>();
  m.events = whole(o.at("events"));
  for (const Json& e : o.at("expectations"))
    m.expectations.push_back({e.at("what").get<std::string>(), e.at("passed").get<bool>(),
                              e.at("observed").get<std::string>()});
  return std::nullopt;
}

/// Reads the whole of sweep.json `text` into `r`; what is wrong with it, if anything. Throws
/// Json::exception or std::invalid_argument on a value of the wrong kind.
std::optional<std::string> read_result(std::string_view text, SweepResult& r) {
  const Json j = Json::parse(text);
  if (auto problem = format_problem(j)) return problem;
  if (auto problem = read_shape(j, r.shape)) return problem;
  if (auto problem = read_shard(j, r)) return problem;
  for (const Json& o : j.at("runs")) {
    RunMetrics m;
    if (auto problem = read_run(o, r.shape, m)) return problem;
    r.runs.push_back(std::move(m));
  }
  return std::nullopt;
}

/// Why shard result `s` cannot be merged with `first`, the first of them, if it cannot.
std::optional<std::string> shard_problem(const SweepResult& s, const SweepResult& first) {
  if (!(s.shape == first.shape)) {
    const char* what = s.shape.scenario_names != first.shape.scenario_names ? "scenarios"
                       : s.shape.scenario_fingerprints != first.shape.scenario_fingerprints
                           ? "scenario contents (edited between the runs?)"
                       : s.shape.seeds != first.shape.seeds ? "seeds"
                                                            : "varied parameters";
    return s.source + " and " + first.source + " are of different sweeps: their " + what +
           " differ";
  }
  if (s.interrupted)
    return s.source +
           (s.shard ? " (shard " + std::to_string(s.shard->index) + "/" +
                          std::to_string(s.shard->count) + ")"
                    : "") +
           " was interrupted: run it again";
  return std::nullopt;
}

/// Puts each run of `s` at its place in `runs` (indexed by run); a run already placed is a
/// problem.
std::optional<std::string> place_runs(const SweepResult& s, const SweepShape& shape,
                                      std::vector<const RunMetrics*>& runs) {
  for (const RunMetrics& m : s.runs) {
    const auto at = std::find(shape.seeds.begin(), shape.seeds.end(), m.seed) - shape.seeds.begin();
    const std::size_t i = m.point * shape.seeds.size() + static_cast<std::size_t>(at);
    if (runs[i] != nullptr)
      return "run " + std::to_string(i) + " (" + shape.label(m.point) + ", seed " +
             std::to_string(m.seed) + ") is in two results (" + s.source + " and another)";
    runs[i] = &m;
  }
  return std::nullopt;
}

/// Which runs no shard holds, and of which of `count` shards they are, if any.
std::optional<std::string> missing_problem(const std::vector<const RunMetrics*>& runs,
                                           std::size_t count) {
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (runs[i] == nullptr) missing.push_back(i);
  if (missing.empty()) return std::nullopt;
  std::string which;
  std::vector<bool> shard_missing(count, false);
  for (std::size_t i : missing) shard_missing[i % count] = true;
  for (std::size_t k = 0; k < count; ++k)
    if (shard_missing[k])
      which += (which.empty() ? "" : ", ") + std::to_string(k + 1) + "/" + std::to_string(count);
  return std::to_string(missing.size()) + " of " + std::to_string(runs.size()) +
         " runs are missing (shard " + which + ")";
}

/// Checks that every run of a point checks the same expectations; the first that does not.
std::optional<std::string> expectations_problem(const std::vector<const RunMetrics*>& runs,
                                                const SweepShape& shape) {
  const std::size_t seeds = shape.seeds.size();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunMetrics& first = *runs[i - i % seeds];
    const RunMetrics& m = *runs[i];
    bool same = first.expectations.size() == m.expectations.size();
    for (std::size_t k = 0; same && k < m.expectations.size(); ++k)
      same = first.expectations[k].what == m.expectations[k].what;
    if (!same)
      return "the runs of " + shape.label(m.point) + " check different expectations (seeds " +
             std::to_string(first.seed) + " and " + std::to_string(m.seed) +
             "): the results are not of one sweep";
  }
  return std::nullopt;
}

}  // namespace

std::optional<SweepResult> read_sweep_json(std::string_view text, const std::string& file,
                                           std::string& error) {
  SweepResult r;
  std::optional<std::string> problem;
  try {
    problem = read_result(text, r);
  } catch (const Json::exception& e) {
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    problem = what;
  } catch (const std::invalid_argument& e) {
    problem = e.what();
  }
  if (problem) {
    error = file + ": " + *problem;
    return std::nullopt;
  }
  r.source = file;
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
  std::vector<const RunMetrics*> runs(out.shape.run_count(), nullptr);
  std::optional<std::string> problem;
  for (auto s = shards.begin(); !problem && s != shards.end(); ++s) {
    problem = shard_problem(*s, shards[0]);
    if (!problem) problem = place_runs(*s, out.shape, runs);
  }
  if (!problem) problem = missing_problem(runs, shards[0].shard ? shards[0].shard->count : 1);
  if (!problem) problem = expectations_problem(runs, out.shape);
  if (problem) {
    error = *problem;
    return std::nullopt;
  }
  for (const RunMetrics* m : runs) out.runs.push_back(*m);
  return out;
}

}  // namespace fosim::tools
