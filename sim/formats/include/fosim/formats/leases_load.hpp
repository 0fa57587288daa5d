// Starting a run from the servers' lease files (`fosim run --leases`, a server's `leases` key).
//
// A lease file's times are wall-clock seconds; a run's are simulated time from 0. A run that
// starts from lease files begins one second after the latest moment they record (a failover
// state's `at`, a lease's `starts` or `cltt`): that second is the run's time 0, and every time
// of the files is read, and written back at the end, relative to it. Each file gives its
// server the failover state record (dhcpd restarts from it: startup, then the saved state) and
// every lease, bound to the client its hardware address names. A lease the scenario's pool
// cannot hold is an error naming the file and the line.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fosim/formats/dhcpd_leases.hpp"
#include "fosim/sim/scenario.hpp"

namespace fosim::sim {

/// Returns the UTC second of time 0 for a run starting from `files`: one second after the
/// latest state `at`, lease `starts` or `cltt` they hold; 0 when they hold none.
std::int64_t lease_clock_base(const std::vector<const LeasesFile*>& files);

/// Returns what a server of `sc` starts from when its lease file is `file`, with times
/// relative to `base_s`; nothing, with `errors` added to, when `file` has mistakes or holds a
/// lease that the scenario's pool or fosim cannot hold.
std::optional<SavedStorage> saved_storage(const LeasesFile& file, const Scenario& sc,
                                          std::int64_t base_s, std::vector<LeasesError>& errors);

/// A lease file's name (for messages) and contents.
struct LeaseFileText {
  std::string name;
  std::string text;
};

/// Starts server i of `sc` from `files[i]` when it is given, and the other from an empty lease
/// file: sets each server's storage and `sc.lease_clock_base_s` (from the files given). False,
/// with `errors` added to, when a file has mistakes or a lease `sc` cannot hold.
bool start_from_lease_files(Scenario& sc, const std::array<std::optional<LeaseFileText>, 2>& files,
                            std::vector<LeasesError>& errors);

}  // namespace fosim::sim
