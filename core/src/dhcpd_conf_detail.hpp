// Internal to fosim_core: the pieces the dhcpd.conf reader is made of. The lexer
// (dhcpd_conf_lexer.cpp) turns text into tokens; `Parser` reads them one statement at a time.
// Its members are spread by concern: the statement table, scopes, ranges and includes in
// dhcpd_conf.cpp, the `failover peer` declaration and its block in dhcpd_conf_peer.cpp, and
// where a comment ends on a file whose line breaks were lost in dhcpd_conf_collapsed.cpp.
// check_pair() (dhcpd_conf_pair.cpp) needs none of this: it reads only the public DhcpdConf.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/core/isc_version.hpp"
#include "fosim/core/settings.hpp"

namespace fosim::core::conf_detail {

/// One token of dhcpd.conf text.
struct Token {
  /// What the token is: a word (name, number, address, hex), a quoted string, punctuation, a
  /// `#` (only when comments are kept), or the end of the text.
  enum class Kind : std::uint8_t { word, string, lbrace, rbrace, semi, comma, hash, end };
  Kind kind = Kind::end;
  std::string text;        ///< the word, the string without its quotes, or the punctuation
  std::size_t line = 0;    ///< the line it starts on, from 1
  std::size_t column = 0;  ///< the character (code point) it starts at, from 1
};

/// A Unicode character that looks like the ASCII dhcpd.conf needs (a web page's typography).
struct Lookalike {
  std::size_t line = 0, column = 0;
  std::string_view name;   ///< "U+2010 HYPHEN"
  std::string_view ascii;  ///< what was meant: "-", "\"", " "
};

/// Returns `text` with every look-alike outside comments and quoted strings replaced by the
/// ASCII it stands for (dhcpd_conf_lookalike.cpp has the table), each one added to `found`.
std::string replace_lookalikes(std::string_view text, std::vector<Lookalike>& found);

/// What a row of the failover peer block's version table says.
enum class PeerFact : std::uint8_t {
  statement,       ///< the statement exists
  may_be_omitted,  ///< the statement may be left out (ISC's default applies)
};

/// Whether `keyword` (lower case) starts a statement outside a failover peer block in series
/// `v`; nothing when no series knows it. `series` is set to the series that know it.
std::optional<bool> statement_in(std::string_view keyword, IscVersion v, std::string& series);

/// Whether the peer block fact (`keyword`, `what`) holds in series `v` (true when the table has
/// no row: every series); `series` is set to the series where it holds.
bool peer_fact_in(std::string_view keyword, PeerFact what, IscVersion v, std::string& series);

/// The candidate closest to `word` by edit distance, when it is close enough to be a slip
/// (1 edit up to 5 characters, 2 up to 10, 3 beyond); empty otherwise.
std::string_view closest(std::string_view word, const std::vector<std::string_view>& candidates);

/// Every word that starts a statement outside a failover peer block, in any series.
std::vector<std::string_view> statement_keywords();

/// Splits dhcpd.conf text the way ISC's lexer does for what fosim reads: words (names,
/// numbers, addresses, colon-separated hex), quoted strings, { } ; , and # comments.
/// With `keep_comments`, a '#' becomes a `hash` token and the comment's words stay tokens (the
/// parser decides where a comment on a collapsed line ends); otherwise comments run to the end
/// of the line and vanish. The last token is always `end`; on an unterminated string it sets
/// `error` and `error_line` and returns the tokens before it.
std::vector<Token> tokenize(std::string_view text, bool keep_comments, std::string& error,
                            std::size_t& error_line);

/// Returns `s` in lower case (ASCII).
std::string lower(std::string s);

/// Parses a decimal integer of at most 18 characters, optionally negative; nothing otherwise.
std::optional<std::int64_t> parse_int(const std::string& s);

/// Returns the `KEYWORD NUMBER;` statement of the peer block, or nullptr (settings.hpp has the
/// keywords and ISC's message for a non-number, "expecting number" with or without the period).
const PeerSetting* number_statement(std::string_view keyword);

/// The kind of block a statement is in: `other` is a host, class or conditional (if / elsif /
/// else) block, whose settings apply only to the clients it matches.
enum class Scope : std::uint8_t { global, shared_network, subnet, pool, other };

/// What comes before an unmodelled statement's keyword.
enum class Follows : std::uint8_t {
  nothing,  ///< the keyword starts the statement
  permit,   ///< `allow`, `deny` or `ignore` KEYWORD
  option,   ///< `option`, `supersede` or `default` KEYWORD
};

/// A statement that changes lease times, failover or which server answers, and that fosim does
/// not model (dhcpd_conf_unmodelled.cpp has the table).
struct UnmodelledStatement {
  std::string_view keyword;
  Follows follows = Follows::nothing;
  std::string_view why;       ///< what ISC does with it
  std::string_view as_fosim;  ///< the value with which ISC does what fosim does (no warning)
};

/// Returns the unmodelled statement that starts with the words `first` `second` (lower case),
/// or nullptr.
const UnmodelledStatement* unmodelled_statement(std::string_view first, std::string_view second);

/// Returns the statement as written: "ping-check", "deny unknown-clients", "option ...".
std::string statement_name(const UnmodelledStatement& u, std::string_view first);

/// What an enclosing scope passes down to the pools declared inside it.
struct Settings {
  std::size_t frame = 0;    ///< the scope's frame in `ScopeFrames`
  std::string shared_peer;  ///< `failover peer "X";` of the enclosing shared-network
};

/// Every scope of one parse (global, shared-network, subnet, group, pool) with the lease times
/// set in it. A pool's lease times are resolved once the whole file is read, as ISC looks them
/// up in ack_lease(): the innermost scope that sets one wins, wherever in its scope the
/// statement stands (before or after the pool); for a pool declared in a shared-network
/// outside any subnet, the subnet holding its addresses comes before the shared-network (ISC
/// runs the subnet's scope, then the pool's up to the shared-network's).
struct ScopeFrames {
  struct Frame {
    std::size_t parent = 0;
    bool shared_network = false;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> subnet;      ///< network, netmask
    std::array<std::optional<std::int64_t>, pool_settings.size()> own;  ///< in table order
  };
  std::vector<Frame> frames{Frame{}};   ///< frame 0: the global scope
  std::vector<std::size_t> pool_frame;  ///< the frame of each pool of DhcpdConf::pools

  /// Adds a scope inside `parent`; returns its frame.
  std::size_t add(std::size_t parent) {
    frames.push_back(Frame{});
    frames.back().parent = parent;
    return frames.size() - 1;
  }
  /// Sets the lease times of every pool of `conf` from the scopes.
  void resolve(DhcpdConf& conf) const;
};

/// What the includes of one parse_dhcpd_conf() call have read so far. The nesting limit alone
/// does not bound the work: a file that includes itself twice is read 2^10 times, four times
/// 4^10 times; a large file included a few times each level deep is as bad.
struct IncludeBudget {
  static constexpr std::size_t max_files = 1000;
  static constexpr std::size_t max_bytes = std::size_t{8} << 20;
  std::size_t files = 0, bytes = 0;
};

/// Reads one file (the main one or an include) into a DhcpdConf, statement by statement.
class Parser {
 public:
  /// A parser that adds to `out`, reading includes with `reader`, `depth` includes deep.
  Parser(DhcpdConf& out, const IncludeReader& reader, int depth, IncludeBudget& budget,
         ScopeFrames& scopes, IscVersion isc)
      : out_(out), reader_(reader), depth_(depth), budget_(budget), scopes_(scopes), isc_(isc) {}

  /// Reads `text`, the contents of `file`, as statements in `scope` (with `settings` in force,
  /// inside `pool` when it is not null).
  void run(std::string_view text, const std::string& file, Scope scope, Settings& settings,
           PoolDecl* pool);

 private:
  // ---- tokens (inline: they are the parser's every step)
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool at(Token::Kind k) const { return peek().kind == k; }
  bool kind_at(std::size_t ahead, Token::Kind k) const { return peek(ahead).kind == k; }
  /// The line of the file's last token (where an unclosed block is noticed).
  std::size_t last_line() const {
    return tokens_.size() >= 2 ? tokens_[tokens_.size() - 2].line : 1;
  }
  bool word_is(std::string_view w, std::size_t ahead = 0) const {
    return peek(ahead).kind == Token::Kind::word && lower(peek(ahead).text) == w;
  }
  bool number_at(std::size_t ahead) const {
    return kind_at(ahead, Token::Kind::word) && parse_int(peek(ahead).text).has_value();
  }
  bool ip_at(std::size_t ahead) const {
    return kind_at(ahead, Token::Kind::word) && parse_ipv4(peek(ahead).text).has_value();
  }

  // ---- reading on (dhcpd_conf.cpp)
  void problem(std::size_t line, std::string message, std::string valid,
               Severity s = Severity::error);
  void lookalike_problems(const std::vector<Lookalike>& found);
  void problem_at(std::size_t line, std::size_t column, std::string message, std::string valid);
  /// Where the first token on `line` starts (1 when the line has none).
  std::size_t column_of(std::size_t line) const;
  /// The place of `line` in this file, at its first token.
  ConfPlace here(std::size_t line) const { return {file_, line, column_of(line)}; }
  void skip_statement();
  void skip_block();
  bool semicolon();

  // ---- statements and scopes (dhcpd_conf.cpp)
  void block(Scope scope, Settings& settings, PoolDecl* pool, bool braced);
  void statement(Scope scope, Settings& settings, PoolDecl* pool);
  void no_failover(std::size_t line, PoolDecl* pool);
  void include_statement(std::size_t line, Scope scope, Settings& settings, PoolDecl* pool);
  void lease_time(const PoolSetting& s, const std::string& key, std::size_t line, Scope scope,
                  Settings& settings);
  void scoped_block(const std::string& key, std::size_t line, Scope scope, Settings& settings,
                    PoolDecl* pool);
  void range(std::size_t line, Scope scope, PoolDecl* pool);
  void client_block(const std::string& key, std::size_t line, Settings& settings);
  void unmodelled(std::size_t line, std::string message);
  void unknown_statement(const Token& t, Scope scope);
  void include(const std::string& path, std::size_t line, Scope scope, Settings& settings,
               PoolDecl* pool);

  // ---- failover peers (dhcpd_conf_peer.cpp)
  void failover(Scope scope, Settings& settings, PoolDecl* pool, std::size_t line);
  void peer_reference(const std::string& name, bool quoted, std::size_t line, Scope scope,
                      Settings& settings, PoolDecl* pool);
  bool declared(const std::string& name) const;
  std::optional<std::int64_t> number(std::string_view message, const std::string& statement);
  std::optional<std::string> host();
  void peer_block(PeerDecl& d);
  void peer_statement(PeerDecl& d);
  void set_line(PeerDecl& d, std::string_view field, std::string_view statement, std::size_t line);
  void unknown_peer_statement(const Token& t);
  void peer_versions(const PeerDecl& d);
  void peer_address_or_port(PeerDecl& d, std::size_t line);
  void load_balance(PeerDecl& d, std::size_t line);
  void hba(PeerConfig& c);

  // ---- collapsed files (dhcpd_conf_collapsed.cpp)
  void detect_collapsed(std::string_view text);
  void skip_comment(bool in_peer);
  bool plausible_peer_statement() const;
  bool plausible_statement() const;

  DhcpdConf& out_;
  const IncludeReader& reader_;
  int depth_;
  IncludeBudget& budget_;
  ScopeFrames& scopes_;
  IscVersion isc_;
  static constexpr int max_nesting = 100;
  int nesting_ = 0;  ///< the blocks open in this file, the file itself counted as one
  std::string file_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  bool collapsed_ = false;
};

}  // namespace fosim::core::conf_detail
