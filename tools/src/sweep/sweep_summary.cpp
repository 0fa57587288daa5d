// The summary fosim sweep and fosim merge print on stdout: the failing points first, then a
// line per point (up to 200), then the verdict.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <ostream>
#include <sstream>

#include "fosim/tools/sweep_output.hpp"

namespace fosim::tools {
namespace {

/// `v` with `digits` decimals, or "-" when there is none.
std::string fmt(const std::optional<double>& v, int digits) {
  if (!v) return "-";
  char t[32];
  std::snprintf(t, sizeof t, "%.*f", digits, *v);
  return t;
}

/// The min (`which` < 0), lower median (0) or max (> 0) of `v`; nothing when it is empty.
std::optional<double> stat(std::vector<double> v, int which) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  return which < 0 ? v.front() : which > 0 ? v.back() : v[(v.size() - 1) / 2];
}

/// Prints a line per failing expectation, "FAILING:" first; returns how many there are.
std::size_t print_failing(std::ostream& out, const SweepResult& r,
                          const std::vector<PointVerdict>& verdict) {
  std::size_t failing = 0;
  for (const PointVerdict& v : verdict)
    for (const ExpectationVerdict& e : v.expectations)
      if (!e.failed_seeds.empty()) {
        if (failing++ == 0) out << "FAILING:\n";
        std::string seeds;
        for (std::size_t k = 0; k < e.failed_seeds.size() && k < 10; ++k)
          seeds += (k ? ", " : "") + std::to_string(e.failed_seeds[k]);
        if (e.failed_seeds.size() > 10) seeds += ", ...";
        out << "  " << r.shape.label(v.point) << ": " << e.what << ": failed for "
            << e.failed_seeds.size() << " of " << e.runs << " seeds (" << seeds
            << "); first observed: " << e.first_observed << "\n";
      }
  return failing;
}

/// Prints the line of point `p`, whose finished runs are `runs`.
void print_point(std::ostream& out, const SweepResult& r, std::size_t p,
                 const std::vector<const RunMetrics*>& runs, const PointVerdict& verdict) {
  std::vector<double> avail, unanswered, dups, pd, lease;
  std::size_t met = 0, total = 0;
  for (const RunMetrics* m : runs) {
    avail.push_back(m->availability);
    unanswered.push_back(static_cast<double>(m->unanswered));
    dups.push_back(static_cast<double>(m->duplicates));
    pd.push_back(m->partner_down_s);
    if (m->lease_median_s) lease.push_back(static_cast<double>(*m->lease_median_s));
    for (const auto& e : m->expectations) met += e.passed ? 1 : 0, ++total;
  }
  out << "  " << r.shape.label(p) << ": " << fmt(stat(avail, -1), 4) << "/"
      << fmt(stat(avail, 0), 4) << ", " << fmt(stat(unanswered, 0), 0) << ", "
      << fmt(stat(dups, 1), 0) << ", " << fmt(stat(pd, 0), 0) << ", " << fmt(stat(lease, 0), 0)
      << " s, " << met << "/" << total << (verdict.holds() ? "" : "  FAILS") << "\n";
}

}  // namespace

std::string sweep_summary(const SweepResult& r) {
  std::ostringstream out;
  const auto verdict = verdicts(r);
  const std::size_t failing = print_failing(out, r, verdict);
  std::vector<std::vector<const RunMetrics*>> runs(r.shape.point_count());
  for (const RunMetrics& m : r.runs) runs[m.point].push_back(&m);
  if (r.shape.point_count() <= 200) {
    out << "\npoint: availability min/median, unanswered median, duplicates max, time in "
           "partner-down median (s), lease times median, expectations met\n";
    for (std::size_t p = 0; p < runs.size(); ++p) print_point(out, r, p, runs[p], verdict[p]);
  }
  out << (failing == 0 ? "every expectation holds at every point\n"
                       : std::to_string(failing) + " expectation(s) fail at some point\n");
  return out.str();
}

}  // namespace fosim::tools
