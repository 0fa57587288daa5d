// Reading scenario files (JSON). Every problem names the file, the line where it can be found,
// the JSON path and what would be valid; unknown keys are errors; all problems are reported,
// not just the first. The format is documented in docs/scenario-format.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

/// One problem in a scenario file.
struct ScenarioError {
  std::string file;
  std::size_t line = 0;  ///< 1-based; 0 when unknown
  std::string path;      ///< JSON pointer, e.g. "/servers/0/mclt"
  std::string message;
  std::string valid;  ///< what would be valid
};

/// Returns "FILE:LINE: PATH: MESSAGE (valid: VALID)".
std::string format(const ScenarioError& e);

/// The outcome of reading a scenario.
struct LoadResult {
  std::optional<Scenario> scenario;  ///< empty when there are errors
  std::vector<ScenarioError> errors;
  std::vector<ScenarioError> warnings;  ///< the scenario is usable, but look at these
  std::vector<ScenarioError> notes;     ///< how an imported relationship was mapped
};

/// A pair of dhcpd.conf files that replaces a scenario's servers and pool (`fosim run --config`).
struct ConfigFiles {
  std::string primary, secondary;
};

/// Reads and checks the scenario in `path`. A `config` block's dhcpd.conf files are read
/// relative to the scenario file's directory. `config`, when given, replaces the scenario's
/// servers, pool or config block (a warning says so).
LoadResult load_scenario(const std::string& path, const std::optional<ConfigFiles>& config = {});

/// Checks scenario text; `file` names it in messages and gives the default scenario name.
/// `read_file` reads the dhcpd.conf files a `config` block names (and their includes); without
/// it such a block is an error.
LoadResult parse_scenario(std::string_view text, const std::string& file,
                          const core::IncludeReader& read_file = {},
                          const std::optional<ConfigFiles>& config = {});

/// Writes `sc` as a scenario file that parse_scenario reads back to the same scenario.
std::string write_scenario(const Scenario& sc);

/// Writes the "relationship" and "servers" of a scenario file (what `fosim import` prints).
std::string write_servers(const std::string& relationship, const ServerSpec (&servers)[2]);

/// Parses a duration: a number of seconds (up to millisecond precision) or text such as
/// "250ms", "90s", "30m", "2h", "1d", "1h30m". Nothing for negative or malformed input.
std::optional<Duration> parse_duration(std::string_view text);

}  // namespace fosim::sim
