// fosim replay's reading of the logs: each file read up to its next understood line, the files
// merged by time into the replay engine, and what was left out turned into warnings and notes.
#include "replay_logs.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "fosim/formats/dhcpd_log.hpp"

namespace fosim::tools::detail {
namespace {

/// Classic lines carry no year. A month more than half a year before the latest line read
/// (in any file) is the next year; more than half a year after it, the year before. Returns
/// false when the line, read in its new year, has no such date (Feb 29 of a year without one).
bool shift_year(Source& src, std::optional<sim::LogLine>& header,
                const std::optional<std::int64_t>& latest_ms) {
  constexpr std::int64_t half_year = std::int64_t{182} * 86400000;
  if (header->format != sim::LogFormat::classic || !header->time_ms || !latest_ms) return true;
  const int shift = *header->time_ms + half_year < *latest_ms   ? 1
                    : *header->time_ms > *latest_ms + half_year ? -1
                                                                : 0;
  if (shift == 0) return true;
  src.year += shift;
  header = sim::parse_log_line(src.text, src.year);
  return header && !header->bad_time;
}

/// Makes the understood line `header`, `event` the next line of `src`.
void take(Source& src, const sim::LogLine& header, const sim::RunEventBody& event,
          LogCounts& counts, std::optional<std::int64_t>& latest_ms) {
  counts.classic = counts.classic || header.format == sim::LogFormat::classic;
  counts.bare = counts.bare || header.format == sim::LogFormat::bare;
  counts.timed = counts.timed || header.time_ms.has_value();
  src.time_ms = header.time_ms.value_or(src.last_ms.value_or(0));
  src.last_ms = src.time_ms;
  if (!latest_ms || src.time_ms > *latest_ms) latest_ms = src.time_ms;
  if (!header.host.empty() && src.hosts_in_lines.size() < 3 &&
      std::find(src.hosts_in_lines.begin(), src.hosts_in_lines.end(), header.host) ==
          src.hosts_in_lines.end())
    src.hosts_in_lines.emplace_back(header.host);
  src.host = !src.server.empty()   ? src.server
             : header.host.empty() ? std::filesystem::path(src.file).stem().string()
                                   : std::string(header.host);
  src.pid = header.pid;
  src.format = header.format;
  src.event = event;
  src.message = std::string(header.message);
  src.event_line = src.line;
  src.ready = true;
  ++counts.understood;
  ++src.understood;
}

/// Reads `src` up to its next understood line. `latest_ms` is the latest time read in any file.
void advance(Source& src, LogCounts& counts, std::optional<std::int64_t>& latest_ms) {
  src.ready = false;
  while (src.in.getline(src.text)) {
    ++src.line;
    ++counts.read;
    if (sim::lease_file_line(src.text)) ++src.lease_lines;
    auto header = sim::parse_log_line(src.text, src.year);
    if (!header) {
      ++counts.other;
      continue;
    }
    if (header->bad_time) {
      if (++counts.bad_time <= 5)
        counts.warnings.push_back(
            src.file + ":" + std::to_string(src.line) +
            ": an impossible timestamp (no such date or time): line left out");
      continue;
    }
    if (!shift_year(src, header, latest_ms)) continue;
    if (const auto d = sim::diagnose(header->message)) {
      DiagnosisSeen& seen = counts.diagnoses[*d];
      if (seen.count++ == 0) {
        seen.where = src.file + ":" + std::to_string(src.line);
        seen.message = std::string(header->message);
      }
    }
    auto event = sim::classify(header->message);
    if (!event) {
      ++counts.other;
      continue;
    }
    if (const auto* bad = std::get_if<sim::UnreadableLine>(&*event)) {
      if (++counts.malformed <= 5)
        counts.warnings.push_back(src.file + ":" + std::to_string(src.line) + ": " + bad->problem +
                                  ": line left out");
      continue;
    }
    take(src, *header, *event, counts, latest_ms);
    return;
  }
}

/// Opens `s`, the `i`th of `sources`; refuses a directory and a file given before.
std::optional<int> open_log(std::vector<Source>& sources, std::size_t i, Io io) {
  Source& s = sources[i];
  std::error_code ec;
  if (s.file == "-") {
    for (std::size_t j = 0; j < i; ++j)
      if (sources[j].file == "-")
        return bad_input(io, "replay", "- (standard input) is given twice");
    if (auto error = s.in.open(s.file, io.in))
      return bad_input(io, "replay", "cannot read -: " + *error);
    return std::nullopt;
  }
  if (std::filesystem::is_directory(s.file, ec))
    return bad_input(io, "replay", "cannot read " + s.file + ": it is a directory");
  // The same log twice would replay every line twice.
  const auto canonical = std::filesystem::weakly_canonical(s.file, ec);
  for (std::size_t j = 0; j < i && !ec && std::filesystem::is_regular_file(s.file, ec); ++j) {
    std::error_code other;
    if (std::filesystem::weakly_canonical(sources[j].file, other) == canonical && !other)
      return bad_input(io, "replay", s.file + " is given twice");
  }
  if (auto error = s.in.open(s.file, io.in))
    return bad_input(io, "replay", "cannot read " + s.file + ": " + *error);
  return std::nullopt;
}

/// Returns the file names of `sources`, comma-separated.
std::string file_names(const std::vector<Source>& sources) {
  std::string names;
  for (const Source& s : sources) names += (names.empty() ? "" : ", ") + s.file;
  return names;
}

}  // namespace

std::optional<int> open_logs(const ReplayOptions& o, Io io, std::vector<Source>& sources) {
  for (const LogFile& log : o.logs) {
    Source s;
    s.file = log.file;
    s.server = log.server;
    s.year = o.year;
    sources.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < sources.size(); ++i)
    if (auto rc = open_log(sources, i, io)) return rc;
  return std::nullopt;
}

std::optional<int> read_logs(std::vector<Source>& sources, sim::Replay& replay, ReplayOutput& out,
                             LogCounts& counts, Io io) {
  std::optional<std::int64_t> latest_ms;
  for (Source& s : sources) advance(s, counts, latest_ms);
  for (;;) {
    Source* next = nullptr;
    for (Source& s : sources)
      if (s.ready && (next == nullptr || s.time_ms < next->time_ms)) next = &s;
    if (next == nullptr) break;
    std::string error;
    out.before_line(next->format);
    if (!replay.add(next->host, next->time_ms, next->event, next->message, next->file,
                    next->event_line, error, next->pid))
      return bad_input(io, "replay",
                       next->file + ":" + std::to_string(next->event_line) + ": " + error +
                           " (or --relationship, if it serves another failover peer)");
    out.after_line();
    advance(*next, counts, latest_ms);
  }
  for (const Source& s : sources)
    if (!s.in.error().empty())
      return bad_input(io, "replay", "cannot read " + s.file + ": " + s.in.error());
  replay.finish();
  for (const std::string& w : counts.warnings) io.err << "fosim replay: warning: " << w << "\n";
  return std::nullopt;
}

std::optional<int> check_logs_read(const std::vector<Source>& sources, const LogCounts& counts,
                                   const sim::Replay& replay, const ReplayOptions& o, Io io) {
  for (const Source& s : sources)
    if (s.understood == 0 && s.lease_lines != 0)
      return bad_input(io, "replay",
                       s.file +
                           " is a lease file (dhcpd.leases: lease and failover state records), "
                           "not a log: read it with `fosim leases " +
                           s.file + "`");
  if (counts.understood == 0 && !counts.diagnoses.empty()) return std::nullopt;
  if (counts.understood == 0)
    return bad_input(io, "replay",
                     "no ISC dhcpd line in " + std::to_string(counts.read) + " lines read from " +
                         file_names(sources) + " (see fosim replay --help for the formats)");
  const std::vector<sim::ReplayServer>& servers = replay.servers();
  if (!o.primary.empty() && std::none_of(servers.begin(), servers.end(),
                                         [&](const auto& s) { return s.host == o.primary; })) {
    std::string hosts;
    for (const sim::ReplayServer& s : servers) hosts += (hosts.empty() ? "" : ", ") + s.host;
    return bad_input(io, "replay",
                     "--primary " + o.primary + " is not a server of the log; valid: " + hosts);
  }
  return std::nullopt;
}

std::vector<std::string> log_notes(const std::vector<Source>& sources, const LogCounts& counts,
                                   const sim::Replay& replay, const ReplayOptions& o) {
  std::vector<std::string> notes = replay.notes();
  if (counts.bad_time > 5)
    notes.push_back(std::to_string(counts.bad_time) +
                    " lines with impossible timestamps were left out");
  if (counts.malformed > 5)
    notes.push_back(std::to_string(counts.malformed) +
                    " failover lines fosim cannot read were left out");
  for (const Source& s : sources) {
    if (s.understood == 0) notes.push_back(s.file + " holds no ISC dhcpd line fosim uses");
    const auto other = std::find_if(s.hosts_in_lines.begin(), s.hosts_in_lines.end(),
                                    [&](const std::string& h) { return h != s.server; });
    if (!s.server.empty() && other != s.hosts_in_lines.end())
      notes.push_back(s.file + " names host " + *other +
                      ", but --server puts all its lines under " + s.server);
  }
  for (const auto& [d, seen] : counts.diagnoses) {
    const sim::DiagnosisRow& row = sim::row_of(d);
    notes.push_back(std::string(row.name) + ": " + seen.where + ": \"" + seen.message + "\"" +
                    (seen.count > 1 ? " (and " + std::to_string(seen.count - 1) + " more)" : "") +
                    ": " + std::string(row.explanation));
  }
  if (counts.classic && !o.year_given)
    notes.push_back("classic syslog lines carry no year: read as " + std::to_string(o.year) +
                    " (say --year)");
  if (counts.bare)
    notes.push_back("bare dhcpd -d lines carry no time: each takes the time of the line before it");
  return notes;
}

}  // namespace fosim::tools::detail
