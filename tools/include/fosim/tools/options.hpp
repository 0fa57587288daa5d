// Shared Boost.Program_options plumbing for the subcommands.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/core/transition_table.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/numbers.hpp"

namespace fosim::tools {

namespace po = boost::program_options;

/// Parses `args` against `visible` (and positional `positional`) into `vm`. On a parse error
/// writes one line to stderr and returns `exit_bad_input`; when --help was given prints
/// `usage`, a blank line and the options, and returns `exit_ok`; otherwise returns nothing
/// and the caller goes on.
std::optional<int> parse_options(const Args& args, const po::options_description& visible,
                                 const po::positional_options_description& positional,
                                 po::variables_map& vm, std::string_view subcommand,
                                 std::string_view usage, Io io);

/// Reads --profile, when given, into `id`. A name that is no profile is reported on stderr as
/// "fosim SUBCOMMAND: ..." with the valid names, and returns `exit_bad_input`.
std::optional<int> read_profile_option(const po::variables_map& vm, std::string_view subcommand,
                                       Io io, core::ProfileId& id);

}  // namespace fosim::tools
