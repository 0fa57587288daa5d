// Shrinking a violating draw of `fosim explore`: the smallest scenario found that still breaks
// the same invariant (the first one the draw broke, in Invariant order).
//
// Each step is kept only while the violation still reproduces: whole faults are dropped (a cut
// with its heal, a stop with its start; a restart alone), each client group's count is halved,
// scripted clients are dropped, each fault is shortened to the first timer boundary (a second,
// or max-response-delay, T1, the MCLT, T2, the lease time, each plus a second) and begun as
// soon after the action before it, and the run is cut to end a second after its bound. Every trial
// is a plain check_draw() of a candidate, so the result depends on the draw alone (no clock, no
// thread), and at most `max_trials` trials are run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fosim/tools/explore.hpp"

namespace fosim::tools {

/// A shrunk draw and what shrinking did.
struct ShrinkResult {
  ExploreDraw draw;     ///< the smallest draw found (the one given when none smaller)
  DrawOutcome outcome;  ///< its check
  Invariant kind = Invariant::duplicate;  ///< the invariant kept broken
  std::size_t faults_before = 0, faults_after = 0;
  std::uint64_t clients_before = 0, clients_after = 0;
  core::Duration duration_before{}, duration_after{};  ///< how long the run plays
  std::size_t trials = 0;                              ///< candidate runs played
};

/// The faults of `sc`'s script: each as the indices of its actions (begin and end, or one).
std::vector<std::vector<std::size_t>> script_faults(const sim::Scenario& sc);

/// Shrinks `drawn`, whose check `outcome` broke an invariant, in at most `max_trials` runs.
ShrinkResult shrink_draw(const ExploreDraw& drawn, const DrawOutcome& outcome,
                         std::size_t max_trials = 200);

/// The name of draw `draw`'s scenario as drawn, beside its shrunk reproducer:
/// "violation-K-drawn.json".
std::string drawn_file(std::size_t draw);

/// What shrinking did, e.g. "draw 4 shrunk (not-normal): 3 faults -> 1, 20 clients -> 1, run
/// 1h10m -> 5m32s, 7 trial runs" (or "draw 4 kept as drawn" when no trial ran).
std::string shrink_line(const ShrinkResult& r);

}  // namespace fosim::tools
