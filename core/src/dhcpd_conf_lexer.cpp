// The dhcpd.conf lexer: text to tokens, and the words a token may be read as (integers, lower
// case keywords, dotted-quad addresses).
#include <algorithm>
#include <cctype>

#include "dhcpd_conf_detail.hpp"

namespace fosim::core {
namespace conf_detail {
namespace {

bool is_punct(char c) { return c == '{' || c == '}' || c == ';' || c == ','; }

}  // namespace

std::vector<Token> tokenize(std::string_view text, bool keep_comments, std::string& error,
                            std::size_t& error_line) {
  std::vector<Token> out;
  std::size_t line = 1, i = 0;
  // The column of byte `at` (at or after the last asked for), counting characters, not bytes.
  std::size_t col_byte = 0, col = 1;
  const auto column = [&](std::size_t at) {
    for (; col_byte < at; ++col_byte) {
      const auto b = static_cast<unsigned char>(text[col_byte]);
      if (b == '\n')
        col = 1;
      else if ((b & 0xC0) != 0x80)
        ++col;
    }
    return col;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (c == '#') {
      if (keep_comments) {
        out.push_back({Token::Kind::hash, "#", line, column(i)});
        ++i;
      } else {
        while (i < text.size() && text[i] != '\n') ++i;
      }
    } else if (c == '"') {
      const std::size_t start_line = line, start_column = column(i);
      std::string s;
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\n') ++line;
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        s += text[i++];
      }
      if (i >= text.size()) {
        error = "unterminated string";
        error_line = start_line;
        return out;
      }
      ++i;
      out.push_back({Token::Kind::string, std::move(s), start_line, start_column});
    } else if (is_punct(c)) {
      const Token::Kind k = c == '{'   ? Token::Kind::lbrace
                            : c == '}' ? Token::Kind::rbrace
                            : c == ';' ? Token::Kind::semi
                                       : Token::Kind::comma;
      out.push_back({k, std::string(1, c), line, column(i)});
      ++i;
    } else {
      const std::size_t start = i, start_column = column(i);
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) == 0 &&
             !is_punct(text[i]) && text[i] != '"' && text[i] != '#')
        ++i;
      out.push_back(
          {Token::Kind::word, std::string(text.substr(start, i - start)), line, start_column});
    }
  }
  out.push_back({Token::Kind::end, "", line, column(text.size())});
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

std::optional<std::int64_t> parse_int(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  std::int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return s[0] == '-' ? -v : v;
}

}  // namespace conf_detail

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t out = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    std::size_t k = i;
    std::uint32_t v = 0;
    while (k < text.size() && text[k] >= '0' && text[k] <= '9' && k - i < 3)
      v = v * 10 + static_cast<std::uint32_t>(text[k++] - '0');
    if (k == i || v > 255) return std::nullopt;
    out = (out << 8) | v;
    ++parts;
    if (parts < 4) {
      if (k >= text.size() || text[k] != '.') return std::nullopt;
      i = k + 1;
    } else if (k != text.size()) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace fosim::core
