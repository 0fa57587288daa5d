// What `fosim explore` draws from: the --range settings checked against the scenario, the
// default settle bound, and the command line that reproduces an exploration.
#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/sim/scenario_settings.hpp"
#include "fosim/tools/explore.hpp"

namespace fosim::tools {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

/// A range end in seconds or a count: a whole number, or a duration of whole seconds.
std::optional<std::int64_t> range_end(const std::string& s) {
  if (!s.empty() && s.size() <= 12 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::stoll(s);
  const auto d = sim::parse_duration(s);
  if (!d || d->count() % 1000 != 0) return std::nullopt;
  return d->count() / 1000;
}

/// The setting's name without a server prefix ("primary.mclt" -> "mclt").
std::string_view bare(std::string_view key) {
  const std::size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

}  // namespace

std::optional<ExploreRange> parse_range(std::string_view text, std::string& error) {
  const std::size_t eq = text.find('=');
  const std::size_t dots = text.find("..", eq == std::string_view::npos ? 0 : eq);
  if (eq == std::string_view::npos || eq == 0 || dots == std::string_view::npos) {
    error = "--range '" + std::string(text) +
            "' is not KEY=FROM..TO (e.g. mclt=60..3600 or max_response_delay=5..60)";
    return std::nullopt;
  }
  ExploreRange r;
  r.text = std::string(text);
  r.key = trim(text.substr(0, eq));
  const auto from = range_end(trim(text.substr(eq + 1, dots - eq - 1)));
  const auto to = range_end(trim(text.substr(dots + 2)));
  if (!from || !to) {
    error = "--range " + r.text +
            ": FROM and TO must be whole numbers or durations of whole seconds, e.g. 60..3600 "
            "or 1m..1h";
    return std::nullopt;
  }
  if (*to < *from) {
    error = "--range " + r.text + ": FROM is after TO (valid: FROM <= TO)";
    return std::nullopt;
  }
  r.from = *from;
  r.to = *to;
  return r;
}

std::optional<std::string> check_range(const sim::Scenario& base, const ExploreRange& r) {
  if (bare(r.key) == "auto_partner_down")
    return "--range " + r.text +
           ": auto_partner_down is never drawn: with it the protocol does not promise safety "
           "(valid: " +
           sim::what_if_keys() + ", except auto_partner_down and duration)";
  if (r.key == "duration")
    return "--range " + r.text +
           ": the run's duration is --safety plus --settle (valid: " + sim::what_if_keys() +
           ", except auto_partner_down and duration)";
  for (const std::int64_t v : {r.from, r.to}) {
    sim::Scenario copy = base;
    if (auto error = sim::apply_what_if(copy, r.key + "=" + std::to_string(v)))
      return "--range " + r.text + ": " + *error;
  }
  return std::nullopt;
}

core::Duration default_settle(const ExploreSpec& spec) {
  std::int64_t mclt = spec.base.servers[0].config.mclt_s.value_or(0);
  for (const ExploreRange& r : spec.ranges)
    if (r.key == "mclt" || r.key == "primary.mclt" || r.key == spec.base.servers[0].host + ".mclt")
      mclt = std::max(mclt, r.to);
  return core::Duration{(2 * mclt + 600) * 1000};
}

std::string duration_text(core::Duration d) {
  std::int64_t s = d.count() / 1000;
  if (s == 0) return "0s";
  std::string out;
  constexpr std::pair<const char*, std::int64_t> units[] = {
      {"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}};
  for (const auto& [unit, size] : units) {
    if (s >= size) out += std::to_string(s / size) + unit;
    s %= size;
  }
  return out;
}

std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("_./:=,+-@%").find(c) != std::string_view::npos;
  });
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string explore_command(const ExploreSpec& spec) {
  std::string out = "fosim explore " + shell_word(spec.scenario_file) + " --random " +
                    std::to_string(spec.draws) + " --seed " + std::to_string(spec.seed);
  for (const ExploreRange& r : spec.ranges) out += " --range " + shell_word(r.text);
  out += " --safety " + duration_text(spec.safety) + " --settle " + duration_text(spec.settle) +
         " --faults " + std::to_string(spec.max_faults) + " --actions ";
  for (std::size_t k = 0; k < spec.kinds.size(); ++k)
    out += (k ? "," : "") + std::string(fault_kind_names[static_cast<std::size_t>(spec.kinds[k])]);
  out += " --lost-storage " + std::to_string(spec.lost_storage_percent);
  if (spec.profile) out += " --profile " + std::string(core::to_string(*spec.profile));
  return out;
}

}  // namespace fosim::tools
