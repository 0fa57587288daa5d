// ISC dhcpd's diagnostic lines: the messages that tell an engineer what is wrong with a
// failover pair (a peer that does not match, a CONNECT rejected, a pool out of balance), each
// recognised by its wording in one table and given a typed diagnosis and its explanation.
// Wordings from ISC dhcp 4.x server/failover.c and server/dhcp.c; docs/replay.md lists them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace fosim::sim {

/// What a diagnostic line says is wrong, or worth knowing.
enum class Diagnosis : std::uint8_t {
  no_matching_peer,     ///< a failover connection no `failover peer` block matches
  connect_rejected,     ///< this server refused its partner's CONNECT (the reason follows)
  connect_refused,      ///< the partner refused this server's CONNECT (the reason follows)
  peer_holds_all_free,  ///< a DISCOVER this server cannot answer: its free leases are used up
  no_free_leases,       ///< a DISCOVER no lease of the pool can answer
  pool_balance,         ///< a pool balance line: the counts each server holds
  pool_imbalanced,      ///< the pool is out of balance beyond max-misbal
};

/// One row of the table: the words a line holds, the diagnosis and its explanation.
struct DiagnosisRow {
  std::string_view pattern;  ///< a line whose message contains these words
  Diagnosis diagnosis;
  std::string_view name;         ///< kebab-case, for JSON and the summary
  std::string_view explanation;  ///< what it means and what to check
};

/// Every row, the first matching one wins.
std::span<const DiagnosisRow> diagnosis_table();

/// The diagnosis of a dhcpd message, when it is one of ISC's diagnostic lines.
std::optional<Diagnosis> diagnose(std::string_view message);

/// The row of `d`: its name and explanation (a diagnosis with several wordings: the first).
const DiagnosisRow& row_of(Diagnosis d);

/// Whether `line` (a whole line of a file) is written as ISC's lease file writes its records
/// (`lease 10.0.0.5 {`, `failover peer "x" state {`, `server-duid`, `authoring-byte-order`, the
/// dhcpd.leases(5) banner): a lease file given where a log is expected.
bool lease_file_line(std::string_view line);

}  // namespace fosim::sim
