// The lease file's tokens (leases_lexer.hpp).
#include "leases_lexer.hpp"

namespace fosim::sim::leases_lexer {
namespace {

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool word_char(char c) {
  return !blank(c) && c != '{' && c != '}' && c != ';' && c != ',' && c != '"' && c != '#';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Reads the escape after a backslash at text[i] (i is past the backslash); moves i past it.
char escape(std::string_view text, std::size_t& i) {
  const char c = text[i++];
  switch (c) {
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'n':
      return '\n';
    case 'b':
      return '\b';
    case 'x': {
      int v = 0, n = 0;
      while (n < 2 && i < text.size() && hex_value(text[i]) >= 0)
        v = v * 16 + hex_value(text[i++]), ++n;
      return static_cast<char>(v);
    }
    default:
      break;
  }
  if (c >= '0' && c <= '7') {
    int v = c - '0', n = 1;
    while (n < 3 && i < text.size() && text[i] >= '0' && text[i] <= '7')
      v = v * 8 + (text[i++] - '0'), ++n;
    return static_cast<char>(v & 0xff);
  }
  return c;
}

}  // namespace

Tokens tokenize(std::string_view text) {
  Tokens out;
  std::size_t line = 1;
  std::size_t i = 0;
  auto add = [&out](Kind k, std::string t, std::size_t at) {
    out.tokens.push_back({k, std::move(t), at});
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line, ++i;
    } else if (blank(c)) {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '{' || c == '}' || c == ';' || c == ',') {
      add(c == '{'   ? Kind::lbrace
          : c == '}' ? Kind::rbrace
          : c == ';' ? Kind::semi
                     : Kind::comma,
          std::string(1, c), line);
      ++i;
    } else if (c == '"') {
      const std::size_t start = line;
      std::string s;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        const char d = text[i++];
        if (d == '"') {
          closed = true;
          break;
        }
        if (d == '\n') ++line;
        if (d == '\\' && i < text.size()) {
          if (text[i] == '\n') ++line;
          s.push_back(escape(text, i));
        } else {
          s.push_back(d);
        }
      }
      if (!closed) {
        out.error = "a string that opens here is never closed (expected '\"')";
        out.error_line = start;
        break;
      }
      add(Kind::string, std::move(s), start);
    } else {
      const std::size_t start = i;
      while (i < text.size() && word_char(text[i])) ++i;
      add(Kind::word, std::string(text.substr(start, i - start)), line);
    }
  }
  add(Kind::end, {}, line);
  return out;
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Kind::end:
      return "the end of the file";
    case Kind::string:
      return "\"" + (t.text.size() > 40 ? t.text.substr(0, 40) + "..." : t.text) + "\"";
    default:
      return "'" + (t.text.size() > 40 ? t.text.substr(0, 40) + "..." : t.text) + "'";
  }
}

}  // namespace fosim::sim::leases_lexer
