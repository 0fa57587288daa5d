// Internal to fosim_sim: the pieces the scenario reader is made of. `Reader` collects problems,
// each naming the file, the line, the JSON path and what would be valid, and reads the value
// kinds every section shares (objects with known keys, strings, numbers in a range, durations,
// seconds, IPv4 addresses). Each section of a scenario file has its own small reader, in its own
// file (servers, pool, clients, script, expect, config); parse_scenario() calls them in order.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/sim/scenario_json.hpp"

namespace fosim::sim::detail {

using Json = nlohmann::json;

/// A list of keys, as an object's allowed keys or its required ones.
using Keys = std::vector<std::string_view>;

/// Collects the problems of one scenario text and reads its values.
class Reader {
 public:
  /// A reader of `text`, named `file` in messages.
  Reader(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  /// Records an error at JSON pointer `path`.
  void error(const std::string& path, const std::string& message, const std::string& valid);
  /// Records a warning at JSON pointer `path`.
  void warning(const std::string& path, const std::string& message, const std::string& valid);
  /// Records a problem found elsewhere (by core's validation), at `path` of this file.
  void add(bool is_error, const std::string& path, const std::string& message,
           const std::string& valid);

  /// Checks that `j` is an object with only `allowed` keys (and the `required` ones).
  bool object(const Json& j, const std::string& path, const Keys& allowed,
              const Keys& required = {});
  /// Returns `j` as a string, or reports that it is not one.
  std::optional<std::string> string(const Json& j, const std::string& path);
  /// Returns `j` as a boolean, or reports that it is not one.
  std::optional<bool> boolean(const Json& j, const std::string& path);
  /// Returns `j` as a whole number in [min, max], or reports it with `valid`.
  std::optional<std::int64_t> integer(const Json& j, const std::string& path, std::int64_t min,
                                      std::int64_t max, const std::string& valid);
  /// Returns `j` as a duration (seconds, or text such as "90s"), at most ten years.
  std::optional<Duration> duration(const Json& j, const std::string& path);
  /// Returns a duration that may be negative (a leading '-' in text, or a negative number when
  /// `negative_numbers`), as clock offsets are.
  std::optional<Duration> signed_duration(const Json& j, const std::string& path,
                                          bool negative_numbers);
  /// Returns a time-valued configuration parameter in whole seconds (a number or a duration).
  std::optional<std::int64_t> config_seconds(const Json& j, const std::string& path);
  /// Returns a positive time in whole seconds, or reports "must be positive" with `valid`.
  std::optional<core::Seconds> positive_seconds(const Json& j, const std::string& path,
                                                const std::string& valid);
  /// Returns `j` as a dotted-quad IPv4 address (host order).
  std::optional<std::uint32_t> ipv4(const Json& j, const std::string& path);

  /// Returns `keys` joined with ", ".
  static std::string list(const Keys& keys);

  /// The longest duration a scenario may name: ten years of simulated time.
  static constexpr Duration max_duration = std::chrono::hours(24 * 3650);

  std::vector<ScenarioError> errors, warnings;

 private:
  std::string_view text_;
  std::string file_;
};

/// Returns the server `v` names ("primary", "secondary" or a host), or reports it.
std::optional<std::size_t> server_ref(Reader& r, const Json& v, const std::string& p,
                                      const Scenario& sc);

/// Returns the state `v` names (a state name, or an OMAPI local-state number object).
std::optional<core::State> state_value(Reader& r, const Json& v, const std::string& p);

/// Reads `servers`: two servers, one primary and one secondary, each checked as ISC would.
/// Returns true when the servers are known (scripts and expectations can then name them).
bool read_servers(Reader& r, const Json& servers, Scenario& sc);

/// Reads `pool`: its range and lease times.
void read_pool(Reader& r, const Json& pool, PoolSpec& out);

/// Reads `clients`: the client groups.
void read_clients(Reader& r, const Json& clients, std::vector<ClientGroup>& out);

/// Reads `script`, sorted by time; `servers_ok` says whether server names can be resolved.
void read_script(Reader& r, const Json& script, bool servers_ok, Scenario& sc);

/// Reads `expect`; `servers_ok` as for read_script(). The script must have been read.
void read_expect(Reader& r, const Json& expect, bool servers_ok, Scenario& sc);

/// What a `config` block adds to a scenario besides its servers.
struct ConfigOutcome {
  bool servers_ok = false;                      ///< the block gave the servers
  std::vector<ScenarioError> errors, warnings;  ///< the dhcpd.conf files' or import's own
  std::vector<ScenarioError> notes;             ///< how an import was mapped
};

/// Reads `config` of `root` (dhcpd.conf files, or a Micetro or Windows relationship), which
/// gives the servers (and the pool, for dhcpd.conf files).
ConfigOutcome read_config(Reader& r, const Json& root, const core::IncludeReader& read_file,
                          Scenario& sc);

}  // namespace fosim::sim::detail
