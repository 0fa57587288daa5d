// Internal to fosim_sim: finding where a JSON path sits in the text it was parsed from, so that
// messages about JSON files can name a line.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace fosim::sim::detail {

/// Finds `key` from `pos` on as the key of a `Key : Value` line (PowerShell's Format-List):
/// first on its line, then spaces and a colon. Returns the offset just past it, or npos.
inline std::size_t find_list_key(std::string_view text, const std::string& key, std::size_t pos) {
  for (std::size_t at = text.find(key, pos); at != std::string_view::npos;
       at = text.find(key, at + 1)) {
    std::size_t b = at;
    while (b > 0 && (text[b - 1] == ' ' || text[b - 1] == '\t')) --b;
    std::size_t e = at + key.size();
    while (e < text.size() && text[e] == ' ') ++e;
    if ((b == 0 || text[b - 1] == '\n') && e < text.size() && text[e] == ':')
      return at + key.size();
  }
  return std::string_view::npos;
}

/// Finds the line of a JSON pointer such as "/servers/0/mclt" in `text` by following its keys
/// in order (array indexes are skipped; best effort); a key is looked for quoted, as JSON
/// writes it, or else as a Format-List key. 0 when no key is found.
inline std::size_t line_of(std::string_view text, const std::string& path) {
  std::size_t pos = 0;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = path.find('/', start);
    const std::string seg =
        path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? path.size() + 1 : end + 1;
    if (seg.empty() ||
        std::all_of(seg.begin(), seg.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    const std::string quoted = "\"" + seg + "\"";
    const std::size_t found = text.find(quoted, pos);
    if (found != std::string_view::npos) {
      pos = found + quoted.size();
      continue;
    }
    const std::size_t listed = find_list_key(text, seg, pos);
    if (listed == std::string_view::npos) break;
    pos = listed;
  }
  if (pos == 0) return 0;
  return static_cast<std::size_t>(
             std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n')) +
         1;
}

/// The 1-based line of byte offset `byte` of `text`.
inline std::size_t line_at(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return static_cast<std::size_t>(
             std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n')) +
         1;
}

}  // namespace fosim::sim::detail
