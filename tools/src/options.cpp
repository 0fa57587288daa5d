#include "fosim/tools/options.hpp"

#include <algorithm>
#include <ostream>

namespace fosim::tools {

std::optional<int> parse_options(const Args& args, const po::options_description& visible,
                                 const po::positional_options_description& positional,
                                 po::variables_map& vm, std::string_view subcommand,
                                 std::string_view usage, Io io) {
  po::options_description all;
  all.add(visible);
  all.add_options()("help,h", "show this help and exit");
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help") != 0) {
      // The options as typed: the positional arguments are in the usage line already.
      auto is_positional = [&positional](const std::string& name) {
        // An unlimited positional argument counts as very many; its name repeats from there on.
        const unsigned count = std::min(positional.max_total_count(), 8u);
        for (unsigned i = 0; i < count; ++i)
          if (positional.name_for_position(i) == name) return true;
        return false;
      };
      po::options_description shown("options");
      for (const auto& o : visible.options())
        if (!is_positional(o->long_name())) shown.add(o);
      shown.add_options()("help,h", "show this help and exit");
      io.out << usage << "\n\n" << shown;
      return exit_ok;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    return bad_input(io, subcommand,
                     std::string(e.what()) + " (see fosim " + std::string(subcommand) + " --help)");
  }
  return std::nullopt;
}

std::optional<int> read_profile_option(const po::variables_map& vm, std::string_view subcommand,
                                       Io io, core::ProfileId& id) {
  if (vm.count("profile") == 0) return std::nullopt;
  const auto& name = vm["profile"].as<std::string>();
  if (const auto parsed = core::parse_profile(name)) {
    id = *parsed;
    return std::nullopt;
  }
  return bad_input(
      io, subcommand,
      "--profile '" + name + "' is not valid; valid: " + std::string(core::profile_names));
}

}  // namespace fosim::tools
