// The state graph built from the ISC transition table, its dot output, highlighting, and
// `fosim diagram` as a user runs it.
#include "fosim/tools/state_graph.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_run.hpp"
#include "fosim/tools/cli.hpp"

namespace {

namespace fs = std::filesystem;
using fosim::core::Outcome;
using fosim::core::Role;
using fosim::core::State;
using fosim::core::Trigger;
using fosim::tools::CauseKind;
using fosim::tools::NodeKind;
using fosim::tools::ServiceClass;
using fosim::tools::StateGraph;

struct Run {
  int rc;
  std::string out;
  std::string err;
};

Run fosim_cli(std::initializer_list<std::string> args) {
  std::ostringstream out, err;
  const int rc = fosim::tools::run_cli(fosim::tools::Args(args), {out, err});
  return {rc, out.str(), err.str()};
}

/// Returns the causes of the edge `from` -> `to` as one string per cause, or nothing.
std::vector<std::string> causes(const StateGraph& g, State from, State to) {
  std::vector<std::string> out;
  if (const auto e = fosim::tools::find_transition(g, from, to))
    for (const auto& c : g[*e].causes) out.push_back(c.text);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// Counts the edges between two states (the startup resume edge excluded).
std::size_t state_edges(const StateGraph& g) {
  std::size_t n = 0;
  for (auto [it, end] = boost::edges(g); it != end; ++it)
    if (g[boost::source(*it, g)].kind == NodeKind::state &&
        g[boost::target(*it, g)].kind == NodeKind::state && !g[*it].to_cluster)
      ++n;
  return n;
}

/// Returns true when Graphviz's `dot` is on PATH.
bool have_dot() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((fs::path(dir) / "dot").c_str(), X_OK) == 0) return true;
  return false;
}

/// A fresh, empty directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "fosim-diagram-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("state_graph: nodes: one per ISC state a server can be in") {
    const StateGraph g = fosim::tools::build_state_graph();
    std::size_t states = 0;
    for (auto [it, end] = boost::vertices(g); it != end; ++it)
      if (g[*it].kind == NodeKind::state) ++states;
    CHECK(states == 12);  // 13 ISC states but unknown-state, which no rule moves to
    for (State s : {State::unknown_state, State::no_state, State::init})
      CHECK_MESSAGE(!fosim::tools::find_state(g, s), fosim::core::to_string(s));
    CHECK(fosim::tools::find_node(g, NodeKind::process_start));
    CHECK(fosim::tools::find_node(g, NodeKind::process_exit));

    SUBCASE("colours follow ISC's service state") {
      const auto service = [&g](State s) { return g[*fosim::tools::find_state(g, s)].service; };
      CHECK(service(State::normal) == ServiceClass::balanced);
      CHECK(service(State::communications_interrupted) == ServiceClass::responsive);
      CHECK(service(State::partner_down) == ServiceClass::responsive);
      for (State s : {State::startup, State::recover, State::recover_wait, State::recover_done,
                      State::potential_conflict, State::resolution_interrupted,
                      State::conflict_done, State::shutdown, State::paused})
        CHECK_MESSAGE(service(s) == ServiceClass::unresponsive, fosim::core::to_string(s));
      CHECK(g[*fosim::tools::find_state(g, State::normal)].colour !=
            g[*fosim::tools::find_state(g, State::partner_down)].colour);
    }
  }

  TEST_CASE("state_graph: edges: every move rule is exactly one merged edge") {
    const StateGraph g = fosim::tools::build_state_graph();
    std::size_t checked = 0;
    for (const fosim::core::Rule& r : fosim::core::isc::rules) {
      if (r.outcome != Outcome::move || r.trigger == Trigger::boot) continue;
      for (State from : fosim::core::all_states()) {
        if (!r.from.contains(from) || !fosim::tools::find_state(g, from) || from == State::startup)
          continue;
        const auto u = *fosim::tools::find_state(g, from);
        const auto v = *fosim::tools::find_state(g, r.to);
        std::size_t parallel = 0;
        for (auto [it, end] = boost::out_edges(u, g); it != end; ++it)
          if (boost::target(*it, g) == v && !g[*it].to_cluster) ++parallel;
        CHECK_MESSAGE(parallel == 1, fosim::core::to_string(from), " -> ",
                      fosim::core::to_string(r.to));
        ++checked;
      }
    }
    // (move rule, from state) pairs: peer STATE 23, link lost 2 (unknown-state's row has no
    // node), UPDDONE 5, timers 2, operator 2.
    CHECK(checked == 34);
    std::size_t merged = 0;
    for (auto [it, end] = boost::edges(g); it != end; ++it)
      if (g[boost::source(*it, g)].kind == NodeKind::state &&
          g[boost::target(*it, g)].kind == NodeKind::state)
        merged += g[*it].rule_count;
    CHECK(merged == checked);

    SUBCASE("28 state-to-state pairs, counted by hand from ISC's rules") {
      // peer STATE 21 (normal 5, recover 2, potential-conflict 3, conflict-done 2, partner-down 2,
      // communications-interrupted 3, resolution-interrupted 2, recover-done 2), link lost +1
      // (potential-conflict -> resolution-interrupted), UPDDONE +4, MCLT timer +1, shutdown exit
      // +1.
      CHECK(state_edges(g) == 28);
      CHECK(state_edges(fosim::tools::build_state_graph({Role::primary})) == 27);
      CHECK(state_edges(fosim::tools::build_state_graph({Role::secondary})) == 27);
    }
  }

  TEST_CASE("state_graph: edges: known merges and labels") {
    const StateGraph g = fosim::tools::build_state_graph();
    SUBCASE(
        "communications-interrupted -> partner-down: peer recover, shutdown, auto-partner-down") {
      const auto e =
          fosim::tools::find_transition(g, State::communications_interrupted, State::partner_down);
      REQUIRE(e);
      CHECK(g[*e].rule_count == 3);
      CHECK(g[*e].causes.size() == 2);
      CHECK(has(causes(g, State::communications_interrupted, State::partner_down),
                "peer: recover, shutdown"));
      CHECK(has(causes(g, State::communications_interrupted, State::partner_down),
                "timer: auto-partner-down"));
      CHECK(g[*e].kind == CauseKind::timer);
      CHECK(g[*e].label == "peer: recover, shutdown\ntimer: auto-partner-down");
    }
    SUBCASE("normal -> communications-interrupted: link lost and peer paused") {
      const auto e =
          fosim::tools::find_transition(g, State::normal, State::communications_interrupted);
      REQUIRE(e);
      CHECK(g[*e].rule_count == 2);
      CHECK(has(causes(g, State::normal, State::communications_interrupted), "peer: paused"));
      CHECK(has(causes(g, State::normal, State::communications_interrupted), "link lost"));
      CHECK(g[*e].kind == CauseKind::link_lost);
    }
    SUBCASE("recover -> recover-wait only via UPDDONE") {
      const auto e = fosim::tools::find_transition(g, State::recover, State::recover_wait);
      REQUIRE(e);
      CHECK(g[*e].rule_count == 1);
      CHECK(g[*e].kind == CauseKind::update_done);
      CHECK(causes(g, State::recover, State::recover_wait) ==
            std::vector<std::string>{"UPDDONE [MCLT wait needed]"});
      CHECK(causes(g, State::recover, State::recover_done) ==
            std::vector<std::string>{"UPDDONE [no MCLT wait]"});
    }
    SUBCASE("first match: a rule pre-empted by a stricter row carries the negation") {
      CHECK(causes(g, State::normal, State::recover) ==
            std::vector<std::string>{"peer: partner-down [in startup]"});
      CHECK(causes(g, State::normal, State::potential_conflict) ==
            std::vector<std::string>{"peer: partner-down [not in startup]"});
      CHECK(causes(g, State::partner_down, State::normal) ==
            std::vector<std::string>{"peer: recover-done [no STARTUP bit]"});
      CHECK(causes(g, State::resolution_interrupted, State::potential_conflict) ==
            std::vector<std::string>{"peer: any other"});
    }
    SUBCASE("timers, operator and the exit node") {
      CHECK(causes(g, State::recover_wait, State::recover_done) ==
            std::vector<std::string>{"timer: MCLT"});
      CHECK(has(causes(g, State::normal, State::shutdown), "operator: shutdown"));
      const auto cd = *fosim::tools::find_state(g, State::conflict_done);
      const auto exit = *fosim::tools::find_node(g, NodeKind::process_exit);
      const auto [e, found] = boost::edge(cd, exit, g);
      REQUIRE(found);
      CHECK(g[e].label == "peer: any other");
      CHECK(boost::in_degree(exit, g) == 1);
    }
    SUBCASE("without --role the role-specific UPDDONE rules say whose they are") {
      CHECK(has(causes(g, State::potential_conflict, State::conflict_done),
                "UPDDONE (primary) [peer not conflict-done]"));
      CHECK(has(causes(g, State::potential_conflict, State::normal),
                "UPDDONE (secondary) [peer conflict-done]"));
      CHECK(has(causes(g, State::potential_conflict, State::shutdown),
                "UPDDONE (primary) [peer conflict-done]"));
    }
    SUBCASE("set-state is not drawn: no edge enters paused") {
      CHECK(boost::in_degree(*fosim::tools::find_state(g, State::paused), g) == 0);
    }
    SUBCASE("startup: one edge in from process start, one resume edge into the cluster") {
      const auto startup = *fosim::tools::find_state(g, State::startup);
      CHECK(boost::in_degree(startup, g) == 1);
      REQUIRE(boost::out_degree(startup, g) == 1);
      CHECK(g[*boost::out_edges(startup, g).first].to_cluster);
    }
  }

  TEST_CASE("state_graph: role: the secondary never goes potential-conflict -> conflict-done") {
    const StateGraph secondary = fosim::tools::build_state_graph({Role::secondary});
    CHECK(
        !fosim::tools::find_transition(secondary, State::potential_conflict, State::conflict_done));
    CHECK(causes(secondary, State::potential_conflict, State::normal) ==
          std::vector<std::string>{"UPDDONE [peer conflict-done]"});
    CHECK(causes(secondary, State::potential_conflict, State::shutdown) ==
          std::vector<std::string>{"peer: normal"});

    const StateGraph primary = fosim::tools::build_state_graph({Role::primary});
    CHECK(causes(primary, State::potential_conflict, State::conflict_done) ==
          std::vector<std::string>{"UPDDONE [peer not conflict-done]"});
    CHECK(!fosim::tools::find_transition(primary, State::potential_conflict, State::normal));
    CHECK(has(causes(primary, State::potential_conflict, State::shutdown),
              "UPDDONE [peer conflict-done]"));
    CHECK(fosim::tools::to_dot(primary).find("UPDDONE (primary)") == std::string::npos);
    CHECK(fosim::tools::to_dot(primary).find("failover states</b> (primary)") != std::string::npos);
  }

  TEST_CASE("state_graph: dot: the text names every state and parses") {
    const StateGraph g = fosim::tools::build_state_graph();
    const std::string dot = fosim::tools::to_dot(g);
    CHECK(dot.rfind("digraph G {", 0) == 0);
    for (auto [it, end] = boost::vertices(g); it != end; ++it)
      CHECK_MESSAGE(dot.find("\n" + g[*it].id + "[label=") != std::string::npos, g[*it].id);
    CHECK(dot.find("lhead=cluster_operating") != std::string::npos);
    CHECK(dot.find("legend [shape=plaintext") != std::string::npos);
    CHECK(dot.find("style=dashed") != std::string::npos);  // link lost
    CHECK(dot.find("style=dotted") != std::string::npos);  // timers
    CHECK(dot.find("&#215;") == std::string::npos);        // nothing highlighted

    if (!have_dot()) {
      MESSAGE("Graphviz 'dot' not on PATH: skipping the render check (apt-get install graphviz)");
      return;
    }
    for (const char* role : {"", "primary", "secondary"}) {
      const Run r = std::string(role).empty()
                        ? fosim_cli({"diagram", "--format", "svg"})
                        : fosim_cli({"diagram", "--format", "svg", "--role", role});
      CHECK_MESSAGE(r.rc == 0, r.err);
      CHECK(r.err.empty());
      CHECK(r.out.find("<svg") != std::string::npos);
      CHECK(r.out.find("partner&#45;down") != std::string::npos);  // SVG escapes the hyphen
    }
  }

  TEST_CASE("state_graph: highlight: an operator's set-state gets its own edge") {
    // Two moves comm-int -> partner-down: one by the auto-partner-down timer, one forced by the
    // operator. The timer's edge counts 1, and a purple operator edge counts the other.
    StateGraph g = fosim::tools::build_state_graph();
    const fosim::tools::TransitionCounts counts{
        {{State::communications_interrupted, State::partner_down}, 2}};
    const fosim::tools::TransitionCounts forced{
        {{State::communications_interrupted, State::partner_down}, 1}};
    CHECK(fosim::tools::highlight_transitions(g, counts, forced) == 1);
    CHECK(
        g[*fosim::tools::find_transition(g, State::communications_interrupted, State::partner_down)]
            .taken == 1);
    std::size_t operator_edges = 0;
    for (auto [it, end] = boost::edges(g); it != end; ++it)
      if (g[*it].kind == CauseKind::operator_action && g[*it].taken == 1 &&
          g[*it].label.find("set-state") != std::string::npos)
        ++operator_edges;
    CHECK(operator_edges == 1);
  }

  TEST_CASE("state_graph: highlight: a run's transitions with their counts") {
    StateGraph g = fosim::tools::build_state_graph();
    const fosim::tools::TransitionCounts counts{
        {{State::recover, State::startup}, 1},  // boot: the process-start edge
        {{State::startup, State::recover}, 1},  // resume: not a table edge
        {{State::recover, State::recover_done}, 1},
        {{State::recover_done, State::normal}, 1},
        {{State::normal, State::communications_interrupted}, 3},
        {{State::communications_interrupted, State::normal}, 2},
        {{State::communications_interrupted, State::partner_down}, 1},
        {{State::normal, State::paused}, 1},    // operator set-state
        {{State::shutdown, State::normal}, 0},  // zero: ignored
    };
    CHECK(fosim::tools::highlight_transitions(g, counts) == 2);
    const auto taken = [&g](State a, State b) {
      return g[*fosim::tools::find_transition(g, a, b)].taken;
    };
    CHECK(taken(State::normal, State::communications_interrupted) == 3);
    CHECK(taken(State::communications_interrupted, State::normal) == 2);
    CHECK(taken(State::recover_done, State::normal) == 1);
    CHECK(taken(State::partner_down, State::normal) == 0);
    CHECK(taken(State::startup, State::recover) == 1);
    CHECK(g[*fosim::tools::find_transition(g, State::startup, State::recover)].kind ==
          CauseKind::observed);
    CHECK(taken(State::normal, State::paused) == 1);
    const auto start = *fosim::tools::find_node(g, NodeKind::process_start);
    CHECK(g[*boost::out_edges(start, g).first].taken == 1);
    CHECK(!fosim::tools::find_transition(g, State::shutdown, State::normal));

    const std::string dot = fosim::tools::to_dot(g);
    CHECK(dot.find("<b>&#215;3</b>") != std::string::npos);
    CHECK(dot.find("<b>&#215;2</b>") != std::string::npos);
    CHECK(dot.find("penwidth=4") != std::string::npos);  // 3 taken: one doubling above 3 points
    CHECK(dot.find("#b0b0b0") != std::string::npos);     // untaken edges are faded
    CHECK(dot.find("taken N times in this run") != std::string::npos);
  }

  TEST_CASE("cli: diagram: formats, roles, files and exit codes") {
    SUBCASE("default: dot on stdout") {
      const Run r = fosim_cli({"diagram"});
      CHECK(r.rc == 0);
      CHECK(r.out.rfind("digraph G {", 0) == 0);
      CHECK(r.out.find("(both roles)") != std::string::npos);
    }
    SUBCASE("--role secondary") {
      const Run r = fosim_cli({"diagram", "--role", "secondary"});
      CHECK(r.rc == 0);
      CHECK(r.out.find("(secondary)") != std::string::npos);
      CHECK(r.out.find("potential_conflict->conflict_done") == std::string::npos);
    }
    SUBCASE("--profile draft-12: the draft's rules, named in the title") {
      // Draft section 9.5.2: recover always goes to recover-wait on UPDDONE; ISC may skip it.
      const Run draft = fosim_cli({"diagram", "--profile", "draft-12"});
      CHECK(draft.rc == 0);
      CHECK(draft.out.find("draft-12 (the draft's own rules) failover states") !=
            std::string::npos);
      CHECK(
          draft.out.find("recover->recover_wait [label=<<font color=\"#1e8449\">UPDDONE</font>>") !=
          std::string::npos);
      CHECK(draft.out.find("recover->recover_done") == std::string::npos);
      const Run isc = fosim_cli({"diagram"});
      CHECK(isc.out.find("recover->recover_done") != std::string::npos);
      CHECK(fosim_cli({"diagram", "--profile", "isc-3"}).rc == 2);
    }
    SUBCASE("bad values are exit 2 with the valid ones") {
      const Run role = fosim_cli({"diagram", "--role", "tertiary"});
      CHECK(role.rc == 2);
      CHECK(role.err == "fosim diagram: unknown --role 'tertiary'; valid: primary, secondary\n");
      const Run format = fosim_cli({"diagram", "--format", "png"});
      CHECK(format.rc == 2);
      CHECK(format.err.find("valid: dot, svg") != std::string::npos);
      CHECK(fosim_cli({"diagram", "--bogus"}).rc == 2);
    }
    SUBCASE("--help documents the exit codes and the graphviz dependency") {
      const Run r = fosim_cli({"diagram", "--help"});
      CHECK(r.rc == 0);
      CHECK(r.out.find("apt-get install graphviz") != std::string::npos);
    }
    SUBCASE("-o writes the file and leaves no temp file behind") {
      TempDir dir;
      const fs::path file = dir.path / "states machine's.dot";  // a space and a quote
      const Run r = fosim_cli({"diagram", "-o", file.string()});
      CHECK(r.rc == 0);
      CHECK(r.out.empty());
      CHECK(slurp(file) == fosim_cli({"diagram"}).out);
      CHECK(dir.entries() == 1);
    }
    SUBCASE("-o into a missing directory is exit 2 and creates nothing") {
      TempDir dir;
      const Run r = fosim_cli({"diagram", "-o", (dir.path / "no" / "such.dot").string()});
      CHECK(r.rc == 2);
      CHECK(r.err.find("cannot write") != std::string::npos);
      CHECK(dir.entries() == 0);
    }
    SUBCASE("svg with -o, and without dot on PATH") {
      TempDir dir;
      const fs::path file = dir.path / "states.svg";
      if (have_dot()) {
        const Run r = fosim_cli({"diagram", "--format", "svg", "-o", file.string()});
        CHECK_MESSAGE(r.rc == 0, r.err);
        CHECK(slurp(file).find("<svg") != std::string::npos);
        CHECK(dir.entries() == 1);
        fs::remove(file);
      }
      const std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
      ::setenv("PATH", dir.path.c_str(), 1);  // an empty directory: no dot anywhere
      const Run missing = fosim_cli({"diagram", "--format", "svg", "-o", file.string()});
      ::setenv("PATH", saved.c_str(), 1);
      CHECK(missing.rc == 2);
      CHECK(missing.err.find("apt-get install graphviz") != std::string::npos);
      CHECK(missing.err.find('\n') == missing.err.size() - 1);  // one line
      CHECK(dir.entries() == 0);  // neither the file nor its temp file
    }
  }
}

TEST_SUITE("tools") {
  TEST_CASE("cli: diagram: --format json lists states and merged edges") {
    const fosim::test::CliRun r = fosim::test::run_fosim({"diagram", "--format", "json"});
    REQUIRE(r.rc == 0);
    const auto doc = nlohmann::json::parse(r.out);
    bool found = false;
    for (const auto& e : doc["edges"]) {
      if (e["from"] == "communications_interrupted" && e["to"] == "partner_down") {
        found = true;
        CHECK(e["rules"] == 3);  // peer recover, peer shutdown, auto-partner-down timer
      }
    }
    CHECK(found);
    bool normal_balanced = false;
    for (const auto& n : doc["nodes"])
      if (n["name"] == "normal") normal_balanced = n["service"] == "balanced";
    CHECK(normal_balanced);
  }
}
