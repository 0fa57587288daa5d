// Unicode characters that look like the ASCII dhcpd.conf needs, as a configuration copied from
// a web page, a word processor or a chat brings them: typographic hyphens and dashes, curly
// quotes, non-breaking and zero-width spaces. ISC's lexer takes each for part of a word (or an
// unknown character), so `max‐response‐delay` is no statement and `“x”` no string; fosim names
// each with its line and column and reads on with the ASCII that was meant, so that one paste
// gives one message and not a cascade.
#include <array>

#include "dhcpd_conf_detail.hpp"

namespace fosim::core::conf_detail {
namespace {

struct LookalikeRow {
  char32_t code = 0;
  std::string_view name;
  std::string_view ascii;
};

// clang-format off
constexpr std::array<LookalikeRow, 16> lookalikes{{
  {0x2010, "U+2010 HYPHEN",                     "-"},
  {0x2011, "U+2011 NON-BREAKING HYPHEN",        "-"},
  {0x2012, "U+2012 FIGURE DASH",                "-"},
  {0x2013, "U+2013 EN DASH",                    "-"},
  {0x2014, "U+2014 EM DASH",                    "-"},
  {0x2212, "U+2212 MINUS SIGN",                 "-"},
  {0x2018, "U+2018 LEFT SINGLE QUOTATION MARK", "'"},
  {0x2019, "U+2019 RIGHT SINGLE QUOTATION MARK", "'"},
  {0x201C, "U+201C LEFT DOUBLE QUOTATION MARK", "\""},
  {0x201D, "U+201D RIGHT DOUBLE QUOTATION MARK", "\""},
  {0x00A0, "U+00A0 NO-BREAK SPACE",             " "},
  {0x2007, "U+2007 FIGURE SPACE",               " "},
  {0x202F, "U+202F NARROW NO-BREAK SPACE",      " "},
  {0x200B, "U+200B ZERO WIDTH SPACE",           ""},
  {0xFEFF, "U+FEFF BYTE ORDER MARK",            ""},
  {0xFF1B, "U+FF1B FULLWIDTH SEMICOLON",        ";"},
}};
// clang-format on

/// Decodes the UTF-8 sequence at `i` of 2 or 3 bytes (all the table holds); 0 when it is not one.
char32_t decode(std::string_view t, std::size_t i, std::size_t& size) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(t[i + k]); };
  const auto cont = [&](std::size_t k) { return i + k < t.size() && (b(k) & 0xC0) == 0x80; };
  if ((b(0) & 0xE0) == 0xC0 && cont(1)) {
    size = 2;
    return static_cast<char32_t>(((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu));
  }
  if ((b(0) & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    size = 3;
    return static_cast<char32_t>(((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu));
  }
  return 0;
}

const LookalikeRow* find(char32_t code) {
  for (const LookalikeRow& r : lookalikes)
    if (r.code == code) return &r;
  return nullptr;
}

}  // namespace

std::string replace_lookalikes(std::string_view text, std::vector<Lookalike>& found) {
  std::string out;
  out.reserve(text.size());
  std::size_t line = 1, column = 1;
  bool comment = false, string = false, curly = false;  // curly: the string began with “
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    std::size_t size = 1;
    const char32_t code =
        !comment && (static_cast<unsigned char>(c) & 0x80) != 0 ? decode(text, i, size) : 0;
    const LookalikeRow* r = code != 0 ? find(code) : nullptr;
    // In a string only a curly quote that closes a curly-quoted string is read as one.
    if (r != nullptr && string && !(curly && r->ascii == "\"")) r = nullptr;
    if (r != nullptr) {
      found.push_back({line, column, r->name, r->ascii});
      out += r->ascii;
      if (r->ascii == "\"") {
        string = !string;
        curly = string;
      }
    } else {
      size = 1;
      out += c;
      if (c == '\n') {
        ++line;
        column = 0;
        comment = false;
      } else if (c == '#' && !string) {
        comment = true;
      } else if (c == '"' && !comment) {
        string = !string;
        curly = false;
      } else if (c == '\\' && string && i + 1 < text.size() && text[i + 1] != '\n') {
        out += text[++i];
        ++column;
      }
    }
    i += size;
    // Columns count characters: a UTF-8 continuation byte starts none.
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80 && size == 1) {
      out += text[i++];
    }
    ++column;
  }
  return out;
}

}  // namespace fosim::core::conf_detail
