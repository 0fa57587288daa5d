// Reading the whole numbers of the command line (seeds, counts), without Boost.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fosim::tools {

/// Parses decimal digits only, up to 2^64 - 1 (a seed, a shard number).
inline std::optional<std::uint64_t> parse_seed(const std::string& text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace fosim::tools
