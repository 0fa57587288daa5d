// Reading the failover part of a real dhcpd.conf, and checking a pair of them.
//
// parse_dhcpd_conf() reads what fosim models from an ISC dhcpd.conf: every `failover peer`
// declaration (each statement of dhcp server/confpars.c parse_failover_peer(), in any layout,
// one statement a line or everything on one line), the subnets, shared networks and pools that
// refer to a peer, their ranges, `default-lease-time`, `max-lease-time` and `min-lease-time`, and
// `include` files. A file whose line breaks were lost (everything on one line, as configurations
// pasted from web pages often are) is read with each `#` comment ending where a statement plausibly
// begins; dhcpd itself would ignore everything after the first `#`, and a note says so.
// Statements fosim does not model (options, hosts, classes, ddns, ...) are skipped, braces and
// all; those among them that change lease times, failover or which server answers are named in
// `unmodelled` with their place (the lease times of host, class and if blocks too); broken
// syntax is not skipped: it is reported with its file and line in ISC's wording
// where ISC has one. The text comes in as a string and includes are read through a callback,
// so this stays free of I/O.
//
// check_pair() then runs core's peer validation on each declaration and the checks ISC never
// makes across the two servers: one primary and one secondary, the same name, addresses and
// ports that point at each other, the same pools and ranges, and timer combinations that
// cannot work.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fosim/core/isc_version.hpp"
#include "fosim/core/peer_config.hpp"

namespace fosim::core {

/// A place in a configuration file.
struct ConfPlace {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;  ///< from 1, in characters; 0 when not known
};

/// One problem found in a configuration file or a pair of them.
struct ConfProblem {
  Severity severity = Severity::error;
  ConfPlace place;
  std::string message;  ///< what is wrong (ISC's wording where ISC has a message)
  std::string valid;    ///< what would be valid
};

/// A `failover peer "NAME" { ... }` declaration.
struct PeerDecl {
  PeerConfig config;
  ConfPlace place;                         ///< where the declaration starts
  std::map<std::string, ConfPlace> lines;  ///< snake_case field -> where it is set

  /// Returns where `field` is set, or the declaration's start when it is not.
  ConfPlace place_of(const std::string& field) const {
    const auto it = lines.find(field);
    return it == lines.end() ? place : it->second;
  }
};

/// An address range of a pool, host order.
struct ConfRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  ConfPlace place;
  constexpr bool operator==(const ConfRange& o) const { return first == o.first && last == o.last; }
};

/// A pool (or a subnet's bare ranges) with what fosim takes from it.
struct PoolDecl {
  std::string peer;  ///< the failover peer it names; empty: none
  std::vector<ConfRange> ranges;
  std::optional<std::int64_t> default_lease_time_s;  ///< the innermost setting in force
  std::optional<std::int64_t> max_lease_time_s;
  std::optional<std::int64_t> min_lease_time_s;
  /// The subnet its addresses are on (network, netmask, host order): the one it is declared
  /// in, or for a pool of a shared-network the subnet that holds its first range.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> subnet;
  ConfPlace place;
};

/// What one dhcpd.conf (with its includes) declares.
struct DhcpdConf {
  std::vector<PeerDecl> peers;
  std::vector<PoolDecl> pools;
  std::vector<ConfProblem> problems;  ///< syntax and per-file problems, in file order
  std::vector<ConfProblem> notes;     ///< how the file was read, when that needs saying
  /// Warnings, in file order: statements that change lease times, failover or which server
  /// answers and that fosim reads but does not model, each named where it stands (lease times
  /// in host, class and conditional blocks among them).
  std::vector<ConfProblem> unmodelled;
};

/// Reads an included file: returns its text, or nothing with `error` set.
using IncludeReader =
    std::function<std::optional<std::string>(const std::string& path, std::string& error)>;

/// Parses `text`, the contents of `file`, as ISC dhcpd of series `isc` would. `read_include`
/// may be empty (then `include` is an error). Includes nest at most 10 deep; at most 1000 of
/// them, of 8 MB in all, are read. A word that starts no statement `isc` knows is an error
/// (with the closest statement when one is close), as is a Unicode look-alike of the ASCII
/// dhcpd.conf needs (a hyphen, quote or space pasted from a web page), named with its column.
DhcpdConf parse_dhcpd_conf(std::string_view text, const std::string& file,
                           const IncludeReader& read_include, IscVersion isc = IscVersion::v4_4);

/// Returns every problem of one server's configuration: the file's own problems and ISC's
/// validation of each peer declaration, errors first in the file's order, then warnings.
std::vector<ConfProblem> check_one(const DhcpdConf& c);

/// Returns every problem of a pair of servers' configurations: each file's own problems, ISC's
/// validation of each peer declaration, and the cross-server checks. Errors first in each file's
/// order, then warnings.
std::vector<ConfProblem> check_pair(const DhcpdConf& a, const DhcpdConf& b);

/// Parses a dotted quad (host order); nothing for anything else.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);

}  // namespace fosim::core
