#include "fosim/tools/options.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
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

/// Writes every (path, content) pair, and renames the already written `streamed` files, or does
/// none of it: each file goes to `path.tmp` first, and only when all are written are they
/// renamed into place. On failure no temporary file is left behind.
bool write_all(const std::vector<std::pair<std::filesystem::path, std::string>>& contents,
               const std::vector<std::filesystem::path>& streamed, std::string& error) {
  std::vector<std::filesystem::path> written;
  for (const auto& path : streamed) written.push_back(path.string() + ".tmp");
  auto clean_up = [&written] {
    std::error_code ignored;
    for (const auto& tmp : written) std::filesystem::remove(tmp, ignored);
  };
  std::vector<std::pair<std::filesystem::path, std::string>> files = contents;
  for (const auto& path : streamed) files.emplace_back(path, std::string());
  // Only regular files are replaced: a device, a pipe or a symbolic link named as an output
  // is refused rather than swapped for a file (which, as root, would replace /dev/null).
  for (const auto& [path, content] : files) {
    std::error_code ec;
    const auto st = std::filesystem::symlink_status(path, ec);
    if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
      error = "cannot write " + path.string() + ": it is " +
              (std::filesystem::is_directory(st) ? "a directory"
               : std::filesystem::is_symlink(st) ? "a symbolic link"
                                                 : "not a regular file") +
              " (give the path of a file to create or replace)";
      clean_up();
      return false;
    }
  }
  for (const auto& [path, content] : contents) {
    const std::filesystem::path tmp = path.string() + ".tmp";
    errno = 0;
    std::ofstream f(tmp, std::ios::binary);
    if (f) written.push_back(tmp);
    if (f) f << content;
    if (!f || !f.flush()) {
      error = "cannot write " + path.string() + ": " +
              (errno != 0 ? std::strerror(errno) : "write failed");
      f.close();
      clean_up();
      return false;
    }
  }
  for (const auto& [path, content] : files) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      error = "cannot write " + path.string() + ": a directory is in the way";
      clean_up();
      return false;
    }
  }
  for (const auto& [path, content] : files) {
    std::error_code ec;
    std::filesystem::rename(path.string() + ".tmp", path, ec);
    if (ec) {
      error = "cannot rename " + path.string() + ".tmp: " + ec.message();
      clean_up();
      return false;
    }
  }
  return true;
}

}  // namespace fosim::tools
