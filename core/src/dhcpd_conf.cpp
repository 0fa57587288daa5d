#include "fosim/core/dhcpd_conf.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "fosim/core/settings.hpp"

namespace fosim::core {
namespace {

// ---- tokens ------------------------------------------------------------------------------

struct Token {
  enum class Kind : std::uint8_t { word, string, lbrace, rbrace, semi, comma, hash, end };
  Kind kind = Kind::end;
  std::string text;
  std::size_t line = 0;
};

bool is_punct(char c) { return c == '{' || c == '}' || c == ';' || c == ','; }

/// Splits dhcpd.conf text the way ISC's lexer does for what fosim reads: words (names,
/// numbers, addresses, colon-separated hex), quoted strings, { } ; , and # comments.
/// With `keep_comments`, a '#' becomes a `hash` token and the comment's words stay tokens (the
/// parser decides where a comment on a collapsed line ends); otherwise comments run to the end
/// of the line and vanish.
std::vector<Token> tokenize(std::string_view text, bool keep_comments, std::string& error,
                            std::size_t& error_line) {
  std::vector<Token> out;
  std::size_t line = 1, i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (c == '#') {
      if (keep_comments) {
        out.push_back({Token::Kind::hash, "#", line});
        ++i;
      } else {
        while (i < text.size() && text[i] != '\n') ++i;
      }
    } else if (c == '"') {
      const std::size_t start_line = line;
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
      out.push_back({Token::Kind::string, std::move(s), start_line});
    } else if (is_punct(c)) {
      const Token::Kind k = c == '{'   ? Token::Kind::lbrace
                            : c == '}' ? Token::Kind::rbrace
                            : c == ';' ? Token::Kind::semi
                                       : Token::Kind::comma;
      out.push_back({k, std::string(1, c), line});
      ++i;
    } else {
      const std::size_t start = i;
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) == 0 &&
             !is_punct(text[i]) && text[i] != '"' && text[i] != '#')
        ++i;
      out.push_back({Token::Kind::word, std::string(text.substr(start, i - start)), line});
    }
  }
  out.push_back({Token::Kind::end, "", line});
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

// ---- the parser ----------------------------------------------------------------------------

/// A `KEYWORD NUMBER;` statement of the peer block, or nullptr (settings.hpp has the keywords
/// and ISC's message for a non-number, "expecting number" with or without the period).
const PeerSetting* number_statement(std::string_view keyword) {
  const PeerSetting* s = find_peer_keyword(keyword);
  return s != nullptr && s->number != nullptr ? s : nullptr;
}

/// The statements a peer block may hold, as the message for an invalid one lists them.
std::string peer_statements() {
  std::string out = "primary, secondary";
  for (const PeerSetting& s : peer_settings)
    if (s.unit != Unit::role) out += ", " + std::string(s.keyword);
  return out;
}

enum class Scope : std::uint8_t { global, shared_network, subnet, pool, other };

struct Settings {
  std::array<std::optional<std::int64_t>, pool_settings.size()> lease_times;  ///< in table order
  std::string shared_peer;  ///< `failover peer "X";` of the enclosing shared-network
};

/// What the includes of one parse_dhcpd_conf() call have read so far. The nesting limit alone
/// does not bound the work: a file that includes itself twice is read 2^10 times, four times
/// 4^10 times; a large file included a few times each level deep is as bad.
struct IncludeBudget {
  static constexpr std::size_t max_files = 1000;
  static constexpr std::size_t max_bytes = std::size_t{8} << 20;
  std::size_t files = 0, bytes = 0;
};

class Parser {
 public:
  Parser(DhcpdConf& out, const IncludeReader& reader, int depth, IncludeBudget& budget)
      : out_(out), reader_(reader), depth_(depth), budget_(budget) {}

  void run(std::string_view text, const std::string& file, Scope scope, Settings& settings,
           PoolDecl* pool) {
    file_ = file;
    std::string error;
    std::size_t error_line = 0;
    // Collapsed: a single line that has a comment with more after it.
    const std::string_view trimmed = text.substr(0, text.find_last_not_of(" \t\r\n") + 1);
    const std::size_t hash = trimmed.find('#');
    collapsed_ = trimmed.find('\n') == std::string_view::npos && hash != std::string_view::npos &&
                 trimmed.find(';', hash) != std::string_view::npos;
    if (collapsed_) {
      ConfProblem note;  // (built field by field: GCC 12 warns falsely on the aggregate here)
      note.severity = Severity::warning;
      note.place.file = file;
      note.place.line = 1;
      note.message =
          "the file is one line with # comments in it (were its line breaks lost?): dhcpd would "
          "ignore "
          "everything after the first #; fosim ends each comment where a statement begins";
      note.valid = "one statement or comment a line";
      out_.notes.push_back(std::move(note));
    }
    tokens_ = tokenize(text, collapsed_, error, error_line);
    if (!error.empty()) {
      problem(error_line, error, "a closing \" on the same statement");
      return;
    }
    pos_ = 0;
    block(scope, settings, pool, false);
    if (peek().kind != Token::Kind::end) problem(peek().line, "unexpected '}'", "balanced braces");
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool at(Token::Kind k) const { return peek().kind == k; }
  /// The line of the file's last token (where an unclosed block is noticed).
  std::size_t last_line() const {
    return tokens_.size() >= 2 ? tokens_[tokens_.size() - 2].line : 1;
  }
  bool word_is(std::string_view w, std::size_t ahead = 0) const {
    return peek(ahead).kind == Token::Kind::word && lower(peek(ahead).text) == w;
  }

  void problem(std::size_t line, std::string message, std::string valid,
               Severity s = Severity::error) {
    out_.problems.push_back({s, {file_, line}, std::move(message), std::move(valid)});
  }

  // Skips to the end of the current statement: past its ';', or past a balanced block.
  void skip_statement() {
    while (!at(Token::Kind::end)) {
      const Token& t = next();
      if (t.kind == Token::Kind::semi) return;
      if (t.kind == Token::Kind::rbrace) {
        --pos_;
        return;
      }
      if (t.kind == Token::Kind::lbrace) {
        skip_block();
        return;
      }
    }
  }
  // After a '{': skips to its matching '}'.
  void skip_block() {
    int depth = 1;
    while (!at(Token::Kind::end) && depth > 0) {
      const Token& t = next();
      if (t.kind == Token::Kind::lbrace) ++depth;
      if (t.kind == Token::Kind::rbrace) --depth;
    }
    if (depth > 0) problem(last_line(), "the file ends inside a { } block", "a '}' for every '{'");
  }
  // Reports a missing ';' and reads on as if it were there (the next word starts a statement).
  bool semicolon() {
    if (at(Token::Kind::semi)) {
      next();
      return true;
    }
    // Where the statement ended: the line of its last word, not of whatever follows.
    problem(pos_ > 0 ? tokens_[pos_ - 1].line : peek().line, "semicolon expected.",
            "';' at the end of the statement");
    return false;
  }

  // Statements until the '}' that closes this block (or the end of the file at top level).
  // Each { } level is a level of calls: one nested deeper than max_nesting is skipped unread,
  // so that no file can overflow the stack.
  void block(Scope scope, Settings& settings, PoolDecl* pool, bool braced) {
    if (braced && nesting_ > max_nesting) {
      problem(tokens_[pos_ - 1].line,
              "{ } blocks nest more than " + std::to_string(max_nesting) + " deep",
              "at most " + std::to_string(max_nesting) + " nested blocks");
      skip_block();
      return;
    }
    ++nesting_;
    while (!at(Token::Kind::end) && !at(Token::Kind::rbrace)) statement(scope, settings, pool);
    --nesting_;
    if (!braced) return;
    if (at(Token::Kind::rbrace))
      next();
    else
      problem(last_line(), "the file ends inside a { } block", "a '}' for every '{'");
  }

  // On a collapsed line: skips a comment's words up to the first plausible statement.
  void skip_comment(bool in_peer) {
    next();
    while (!at(Token::Kind::end) && !at(Token::Kind::rbrace) && !at(Token::Kind::hash) &&
           !(in_peer ? plausible_peer_statement() : plausible_statement()))
      next();
  }
  bool kind_at(std::size_t ahead, Token::Kind k) const { return peek(ahead).kind == k; }
  bool number_at(std::size_t ahead) const {
    return kind_at(ahead, Token::Kind::word) && parse_int(peek(ahead).text).has_value();
  }
  bool ip_at(std::size_t ahead) const {
    return kind_at(ahead, Token::Kind::word) && parse_ipv4(peek(ahead).text).has_value();
  }
  bool plausible_peer_statement() const {
    using K = Token::Kind;
    if (word_is("primary") || word_is("secondary")) return kind_at(1, K::semi);
    if (word_is("address"))
      return (kind_at(1, K::word) || kind_at(1, K::string)) && kind_at(2, K::semi);
    if (word_is("peer"))
      return (word_is("address", 1) && kind_at(3, K::semi)) ||
             (word_is("port", 1) && number_at(2) && kind_at(3, K::semi));
    if (word_is("load")) return word_is("balance", 1) && word_is("max", 2) && word_is("seconds", 3);
    if (word_is("hba")) return kind_at(1, K::word);
    return peek().kind == K::word && number_statement(lower(peek().text)) != nullptr &&
           number_at(1) && kind_at(2, K::semi);
  }
  bool plausible_statement() const {
    using K = Token::Kind;
    if (word_is("default-lease-time") || word_is("max-lease-time") || word_is("min-lease-time"))
      return number_at(1) && kind_at(2, K::semi);
    if (word_is("range")) return ip_at(1) || (word_is("dynamic-bootp", 1) && ip_at(2));
    if (word_is("failover")) return word_is("peer", 1);
    if (word_is("no")) return word_is("failover", 1);
    if (word_is("subnet")) return ip_at(1) && word_is("netmask", 2);
    if (word_is("shared-network") || word_is("host") || word_is("class"))
      return kind_at(2, K::lbrace);
    if (word_is("pool") || word_is("group")) return kind_at(1, K::lbrace);
    if (word_is("option") || word_is("ddns-update-style") || word_is("log-facility") ||
        word_is("include") || word_is("allow") || word_is("deny") || word_is("ignore") ||
        word_is("server-identifier"))
      return kind_at(1, K::word) || kind_at(1, K::string);
    if (word_is("authoritative")) return kind_at(1, K::semi);
    if (word_is("not")) return word_is("authoritative", 1);
    return false;
  }

  void statement(Scope scope, Settings& settings, PoolDecl* pool) {
    if (at(Token::Kind::hash)) return skip_comment(false);
    const Token& first = peek();
    if (first.kind == Token::Kind::semi) {
      next();
      return;
    }
    if (first.kind != Token::Kind::word) {
      problem(first.line, "unexpected '" + first.text + "'", "a statement");
      skip_statement();
      return;
    }
    const std::string key = lower(first.text);
    const std::size_t line = first.line;
    if (key == "failover") return failover(scope, settings, pool, line);
    if (key == "no" && word_is("failover", 1)) {
      next();
      next();
      if (!word_is("peer")) {
        problem(line, "expecting \"failover peer\".", "no failover peer;");
        return skip_statement();
      }
      next();
      if (pool != nullptr) pool->peer.clear();
      semicolon();
      return;
    }
    if (key == "include") {
      next();
      if (!at(Token::Kind::string)) {
        problem(line, "expecting string.", "include \"FILE\";");
        return skip_statement();
      }
      const std::string path = next().text;
      if (!semicolon()) return;
      return include(path, line, scope, settings, pool);
    }
    if (const PoolSetting* s = find_pool_keyword(key)) {
      next();
      const std::optional<std::int64_t> v =
          at(Token::Kind::word) ? parse_int(peek().text) : std::nullopt;
      if (!v) {
        problem(line, "expecting number.", key + " SECONDS;");
        return skip_statement();
      }
      next();
      if (!semicolon()) return;
      settings.lease_times[static_cast<std::size_t>(s - pool_settings.data())] = *v;
      if (pool != nullptr) pool->*(s->member) = *v;
      return;
    }
    if (key == "range") return range(line, scope, settings, pool);
    if (key == "shared-network" || key == "subnet" || key == "pool" || key == "group") {
      next();
      while (!at(Token::Kind::lbrace) && !at(Token::Kind::semi) && !at(Token::Kind::end) &&
             !at(Token::Kind::rbrace))
        next();
      if (!at(Token::Kind::lbrace)) {
        problem(line, "expecting left brace", key + " ... { ... }");
        return skip_statement();
      }
      next();
      Settings inner = settings;
      if (key == "shared-network") return block(Scope::shared_network, inner, nullptr, true);
      if (key == "group")
        return block(scope == Scope::global ? Scope::global : scope, inner, pool, true);
      PoolDecl p;
      p.peer = settings.shared_peer;
      for (std::size_t k = 0; k < pool_settings.size(); ++k)
        p.*(pool_settings[k].member) = settings.lease_times[k];
      p.place = {file_, line};
      block(key == "pool" ? Scope::pool : Scope::subnet, inner, &p, true);
      // A subnet's own ranges (outside any pool) form a pool of their own.
      if (key == "pool" || !p.ranges.empty()) out_.pools.push_back(std::move(p));
      return;
    }
    skip_statement();  // a statement fosim does not model
  }

  void range(std::size_t line, Scope scope, Settings& settings, PoolDecl* pool) {
    next();
    bool bootp = false;
    if (word_is("dynamic-bootp")) {
      next();
      bootp = true;
    }
    std::vector<std::uint32_t> addrs;
    while (at(Token::Kind::word) && addrs.size() < 3) {
      const auto ip = parse_ipv4(peek().text);
      if (!ip) break;
      addrs.push_back(*ip);
      next();
    }
    if (addrs.empty() || addrs.size() > 2) {
      problem(line, "expecting IP address in range", "range LOW [HIGH];");
      return skip_statement();
    }
    if (!semicolon()) return;
    (void)settings;
    if (pool == nullptr || (scope != Scope::pool && scope != Scope::subnet)) {
      problem(line, "range declaration not allowed here", "range inside a subnet or pool");
      return;
    }
    const std::uint32_t lo = std::min(addrs.front(), addrs.back()),
                        hi = std::max(addrs.front(), addrs.back());
    if (bootp && !pool->peer.empty())
      problem(line,
              "dynamic-bootp flag is not permitted for address range declarations where there is a "
              "failover peer",
              "range without dynamic-bootp in a failover pool");
    pool->ranges.push_back({lo, hi, {file_, line}});
  }

  void include(const std::string& path, std::size_t line, Scope scope, Settings& settings,
               PoolDecl* pool) {
    if (!reader_) {
      problem(line, "cannot read included file " + path, "a readable file");
      return;
    }
    if (depth_ >= 10) {
      problem(line, "includes nest more than 10 deep (a loop?)", "at most 10 nested includes");
      return;
    }
    if (budget_.files >= IncludeBudget::max_files) {
      problem(line, "more than " + std::to_string(IncludeBudget::max_files) + " includes (a loop?)",
              "at most " + std::to_string(IncludeBudget::max_files) + " includes in all");
      return;
    }
    ++budget_.files;
    std::string error;
    const std::optional<std::string> text = reader_(path, error);
    if (!text) {
      problem(line, "cannot read included file " + path + ": " + error, "a readable file");
      return;
    }
    if (text->size() > IncludeBudget::max_bytes - budget_.bytes) {
      const std::string mb = std::to_string(IncludeBudget::max_bytes >> 20) + " MB";
      problem(line, "the included files come to more than " + mb + " (a loop?)",
              "at most " + mb + " of includes in all");
      return;
    }
    budget_.bytes += text->size();
    Parser inner(out_, reader_, depth_ + 1, budget_);
    inner.run(*text, path, scope, settings, pool);
  }

  // `failover peer NAME { ... }`, `failover peer "NAME";`, `failover peer "NAME" state { ... }`.
  void failover(Scope scope, Settings& settings, PoolDecl* pool, std::size_t line) {
    next();
    if (!word_is("peer")) {
      problem(line, scope == Scope::pool ? "expecting 'peer'." : "expecting \"peer\"",
              "failover peer \"NAME\" ...");
      return skip_statement();
    }
    next();
    if (!at(Token::Kind::string) && !at(Token::Kind::word)) {
      problem(line, "expecting failover peer name.", "failover peer \"NAME\"");
      return skip_statement();
    }
    const bool quoted = at(Token::Kind::string);
    const std::string name = next().text;
    if (at(Token::Kind::semi)) {  // a reference
      next();
      if (scope == Scope::pool && pool != nullptr) {
        if (!quoted) problem(line, "expecting string.", "failover peer \"" + name + "\";");
        if (!declared(name))
          problem(line, "failover peer " + name + ": not found", "the name of a declared peer");
        pool->peer = name;
      } else if (scope == Scope::shared_network) {
        if (!declared(name))
          problem(line, "reference to unknown failover peer " + name, "declare the peer first");
        settings.shared_peer = name;
      } else {
        problem(line, "failover peer reference not in shared-network declaration",
                "failover peer \"NAME\"; inside a pool or shared-network");
      }
      return;
    }
    if (word_is("state")) {  // lease-file form: not configuration
      next();
      if (at(Token::Kind::lbrace)) {
        next();
        skip_block();
      } else {
        skip_statement();
      }
      return;
    }
    if (!at(Token::Kind::lbrace)) {
      problem(line, "expecting left brace", "failover peer \"" + name + "\" { ... }");
      return skip_statement();
    }
    next();
    if (scope != Scope::global && scope != Scope::shared_network)
      problem(
          line,
          "failover peers may only be defined in shared-network declarations and the outer scope.",
          "declare the peer at the top of the file");
    if (declared(name))
      problem(line, "redeclaration of failover peer " + name, "one declaration per name");
    PeerDecl d;
    d.config.name = name;
    d.place = {file_, line};
    peer_block(d);
    out_.peers.push_back(std::move(d));
  }

  bool declared(const std::string& name) const {
    return std::any_of(out_.peers.begin(), out_.peers.end(),
                       [&](const PeerDecl& p) { return p.config.name == name; });
  }

  // Reads a number and the ';' after it; ISC's message when it is not one.
  std::optional<std::int64_t> number(std::string_view message, const std::string& statement) {
    const std::optional<std::int64_t> v =
        at(Token::Kind::word) ? parse_int(peek().text) : std::nullopt;
    if (!v) {
      problem(peek().line, std::string(message), statement + " NUMBER;");
      skip_statement();
      return std::nullopt;
    }
    next();
    semicolon();
    return v;
  }
  std::optional<std::string> host() {
    if (!at(Token::Kind::word) && !at(Token::Kind::string)) {
      problem(peek().line, "expecting IP address or hostname", "an IPv4 address or host name");
      skip_statement();
      return std::nullopt;
    }
    std::string h = next().text;
    semicolon();
    return h;
  }

  void peer_block(PeerDecl& d) {
    PeerConfig& c = d.config;
    while (!at(Token::Kind::end) && !at(Token::Kind::rbrace)) {
      const Token& t = peek();
      if (t.kind == Token::Kind::semi) {
        next();
        continue;
      }
      if (t.kind == Token::Kind::hash) {
        skip_comment(true);
        continue;
      }
      const std::string key = lower(t.text);
      const std::size_t line = t.line;
      next();
      auto set_line = [&d, line](std::string_view field) { d.lines[std::string(field)] = line; };
      if (t.kind != Token::Kind::word) {
        problem(t.line, "invalid statement in peer declaration", "a failover peer statement");
        skip_statement();
        continue;
      }
      if (key == "primary" || key == "secondary") {
        c.role = key == "primary" ? Role::primary : Role::secondary;
        set_line("role");
        semicolon();
      } else if (const PeerSetting* n = number_statement(key)) {
        set_line(n->key);
        c.*(n->number) = number(n->not_a_number, key);
      } else if (key == "address") {
        set_line("address");
        c.address = host();
      } else if (key == "peer") {
        if (word_is("address")) {
          next();
          set_line("peer_address");
          c.peer_address = host();
        } else if (word_is("port")) {
          next();
          const PeerSetting* pp = number_statement("peer port");
          set_line(pp->key);
          c.*(pp->number) = number(pp->not_a_number, "peer port");
        } else {
          problem(t.line, "expecting address or port", "peer address HOST; | peer port N;");
          skip_statement();
        }
      } else if (key == "hba") {
        set_line("hba");
        hba(c);
      } else if (key == "load") {
        if (!word_is("balance")) {
          problem(t.line, "expecting 'balance'", "load balance max seconds N;");
          skip_statement();
        } else if (next(), !word_is("max")) {
          problem(t.line, "expecting 'max'", "load balance max seconds N;");
          skip_statement();
        } else if (next(), !word_is("seconds")) {
          problem(t.line, "expecting 'secs'", "load balance max seconds N;");
          skip_statement();
        } else {
          next();
          const PeerSetting* lb = number_statement("load balance max seconds");
          set_line(lb->key);
          c.*(lb->number) = number(lb->not_a_number, "load balance max seconds");
        }
      } else {
        problem(t.line, "invalid statement in peer declaration", peer_statements());
        skip_statement();
      }
    }
    if (at(Token::Kind::rbrace))
      next();
    else
      problem(last_line(), "the file ends inside the failover peer declaration", "a closing '}'");
  }

  void hba(PeerConfig& c) {
    const std::size_t line = peek().line;
    std::string text;
    while (at(Token::Kind::word)) text += next().text;
    const std::optional<std::vector<std::uint8_t>> bytes = parse_hex_bytes(text);
    if (!bytes || bytes->size() < 32) {
      problem(line, "too few numbers.", "hba with 32 colon-separated hex bytes");
      skip_statement();
      return;
    }
    if (bytes->size() > 32) {
      problem(line, "semicolon expected.", "hba with exactly 32 bytes");
      skip_statement();
      return;
    }
    c.hba = *bytes;
    semicolon();
  }

  DhcpdConf& out_;
  const IncludeReader& reader_;
  int depth_;
  IncludeBudget& budget_;
  static constexpr int max_nesting = 100;
  int nesting_ = 0;  ///< the blocks open in this file, the file itself counted as one
  std::string file_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  bool collapsed_ = false;
};

}  // namespace

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

DhcpdConf parse_dhcpd_conf(std::string_view text, const std::string& file,
                           const IncludeReader& read_include) {
  DhcpdConf out;
  Settings settings;
  IncludeBudget budget;
  Parser p(out, read_include, 0, budget);
  p.run(text, file, Scope::global, settings, nullptr);
  return out;
}

}  // namespace fosim::core
