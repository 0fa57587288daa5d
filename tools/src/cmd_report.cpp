// `fosim report`: one self-contained HTML page of a run directory.
#include <filesystem>
#include <ostream>

#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/play.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim report RUN_DIR -o REPORT.html\n\n"
    "Writes one self-contained HTML page of a run (`fosim run SCENARIO --out RUN_DIR`): both\n"
    "servers' failover states as swimlanes with the link and the script across them, lease\n"
    "activity, the pools over time, the monitors' findings, the run's state diagram and the\n"
    "failover timeline. The page fetches nothing; open it from disk in any browser. Zoom the time\n"
    "axis with the mouse wheel, pan by dragging, double-click for the whole run.\n\n"
    "  -o, --output FILE   where to write the page (required)\n\n"
    "The diagram is drawn with Graphviz (`dot`); without it the page says so and so does stderr.\n"
    "Shortcut: fosim run SCENARIO --html REPORT.html\n\n"
    "Exit codes: 0 written; 2 bad input (a missing or damaged run directory, an unwritable file).";

}  // namespace

int write_report(const std::filesystem::path& run_dir, const std::filesystem::path& output, Io io) {
  std::string note;
  const std::optional<FileError> error = write_report_file(run_dir, output, note);
  if (!note.empty()) io.err << "fosim report: warning: " << note << "\n";
  return error ? bad_input(io, "report", error->message) : exit_ok;
}

int cmd_report(const Args& args, Io io) {
  po::options_description opts("options");
  std::string dir, output;
  opts.add_options()("run-dir", po::value(&dir), "run directory")("output,o", po::value(&output),
                                                                  "HTML file");
  po::positional_options_description pos;
  pos.add("run-dir", 1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "report", usage, io)) return *rc;
  if (dir.empty()) return bad_input(io, "report", "give a run directory (see fosim report --help)");
  if (output.empty()) return bad_input(io, "report", "give the page's file with -o REPORT.html");
  return write_report(dir, output, io);
}

}  // namespace fosim::tools
