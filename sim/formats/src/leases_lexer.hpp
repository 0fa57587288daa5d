// Internal to the lease-file reader: the file cut into tokens the way dhcpd's lexer (dhcp
// common/conflex.c) sees it, simplified to what a lease file holds. A word is a run of
// characters other than blanks and `{ } ; , "` and `#`, so `2020/05/06`, `14:56:17`,
// `10.10.30.150` and `b8:69:f4:99:d1:4c` are one word each; `#` starts a comment to the end of
// the line; a quoted string has dhcpd's escapes (\t \r \n \b, \NNN octal, \xHH hex, \c = c).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fosim::sim::leases_lexer {

/// What a token is.
enum class Kind : std::uint8_t { word, string, lbrace, rbrace, semi, comma, end };

/// One token and the line it starts on.
struct Token {
  Kind kind = Kind::end;
  std::string text;  ///< a word as written, a string's bytes without quotes and escapes
  std::size_t line = 0;
};

/// The tokens of a file, ending with one `end` token; `error` (with `error_line`) names an
/// unterminated string, after which the tokens stop.
struct Tokens {
  std::vector<Token> tokens;
  std::string error;
  std::size_t error_line = 0;
};

/// Cuts `text` into tokens.
Tokens tokenize(std::string_view text);

/// Returns how a token reads in a message: 'word', "string", '{', or "the end of the file".
std::string describe(const Token& t);

}  // namespace fosim::sim::leases_lexer
