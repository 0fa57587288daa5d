// Reading a run directory (`fosim run --out DIR`): summary.json and states.dot whole, and
// timeline.jsonl line by line, its DHCP lines dropped and its grants and unanswered attempts
// kept as bare points.
#include <fstream>
#include <sstream>

#include "fosim/tools/report.hpp"

namespace fosim::tools {

std::optional<RunFiles> read_run_dir(const std::filesystem::path& dir, std::string& error) {
  RunFiles run;
  auto read = [&error](const std::filesystem::path& p, std::string& out) {
    std::ifstream f(p, std::ios::binary);
    if (!f) {
      error = "cannot read " + p.string() + " (is it a `fosim run --out` directory?)";
      return false;
    }
    std::ostringstream s;
    s << f.rdbuf();
    out = s.str();
    return true;
  };
  std::string summary;
  if (!read(dir / "summary.json", summary) || !read(dir / "states.dot", run.states_dot))
    return std::nullopt;
  try {
    run.summary = nlohmann::json::parse(summary);
  } catch (const nlohmann::json::exception& e) {
    error = (dir / "summary.json").string() + ": not valid JSON: " + e.what();
    return std::nullopt;
  }
  if (!run.summary.is_object() || !run.summary.contains("servers") ||
      !run.summary["servers"].is_array() || run.summary["servers"].size() != 2 ||
      !run.summary.contains("pool_series")) {
    error =
        (dir / "summary.json").string() + ": not a fosim run summary (written by an older fosim?)";
    return std::nullopt;
  }
  std::ifstream lines(dir / "timeline.jsonl", std::ios::binary);
  if (!lines) {
    error = "cannot read " + (dir / "timeline.jsonl").string() +
            " (is it a `fosim run --out` directory?)";
    return std::nullopt;
  }
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) {
    ++n;
    if (line.empty()) continue;
    nlohmann::json e;
    try {
      e = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      error = (dir / "timeline.jsonl").string() + ":" + std::to_string(n) + ": not valid JSON";
      return std::nullopt;
    }
    const std::string kind = e.is_object() ? e.value("kind", "") : "";
    if (kind == "grant") {
      run.grants.push_back(
          {e.value("t_ms", std::int64_t{0}),
           e.contains("server") && e["server"].is_string() ? e["server"].get<std::string>() : "",
           e.value("grant", "new")});
    } else if (kind == "unanswered") {
      run.unanswered.push_back(e.value("t_ms", std::int64_t{0}));
    } else if (kind != "dhcp") {
      run.events.push_back(std::move(e));
    }
  }
  return run;
}

}  // namespace fosim::tools
