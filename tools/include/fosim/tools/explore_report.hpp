// The outputs of `fosim explore`: text for the terminal and explore.json for scripts
// (docs/explore.md describes both).
#pragma once

#include <string>
#include <vector>

#include "fosim/tools/explore.hpp"
#include "fosim/tools/explore_shrink.hpp"

namespace fosim::tools {

/// The name of draw `draw`'s reproducer in the --out directory: "violation-K.json".
std::string violation_file(std::size_t draw);

/// A line per violating draw: its index, its seed, each invariant it broke with what the run
/// showed, and its reproducer file when `out_dir` is not empty.
std::string explore_violations(const ExploreSpec& spec, const std::vector<DrawOutcome>& outcomes,
                               const std::string& out_dir);

/// The table: per invariant, how many draws broke it and the first that did, marking those the
/// scenario declares acceptable.
std::string explore_table(const ExploreSpec& spec, const std::vector<DrawOutcome>& outcomes);

/// --compare-profiles: per invariant, the draws breaking it under ISC's rules and under
/// draft-12's, and those only one profile breaks (what ISC's departures from the draft add or
/// remove); then a line per draw whose broken invariants differ. `isc` and `draft` are the
/// same draws' outcomes under each profile.
std::string profile_table(const std::vector<DrawOutcome>& isc,
                          const std::vector<DrawOutcome>& draft);

/// explore.json: the exploration (seed, every option), the table, and every violation (kind,
/// draw, seed, detail, its file when `written`), and what shrinking did to each violating draw
/// (`shrunk`).
std::string explore_json(const ExploreSpec& spec, const std::vector<DrawOutcome>& outcomes,
                         bool written, const std::vector<ShrinkResult>& shrunk = {});

}  // namespace fosim::tools
