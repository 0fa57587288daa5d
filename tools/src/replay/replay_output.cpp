// What `fosim replay` prints and writes: the timeline as the log is read, its findings, the
// summary, the what-if runs side by side, and summary.json, states.dot and the runs on disk.
#include "fosim/tools/replay_output.hpp"

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "fosim/formats/scenario_json.hpp"
#include "fosim/formats/what_if.hpp"
#include "fosim/sim/isc_wording.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/sim/summary.hpp"
#include "fosim/tools/play.hpp"
#include "fosim/tools/state_graph.hpp"
#include "replay_history.hpp"

namespace fosim::tools {

using core::State;
using detail::comparison;
using detail::end_state;
using detail::from_replay;
using detail::from_run;
using detail::History;
using detail::swimlanes;
using detail::time_in;

/// The replay's events: printed on stdout (text or jsonl) and streamed to timeline.jsonl.
class ReplayOutput::Sink final : public sim::TraceSink {
 public:
  Sink(ReplayOutput& owner, std::ostream* timeline)
      : owner_(owner), stdout_jsonl_(owner.io_.out, {}) {
    if (timeline != nullptr)
      file_jsonl_ = std::make_unique<sim::JsonlTimeline>(*timeline, std::vector<std::string>{});
  }

  void record(const sim::RunEvent& e) override {
    std::vector<std::string> hosts;
    if (owner_.replay_ != nullptr)
      for (const sim::ReplayServer& s : owner_.replay_->servers()) hosts.push_back(s.host);
    if (hosts.size() != known_hosts_) {
      known_hosts_ = hosts.size();
      stdout_jsonl_.set_hosts(hosts);
      if (file_jsonl_) file_jsonl_->set_hosts(hosts);
      for (const std::string& h : hosts) width_ = std::max(width_, h.size());
    }
    if (file_jsonl_) file_jsonl_->record(e);
    if (owner_.quiet_) return;
    if (owner_.format_ == "jsonl") {
      stdout_jsonl_.record(e);
      return;
    }
    if (!owner_.include_dhcp_ && e.kind() == sim::TraceKind::dhcp) return;
    std::string who = e.server >= 0 && static_cast<std::size_t>(e.server) < hosts.size()
                          ? hosts[static_cast<std::size_t>(e.server)]
                          : "fosim";
    who.resize(width_, ' ');
    if (owner_.replay_ != nullptr) {
      const std::string clock = sim::log_clock(
          owner_.line_format_, owner_.replay_->origin_ms() + e.at.time_since_epoch().count());
      if (!clock.empty()) owner_.io_.out << clock << "  +";
    }
    owner_.io_.out << sim::format_time(e.at) << "  " << who << "  " << sim::render(e);
    if (const auto* m = e.as<sim::StateMove>(); m != nullptr && m->cause != sim::Cause::none)
      owner_.io_.out << "   [" << sim::to_string(m->cause) << "]";
    owner_.io_.out << "\n";
  }

 private:
  ReplayOutput& owner_;
  sim::JsonlTimeline stdout_jsonl_;
  std::unique_ptr<sim::JsonlTimeline> file_jsonl_;
  std::size_t known_hosts_ = 0;
  std::size_t width_ = 5;
};

namespace {

/// The runs a what-if writes under the output directory, as fosim run writes them.
constexpr const char* run_names[] = {"as-logged", "what-if"};

nlohmann::ordered_json finding_json(const sim::Replay& r, const sim::ReplayFinding& f) {
  nlohmann::ordered_json j;
  j["kind"] = sim::to_string(f.kind);
  j["t_ms"] = f.at.time_since_epoch().count();
  j["server"] = f.server >= 0
                    ? nlohmann::ordered_json(r.servers()[static_cast<std::size_t>(f.server)].host)
                    : nullptr;
  j["what"] = f.what;
  j["why"] = f.why;
  j["file"] = f.file;
  j["line"] = f.line;
  return j;
}

/// summary.json of a replay: what fosim run writes, from what the logs show.
std::string replay_summary(const sim::Replay& r, const History& h,
                           const std::vector<std::string>& notes) {
  nlohmann::ordered_json s;
  s["scenario"] = "replay";
  s["description"] = "rebuilt from the logs";
  s["relationship"] = r.relationship();
  s["seed"] = 0;
  s["simulated_s"] = static_cast<double>(r.end().time_since_epoch().count()) / 1000.0;
  s["source"] = "replay";
  s["time0_utc"] = sim::format_utc(r.origin_ms());
  s["lines"] = r.lines();
  nlohmann::ordered_json servers = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < 2; ++i) {
    nlohmann::ordered_json o;
    o["host"] = h.hosts[i].empty() ? (i == 0 ? "primary" : "secondary") : h.hosts[i];
    o["role"] = i == 0 ? "primary" : "secondary";
    o["state"] = end_state(h, i);
    o["transitions"] = h.changes[i].size();
    nlohmann::ordered_json tis = nlohmann::ordered_json::object();
    for (const core::StateInfo& info : core::state_table) {
      const std::int64_t ms = time_in(h, i, info.name);
      if (ms > 0) tis[std::string(info.name)] = static_cast<double>(ms) / 1000.0;
    }
    o["time_in_state_s"] = tis;
    for (const sim::ReplayServer& rs : r.servers())
      if (rs.host == h.hosts[i]) o["acks"] = rs.acks, o["offers"] = rs.offers, o["naks"] = rs.naks;
    servers.push_back(o);
  }
  s["servers"] = servers;
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const sim::ReplayFinding& f : r.findings()) findings.push_back(finding_json(r, f));
  s["findings"] = findings;
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& [kind, n] : r.finding_counts()) counts[std::string(sim::to_string(kind))] = n;
  s["finding_counts"] = counts;
  s["notes"] = notes;
  s["duplicates"] = nlohmann::ordered_json::array();
  nlohmann::ordered_json empty_series = {{"free", nlohmann::ordered_json::array()},
                                         {"backup", nlohmann::ordered_json::array()},
                                         {"active", nlohmann::ordered_json::array()},
                                         {"expired", nlohmann::ordered_json::array()}};
  s["pool_series"] = {{"interval_s", 1},
                      {"t_s", nlohmann::ordered_json::array()},
                      {"servers", {empty_series, empty_series}}};
  return s.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

/// states.dot of a replay: the moves the log shows, the unexplained and the operator's drawn as
/// forced.
std::string replay_diagram(const sim::Replay& r, const History& h) {
  StateGraph g = build_state_graph();
  TransitionCounts moves, forced;
  for (std::size_t i = 0; i < 2; ++i) {
    State cur = h.first[i];
    for (const auto& [t, to] : h.changes[i]) {
      ++moves[{cur, to}];
      cur = to;
    }
  }
  for (const sim::ReplayFinding& f : r.findings())
    if ((f.kind == sim::ReplayFinding::Kind::unexplained_move ||
         f.kind == sim::ReplayFinding::Kind::operator_startup) &&
        f.server >= 0) {
      const sim::ReplayServer& rs = r.servers()[static_cast<std::size_t>(f.server)];
      for (std::size_t k = 0; k < rs.states.size(); ++k)
        if (rs.states[k].first == f.at) {
          const State from =
              k == 0 ? rs.first_state.value_or(State::unknown_state) : rs.states[k - 1].second;
          ++forced[{from, rs.states[k].second}];
        }
    }
  highlight_transitions(g, moves, forced);
  return to_dot(g);
}

}  // namespace

ReplayOutput::ReplayOutput(Io io, std::string out_dir, std::string html_file, std::string format,
                           bool include_dhcp, bool quiet)
    : io_(io),
      out_dir_(std::move(out_dir)),
      html_file_(std::move(html_file)),
      format_(std::move(format)),
      include_dhcp_(include_dhcp),
      quiet_(quiet) {}

ReplayOutput::~ReplayOutput() {
  // Committed when the replay finished; otherwise they are half a timeline and no summary.
  files_.discard();
  std::error_code ignored;
  if (scratch_) std::filesystem::remove_all(*scratch_, ignored);
}

std::optional<int> ReplayOutput::open() {
  if (!html_file_.empty() && out_dir_.empty()) {
    std::string templ = (std::filesystem::temp_directory_path() / "fosim-replay-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr)
      return bad_input(io_, "replay",
                       "cannot create a scratch directory: " + std::string(std::strerror(errno)));
    scratch_ = templ;
    out_dir_ = templ;
  }
  std::ostream* timeline = nullptr;
  if (!out_dir_.empty()) {
    // Every output is checked before the logs are read; the ones a what-if adds, too.
    const std::filesystem::path dir(out_dir_);
    std::optional<FileError> error = files_.make_dir(dir);
    for (const char* name : {"summary.json", "states.dot"})
      if (!error) error = files_.add(dir / name);
    for (const char* name : {"scenario.json", "what-if.json"})
      if (!error) error = check_output(dir / name);
    if (!error) error = files_.open(dir / "timeline.jsonl");
    if (error) return bad_input(io_, "replay", error->message);
    timeline = &files_.stream(dir / "timeline.jsonl");
  }
  sink_ = std::make_unique<Sink>(*this, timeline);
  return std::nullopt;
}

sim::TraceSink* ReplayOutput::sink() { return sink_.get(); }

void ReplayOutput::after_line() {
  if (replay_ == nullptr) return;
  const auto& f = replay_->findings();
  for (; findings_shown_ < f.size(); ++findings_shown_) {
    if (quiet_ || format_ != "text") continue;
    const sim::ReplayFinding& x = f[findings_shown_];
    io_.out << "  !! " << sim::to_string(x.kind) << ": " << x.what << " (" << x.file << ":"
            << x.line << ")\n"
            << "     likely: " << x.why << "\n";
  }
}

void ReplayOutput::summary(const sim::Replay& r, std::uint64_t read, std::uint64_t understood,
                           const std::vector<std::string>& notes) {
  notes_ = notes;
  if (format_ != "text") return;
  std::ostream& out = io_.out;
  out << "\n== replay: " << understood << " of " << read << " lines understood, "
      << sim::format_time(core::Instant{}) << " - " << sim::format_time(r.end())
      << " (time 0 = " << sim::format_utc(r.origin_ms()) << " UTC)\n";
  for (const sim::ReplayServer& s : r.servers()) {
    out << s.host << " (" << (s.role == core::Role::primary ? "primary" : "secondary") << "): "
        << (s.states.empty()
                ? std::string(core::to_string(s.first_state.value_or(State::unknown_state)))
                : std::string(core::to_string(s.states.back().second)))
        << " at the end; " << s.states.size() << " transitions, " << s.acks << " ACKs, " << s.offers
        << " OFFERs, " << s.naks << " NAKs in " << s.lines << " lines\n";
  }
  std::uint64_t total = 0;
  for (const auto& [kind, n] : r.finding_counts()) total += n;
  out << "findings: " << total;
  for (const auto& [kind, n] : r.finding_counts()) out << "; " << n << " " << sim::to_string(kind);
  out << "\n";
  for (const std::string& n : notes) out << "note: " << n << "\n";
  if (r.servers().size() == 2 && r.servers()[0].role != r.servers()[1].role)
    out << "\n" << swimlanes(from_replay(r));
}

int ReplayOutput::what_if(sim::Scenario sc, const std::vector<std::string>& notes,
                          const std::vector<std::string>& what_ifs, const sim::Replay& replay) {
  // The scenario goes through its own file format, so what runs here is what the files say.
  scenario_json_ = sim::write_scenario(sc);
  const sim::LoadResult as_logged = sim::parse_scenario(*scenario_json_, "scenario.json");
  if (!as_logged.scenario) {
    for (const sim::ScenarioError& e : as_logged.errors)
      io_.err << "fosim replay: the rebuilt " << sim::format(e) << "\n";
    return exit_bad_input;
  }
  notes_.insert(notes_.end(), notes.begin(), notes.end());
  if (what_ifs.empty()) return exit_ok;
  sim::Scenario changed = *as_logged.scenario;
  changed.name = "what-if";
  std::string label;
  for (const std::string& w : what_ifs) {
    if (auto error = sim::apply_what_if(changed, w))
      return bad_input(io_, "replay", "--what-if " + *error);
    label += (label.empty() ? "" : " ") + w;
  }
  changed.description = "the replayed outage with " + label;
  what_if_json_ = sim::write_scenario(changed);
  const sim::LoadResult loaded = sim::parse_scenario(*what_if_json_, "what-if.json");
  if (!loaded.scenario) {
    for (const sim::ScenarioError& e : loaded.errors)
      io_.err << "fosim replay: what-if: " << sim::format(e) << "\n";
    return exit_bad_input;
  }
  if (auto rc = check_run_dirs()) return *rc;
  const PlayResult base = play_run("as-logged", *as_logged.scenario);
  if (base.error) return bad_input(io_, "replay", "the as-logged run: " + base.error->message);
  const PlayResult alt = play_run("what-if", *loaded.scenario);
  if (alt.error) return bad_input(io_, "replay", "the what-if run: " + alt.error->message);
  if (format_ == "text") {
    std::vector<History> runs{from_replay(replay), from_run("replayed as logged", *base.run),
                              from_run(label, *alt.run)};
    runs[0].end_ms = runs[1].end_ms;  // the log's last states held to the end of the runs
    std::ostream& out = io_.out;
    out << "\n== what if " << label << "\n";
    for (const std::string& n : notes) out << "note: " << n << "\n";
    out << "\n";
    comparison(out, runs);
    for (const History& h : runs) out << "\n" << h.label << ":\n" << swimlanes(h);
  }
  return exit_ok;
}

std::optional<int> ReplayOutput::finish(const sim::Replay& r) {
  if (out_dir_.empty()) return std::nullopt;
  const std::filesystem::path dir(out_dir_);
  const History h = from_replay(r);
  files_.set(dir / "summary.json", replay_summary(r, h, notes_));
  files_.set(dir / "states.dot", replay_diagram(r, h));
  if (scenario_json_) files_.set(dir / "scenario.json", *scenario_json_);
  if (what_if_json_) files_.set(dir / "what-if.json", *what_if_json_);
  if (!what_if_json_)
    if (auto rc = check_run_dirs()) return *rc;  // checked before the runs were played
  if (auto error = files_.commit()) return bad_input(io_, "replay", error->message);
  // The runs of an earlier replay into this directory that this one did not write again.
  std::error_code ec;
  if (!what_if_json_ || scratch_)
    for (const char* name : run_names)
      if (std::filesystem::exists(dir / name / "summary.json", ec))
        std::filesystem::remove_all(dir / name, ec);
  if (!what_if_json_) std::filesystem::remove(dir / "what-if.json", ec);
  if (!html_file_.empty()) {
    const int rc = write_report(out_dir_, html_file_, io_);
    if (rc != exit_ok) return rc;
  }
  return std::nullopt;
}

std::optional<int> ReplayOutput::check_run_dirs() {
  if (out_dir_.empty() || scratch_) return std::nullopt;
  const std::filesystem::path dir(out_dir_);
  std::error_code ec;
  for (const char* name : run_names) {
    if (!std::filesystem::exists(dir / name, ec)) continue;
    if (!std::filesystem::is_directory(dir / name, ec))
      return bad_input(io_, "replay",
                       "cannot write " + (dir / name).string() + ": a file is in the way");
    if (!std::filesystem::exists(dir / name / "summary.json", ec) &&
        !std::filesystem::is_empty(dir / name, ec))
      return bad_input(io_, "replay",
                       "cannot write " + (dir / name).string() +
                           ": a directory fosim did not write is in the way");
  }
  return std::nullopt;
}

PlayResult ReplayOutput::play_run(const char* name, const sim::Scenario& sc) {
  if (out_dir_.empty() || scratch_) return play(sc, sc.seed, {});
  // As fosim run writes it (for the report and the diagram of each), committed with the rest.
  const std::filesystem::path dir = std::filesystem::path(out_dir_) / name;
  PlayResult result;
  if ((result.error = files_.make_dir(dir))) return result;
  return play_into(sc, sc.seed, std::nullopt, dir, files_);
}

}  // namespace fosim::tools
