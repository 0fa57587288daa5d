// `fosim diagram`: the ISC failover state machine as Graphviz dot, or as SVG through `dot`.
//
// SVG is made by running Graphviz's `dot -Tsvg` with posix_spawnp: no shell is involved, so
// an output path with spaces or quotes is only ever a path. The dot source reaches the child
// through an anonymous scratch file (not a pipe), so a child that dies early cannot raise
// SIGPIPE in this process. With -o the output goes to FILE.tmp beside FILE (see
// output_files.hpp) and is renamed over it only when complete, so a failure never leaves a
// half-written FILE.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "fosim/tools/cli.hpp"
#include "fosim/tools/fd_stream.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/output_files.hpp"
#include "fosim/tools/report.hpp"
#include "fosim/tools/state_graph.hpp"

extern char** environ;

namespace fosim::tools {
namespace {

constexpr std::string_view usage_text =
    "usage: fosim diagram [--format dot|svg|json] [--role primary|secondary] [--profile P]\n"
    "                     [-o FILE]\n\n"
    "Draws ISC dhcpd 4.4's failover state machine from fosim's transition table: one node\n"
    "per state, coloured by the service ISC gives in it; one edge per (from, to) pair, with\n"
    "every rule that makes that move merged into its label; a legend for colours and lines.\n"
    "  --format dot   Graphviz source (the default)\n"
    "  --format svg   SVG, made by running Graphviz's `dot -Tsvg` (needs graphviz installed)\n"
    "  --format json  the same graph as data: states with their service, edges with causes\n"
    "  --role R       only the rules a primary (or a secondary) follows; default both, with\n"
    "                 role-specific rules marked (primary) / (secondary)\n"
    "  --profile P    isc-4.4 (the default) or draft-12: the draft's own rules where ISC\n"
    "                 departs from them, and the service the draft gives in each state\n"
    "  -o FILE        write FILE atomically (temp file beside it, then rename); default stdout\n"
    "Exit codes: 0 written; 2 bad option, Graphviz `dot` not found (apt-get install graphviz),\n"
    "dot failed, or FILE cannot be written (FILE is then left untouched).\n"
    "PNG: fosim diagram | dot -Tpng -o states.png";

std::string errno_text(int err) { return std::strerror(err); }

/// Returns the whole content of `fd` from its start.
std::string read_all(int fd) {
  std::string out;
  if (::lseek(fd, 0, SEEK_SET) != 0) return out;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

/// An anonymous scratch file, deleted when closed.
class Scratch {
 public:
  Scratch() : file_(std::tmpfile()) {}
  ~Scratch() {
    if (file_ != nullptr) std::fclose(file_);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  bool ok() const { return file_ != nullptr; }
  int fd() const { return ::fileno(file_); }

 private:
  std::FILE* file_;
};

/// Runs `dot -T<format>` on `source`, its output going to `out_fd`. Returns an error message,
/// empty on success.
std::string run_dot(const std::string& source, const std::string& format, int out_fd) {
  Scratch in, err;
  if (!in.ok() || !err.ok()) return "cannot create a scratch file: " + errno_text(errno);
  if (!write_all(in.fd(), source) || ::lseek(in.fd(), 0, SEEK_SET) != 0)
    return "cannot write a scratch file: " + errno_text(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd(), STDERR_FILENO);
  std::string program = "dot", type = "-T" + format;
  char* argv[] = {program.data(), type.data(), nullptr};
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT)
    return "Graphviz 'dot' is not installed or not on PATH; install it (apt-get install "
           "graphviz) or use --format dot";
  if (rc != 0) return "cannot run Graphviz 'dot': " + errno_text(rc);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return "cannot wait for Graphviz 'dot': " + errno_text(errno);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  std::string message = read_all(err.fd());
  message = message.substr(0, message.find('\n'));
  const std::string how = WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                            : "signal " + std::to_string(WTERMSIG(status));
  return "Graphviz 'dot -" + type.substr(1) + "' failed (" + how + ")" +
         (message.empty() ? "" : ": " + message);
}

/// Writes the diagram in `format` to `out_fd` (a file) or, when `out_fd` < 0, to `io.out`.
std::string render(const std::string& dot, const std::string& format, int out_fd, Io io) {
  if (format == "dot") {
    if (out_fd < 0) {
      io.out << dot;
      return {};
    }
    return write_all(out_fd, dot) ? std::string{} : errno_text(errno);
  }
  if (out_fd >= 0) return run_dot(dot, format, out_fd);
  Scratch out;
  if (!out.ok()) return "cannot create a scratch file: " + errno_text(errno);
  const std::string error = run_dot(dot, format, out.fd());
  if (error.empty()) io.out << read_all(out.fd());
  return error;
}

/// Returns the graph as JSON: the nodes and the merged edges with their causes.
std::string graph_json(const StateGraph& g) {
  nlohmann::json nodes = nlohmann::json::array(), edges = nlohmann::json::array();
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const StateNode& n = g[v];
    nodes.push_back({{"id", n.id},
                     {"name", n.name},
                     {"service", n.kind == NodeKind::state ? nlohmann::json(to_string(n.service))
                                                           : nlohmann::json(nullptr)}});
  }
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const TransitionEdge& t = g[e];
    nlohmann::json causes = nlohmann::json::array();
    for (const Cause& c : t.causes)
      causes.push_back({{"kind", to_string(c.kind)}, {"text", c.text}});
    edges.push_back({{"from", g[boost::source(e, g)].id},
                     {"to", t.to_cluster ? "operating-states" : g[boost::target(e, g)].id},
                     {"rules", t.rule_count},
                     {"causes", causes}});
  }
  return nlohmann::json{{"nodes", nodes}, {"edges", edges}}.dump(2) + "\n";
}

}  // namespace

int cmd_diagram(const Args& args, Io io) {
  std::string format = "dot", role_name, output;
  po::options_description opts("options");
  opts.add_options()("format", po::value(&format)->default_value("dot"), "dot, svg or json")(
      "role", po::value(&role_name), "primary or secondary: only that role's rules")(
      "output,o", po::value(&output), "write FILE atomically instead of stdout")(
      "profile", po::value<std::string>(), "isc-4.4 or draft-12");
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, {}, vm, "diagram", usage_text, io)) return *rc;
  if (format != "dot" && format != "svg" && format != "json")
    return bad_input(io, "diagram", "unknown --format '" + format + "'; valid: dot, svg, json");
  GraphOptions graph_options;
  if (role_name == "primary")
    graph_options.role = core::Role::primary;
  else if (role_name == "secondary")
    graph_options.role = core::Role::secondary;
  else if (!role_name.empty())
    return bad_input(io, "diagram",
                     "unknown --role '" + role_name + "'; valid: primary, secondary");

  if (auto rc = read_profile_option(vm, "diagram", io, graph_options.profile)) return *rc;
  const StateGraph graph = build_state_graph(graph_options);
  // JSON is written like dot: the text itself is the output.
  const std::string dot = format == "json" ? graph_json(graph) : to_dot(graph);
  if (format == "json") format = "dot";
  if (output.empty() || output == "-") {
    const std::string error = render(dot, format, -1, io);
    return error.empty() ? exit_ok : bad_input(io, "diagram", error);
  }
  OutputFiles files;
  if (auto refused = files.open(output)) return bad_input(io, "diagram", refused->message);
  std::string error = render(dot, format, files.fd(output), io);
  if (error.empty())
    if (auto failed = files.commit()) error = failed->message;
  return error.empty() ? exit_ok : bad_input(io, "diagram", error);
}

std::optional<std::string> render_svg(const std::string& dot, std::string& error) {
  Scratch out;
  if (!out.ok()) {
    error = "cannot create a scratch file: " + errno_text(errno);
    return std::nullopt;
  }
  error = run_dot(dot, "svg", out.fd());
  if (!error.empty()) return std::nullopt;
  return read_all(out.fd());
}

}  // namespace fosim::tools
