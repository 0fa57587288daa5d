// `fosim check`: one server's dhcpd.conf as `dhcpd -t` reads it plus its failover checks, or a
// pair of them with the checks across the two servers.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim check [--isc 4.1|4.2|4.3|4.4] [--root DIR] SERVER.conf [PARTNER.conf]\n\n"
    "Reads a server's dhcpd.conf (with its include files) as `dhcpd -t -cf FILE` of that ISC\n"
    "series would, and reports every problem, each as FILE:LINE:COLUMN: error|warning: what is\n"
    "wrong (valid: ...):\n"
    "  - syntax and ISC's own validation, in ISC's wording where it has one; a word that starts\n"
    "    no statement (stray prose, a misspelt keyword: with the statement it was likely meant\n"
    "    to be); a statement twice in one failover peer block; a statement in the wrong scope;\n"
    "    Unicode look-alikes of ASCII pasted from web pages (hyphens, curly quotes, non-breaking\n"
    "    spaces), with the ASCII that was meant;\n"
    "  - the failover checks of that server (mclt and split on the primary, a pool for each\n"
    "    peer, timers that cannot work).\n"
    "Given the partner's file too, it adds what ISC never checks across the two servers: one\n"
    "primary and one secondary, the same peer name, addresses and ports that point at each\n"
    "other, mclt only on the primary, the same pools and ranges and lease times.\n"
    "Statements fosim does not model (options, hosts, classes, ...) are read for their syntax;\n"
    "those that change lease times, failover or which server answers are named, each as\n"
    "FILE:LINE:COLUMN: warning: not modelled: ... (they are not problems of the files: the exit\n"
    "code leaves them out).\n\n"
    "Exit codes: 0 no problem; 1 problems found (errors or warnings); 2 a file cannot be read\n"
    "(missing, a directory) or the command is misused.";

/// Reads a file whole; a directory or an unreadable file is an error.
std::optional<std::string> read_text(const std::filesystem::path& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "it is a directory, not a file";
    return std::nullopt;
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error = "cannot open it";
    return std::nullopt;
  }
  std::ostringstream s;
  s << f.rdbuf();
  if (f.bad()) {
    error = "cannot read it";
    return std::nullopt;
  }
  return s.str();
}

/// Where an include is read from: an absolute path under `root` when one is given (a copy of
/// the server's tree); a relative one as given when it exists (dhcpd takes it from its working
/// directory), else relative to the including file's directory.
std::filesystem::path include_path(const std::string& path, const std::filesystem::path& base,
                                   const std::string& root) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return root.empty() ? p : std::filesystem::path(root) / p.relative_path();
  std::error_code ec;
  return std::filesystem::exists(p, ec) ? p : base / p;
}

/// "FILE:LINE:COLUMN: " (the column left out when it is not known).
std::string place_text(const core::ConfPlace& p) {
  return p.file + ":" + std::to_string(p.line) + ":" +
         (p.column != 0 ? std::to_string(p.column) + ":" : std::string()) + " ";
}

/// Prints the problems once each (two files including the same one find its problems twice);
/// returns the errors and warnings printed.
std::pair<std::size_t, std::size_t> print_problems(const std::vector<core::ConfProblem>& problems,
                                                   std::ostream& out) {
  std::set<std::string> seen;
  std::size_t errors = 0, warnings = 0;
  for (const core::ConfProblem& p : problems) {
    std::string line = place_text(p.place) + std::string(core::to_string(p.severity)) + ": " +
                       p.message + (p.valid.empty() ? "" : " (valid: " + p.valid + ")");
    if (!seen.insert(line).second) continue;
    (p.severity == core::Severity::error ? errors : warnings) += 1;
    out << line << "\n";
  }
  return {errors, warnings};
}

}  // namespace

int cmd_check(const Args& args, Io io) {
  po::options_description opts("options");
  std::vector<std::string> files;
  std::string isc_text = "4.4", root;
  opts.add_options()("files", po::value(&files), "dhcpd.conf files")(
      "isc", po::value(&isc_text)->value_name("SERIES"),
      "the ISC dhcpd series the server runs: 4.1, 4.2, 4.3 or 4.4 (the default)")(
      "root", po::value(&root)->value_name("DIR"),
      "read absolute includes (include \"/etc/dhcp/x.conf\") from DIR/etc/dhcp/x.conf, a copy "
      "of the server's tree");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "check", usage, io)) return *rc;
  if (files.empty() || files.size() > 2)
    return bad_input(io, "check",
                     "give one server's dhcpd.conf, or the two servers' of a pair (see fosim "
                     "check --help)");
  const std::optional<core::IscVersion> isc = core::parse_isc_version(isc_text);
  if (!isc) return bad_input(io, "check", "--isc " + isc_text + ": give 4.1, 4.2, 4.3 or 4.4");
  std::error_code ec;
  if (!root.empty() && !std::filesystem::is_directory(root, ec))
    return bad_input(io, "check", "--root " + root + ": not a directory");
  std::vector<core::DhcpdConf> confs;
  for (const std::string& file : files) {
    std::string error;
    const std::optional<std::string> text = read_text(file, error);
    if (!text) return bad_input(io, "check", "cannot read " + file + ": " + error);
    const std::filesystem::path base = std::filesystem::path(file).parent_path();
    const core::IncludeReader reader = [&base, &root](const std::string& path, std::string& e) {
      return read_text(include_path(path, base, root), e);
    };
    confs.push_back(core::parse_dhcpd_conf(*text, file, reader, *isc));
  }
  for (const core::DhcpdConf& c : confs)
    for (const core::ConfProblem& n : c.notes)
      io.err << place_text(n.place) << "note: " << n.message << "\n";
  std::size_t unmodelled = 0;
  for (const core::DhcpdConf& c : confs)
    for (const core::ConfProblem& u : c.unmodelled) {
      ++unmodelled;
      io.out << place_text(u.place) << "warning: not modelled: " << u.message << "\n";
    }
  const std::vector<core::ConfProblem> problems =
      confs.size() == 1 ? core::check_one(confs[0]) : core::check_pair(confs[0], confs[1]);
  const auto [errors, warnings] = print_problems(problems, io.out);
  std::size_t peers = 0;
  for (const core::DhcpdConf& c : confs) peers += c.peers.size();
  if (errors + warnings == 0) {
    io.out << "ok: " << peers << " failover peer declaration" << (peers == 1 ? "" : "s")
           << ", no problem found";
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
