// Internal to fosim_sim: what the Micetro and Windows importers share. `Fields` looks up the
// keys of one description object without regard to case and reads their values, reporting
// each problem at the key as the input spells it. The tables below say which foreign field
// gives which setting of core's settings table: its key names the row, whose range the field
// is checked against and whose holder says whether it goes to the primary or to both servers.
// import_micetro.cpp and import_windows.cpp read their format; failover_import.cpp picks the
// description and checks the result as a scenario's servers are checked.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/core/settings.hpp"
#include "fosim/formats/failover_import.hpp"

namespace fosim::sim::detail {

/// How a foreign field gives its setting.
enum class Reading : std::uint8_t {
  number,    ///< a whole number (or digits in a string) in the setting's range
  timespan,  ///< a .NET TimeSpan, or seconds, in the setting's range
  percent,   ///< a percentage 0..100 of the clients, which becomes a split of 256 buckets
};

/// One foreign field that gives a setting of core::peer_settings.
struct ImportField {
  std::string_view field;  ///< as the foreign system spells it, e.g. "MaxResponseDelay"
  std::string_view key;    ///< the setting it gives: a key of core::peer_settings
  std::string_view also;   ///< a second setting it gives too, or "" (Micetro's Port: peer port)
  Reading reading = Reading::number;
  std::int64_t max = 0;  ///< numbers: a bound below the setting's own, or 0 for the setting's
};

// clang-format off
/// The parameters of Micetro's AddDHCPFailoverRelationship that give settings, in the order
/// they are read and applied.
inline constexpr std::array<ImportField, 6> micetro_fields{{
  // field                    key                         also         reading            max
  {"Percentage",            "split",                    "",          Reading::percent,  0},
  {"Mclt",                  "mclt",                     "",          Reading::number,   0},
  {"Port",                  "port",                     "peer_port", Reading::number,   0},
  {"LoadBalanceMaxSeconds", "load_balance_max_seconds", "",          Reading::number,   0},
  {"MaxResponseDelay",      "max_response_delay",       "",          Reading::number,   0},
  {"MaxUnackedUpdates",     "max_unacked_updates",      "",          Reading::number,   65535},
}};

/// The fields of Get-DhcpServerv4Failover that give settings.
inline constexpr std::array<ImportField, 3> windows_fields{{
  // field                  key                  also  reading             max
  {"LoadBalancePercent",  "split",             "",   Reading::percent,   0},
  {"MaxClientLeadTime",   "mclt",              "",   Reading::timespan,  0},
  {"StateSwitchInterval", "auto_partner_down", "",   Reading::timespan,  0},
}};
// clang-format on

/// Returns the setting row of `f` (checked at compile time to exist).
constexpr const core::PeerSetting& setting_of(const ImportField& f) {
  return core::peer_setting(f.key);
}

/// Returns the field of `fields` that gives the setting `key`, or nullptr.
template <std::size_t N>
constexpr const ImportField* field_for(const std::array<ImportField, N>& fields,
                                       std::string_view key) {
  for (const ImportField& f : fields)
    if (f.key == key || f.also == key) return &f;
  return nullptr;
}

namespace import_detail {
/// True when every field names number settings of the table and a bound within their range.
template <std::size_t N>
constexpr bool known(const std::array<ImportField, N>& fields) {
  for (const ImportField& f : fields) {
    const std::size_t i = core::peer_setting_index(f.key);
    if (i == core::peer_settings.size()) return false;
    const core::PeerSetting& s = core::peer_settings[i];
    if (s.number == nullptr) return false;
    if (!f.also.empty() && core::peer_setting_index(f.also) == core::peer_settings.size())
      return false;
    if (f.max != 0 && (f.max < s.min || f.max > s.max)) return false;
  }
  return true;
}
}  // namespace import_detail

static_assert(import_detail::known(micetro_fields), "a Micetro field names no number setting");
static_assert(import_detail::known(windows_fields), "a Windows field names no number setting");

using Json = nlohmann::json;

/// Returns `s` in lower case.
std::string lower(std::string_view s);

/// Returns `v` without trailing zeros: "60", "62.5".
std::string number(double v);

/// Returns a server name as a host name: without the root's trailing dot.
std::string host_of(const std::string& server);

/// One description object with its keys looked up without regard to case.
class Fields {
 public:
  /// The object `j` at JSON pointer `base` of `text` (named `file`); problems go to `out`.
  Fields(const Json& j, std::string base, std::string_view text, std::string file,
         ImportedRelationship& out);

  /// Returns the value of `key`, or nullptr when it is absent or null; `key` counts as used.
  const Json* get(std::string_view key);
  /// Returns the JSON pointer of `key` as spelled in the input.
  std::string path(std::string_view key) const;
  /// Records an error at `key`.
  void error(std::string_view key, const std::string& message, const std::string& valid);
  /// Records a note at `key` (none: of the whole description).
  void note(std::string_view key, const std::string& message, const std::string& valid = "");
  /// Returns the keys of the input not looked up so far.
  std::vector<std::string> unused() const;

  /// Returns a non-empty string, or reports it (missing only when `required`).
  std::optional<std::string> string(std::string_view key, bool required);
  /// Returns a whole number in [min, max], given as a JSON number or as digits in a string.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  /// Returns a percentage 0..100 (whole or fractional).
  std::optional<double> percent(std::string_view key);
  /// Returns true or false, given as a boolean or as text.
  std::optional<bool> boolean(std::string_view key);
  /// Returns a .NET TimeSpan as ConvertTo-Json writes it (an object with TotalSeconds or
  /// Ticks), "[d.]hh:mm:ss[.fffffff]", a number of seconds, or a fosim duration ("1h"), in
  /// whole seconds from 0 to `max`.
  std::optional<std::int64_t> timespan(std::string_view key, std::int64_t max);
  /// Returns field `f` read as its setting's number (a number or a time span in its range);
  /// percentages are read with percent().
  std::optional<std::int64_t> setting(const ImportField& f);

 private:
  std::map<std::string, std::pair<std::string, const Json*>> keys_;
  std::vector<std::string> used_;
  std::string base_;
  std::string_view text_;
  std::string file_;
  ImportedRelationship& out_;
};

/// Returns the split for "the primary answers `pct` % of clients", with a note at `key` when
/// 256 buckets cannot say it exactly.
std::int64_t split_for(double pct, Fields& f, std::string_view key);

/// Sets the setting `key` to `v` where ISC reads it: the primary's, or both servers'.
void set_setting(ImportedRelationship& r, std::string_view key, std::int64_t v);

/// Reads the parameters of Micetro's AddDHCPFailoverRelationship from `j` at `base`.
void read_micetro(const Json& j, const std::string& base, std::string_view text,
                  const std::string& file, ImportedRelationship& r);

/// Reads one relationship of Get-DhcpServerv4Failover from `j` at `base`.
void read_windows(const Json& j, const std::string& base, std::string_view text,
                  const std::string& file, ImportedRelationship& r);

}  // namespace fosim::sim::detail
