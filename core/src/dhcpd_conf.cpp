// The dhcpd.conf reader: parse_dhcpd_conf(), the table of statements it reads (failover
// references, lease times, ranges, includes, and the shared-network, subnet, pool and group
// blocks that scope them), and how it reads on after broken syntax. The tokens come from
// dhcpd_conf_lexer.cpp; `failover peer` declarations are read in dhcpd_conf_peer.cpp.
#include "fosim/core/dhcpd_conf.hpp"

#include "dhcpd_conf_detail.hpp"

namespace fosim::core {
namespace conf_detail {

void Parser::run(std::string_view text, const std::string& file, Scope scope, Settings& settings,
                 PoolDecl* pool) {
  file_ = file;
  std::string error;
  std::size_t error_line = 0;
  std::vector<Lookalike> lookalikes;
  const std::string ascii = replace_lookalikes(text, lookalikes);
  lookalike_problems(lookalikes);
  detect_collapsed(ascii);
  tokens_ = tokenize(ascii, collapsed_, error, error_line);
  if (!error.empty()) {
    problem(error_line, error, "a closing \" on the same statement");
    return;
  }
  pos_ = 0;
  block(scope, settings, pool, false);
  if (peek().kind != Token::Kind::end) problem(peek().line, "unexpected '}'", "balanced braces");
}

// One problem a line and meant character: "U+2010 HYPHEN ... (columns 6, 15)".
void Parser::lookalike_problems(const std::vector<Lookalike>& found) {
  for (std::size_t i = 0; i < found.size();) {
    const Lookalike& l = found[i];
    std::string names(l.name), columns = std::to_string(l.column);
    std::size_t k = i + 1;
    for (; k < found.size() && found[k].line == l.line && found[k].ascii == l.ascii; ++k) {
      if (names.find(found[k].name) == std::string::npos)
        names += ", " + std::string(found[k].name);
      columns += ", " + std::to_string(found[k].column);
    }
    const std::string meant = l.ascii.empty()  ? "nothing"
                              : l.ascii == " " ? "a space"
                                               : "'" + std::string(l.ascii) + "'";
    problem_at(l.line, l.column,
               names + " where " + meant + " was meant" +
                   (k - i > 1 ? " (columns " + columns + ")" : std::string()) +
                   ": pasted from a web page or a word processor?",
               l.ascii.empty()  ? "delete it"
               : l.ascii == " " ? "an ASCII space"
                                : "ASCII " + meant);
    i = k;
  }
}

void Parser::problem(std::size_t line, std::string message, std::string valid, Severity s) {
  out_.problems.push_back({s, here(line), std::move(message), std::move(valid)});
}

void Parser::problem_at(std::size_t line, std::size_t column, std::string message,
                        std::string valid) {
  out_.problems.push_back(
      {Severity::error, {file_, line, column}, std::move(message), std::move(valid)});
}

std::size_t Parser::column_of(std::size_t line) const {
  const auto it = std::lower_bound(tokens_.begin(), tokens_.end(), line,
                                   [](const Token& t, std::size_t l) { return t.line < l; });
  return it != tokens_.end() && it->line == line && it->kind != Token::Kind::end ? it->column : 1;
}

// Skips to the end of the current statement: past its ';', or past a balanced block.
void Parser::skip_statement() {
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
void Parser::skip_block() {
  int depth = 1;
  while (!at(Token::Kind::end) && depth > 0) {
    const Token& t = next();
    if (t.kind == Token::Kind::lbrace) ++depth;
    if (t.kind == Token::Kind::rbrace) --depth;
  }
  if (depth > 0) problem(last_line(), "the file ends inside a { } block", "a '}' for every '{'");
}

// Reports a missing ';' and reads on as if it were there (the next word starts a statement).
bool Parser::semicolon() {
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
void Parser::block(Scope scope, Settings& settings, PoolDecl* pool, bool braced) {
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

// One statement: the table of those fosim reads; any other is skipped, braces and all.
void Parser::statement(Scope scope, Settings& settings, PoolDecl* pool) {
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
  std::string series;
  // (`log(info, ...)`: the lexer keeps a '(' in the word it follows)
  const std::optional<bool> known = statement_in(key.substr(0, key.find('(')), isc_, series);
  if (!known) return unknown_statement(first, scope);
  if (!*known)
    problem_at(line, first.column,
               "`" + key + "` is not a statement of ISC dhcpd " + std::string(to_string(isc_)) +
                   " (it is in " + series + ")",
               "remove it, or give the series the server runs with --isc");
  if (key == "failover") return failover(scope, settings, pool, line);
  if (key == "no" && word_is("failover", 1)) return no_failover(line, pool);
  if (key == "include") return include_statement(line, scope, settings, pool);
  if (const PoolSetting* s = find_pool_keyword(key))
    return lease_time(*s, key, line, scope, settings);
  if (key == "range") return range(line, scope, pool);
  if (key == "shared-network" || key == "subnet" || key == "pool" || key == "group")
    return scoped_block(key, line, scope, settings, pool);
  if (key == "host" || key == "class" || key == "subclass" || key == "if" || key == "elsif" ||
      key == "else")
    return client_block(key, line, settings);
  const std::string second = kind_at(1, Token::Kind::word) ? lower(peek(1).text) : std::string();
  if (const UnmodelledStatement* u = unmodelled_statement(key, second))
    unmodelled(line, "`" + statement_name(*u, key) + "`: " + std::string(u->why));
  skip_statement();  // a statement fosim does not model
}

// `host`, `class`, `subclass` and `if` / `elsif` / `else` blocks: settings for the clients they
// match only, which fosim does not model. Their statements are read to name the unmodelled
// ones; nothing in them reaches a pool.
void Parser::client_block(const std::string& key, std::size_t line, Settings& settings) {
  next();
  while (!at(Token::Kind::lbrace) && !at(Token::Kind::semi) && !at(Token::Kind::end) &&
         !at(Token::Kind::rbrace))
    next();
  if (!at(Token::Kind::lbrace)) {
    if (key == "subclass" && at(Token::Kind::semi)) return skip_statement();  // no block
    problem(line, "expecting left brace", key + " ... { ... }");
    return skip_statement();
  }
  next();
  Settings inner = settings;
  block(Scope::other, inner, nullptr, true);
}

void Parser::unmodelled(std::size_t line, std::string message) {
  out_.unmodelled.push_back({Severity::warning, here(line), std::move(message), ""});
}

// `no failover peer;`: the pool is not a failover pool after all.
void Parser::no_failover(std::size_t line, PoolDecl* pool) {
  next();
  next();
  if (!word_is("peer")) {
    problem(line, "expecting \"failover peer\".", "no failover peer;");
    return skip_statement();
  }
  next();
  if (pool != nullptr) pool->peer.clear();
  semicolon();
}

// `include "FILE";`
void Parser::include_statement(std::size_t line, Scope scope, Settings& settings, PoolDecl* pool) {
  next();
  if (!at(Token::Kind::string)) {
    problem(line, "expecting string.", "include \"FILE\";");
    return skip_statement();
  }
  const std::string path = next().text;
  if (!semicolon()) return;
  include(path, line, scope, settings, pool);
}

// `default-lease-time N;` and the other pool settings: set in this scope, for the pools in it
// (resolved once the file is read: dhcpd_conf_scopes.cpp).
void Parser::lease_time(const PoolSetting& s, const std::string& key, std::size_t line, Scope scope,
                        Settings& settings) {
  next();
  const std::optional<std::int64_t> v =
      at(Token::Kind::word) ? parse_int(peek().text) : std::nullopt;
  if (!v) {
    problem(line, "expecting number.", key + " SECONDS;");
    return skip_statement();
  }
  next();
  if (!semicolon()) return;
  if (scope == Scope::other) {
    // ack_lease() runs class and host scopes after the pool's: for the clients they match this
    // wins over the pool's setting.
    unmodelled(line, "`" + key +
                         "` in a host, class or if block: ISC gives the clients it matches this "
                         "value over the pool's; fosim plays the pool's for every client");
    return;
  }
  // The last one in a scope wins (ISC executes a scope's statements in order).
  scopes_.frames[settings.frame].own[static_cast<std::size_t>(&s - pool_settings.data())] = *v;
}

// `shared-network`, `subnet`, `pool` and `group` blocks. A pool, and a subnet with ranges of its
// own, becomes a PoolDecl with the settings in force where it starts.
void Parser::scoped_block(const std::string& key, std::size_t line, Scope scope, Settings& settings,
                          PoolDecl* pool) {
  next();
  // `subnet NETWORK netmask MASK`: where a shared-network's own pools find their subnet.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> net;
  if (key == "subnet" && ip_at(0) && word_is("netmask", 1) && ip_at(2))
    net.emplace(*parse_ipv4(peek().text), *parse_ipv4(peek(2).text));
  while (!at(Token::Kind::lbrace) && !at(Token::Kind::semi) && !at(Token::Kind::end) &&
         !at(Token::Kind::rbrace))
    next();
  if (!at(Token::Kind::lbrace)) {
    problem(line, "expecting left brace", key + " ... { ... }");
    return skip_statement();
  }
  next();
  Settings inner = settings;
  inner.frame = scopes_.add(settings.frame);
  scopes_.frames[inner.frame].shared_network = key == "shared-network";
  if (net) scopes_.frames[inner.frame].subnet = *net;
  if (key == "shared-network") return block(Scope::shared_network, inner, nullptr, true);
  if (key == "group")
    return block(scope == Scope::global ? Scope::global : scope, inner, pool, true);
  PoolDecl p;
  p.peer = settings.shared_peer;
  p.place = here(line);
  block(key == "pool" ? Scope::pool : Scope::subnet, inner, &p, true);
  // A subnet's own ranges (outside any pool) form a pool of their own.
  if (key == "pool" || !p.ranges.empty()) {
    out_.pools.push_back(std::move(p));
    scopes_.pool_frame.push_back(inner.frame);
  }
}

// `range [dynamic-bootp] LOW [HIGH];`
void Parser::range(std::size_t line, Scope scope, PoolDecl* pool) {
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
  pool->ranges.push_back({lo, hi, here(line)});
}

// Reads an included file in the scope of the `include`, within the nesting limit and budget.
void Parser::include(const std::string& path, std::size_t line, Scope scope, Settings& settings,
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
  Parser inner(out_, reader_, depth_ + 1, budget_, scopes_, isc_);
  inner.run(*text, path, scope, settings, pool);
}

}  // namespace conf_detail

DhcpdConf parse_dhcpd_conf(std::string_view text, const std::string& file,
                           const IncludeReader& read_include, IscVersion isc) {
  using namespace conf_detail;
  DhcpdConf out;
  Settings settings;
  IncludeBudget budget;
  ScopeFrames scopes;
  Parser p(out, read_include, 0, budget, scopes, isc);
  p.run(text, file, Scope::global, settings, nullptr);
  scopes.resolve(out);
  return out;
}

}  // namespace fosim::core
