// How much a run will write, estimated from its scenario before it is played.
//
// A million clients' week is gigabytes of timeline. `fosim run` refuses an output larger than
// the user allowed (--max-output) before it plays anything, naming this estimate. The estimate
// counts lease exchanges from the client model (arrivals, stays and returns, a renewal every
// half lease) and prices each at what the timelines write for one; it is an order of magnitude,
// not a promise: MCLT-shortened leases during an outage make more exchanges than it counts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fosim/sim/scenario.hpp"

namespace fosim::tools {

/// A run's estimated output.
struct OutputEstimate {
  double exchanges = 0;           ///< lease exchanges (a grant each: first lease or renewal)
  std::uint64_t jsonl_bytes = 0;  ///< timeline.jsonl (and a JSON Lines timeline on stdout)
  std::uint64_t text_bytes = 0;   ///< the text timeline on stdout, DHCP lines included
};

/// The estimate for `scenario` played to `until`.
OutputEstimate estimate_output(const sim::Scenario& scenario, core::Instant until);

/// Reads a size as the user gives it: bytes, or with K, M, G or T (powers of 1000, a `B` may
/// follow), e.g. "500M", "2G", "1.5GB"; "unlimited" is the largest size. Nothing when malformed.
std::optional<std::uint64_t> parse_size(const std::string& text);

/// A size as a person reads it: "950 B", "12.3 MB", "3.2 GB".
std::string format_size(std::uint64_t bytes);

}  // namespace fosim::tools
