// Reading the failover link's SYN schedule when a scenario gives it as its own list of waits;
// a schedule's name ("linux", "linux-pre-6.5") is a row of run_settings.hpp like any other.
#include "scenario_reader.hpp"

namespace fosim::sim::detail {
namespace {

/// The most waits a list may hold: far more SYNs than any kernel sends.
constexpr std::size_t max_syn_waits = 64;

}  // namespace

bool read_syn_waits(Reader& r, const Json& top, Scenario& sc) {
  if (!top.is_object() || !top.contains("link") || !top["link"].is_object() ||
      !top["link"].contains("syn_schedule"))
    return false;
  const Json& v = top["link"]["syn_schedule"];
  if (v.is_string()) return false;  // a name: the row reads it
  const std::string p = "/link/syn_schedule";
  const std::string valid = "linux, linux-pre-6.5, or a list of 1 to " +
                            std::to_string(max_syn_waits) + " waits in seconds such as [1, 2, 4]";
  if (!v.is_array()) {
    r.error(p, "expected a schedule's name or a list of waits", valid);
    return true;
  }
  if (v.empty() || v.size() > max_syn_waits) {
    r.error(p, "a list of " + std::to_string(v.size()) + " waits", valid);
    return true;
  }
  std::vector<Duration> waits;
  for (std::size_t k = 0; k < v.size(); ++k) {
    const std::string wp = p + "/" + std::to_string(k);
    const std::optional<Duration> d = r.duration(v[k], wp);
    if (d && d->count() <= 0)
      r.error(wp, "a wait must be positive", "e.g. 1 or \"500ms\"");
    else if (d)
      waits.push_back(*d);
  }
  if (waits.size() == v.size()) {
    sc.syn_schedule = SynSchedule::list;
    sc.syn_waits = std::move(waits);
  }
  return true;
}

}  // namespace fosim::sim::detail
