// Playing the draws of `fosim explore` and checking each against the protocol's promises.
#include "fosim/sim/simulator.hpp"
#include "fosim/sim/summary.hpp"
#include "fosim/tools/explore.hpp"
#include "fosim/tools/parallel.hpp"

namespace fosim::tools {

DrawOutcome check_draw(const ExploreDraw& draw) {
  DrawOutcome o;
  o.index = draw.index;
  o.seed = draw.seed;
  sim::Simulator s(draw.scenario, draw.scenario.seed, nullptr);
  s.run();
  const sim::RunStats& st = s.stats();
  o.duplicates = st.duplicates.size();
  o.mclt_violations = st.mclt_violations;
  o.events = st.events;
  // The draw's expectations are the liveness check: both servers normal at the bound.
  bool normal = true;
  for (const sim::StateExpectation& e : draw.scenario.expect.states) {
    o.states_at_bound[e.server] = sim::state_at(s, e.server, e.at);
    normal = normal && o.states_at_bound[e.server] == e.state;
  }
  if (o.duplicates > 0) {
    o.violated.push_back(Invariant::duplicate);
    o.first_duplicate = st.duplicates.front();
  }
  if (o.mclt_violations > 0) o.violated.push_back(Invariant::mclt);
  if (!normal) o.violated.push_back(Invariant::not_normal);
  if (!o.violated.empty()) o.hazards = hazards_explaining(st, o.violated.front());
  return o;
}

std::vector<sim::Hazard> hazards_explaining(const sim::RunStats& st, Invariant broken) {
  if (broken == Invariant::duplicate && !st.duplicates.empty())
    return hazards_before(st, st.duplicates.front().at, st.duplicates.front().ip);
  return hazards_before(st, core::Instant::max());
}

std::string hazard_list(const std::vector<sim::Hazard>& hazards) {
  std::string out;
  for (const sim::Hazard h : hazards)
    out += (out.empty() ? "" : ", ") + std::string(sim::to_string(h));
  return out;
}

std::vector<sim::Hazard> hazards_before(const sim::RunStats& st, core::Instant by,
                                        std::optional<std::uint32_t> ip) {
  std::array<bool, sim::hazard_table.size()> met{};
  for (const sim::HazardMark& m : st.hazards)
    if (m.at <= by && (!ip || !sim::per_address(m.hazard) || m.ip == *ip))
      met[static_cast<std::size_t>(m.hazard)] = true;
  std::vector<sim::Hazard> out;
  for (std::size_t k = 0; k < met.size(); ++k)
    if (met[k]) out.push_back(static_cast<sim::Hazard>(k));
  return out;
}

std::vector<DrawOutcome> run_explore(const ExploreSpec& spec, unsigned jobs,
                                     const std::atomic<bool>& stop) {
  std::vector<std::optional<DrawOutcome>> results(spec.draws);
  for_each_index(spec.draws, jobs, stop,
                 [&](std::size_t k) { results[k] = check_draw(draw_scenario(spec, k)); }, {});
  std::vector<DrawOutcome> out;
  for (auto& r : results)
    if (r) out.push_back(std::move(*r));
  return out;
}

}  // namespace fosim::tools
