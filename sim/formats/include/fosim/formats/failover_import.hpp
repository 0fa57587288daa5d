// Reading a failover relationship the way other systems describe it: the parameters of
// Micetro's AddDHCPFailoverRelationship API call, or what Windows' Get-DhcpServerv4Failover
// reports (as ConvertTo-Json writes it). The result is the pair of ISC failover peer
// declarations a scenario plays; every choice the mapping makes where the two systems do not
// line up exactly is returned as a note. The mappings are documented in docs/import.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

/// Where a relationship description comes from.
enum class ImportFormat : std::uint8_t { micetro, windows };

/// "micetro" or "windows".
std::string_view to_string(ImportFormat f);

/// Parses "micetro" / "windows"; nothing otherwise.
std::optional<ImportFormat> parse_import_format(std::string_view text);

/// A relationship read from a Micetro or Windows description.
struct ImportedRelationship {
  std::string name;  ///< the failover peer name
  ImportFormat format = ImportFormat::micetro;
  ServerSpec servers[2];              ///< [0] primary, [1] secondary
  std::vector<ScenarioError> errors;  ///< nothing usable when not empty
  std::vector<ScenarioError> notes;   ///< where the mapping is not exact, or a value was assumed
};

/// Reads `text` (JSON) as a relationship. With `format` empty, a Micetro description is told
/// from a Windows one by its keys (PrimaryServer vs PartnerServer); keys are matched without
/// regard to case. Windows output holding several relationships needs `name` to pick one.
/// `file` names the input in messages.
ImportedRelationship import_relationship(std::string_view text, const std::string& file,
                                         std::optional<ImportFormat> format = {},
                                         const std::string& name = {});

}  // namespace fosim::sim
