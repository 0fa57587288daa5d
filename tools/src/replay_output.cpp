#include "fosim/tools/replay_output.hpp"

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fosim/sim/isc_wording.hpp"
#include "fosim/sim/scenario_json.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/sim/summary.hpp"
#include "fosim/tools/options.hpp"
#include "fosim/tools/report.hpp"
#include "fosim/tools/state_graph.hpp"

namespace fosim::tools {

using core::State;

/// The replay's events: printed on stdout (text or jsonl) and streamed to timeline.jsonl.
class ReplayOutput::Sink final : public sim::TraceSink {
 public:
  Sink(ReplayOutput& owner)
      : owner_(owner), stdout_jsonl_(owner.io_.out, {}), file_jsonl_(owner.timeline_, {}) {}

  void record(const sim::RunEvent& e) override {
    std::vector<std::string> hosts;
    if (owner_.replay_ != nullptr)
      for (const sim::ReplayServer& s : owner_.replay_->servers()) hosts.push_back(s.host);
    if (hosts.size() != known_hosts_) {
      known_hosts_ = hosts.size();
      stdout_jsonl_.set_hosts(hosts);
      file_jsonl_.set_hosts(hosts);
      for (const std::string& h : hosts) width_ = std::max(width_, h.size());
    }
    if (owner_.timeline_.is_open()) file_jsonl_.record(e);
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
    owner_.io_.out << sim::format_time(e.at) << "  " << who << "  " << sim::render(e);
    if (const auto* m = e.as<sim::StateMove>(); m != nullptr && m->cause != sim::Cause::none)
      owner_.io_.out << "   [" << sim::to_string(m->cause) << "]";
    owner_.io_.out << "\n";
  }

 private:
  ReplayOutput& owner_;
  sim::JsonlTimeline stdout_jsonl_, file_jsonl_;
  std::size_t known_hosts_ = 0;
  std::size_t width_ = 5;
};

namespace {

/// One history to compare: each server's state changes, in scenario order (primary first).
struct History {
  std::string label;
  std::string hosts[2];
  State first[2] = {State::startup, State::startup};
  std::vector<std::pair<std::int64_t, State>> changes[2];
  std::int64_t end_ms = 0;
  std::optional<std::uint64_t> duplicates;
  std::optional<double> availability;
  std::string lease_range;  ///< "1800 s - 43200 s" (ISC does not log lease times)
  std::uint64_t forced = 0;
};

std::string duration_text(std::int64_t ms) {
  if (ms <= 0) return "0 s";
  const std::int64_t s = ms / 1000;
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60));
  else if (s >= 60)
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  else
    std::snprintf(text, sizeof text, "%lld s", static_cast<long long>(s));
  return text;
}

std::int64_t time_in(const History& h, std::size_t i, State s) {
  std::int64_t total = 0, since = 0;
  State cur = h.first[i];
  for (const auto& [t, to] : h.changes[i]) {
    if (cur == s) total += t - since;
    cur = to;
    since = t;
  }
  if (cur == s) total += h.end_ms - since;
  return total;
}

std::string first_entry(const History& h, std::size_t i, State s) {
  for (const auto& [t, to] : h.changes[i])
    if (to == s) return sim::format_time(core::Instant{core::Duration{t}});
  return "never";
}

State final_state(const History& h, std::size_t i) {
  return h.changes[i].empty() ? h.first[i] : h.changes[i].back().second;
}

History from_replay(const sim::Replay& r) {
  History h;
  h.label = "logged";
  h.end_ms = r.end().time_since_epoch().count();
  for (std::size_t k = 0; k < r.servers().size(); ++k) {
    const sim::ReplayServer& s = r.servers()[k];
    const std::size_t i = s.role == core::Role::primary ? 0 : 1;
    h.hosts[i] = s.host;
    h.first[i] = s.first_state.value_or(State::startup);
    for (const auto& [at, state] : s.states)
      h.changes[i].emplace_back(at.time_since_epoch().count(), state);
  }
  std::uint64_t dups = 0;
  for (const auto& [kind, n] : r.finding_counts()) {
    if (kind == sim::ReplayFinding::Kind::duplicate_address) dups += n;
    if (kind == sim::ReplayFinding::Kind::unexplained_move) h.forced += n;
  }
  h.duplicates = dups;
  return h;
}

History from_run(const std::string& label, const sim::Simulator& s) {
  History h;
  h.label = label;
  h.end_ms = s.now().time_since_epoch().count();
  for (std::size_t i = 0; i < 2; ++i) h.hosts[i] = s.server(i).host();
  for (const auto& [when, who, to] : s.stats().state_log)
    h.changes[who].emplace_back(when.time_since_epoch().count(), to);
  h.duplicates = s.stats().duplicates.size();
  h.availability = sim::availability(s.stats());
  if (!s.stats().lease_times.empty())
    h.lease_range = std::to_string(s.stats().lease_times.begin()->first) + " s - " +
                    std::to_string(s.stats().lease_times.rbegin()->first) + " s";
  for (std::size_t i = 0; i < 2; ++i)
    for (const auto& [pair, n] : s.stats().operator_moves[i]) h.forced += n;
  return h;
}

std::string swimlanes(const History& h) {
  std::vector<std::vector<Band>> lanes;
  for (std::size_t i = 0; i < 2; ++i) {
    std::vector<std::pair<std::int64_t, std::string>> changes;
    for (const auto& [t, s] : h.changes[i])
      changes.emplace_back(t, std::string(core::to_string(s)));
    lanes.push_back(
        bands_from_changes(std::string(core::to_string(h.first[i])), changes, h.end_ms));
  }
  return ascii_swimlanes({h.hosts[0], h.hosts[1]}, lanes, std::max<std::int64_t>(h.end_ms, 1), 100);
}

void comparison(std::ostream& out, const std::vector<History>& runs) {
  std::size_t first_col = 36;
  for (std::size_t i = 0; i < 2; ++i) first_col = std::max(first_col, runs[0].hosts[i].size() + 40);
  constexpr std::size_t col = 24;
  auto row = [&](const std::string& name, const std::vector<std::string>& cells) {
    std::string line = name;
    line.resize(first_col, ' ');
    for (const std::string& c : cells) {
      std::string cell = c;
      if (cell.size() < col) cell.resize(col, ' ');
      line += cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  std::vector<std::string> head;
  for (const History& h : runs) head.push_back(h.label);
  row("", head);
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string who = runs[0].hosts[i] + (i == 0 ? " (primary)" : " (secondary)");
    std::vector<std::string> pd, pd_time, ci_time, end;
    for (const History& h : runs) {
      pd.push_back(first_entry(h, i, State::partner_down));
      pd_time.push_back(duration_text(time_in(h, i, State::partner_down)));
      ci_time.push_back(duration_text(time_in(h, i, State::communications_interrupted)));
      end.push_back(std::string(core::to_string(final_state(h, i))));
    }
    row(who + ": first partner-down at", pd);
    row(who + ": time in partner-down", pd_time);
    row(who + ": time in comm-interrupted", ci_time);
    row(who + ": state at the end", end);
  }
  std::vector<std::string> dups, avail, forced, leases;
  for (const History& h : runs) {
    leases.push_back(h.lease_range.empty() ? "-" : h.lease_range);
    dups.push_back(h.duplicates ? std::to_string(*h.duplicates) : "-");
    char a[32] = "-";
    if (h.availability) std::snprintf(a, sizeof a, "%.4f", *h.availability);
    avail.push_back(a);
    forced.push_back(std::to_string(h.forced));
  }
  row("addresses given to two clients", dups);
  row("availability (answered / attempted)", avail);
  row("lease times granted (shortest - longest)", leases);
  row("operator moves", forced);
}

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
  std::error_code ignored;
  if (timeline_.is_open()) timeline_.close();
  // Renamed into place when the replay finished; otherwise it is half a timeline.
  if (!out_dir_.empty())
    std::filesystem::remove(std::filesystem::path(out_dir_) / "timeline.jsonl.tmp", ignored);
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
  if (!out_dir_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir_, ec);
    if (ec || !std::filesystem::is_directory(out_dir_))
      return bad_input(io_, "replay", "cannot use " + out_dir_ + " as the output directory");
    const std::filesystem::path tmp = std::filesystem::path(out_dir_) / "timeline.jsonl.tmp";
    timeline_.open(tmp, std::ios::binary);
    if (!timeline_) return bad_input(io_, "replay", "cannot write " + tmp.string());
  }
  sink_ = std::make_unique<Sink>(*this);
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
  sim::Simulator base(*as_logged.scenario, as_logged.scenario->seed, nullptr);
  base.run();
  sim::Simulator alt(*loaded.scenario, loaded.scenario->seed, nullptr);
  alt.run();
  if (format_ == "text") {
    std::vector<History> runs{from_replay(replay), from_run("replayed as logged", base),
                              from_run(label, alt)};
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
  const History h = from_replay(r);
  for (std::size_t i = 0; i < 2; ++i) {
    nlohmann::ordered_json o;
    o["host"] = h.hosts[i].empty() ? (i == 0 ? "primary" : "secondary") : h.hosts[i];
    o["role"] = i == 0 ? "primary" : "secondary";
    o["state"] = core::to_string(final_state(h, i));
    o["transitions"] = h.changes[i].size();
    nlohmann::ordered_json tis = nlohmann::ordered_json::object();
    for (const core::StateInfo& info : core::state_table) {
      const std::int64_t ms = time_in(h, i, info.state);
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
  s["notes"] = notes_;
  s["duplicates"] = nlohmann::ordered_json::array();
  nlohmann::ordered_json empty_series = {{"free", nlohmann::ordered_json::array()},
                                         {"backup", nlohmann::ordered_json::array()},
                                         {"active", nlohmann::ordered_json::array()},
                                         {"expired", nlohmann::ordered_json::array()}};
  s["pool_series"] = {{"interval_s", 1},
                      {"t_s", nlohmann::ordered_json::array()},
                      {"servers", {empty_series, empty_series}}};
  // The diagram: the moves the log shows, the unexplained ones drawn as forced.
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
    if (f.kind == sim::ReplayFinding::Kind::unexplained_move && f.server >= 0) {
      const sim::ReplayServer& rs = r.servers()[static_cast<std::size_t>(f.server)];
      for (std::size_t k = 0; k < rs.states.size(); ++k)
        if (rs.states[k].first == f.at) {
          const State from =
              k == 0 ? rs.first_state.value_or(State::unknown_state) : rs.states[k - 1].second;
          ++forced[{from, rs.states[k].second}];
        }
    }
  highlight_transitions(g, moves, forced);
  std::vector<std::pair<std::filesystem::path, std::string>> files{
      {dir / "summary.json",
       s.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"},
      {dir / "states.dot", to_dot(g)}};
  if (scenario_json_) files.emplace_back(dir / "scenario.json", *scenario_json_);
  if (what_if_json_) files.emplace_back(dir / "what-if.json", *what_if_json_);
  timeline_.flush();
  if (!timeline_)
    return bad_input(io_, "replay", "cannot write " + (dir / "timeline.jsonl").string());
  timeline_.close();
  // The two runs, as fosim run writes them (for the report and the diagram of each), go to
  // scratch directories first: a failure there leaves the output directory as it was.
  static constexpr const char* runs[] = {"as-logged", "what-if"};
  std::error_code ec;
  auto drop_scratch = [&dir] {
    std::error_code ignored;
    for (const char* name : runs) {
      std::filesystem::remove_all(dir / ("." + std::string(name) + ".tmp"), ignored);
      std::filesystem::remove(dir / ("." + std::string(name) + ".json.tmp"), ignored);
    }
  };
  for (const char* name : runs) {
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
  if (what_if_json_ && !scratch_) {
    for (const char* name : runs) {
      const std::filesystem::path scenario = dir / ("." + std::string(name) + ".json.tmp");
      std::ofstream(scenario, std::ios::binary)
          << (std::string(name) == "as-logged" ? *scenario_json_ : *what_if_json_);
      std::ostringstream ignored, errors;
      const int rc = cmd_run({scenario.string(), "--out",
                              (dir / ("." + std::string(name) + ".tmp")).string(), "--quiet"},
                             {ignored, errors});
      if (rc == exit_bad_input) {
        drop_scratch();
        std::string text = errors.str();
        for (std::size_t at; (at = text.find("fosim run: ")) != std::string::npos;)
          text.replace(at, 11, "");
        return bad_input(io_, "replay",
                         "the " + std::string(name) + " run: " + text.substr(0, text.find('\n')));
      }
    }
  }
  std::string error;
  if (!write_all(files, {dir / "timeline.jsonl"}, error)) {
    drop_scratch();
    return bad_input(io_, "replay", error);
  }
  for (const char* name : runs) {
    // Replace the runs of an earlier replay into this directory; keep none that no longer fits.
    const std::filesystem::path final_dir = dir / name;
    std::error_code old_run;
    if (std::filesystem::exists(final_dir / "summary.json", old_run))
      std::filesystem::remove_all(final_dir, old_run);
    if (!what_if_json_ || scratch_) continue;
    std::error_code moved;
    std::filesystem::rename(dir / ("." + std::string(name) + ".tmp"), final_dir, moved);
    if (moved) {
      drop_scratch();
      return bad_input(io_, "replay",
                       "cannot write " + final_dir.string() + ": " + moved.message());
    }
  }
  drop_scratch();
  if (!what_if_json_) std::filesystem::remove(dir / "what-if.json", ec);
  if (!html_file_.empty()) {
    const int rc = write_report(out_dir_, html_file_, io_);
    if (rc != exit_ok) return rc;
  }
  return std::nullopt;
}

}  // namespace fosim::tools
