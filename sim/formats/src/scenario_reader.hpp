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

#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/run_settings.hpp"

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
  /// Returns `j` as the setting `key` reads it under `rule` (a count, a duration in ms, whole
  /// seconds, a flag as 0 or 1, a choice's index), or reports why not, naming the rule's range.
  std::optional<std::int64_t> value(const Json& j, const std::string& path, const ValueRule& rule,
                                    std::string_view key);

  /// Returns `j` as a fraction (a number, or text such as "0.02" or "2%") in millionths, at
  /// most `rule.max`.
  std::optional<std::int64_t> fraction(const Json& j, const std::string& path,
                                       const ValueRule& rule);

  /// Returns `keys` joined with ", ".
  static std::string list(const Keys& keys);

  /// The longest duration a scenario may name: ten years of simulated time.
  static constexpr Duration max_duration = std::chrono::hours(24 * 3650);

  std::vector<ScenarioError> errors, warnings;

 private:
  std::string_view text_;
  std::string file_;
};

static_assert(Reader::max_duration.count() == run_detail::ten_years_ms,
              "run_settings.hpp and the reader must agree on the longest duration");

/// Returns the keys of `table` as an object holds them: "arrival" once for "arrival.start" and
/// "arrival.window", in the table's order.
template <class T, std::size_t N>
Keys head_keys(const std::array<RunSetting<T>, N>& table) {
  Keys out;
  for (const RunSetting<T>& s : table)
    if (out.empty() || out.back() != key_head(s.key)) out.push_back(key_head(s.key));
  return out;
}

/// Returns the keys of `table` nested under `head` ("start", "window" under "arrival").
template <class T, std::size_t N>
Keys tail_keys(const std::array<RunSetting<T>, N>& table, std::string_view head) {
  Keys out;
  for (const RunSetting<T>& s : table)
    if (key_head(s.key) == head && !key_tail(s.key).empty()) out.push_back(key_tail(s.key));
  return out;
}

/// Returns the keys of `table` an object must have: those always written that have no fallback.
template <class T, std::size_t N>
Keys required_keys(const std::array<RunSetting<T>, N>& table) {
  Keys out;
  for (const RunSetting<T>& s : table)
    if (s.write == Write::always && !s.fallback) out.push_back(s.key);
  return out;
}

/// Reads row `k` of `table` from the object `obj` at JSON pointer `path` into `out`, when `obj`
/// has it. A nested row's own object is checked at the first row under it.
template <class T, std::size_t N>
void read_row(Reader& r, const Json& obj, const std::string& path,
              const std::array<RunSetting<T>, N>& table, std::size_t k, T& out) {
  const RunSetting<T>& s = table[k];
  const std::string head(key_head(s.key)), tail(key_tail(s.key));
  if (!obj.contains(head)) return;
  const Json* j = &obj[head];
  std::string p = path + "/" + head;
  if (!tail.empty()) {
    const bool first = k == 0 || key_head(table[k - 1].key) != head;
    if (first && !r.object(*j, p, tail_keys(table, head))) return;
    if (!j->is_object() || !j->contains(tail)) return;
    j = &(*j)[tail];
    p += "/" + tail;
  }
  if (const auto v = r.value(*j, p, s.rule, s.key)) s.set(out, *v);
}

/// Returns the server `v` names ("primary", "secondary" or a host), or reports it.
std::optional<std::size_t> server_ref(Reader& r, const Json& v, const std::string& p,
                                      const Scenario& sc);

/// Returns the state `v` names (a state name, or an OMAPI local-state number object).
std::optional<core::State> state_value(Reader& r, const Json& v, const std::string& p);

/// Reads `link.syn_schedule` when it is not a schedule's name (a list of waits, or a value of
/// the wrong kind); false when the row should read it.
bool read_syn_waits(Reader& r, const Json& top, Scenario& sc);

/// Reads `servers`: two servers, one primary and one secondary, each checked as ISC would.
/// Returns true when the servers are known (scripts and expectations can then name them).
bool read_servers(Reader& r, const Json& servers, Scenario& sc);

/// Reads `pool`: its range and lease times.
void read_pool(Reader& r, const Json& pool, PoolSpec& out);
/// Reads `pools` (several failover pools): the first into `sc.pool`, the rest into
/// `sc.more_pools`.
void read_pools(Reader& r, const Json& pools, Scenario& sc);

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
