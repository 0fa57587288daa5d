// `fosim check`: the failover configuration of a pair of real dhcpd.conf files.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim check PRIMARY.conf SECONDARY.conf\n\n"
    "Reads both servers' dhcpd.conf (with their include files) and reports every problem of\n"
    "their failover configuration, each as FILE:LINE: error|warning: what is wrong (valid: ...):\n"
    "  - syntax and ISC's own validation, in ISC's wording where it has one;\n"
    "  - what ISC never checks across the two servers: one primary and one secondary, the same\n"
    "    peer name, addresses and ports that point at each other, mclt only on the primary,\n"
    "    the same pools and ranges, load balancing left off, timers that cannot work.\n"
    "Statements fosim does not model (options, hosts, classes, ...) are skipped; those that\n"
    "change lease times, failover or which server answers are named, each as FILE:LINE:\n"
    "warning: not modelled: ... (they are not problems of the files: the exit code leaves\n"
    "them out).\n\n"
    "Exit codes: 0 no problem; 1 problems found (errors or warnings); 2 a file cannot be read.";

/// Reads a file whole; an include path is taken relative to the including file's directory
/// when it is not absolute and not found as given (dhcpd takes it from its working directory).
std::optional<std::string> read_text(const std::filesystem::path& path, std::string& error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error = "cannot open it";
    return std::nullopt;
  }
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

int cmd_check(const Args& args, Io io) {
  po::options_description opts("options");
  std::vector<std::string> files;
  opts.add_options()("files", po::value(&files), "dhcpd.conf files");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "check", usage, io)) return *rc;
  if (files.size() != 2)
    return bad_input(io, "check",
                     "give the two servers' dhcpd.conf files (see fosim check --help)");
  std::vector<core::DhcpdConf> confs;
  for (const std::string& file : files) {
    std::string error;
    const std::optional<std::string> text = read_text(file, error);
    if (!text) return bad_input(io, "check", "cannot read " + file + ": " + error);
    const std::filesystem::path base = std::filesystem::path(file).parent_path();
    const core::IncludeReader reader = [&base](const std::string& path, std::string& e) {
      const std::filesystem::path p(path);
      if (p.is_absolute() || std::filesystem::exists(p)) return read_text(p, e);
      return read_text(base / p, e);
    };
    confs.push_back(core::parse_dhcpd_conf(*text, file, reader));
  }
  for (const core::DhcpdConf& c : confs)
    for (const core::ConfProblem& n : c.notes)
      io.err << n.place.file << ":" << n.place.line << ": note: " << n.message << "\n";
  std::size_t unmodelled = 0;
  for (const core::DhcpdConf& c : confs)
    for (const core::ConfProblem& u : c.unmodelled) {
      ++unmodelled;
      io.out << u.place.file << ":" << u.place.line << ": warning: not modelled: " << u.message
             << "\n";
    }
  const std::vector<core::ConfProblem> problems = core::check_pair(confs[0], confs[1]);
  std::size_t errors = 0, warnings = 0;
  for (const core::ConfProblem& p : problems) {
    (p.severity == core::Severity::error ? errors : warnings) += 1;
    io.out << p.place.file << ":" << p.place.line << ": " << core::to_string(p.severity) << ": "
           << p.message;
    if (!p.valid.empty()) io.out << " (valid: " << p.valid << ")";
    io.out << "\n";
  }
  std::size_t peers = confs[0].peers.size() + confs[1].peers.size();
  if (problems.empty()) {
    io.out << "ok: " << peers << " failover peer declarations, no problem found";
    if (unmodelled != 0)
      io.out << " (" << unmodelled << " statement" << (unmodelled == 1 ? "" : "s")
             << " not modelled)";
    io.out << "\n";
    return exit_ok;
  }
  io.out << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
         << (warnings == 1 ? "" : "s");
  if (unmodelled != 0) io.out << ", " << unmodelled << " not modelled";
  io.out << "\n";
  return exit_no;
}

}  // namespace fosim::tools
