// Internal to the log reader: the two ways it takes a line apart, shared by the header parser
// (dhcpd_log.cpp) and the message reader (dhcpd_message.cpp).
#pragma once

#include <string_view>

namespace fosim::sim::log_words {

/// Takes the next space-separated field off `s` (several spaces count as one).
inline std::string_view field(std::string_view& s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  const std::size_t end = s.find(' ');
  const std::string_view f = s.substr(0, end);
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  return f;
}

/// Whether `s` begins with `prefix`.
inline bool starts(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace fosim::sim::log_words
