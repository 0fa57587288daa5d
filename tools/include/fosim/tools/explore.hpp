// `fosim explore`: many scenarios drawn around one, played, and checked against the promises
// the failover protocol makes.
//
// From one seed, draw k (0-based) gets its own seed (draw_seed()), and from that seed alone its
// settings (each --range drawn uniformly, the rest as the scenario has them) and its fault
// script: faults that start and end within the safety phase, then a liveness phase of the
// settle bound with every server running and the link whole. No operator partner-down and no
// auto-partner-down is ever drawn, so the protocol promises safety throughout: no address held
// by two clients, no lease past the partner's acknowledgement plus the MCLT. It promises
// liveness too: both servers in normal once the faults are over. A draw is a plain scenario,
// written as a scenario file that `fosim run` plays to the same result.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/sim/hazard.hpp"
#include "fosim/sim/invariant.hpp"
#include "fosim/sim/run_stats.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::tools {

/// One --range KEY=FROM..TO: a numeric setting drawn uniformly in [from, to].
struct ExploreRange {
  std::string key;        ///< a what-if key (mclt, primary.max_response_delay, ...)
  std::int64_t from = 0;  ///< seconds or a count, as the setting's unit is
  std::int64_t to = 0;    ///< included
  std::string text;       ///< as given, for the command line that reproduces
};

/// The faults a draw's script is made of; each is undone before the liveness phase.
enum class FaultKind : std::uint8_t {
  partition,  ///< the link is cut (both ways or one), then healed
  crash,      ///< a server's machine vanishes, then its dhcpd starts
  kill,       ///< a server's process dies, then starts
  stop,       ///< a server is shut down through OMAPI, then starts
  freeze,     ///< a server's process is frozen, then thawed
  restart,    ///< a server is restarted (killed or shut down, and started at once)
};

/// The names of FaultKind, in its order (the --actions vocabulary).
inline constexpr std::array<std::string_view, 6> fault_kind_names{"partition", "crash",  "kill",
                                                                  "stop",      "freeze", "restart"};

/// What an exploration draws from.
struct ExploreSpec {
  std::string scenario_file;  ///< as given on the command line
  sim::Scenario base;         ///< the scenario, faults and expectations taken out (prepare_base)
  std::uint64_t seed = 1;
  std::size_t draws = 0;
  std::vector<ExploreRange> ranges;
  core::Duration safety{};                  ///< faults start and end within [0, safety)
  core::Duration settle{};                  ///< the liveness bound after the last fault
  std::size_t max_faults = 3;               ///< each draw has 1 to this many (0: none)
  std::vector<FaultKind> kinds;             ///< the faults drawn from
  std::uint32_t lost_storage_percent = 25;  ///< chance a start / restart loses its file
  /// --profile, when given (base.profile is then set to it; the command line repeats it).
  std::optional<core::ProfileId> profile;
};

/// The scenario explored around: its script without faults or operator actions (the scripted
/// clients, client arrivals and clock changes stay), no expectations, auto-partner-down off.
sim::Scenario prepare_base(const sim::Scenario& sc);

/// Parses --range KEY=FROM..TO (whole numbers, or durations of whole seconds); nothing, with
/// `error`, when malformed.
std::optional<ExploreRange> parse_range(std::string_view text, std::string& error);

/// Checks that both ends of `r` are valid values of its setting in `base` (the setting's own
/// message, naming what would be valid, otherwise).
std::optional<std::string> check_range(const sim::Scenario& base, const ExploreRange& r);

/// The default settle bound: twice the largest MCLT a draw can have, plus 10 minutes.
core::Duration default_settle(const ExploreSpec& spec);

/// The seed of draw `index` of an exploration seeded with `seed`.
std::uint64_t draw_seed(std::uint64_t seed, std::size_t index);

/// One drawn scenario.
struct ExploreDraw {
  std::size_t index = 0;
  std::uint64_t seed = 0;         ///< its own seed: the scenario's seed, and what drew it
  sim::Scenario scenario;         ///< with the checks as `expect` (no duplicates; both normal)
  core::Instant last_recovery{};  ///< the last heal, start, thaw or restart (or the servers' start)
  std::vector<std::string> settings;  ///< "mclt=1234" per range, as drawn
};

/// Draws scenario `index` of `spec`.
ExploreDraw draw_scenario(const ExploreSpec& spec, std::size_t index);

/// A time the configuration of `sc` makes matter, measured from a fault or an event: a wait of
/// that long plus a second is the first that sees what the timer does.
struct TimerMark {
  const char* name;  ///< "max-response-delay", "mclt", "renewal (T1)", "rebinding (T2)", "lease"
  core::Seconds length;
};

/// The marks of `sc`: the primary's max-response-delay and MCLT, and the pool's default lease
/// time with the client's T1 (half of it) and T2 (seven eighths), in that order; unset or zero
/// ones left out.
std::vector<TimerMark> timer_marks(const sim::Scenario& sc);

using sim::Invariant;
using sim::invariant_names;

/// Whether `sc` declares breaking `i` acceptable (its `acceptable` list).
inline bool acceptable(const sim::Scenario& sc, Invariant i) {
  return std::find(sc.acceptable.begin(), sc.acceptable.end(), i) != sc.acceptable.end();
}

/// What one draw showed.
struct DrawOutcome {
  std::size_t index = 0;
  std::uint64_t seed = 0;
  std::vector<Invariant> violated;  ///< in Invariant order
  std::uint64_t duplicates = 0;
  std::uint64_t mclt_violations = 0;
  std::array<core::State, 2> states_at_bound{};  ///< the servers' states at the bound
  std::uint64_t events = 0;
  /// The documented ISC hazards (sim/hazard.hpp) the run met before its first violation, in
  /// table order: a violation with none is not explained by any of them.
  std::vector<sim::Hazard> hazards;
  std::optional<sim::Duplicate> first_duplicate;  ///< the run's first duplicate, if any
};

/// The hazards of `st` met at or before `by`, each kind once, in table order; when `ip` is
/// given, a hazard of one address counts only for that address.
std::vector<sim::Hazard> hazards_before(const sim::RunStats& st, core::Instant by,
                                        std::optional<std::uint32_t> ip = {});

/// The hazards of `st` that explain `broken`: for a duplicate, those on its address or its
/// servers at or before the first duplicate began; for the other invariants (an MCLT violation
/// is not timed, not-normal is judged at the end), any of the run.
std::vector<sim::Hazard> hazards_explaining(const sim::RunStats& st, Invariant broken);

/// "lost-storage, stale-update": the hazards' names, comma-separated.
std::string hazard_list(const std::vector<sim::Hazard>& hazards);

/// Plays a drawn scenario and checks it.
DrawOutcome check_draw(const ExploreDraw& draw);

/// Draws and plays every draw of `spec` on `jobs` threads; when `stop` turns true no further
/// draw starts. Returns the finished draws, in draw order.
std::vector<DrawOutcome> run_explore(const ExploreSpec& spec, unsigned jobs,
                                     const std::atomic<bool>& stop);

/// The command line that plays the whole exploration again, every default spelled out.
std::string explore_command(const ExploreSpec& spec);
/// Returns `word` as a POSIX shell reads it back: as it is when it holds only letters, digits
/// and `_./:=,+-@%`, else in single quotes (a quote inside as '\'').
std::string shell_word(const std::string& word);

/// Formats whole seconds as a duration the scenario reader takes back: "2h10m", "45s", "0s".
std::string duration_text(core::Duration d);

}  // namespace fosim::tools
