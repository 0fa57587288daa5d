#include "fosim/core/load_balance.hpp"

namespace fosim::core {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> parse_hex_bytes(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  const bool colons = text.find(':') != std::string_view::npos;
  const bool dashes = text.find('-') != std::string_view::npos;
  if (colons && dashes) return std::nullopt;
  std::vector<std::uint8_t> out;
  if (!colons && !dashes) {
    // Unseparated: whole pairs of hex digits.
    if (text.size() % 2 != 0) return std::nullopt;
    for (std::size_t i = 0; i < text.size(); i += 2) {
      const int hi = hex_digit(text[i]);
      const int lo = hex_digit(text[i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return out;
  }
  // Separated: one or two hex digits per byte, as dhcpd.conf and ifconfig print them.
  const char separator = colons ? ':' : '-';
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    const std::string_view part =
        text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    if (part.empty() || part.size() > 2) return std::nullopt;
    int value = 0;
    for (char c : part) {
      const int d = hex_digit(c);
      if (d < 0) return std::nullopt;
      value = value * 16 + d;
    }
    out.push_back(static_cast<std::uint8_t>(value));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::optional<Hba> parse_hba(std::string_view text) {
  const auto bytes = parse_hex_bytes(text);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  Hba hba{};
  for (std::size_t i = 0; i < 32; ++i) hba[i] = (*bytes)[i];
  return hba;
}

std::string format_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out.push_back(':');
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 0xf]);
  }
  return out;
}

}  // namespace fosim::core
