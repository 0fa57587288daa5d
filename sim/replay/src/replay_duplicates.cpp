// Replay's guard against overlapping excerpts: a pasted log often holds the same lines twice
// (`systemctl status` shows the last lines that `journalctl` then shows again, or one excerpt is
// pasted twice). A repeated line replayed as new would be an exchange or a move that never
// happened, at the time of the line before it.
//
// A line is a repeat when an earlier line had the same time, host, pid and text and came from
// another file, or from the same file before the file went back in time (the start of a second
// excerpt). Equal lines within one running excerpt are kept: a client that retries within the
// same second makes dhcpd log the same words at the same second twice.
#include <algorithm>
#include <string_view>

#include "fosim/replay/replay.hpp"

namespace fosim::sim {
namespace {

/// At most this many lines are remembered (about 40 MB); later lines are not checked.
constexpr std::size_t max_lines_seen = 1u << 20;

/// FNV-1a, 64 bits: a hash that is the same on every platform and run.
struct Fnv1a {
  std::uint64_t h = 14695981039346656037ull;
  void add(std::string_view s) {
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h = (h ^ 0xffu) * 1099511628211ull;  // ends the field, so "ab"+"c" differs from "a"+"bc"
  }
  void add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) h = (h ^ ((v >> (8 * i)) & 0xffu)) * 1099511628211ull;
  }
};

}  // namespace

bool Replay::repeated_line(std::string_view host, std::int64_t time_ms,
                           std::optional<std::uint64_t> pid, std::string_view text,
                           const std::string& file) {
  std::uint32_t f = 0;
  while (f < files_.size() && files_[f].first != file) ++f;
  if (f == files_.size()) files_.emplace_back(file, FileHistory{time_ms, 0});
  FileHistory& history = files_[f].second;
  if (time_ms < history.latest_ms) ++history.step_backs;
  history.latest_ms = std::max(history.latest_ms, time_ms);

  Fnv1a key;
  key.add(static_cast<std::uint64_t>(time_ms));
  key.add(host);
  key.add(pid ? *pid + 1 : 0);  // 0: no pid in the header
  key.add(text);
  const auto it = lines_seen_.find(key.h);
  if (it != lines_seen_.end()) {
    if (it->second.file != f || it->second.step_backs != history.step_backs) {
      ++repeated_;
      return true;
    }
    return false;
  }
  if (lines_seen_.size() < max_lines_seen)
    lines_seen_.emplace(key.h, LineSeen{f, history.step_backs});
  return false;
}

}  // namespace fosim::sim
