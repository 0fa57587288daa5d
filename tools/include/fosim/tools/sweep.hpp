// `fosim sweep`: a grid of configuration choices played over many seeds.
//
// A sweep is scenarios x (the cartesian product of the varied parameters) x seeds. Every run
// has a fixed index in that order (scenario, then the parameters in the order given with the
// last varying fastest, then the seed), so the result does not depend on how many threads
// ran it, in which order runs finished, or how the runs were split into shards. Each run is
// an ordinary deterministic simulation of the scenario with the point's settings applied (as
// `fosim replay --what-if` applies them) and the run's seed.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/sim/scenario.hpp"
#include "fosim/sim/summary.hpp"

namespace fosim::tools {

/// One varied setting and its values, as text (each applied as KEY=VALUE).
struct SweepParameter {
  std::string key;
  std::vector<std::string> values;
};

/// Parses a --vary argument: KEY=V1,V2,... or KEY=FROM..TO:STEP (whole numbers, or durations
/// such as 5m..1h:5m; TO included when the steps reach it). Nothing, with `error`, when invalid.
std::optional<SweepParameter> parse_vary(std::string_view text, std::string& error);

/// Parses --seeds: "7", "1,5,9" or "1..20". Nothing, with `error`, when invalid.
std::optional<std::vector<std::uint64_t>> parse_seeds(std::string_view text, std::string& error);

/// The shape of a sweep: its scenarios' names, the varied parameters and the seeds. Point p
/// is a scenario and one value of each parameter; run i is point i / seeds and seed i % seeds.
struct SweepShape {
  std::vector<std::string> scenario_names;  ///< as the scenarios call themselves
  /// A fingerprint of each scenario as played (FNV-1a of its scenario file as fosim writes it),
  /// so that shards of sweeps over edited scenarios are not merged.
  std::vector<std::string> scenario_fingerprints;
  std::vector<SweepParameter> parameters;
  std::vector<std::uint64_t> seeds;

  std::size_t point_count() const;
  std::size_t run_count() const { return point_count() * seeds.size(); }
  /// The scenario of point `p`, and the index of each parameter's value.
  std::size_t scenario_of(std::size_t p) const;
  std::vector<std::size_t> values_of(std::size_t p) const;
  /// "mclt=300 split=128" (the scenario name first when there are several).
  std::string label(std::size_t p) const;
  bool operator==(const SweepShape& o) const {
    if (scenario_names != o.scenario_names || scenario_fingerprints != o.scenario_fingerprints ||
        seeds != o.seeds || parameters.size() != o.parameters.size())
      return false;
    for (std::size_t k = 0; k < parameters.size(); ++k)
      if (parameters[k].key != o.parameters[k].key ||
          parameters[k].values != o.parameters[k].values)
        return false;
    return true;
  }
};

/// What a sweep plays: its shape and the scenarios themselves.
struct SweepSpec {
  SweepShape shape;
  std::vector<sim::Scenario> scenarios;
};

/// The fingerprint of a scenario (see SweepShape).
std::string fingerprint(const sim::Scenario& sc);

/// Checks that every value of every parameter applies to every scenario, that no two values
/// of a parameter mean the same setting, and that the sweep is of a size fosim plays; an
/// error message naming the parameter, the value and the scenario otherwise.
std::optional<std::string> check_sweep(const SweepSpec& spec);

/// What one run showed.
struct RunMetrics {
  std::size_t point = 0;
  std::uint64_t seed = 0;
  double availability = 1.0;  ///< answered / attempted exchanges
  std::uint64_t attempts = 0;
  std::uint64_t unanswered = 0;            ///< client attempts no server answered in time
  std::uint64_t duplicates = 0;            ///< addresses held by two clients at once
  std::optional<double> time_to_normal_s;  ///< from the last heal to both normal
  double partner_down_s = 0;               ///< both servers' time in partner-down, added
  std::optional<std::int64_t> lease_min_s, lease_median_s, lease_max_s;  ///< lease times granted
  std::uint64_t pool_exhausted = 0;         ///< "no free leases" / "peer holds all free leases"
  std::uint64_t acks[2] = {0, 0};           ///< DHCPACKs by the primary and the secondary
  std::uint64_t clients_without_lease = 0;  ///< clients that went without a valid lease
  double worst_without_lease_s = 0;         ///< the longest a client went without one
  std::uint64_t events = 0;
  std::vector<sim::ExpectationResult> expectations;
};

/// Plays run `index` of `spec` (see the file comment for the order).
RunMetrics run_one(const SweepSpec& spec, std::size_t index);

/// Which runs a shard plays: run i belongs to shard (i mod count) + 1.
struct Shard {
  std::size_t index = 1, count = 1;
  bool holds(std::size_t run) const { return run % count == index - 1; }
};

/// Parses --shard K/N (1 <= K <= N <= 1000000).
std::optional<Shard> parse_shard(std::string_view text);

/// Checks that one process can hold the results of `shard`; an error message otherwise.
std::optional<std::string> check_shard(const SweepSpec& spec, Shard shard);

/// Plays the runs of `shard` on `jobs` threads. `progress(done, total)` is called (from one
/// thread at a time) after each run; when `stop` turns true no further run starts. Returns
/// the finished runs, in run order.
std::vector<RunMetrics> run_sweep(const SweepSpec& spec, Shard shard, unsigned jobs,
                                  const std::atomic<bool>& stop,
                                  const std::function<void(std::size_t, std::size_t)>& progress);

}  // namespace fosim::tools
