// The JUnit XML of a sweep: a test suite per scenario, a test case per point and expectation.
#include <sstream>

#include "fosim/tools/escape.hpp"
#include "fosim/tools/sweep_output.hpp"
#include "sweep_points.hpp"

namespace fosim::tools {

std::string sweep_junit(const SweepResult& r) {
  const auto verdict = verdicts(r);
  struct Case {
    std::string name, body;
  };
  std::vector<std::vector<Case>> suites(r.shape.scenario_names.size());
  std::vector<std::size_t> failures(suites.size()), skipped(suites.size());
  for (const PointVerdict& v : verdict) {
    const std::size_t s = r.shape.scenario_of(v.point);
    if (v.runs == 0 && r.interrupted) {
      ++skipped[s];
      suites[s].push_back(
          {r.shape.label(v.point) + ": not run",
           "      <skipped message=\"interrupted before any of its seeds ran\"/>\n"});
      continue;
    }
    for (const ExpectationVerdict& e : v.expectations) {
      Case c{r.shape.label(v.point) + ": " + e.what, ""};
      if (!e.failed_seeds.empty()) {
        ++failures[s];
        c.body = "      <failure type=\"expectation\" message=\"" +
                 escape_xml("failed for " + std::to_string(e.failed_seeds.size()) + " of " +
                            std::to_string(e.runs) + " seeds") +
                 "\">" +
                 escape_xml("seeds " + detail::seed_list(e.failed_seeds) +
                            "; first observed: " + e.first_observed) +
                 "</failure>\n";
      } else if (v.runs < r.shape.seeds.size()) {
        ++skipped[s];
        c.body = "      <skipped message=\"" +
                 escape_xml("interrupted: " + std::to_string(v.runs) + " of " +
                            std::to_string(r.shape.seeds.size()) + " seeds ran") +
                 "\"/>\n";
      }
      suites[s].push_back(std::move(c));
    }
  }
  std::size_t tests = 0, fails = 0, skips = 0;
  for (std::size_t s = 0; s < suites.size(); ++s)
    tests += suites[s].size(), fails += failures[s], skips += skipped[s];
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o << "<testsuites name=\"fosim sweep\" tests=\"" << tests << "\" failures=\"" << fails
    << "\" errors=\"0\" skipped=\"" << skips << "\">\n";
  for (std::size_t s = 0; s < suites.size(); ++s) {
    const std::string& name = r.shape.scenario_names[s];
    o << "  <testsuite name=\"" << escape_xml(name) << "\" tests=\"" << suites[s].size()
      << "\" failures=\"" << failures[s] << "\" errors=\"0\" skipped=\"" << skipped[s] << "\">\n";
    for (const Case& c : suites[s]) {
      o << "    <testcase classname=\"fosim.sweep." << escape_xml(name) << "\" name=\""
        << escape_xml(c.name) << "\"";
      if (c.body.empty())
        o << "/>\n";
      else
        o << ">\n" << c.body << "    </testcase>\n";
    }
    o << "  </testsuite>\n";
  }
  o << "</testsuites>\n";
  return o.str();
}

}  // namespace fosim::tools
