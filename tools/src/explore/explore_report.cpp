// What `fosim explore` prints and writes: a line per violating draw, a table per invariant, and
// explore.json.
#include "fosim/tools/explore_report.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "fosim/core/state.hpp"

namespace fosim::tools {
namespace {

bool violates(const DrawOutcome& o, Invariant kind) {
  for (const Invariant v : o.violated)
    if (v == kind) return true;
  return false;
}

std::string name_of(Invariant kind) {
  return std::string(invariant_names[static_cast<std::size_t>(kind)]);
}

/// What the run showed of `kind`, e.g. "2 duplicates".
std::string detail(const ExploreSpec& spec, const DrawOutcome& o, Invariant kind) {
  switch (kind) {
    case Invariant::duplicate:
      return std::to_string(o.duplicates) + (o.duplicates == 1 ? " duplicate" : " duplicates");
    case Invariant::mclt:
      return std::to_string(o.mclt_violations) + " leases past ack + MCLT";
    case Invariant::not_normal:
      return spec.base.servers[0].host + " " + std::string(core::to_string(o.states_at_bound[0])) +
             ", " + spec.base.servers[1].host + " " +
             std::string(core::to_string(o.states_at_bound[1])) + " " + duration_text(spec.settle) +
             " after the last fault";
  }
  return {};
}

/// "explained by lost-storage, stale-update" or "not a documented ISC hazard".
std::string explanation(const DrawOutcome& o) {
  if (o.hazards.empty()) return "not a documented ISC hazard";
  return "explained by " + hazard_list(o.hazards);
}

nlohmann::ordered_json hazard_names(const DrawOutcome& o) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const sim::Hazard h : o.hazards) a.push_back(sim::to_string(h));
  return a;
}

}  // namespace

std::string violation_file(std::size_t draw) {
  return "violation-" + std::to_string(draw) + ".json";
}

std::string explore_violations(const ExploreSpec& spec, const std::vector<DrawOutcome>& outcomes,
                               const std::string& out_dir) {
  std::string out;
  bool any = false;
  for (const DrawOutcome& o : outcomes) {
    if (o.violated.empty()) continue;
    out += "draw " + std::to_string(o.index) + " (seed " + std::to_string(o.seed) + "):";
    for (std::size_t k = 0; k < o.violated.size(); ++k)
      out += (k ? "; " : " ") + name_of(o.violated[k]) + " (" + detail(spec, o, o.violated[k]) +
             (acceptable(spec.base, o.violated[k]) ? ", acceptable to the scenario" : "") + ")";
    out += "; " + explanation(o);
    if (!out_dir.empty())
      out += "; fosim run " + shell_word(out_dir + "/" + violation_file(o.index));
    out += "\n";
    any = true;
  }
  if (any && out_dir.empty())
    out +=
        "(the same command with --out DIR writes each as DIR/violation-K.json, which fosim run "
        "plays)\n";
  return out;
}

std::string explore_table(const ExploreSpec& spec, const std::vector<DrawOutcome>& outcomes) {
  std::string out = "invariant          draws violating  first draw\n";
  std::size_t any = 0;
  for (std::size_t k = 0; k < invariant_names.size(); ++k) {
    std::size_t count = 0;
    std::optional<std::size_t> first;
    for (const DrawOutcome& o : outcomes)
      if (violates(o, static_cast<Invariant>(k))) {
        ++count;
        if (!first) first = o.index;
      }
    std::string line(invariant_names[k]);
    line.resize(19, ' ');
    const std::string n = std::to_string(count);
    line += std::string(16 - n.size(), ' ') + n;
    const std::string f = first ? std::to_string(*first) : "-";
    line += std::string(12 - f.size(), ' ') + f;
    if (acceptable(spec.base, static_cast<Invariant>(k))) line += "  (acceptable to the scenario)";
    out += line + "\n";
  }
  std::size_t unexplained = 0, accepted = 0;
  for (const DrawOutcome& o : outcomes) {
    if (o.violated.empty()) continue;
    ++any;
    const bool all_accepted = std::all_of(o.violated.begin(), o.violated.end(),
                                          [&](Invariant i) { return acceptable(spec.base, i); });
    if (all_accepted)
      ++accepted;
    else if (o.hazards.empty())
      ++unexplained;
  }
  out += std::to_string(outcomes.size()) + " draws, " + std::to_string(any) +
         (any == 1 ? " violates" : " violate") + " an invariant";
  if (accepted != 0)
    out += ", " + std::to_string(accepted) + " of them only as the scenario accepts";
  if (any != accepted)
    out += ", " + std::to_string(unexplained) + " of them not explained by a documented ISC hazard";
  out += "\n";
  return out;
}

std::string profile_table(const std::vector<DrawOutcome>& isc,
                          const std::vector<DrawOutcome>& draft) {
  std::map<std::size_t, const DrawOutcome*> under_draft;
  for (const DrawOutcome& o : draft) under_draft[o.index] = &o;
  std::string out = "invariant          isc-4.4  draft-12  isc-4.4 only  draft-12 only\n";
  const auto column = [](std::size_t n, std::size_t width) {
    const std::string text = std::to_string(n);
    return std::string(width - std::min(width, text.size()), ' ') + text;
  };
  for (std::size_t k = 0; k < invariant_names.size(); ++k) {
    const auto kind = static_cast<Invariant>(k);
    std::size_t a = 0, b = 0, only_a = 0, only_b = 0;
    for (const DrawOutcome& o : isc) {
      const auto other = under_draft.find(o.index);
      if (other == under_draft.end()) continue;  // interrupted before its draft-12 run
      const bool x = violates(o, kind), y = violates(*other->second, kind);
      a += x;
      b += y;
      only_a += x && !y;
      only_b += y && !x;
    }
    std::string line(invariant_names[k]);
    line.resize(17, ' ');
    out += line + column(a, 9) + column(b, 10) + column(only_a, 14) + column(only_b, 15) + "\n";
  }
  std::size_t differ = 0;
  std::string lines;
  const auto named = [](const DrawOutcome& o) {
    std::string text;
    for (const Invariant v : o.violated) text += (text.empty() ? "" : ", ") + name_of(v);
    return text.empty() ? std::string("keeps every promise") : text;
  };
  for (const DrawOutcome& o : isc) {
    const auto other = under_draft.find(o.index);
    if (other == under_draft.end() || other->second->violated == o.violated) continue;
    if (++differ <= 20)
      lines += "  draw " + std::to_string(o.index) + " (seed " + std::to_string(o.seed) +
               "): isc-4.4 " + named(o) + "; draft-12 " + named(*other->second) + "\n";
  }
  out += std::to_string(differ) + (differ == 1 ? " draw differs" : " draws differ") +
         " between the profiles" + (differ == 0 ? "\n" : ":\n") + lines;
  if (differ > 20) out += "  (and " + std::to_string(differ - 20) + " more)\n";
  return out;
}

std::string explore_json(const ExploreSpec& spec, const std::vector<DrawOutcome>& outcomes,
                         bool written, const std::vector<ShrinkResult>& shrunk) {
  nlohmann::ordered_json j;
  j["command"] = explore_command(spec);
  j["scenario"] = spec.scenario_file;
  j["seed"] = spec.seed;
  j["draws"] = spec.draws;
  j["finished"] = outcomes.size();
  j["ranges"] = nlohmann::ordered_json::array();
  for (const ExploreRange& r : spec.ranges)
    j["ranges"].push_back({{"key", r.key}, {"from", r.from}, {"to", r.to}});
  j["safety_s"] = spec.safety.count() / 1000;
  j["settle_s"] = spec.settle.count() / 1000;
  j["max_faults"] = spec.max_faults;
  j["actions"] = nlohmann::ordered_json::array();
  for (const FaultKind k : spec.kinds)
    j["actions"].push_back(fault_kind_names[static_cast<std::size_t>(k)]);
  j["lost_storage_percent"] = spec.lost_storage_percent;
  j["profile"] = core::to_string(spec.base.profile);
  j["invariants"] = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < invariant_names.size(); ++k) {
    std::size_t count = 0;
    nlohmann::ordered_json first = nullptr;
    for (const DrawOutcome& o : outcomes)
      if (violates(o, static_cast<Invariant>(k))) {
        if (count++ == 0) first = o.index;
      }
    j["invariants"].push_back({{"kind", invariant_names[k]},
                               {"draws", count},
                               {"first_draw", first},
                               {"acceptable", acceptable(spec.base, static_cast<Invariant>(k))}});
  }
  j["violations"] = nlohmann::ordered_json::array();
  for (const DrawOutcome& o : outcomes)
    for (const Invariant v : o.violated)
      j["violations"].push_back({{"kind", name_of(v)},
                                 {"draw", o.index},
                                 {"seed", o.seed},
                                 {"detail", detail(spec, o, v)},
                                 {"hazards", hazard_names(o)},
                                 {"file", written ? nlohmann::ordered_json(violation_file(o.index))
                                                  : nlohmann::ordered_json(nullptr)}});
  j["shrunk"] = nlohmann::ordered_json::array();
  for (const ShrinkResult& r : shrunk)
    j["shrunk"].push_back(
        {{"draw", r.draw.index},
         {"seed", r.draw.seed},
         {"kind", name_of(r.kind)},
         {"faults", {{"drawn", r.faults_before}, {"shrunk", r.faults_after}}},
         {"clients", {{"drawn", r.clients_before}, {"shrunk", r.clients_after}}},
         {"duration_s",
          {{"drawn", r.duration_before.count() / 1000},
           {"shrunk", r.duration_after.count() / 1000}}},
         {"trials", r.trials},
         {"file", written ? nlohmann::ordered_json(violation_file(r.draw.index))
                          : nlohmann::ordered_json(nullptr)},
         {"drawn_file", written && r.trials > 0 ? nlohmann::ordered_json(drawn_file(r.draw.index))
                                                : nlohmann::ordered_json(nullptr)}});
  return j.dump(2) + "\n";
}

}  // namespace fosim::tools
