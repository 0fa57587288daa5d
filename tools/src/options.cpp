#include "fosim/tools/options.hpp"

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
      io.out << usage << "\n\n" << all;
      return exit_ok;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    return bad_input(io, subcommand, std::string(e.what()) + " (see fosim " +
                                         std::string(subcommand) + " --help)");
  }
  return std::nullopt;
}

}  // namespace fosim::tools
