// The `failover peer` statements of dhcpd.conf: a declaration `failover peer NAME { ... }` and
// each statement of its block (ISC's server/confpars.c parse_failover_peer()), a reference
// `failover peer "NAME";` from a pool or shared-network, and the lease-file form
// `failover peer "NAME" state { ... }`, which is skipped.
#include "dhcpd_conf_detail.hpp"
#include "fosim/core/load_balance.hpp"

namespace fosim::core::conf_detail {
namespace {}  // namespace

// Records that `field` of the declaration `d` is set on `line` by `statement`; a second setting
// is an error (ISC keeps the last without a word, so one of the two is silently lost).
void Parser::set_line(PeerDecl& d, std::string_view field, std::string_view statement,
                      std::size_t line) {
  const auto [it, added] = d.lines.emplace(std::string(field), here(line));
  if (added) return;
  problem(line,
          "`" + std::string(statement) + "` appears twice in failover peer " + d.config.name +
              " (first on line " + std::to_string(it->second.line) + "); ISC keeps the last",
          "one " + std::string(statement) + " statement per failover peer declaration");
  it->second = here(line);
}

// The version facts of a whole declaration: ISC 4.1 has no default port.
void Parser::peer_versions(const PeerDecl& d) {
  std::string series;
  if (!d.config.port && !peer_fact_in("port", PeerFact::may_be_omitted, isc_, series))
    problem(d.place.line,
            "local port may not be omitted (ISC " + std::string(to_string(isc_)) +
                " has no default; " + series + " take 647)",
            "port 647;");
  if (!d.config.peer_port && !peer_fact_in("peer port", PeerFact::may_be_omitted, isc_, series))
    problem(d.place.line,
            "peer port may not be omitted (ISC " + std::string(to_string(isc_)) +
                " has no default; " + series + " take 647)",
            "peer port 647;");
}

const PeerSetting* number_statement(std::string_view keyword) {
  const PeerSetting* s = find_peer_keyword(keyword);
  return s != nullptr && s->number != nullptr ? s : nullptr;
}

// `failover peer NAME { ... }`, `failover peer "NAME";`, `failover peer "NAME" state { ... }`.
void Parser::failover(Scope scope, Settings& settings, PoolDecl* pool, std::size_t line) {
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
  if (at(Token::Kind::semi)) {
    next();
    return peer_reference(name, quoted, line, scope, settings, pool);
  }
  if (word_is("state")) {  // the lease file's form, which dhcpd.conf may hold too
    unmodelled(line, "`failover peer " + name +
                         " state { ... }`: sets the states dhcpd starts from, as the lease "
                         "file's record does; fosim ignores it");
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
  if (scope != Scope::global && scope != Scope::shared_network) {
    // ISC stops here; fosim reads the block for its syntax but not as a declaration, so that
    // the misplaced peer is one problem and not one for each check of its settings.
    problem(
        line,
        "failover peers may only be defined in shared-network declarations and the outer scope.",
        "declare the peer at the top of the file or in a shared-network");
    PeerDecl ignored;
    ignored.config.name = name;
    ignored.place = here(line);
    return peer_block(ignored);
  }
  if (declared(name))
    problem(line, "redeclaration of failover peer " + name, "one declaration per name");
  PeerDecl d;
  d.config.name = name;
  d.place = here(line);
  peer_block(d);
  peer_versions(d);
  out_.peers.push_back(std::move(d));
}

// `failover peer "NAME";` (its ';' read): names the peer of a pool or of a shared-network's pools.
void Parser::peer_reference(const std::string& name, bool quoted, std::size_t line, Scope scope,
                            Settings& settings, PoolDecl* pool) {
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
}

bool Parser::declared(const std::string& name) const {
  return std::any_of(out_.peers.begin(), out_.peers.end(),
                     [&](const PeerDecl& p) { return p.config.name == name; });
}

// Reads a number and the ';' after it; ISC's message when it is not one.
std::optional<std::int64_t> Parser::number(std::string_view message, const std::string& statement) {
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

// Reads an address or host name and the ';' after it.
std::optional<std::string> Parser::host() {
  if (!at(Token::Kind::word) && !at(Token::Kind::string)) {
    problem(peek().line, "expecting IP address or hostname", "an IPv4 address or host name");
    skip_statement();
    return std::nullopt;
  }
  std::string h = next().text;
  semicolon();
  return h;
}

// The statements of a declaration's { } block (its '{' read), up to and past its '}'.
void Parser::peer_block(PeerDecl& d) {
  while (!at(Token::Kind::end) && !at(Token::Kind::rbrace)) {
    if (at(Token::Kind::semi)) {
      next();
    } else if (at(Token::Kind::hash)) {
      skip_comment(true);
    } else {
      peer_statement(d);
    }
  }
  if (at(Token::Kind::rbrace))
    next();
  else
    problem(last_line(), "the file ends inside the failover peer declaration", "a closing '}'");
}

// One statement of a peer block, and the line that sets its field.
void Parser::peer_statement(PeerDecl& d) {
  PeerConfig& c = d.config;
  const Token& t = next();
  const std::string key = lower(t.text);
  const std::size_t line = t.line;
  if (t.kind != Token::Kind::word) {
    problem(line, "invalid statement in peer declaration", "a failover peer statement");
    skip_statement();
  } else if (key == "primary" || key == "secondary") {
    c.role = key == "primary" ? Role::primary : Role::secondary;
    set_line(d, "role", "primary or secondary", line);
    semicolon();
  } else if (const PeerSetting* n = number_statement(key)) {
    std::string series;
    if (!peer_fact_in(key, PeerFact::statement, isc_, series)) {
      problem_at(line, t.column,
                 "invalid statement in peer declaration: `" + key + "` is not in ISC dhcpd " +
                     std::string(to_string(isc_)) + " (it is in " + series + ")",
                 "remove it, or give the series the server runs with --isc");
      return skip_statement();
    }
    set_line(d, n->key, key, line);
    c.*(n->number) = number(n->not_a_number, key);
  } else if (key == "address") {
    set_line(d, "address", "address", line);
    c.address = host();
  } else if (key == "peer") {
    peer_address_or_port(d, line);
  } else if (key == "hba") {
    set_line(d, "hba", "hba", line);
    hba(c);
  } else if (key == "load") {
    load_balance(d, line);
  } else {
    unknown_peer_statement(t);
    skip_statement();
  }
}

// `peer address HOST;` or `peer port N;` (the `peer` read).
void Parser::peer_address_or_port(PeerDecl& d, std::size_t line) {
  PeerConfig& c = d.config;
  if (word_is("address")) {
    next();
    set_line(d, "peer_address", "peer address", line);
    c.peer_address = host();
  } else if (word_is("port")) {
    next();
    const PeerSetting* pp = number_statement("peer port");
    set_line(d, pp->key, "peer port", line);
    c.*(pp->number) = number(pp->not_a_number, "peer port");
  } else {
    problem(line, "expecting address or port", "peer address HOST; | peer port N;");
    skip_statement();
  }
}

// `load balance max seconds N;` (the `load` read), with ISC's message for each missing word.
void Parser::load_balance(PeerDecl& d, std::size_t line) {
  if (!word_is("balance")) {
    problem(line, "expecting 'balance'", "load balance max seconds N;");
    skip_statement();
  } else if (next(), !word_is("max")) {
    problem(line, "expecting 'max'", "load balance max seconds N;");
    skip_statement();
  } else if (next(), !word_is("seconds")) {
    problem(line, "expecting 'secs'", "load balance max seconds N;");
    skip_statement();
  } else {
    next();
    const PeerSetting* lb = number_statement("load balance max seconds");
    set_line(d, lb->key, "load balance max seconds", line);
    d.config.*(lb->number) = number(lb->not_a_number, "load balance max seconds");
  }
}

// `hba XX:XX:...;` with exactly 32 bytes (the `hba` read).
void Parser::hba(PeerConfig& c) {
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

}  // namespace fosim::core::conf_detail
