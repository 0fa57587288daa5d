// Internal to fosim_formats: PowerShell's Format-List text (what `Get-DhcpServerv4Failover`
// prints at a console, or `| Format-List` anywhere) read as the JSON that `ConvertTo-Json` would
// have written for the same objects, so one reader serves both.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace fosim::sim::detail {

/// Reads `text` as Format-List records: `Key : Value` lines, records apart by blank lines, a
/// value PowerShell wrapped continued on the next lines, prompt lines (`PS C:\> …`) skipped.
/// Values become JSON as ConvertTo-Json writes them: empty → null, True/False → booleans,
/// whole numbers → numbers, `{a, b}` → a list of strings, anything else a string. Returns a
/// list of objects, or nothing when no line has the `Key : Value` shape.
std::optional<nlohmann::json> read_format_list(std::string_view text);

}  // namespace fosim::sim::detail
