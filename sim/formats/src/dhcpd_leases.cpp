// Reading dhcpd.leases (dhcpd_leases.hpp): the declarations of the file and their statements,
// after dhcp server/confpars.c parse_lease_declaration() and parse_failover_state_declaration().
#include "fosim/formats/dhcpd_leases.hpp"

#include <algorithm>
#include <map>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/core/load_balance.hpp"
#include "leases_lexer.hpp"

namespace fosim::sim {
namespace {

using leases_lexer::Kind;
using leases_lexer::Token;

constexpr std::string_view binding_names =
    "free, active, expired, released, abandoned, reset, backup; or the old reserved, bootp";

/// The tokens of one file with a read position, and the file's result being built.
class Reader {
 public:
  Reader(std::vector<Token> tokens, LeasesFile& out) : tokens_(std::move(tokens)), out_(out) {}

  void file();

 private:
  const Token& peek() const { return tokens_[pos_]; }
  const Token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool at_word(std::string_view w) const { return peek().kind == Kind::word && peek().text == w; }
  /// Records "expected WHAT, got TOKEN" at the token's line; returns false.
  bool expected(std::string_view what, const Token& got);
  bool semi();
  bool word(std::string_view w);
  /// Reads words up to the `;` (consumed) as one space-separated text.
  std::optional<std::string> words_to_semi(std::string_view what);
  /// Reads over one statement: to its `;`, or a balanced `{ ... }` block.
  void skip_statement();
  /// After an error inside a block opened at depth 1: reads to the block's closing `}`.
  void skip_block_rest();
  std::optional<LeaseTime> time(std::string_view what);
  std::optional<core::BindingState> binding_state(IscLease& lease);
  bool lease_statement(IscLease& lease);
  void lease();
  bool recorded_state(std::optional<RecordedState>& into);
  void failover();
  void server_duid();

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  LeasesFile& out_;
  std::map<std::uint32_t, std::size_t> lease_index_;
  std::map<std::string, std::size_t, std::less<>> peer_index_;
};

bool Reader::expected(std::string_view what, const Token& got) {
  out_.errors.push_back({out_.file, got.line,
                         "expected " + std::string(what) + ", got " + leases_lexer::describe(got)});
  return false;
}

bool Reader::semi() {
  if (peek().kind == Kind::semi) return next(), true;
  return expected("';'", peek());
}

bool Reader::word(std::string_view w) {
  if (at_word(w)) return next(), true;
  return expected("'" + std::string(w) + "'", peek());
}

std::optional<std::string> Reader::words_to_semi(std::string_view what) {
  std::string text;
  while (peek().kind == Kind::word) text += (text.empty() ? "" : " ") + next().text;
  if (text.empty() || peek().kind != Kind::semi) {
    expected(text.empty() ? what : "';' after " + std::string(what), peek());
    return std::nullopt;
  }
  next();
  return text;
}

void Reader::skip_statement() {
  int depth = 0;
  while (peek().kind != Kind::end) {
    const Kind k = peek().kind;
    if (k == Kind::rbrace && depth == 0) return;  // the enclosing block's end: not ours
    next();
    if (k == Kind::lbrace) ++depth;
    if (k == Kind::rbrace && --depth == 0) {
      if (peek().kind == Kind::semi) next();
      return;
    }
    if (k == Kind::semi && depth == 0) return;
  }
}

void Reader::skip_block_rest() {
  int depth = 1;
  while (peek().kind != Kind::end) {
    const Kind k = next().kind;
    if (k == Kind::lbrace) ++depth;
    if (k == Kind::rbrace && --depth == 0) return;
  }
}

std::optional<LeaseTime> Reader::time(std::string_view what) {
  const Token at = peek();
  const std::optional<std::string> text = words_to_semi(what);
  if (!text) return std::nullopt;
  if (auto t = parse_lease_time(*text)) return t;
  out_.errors.push_back({out_.file, at.line,
                         "expected " + std::string(what) +
                             " as W YYYY/MM/DD HH:MM:SS, epoch N or never, got '" + *text + "'"});
  return std::nullopt;
}

std::optional<core::BindingState> Reader::binding_state(IscLease& lease) {
  if (!word("binding") || !word("state")) return std::nullopt;
  const Token& t = peek();
  std::optional<core::BindingState> s;
  if (t.kind == Kind::word) {
    s = core::parse_binding_state(t.text);
    if (!s && (t.text == "reserved" || t.text == "bootp")) {
      (t.text == "reserved" ? lease.reserved : lease.dynamic_bootp) = true;
      s = core::BindingState::active;
    }
  }
  if (!s) {
    expected("a binding state (" + std::string(binding_names) + ")", t);
    return std::nullopt;
  }
  next();
  if (!semi()) return std::nullopt;
  return s;
}

bool Reader::lease_statement(IscLease& lease) {
  const Token& key = peek();
  if (key.kind != Kind::word) return expected("a lease statement or '}'", key);
  const std::string k = key.text;
  struct TimeField {
    std::string_view name;
    std::optional<LeaseTime> IscLease::*field;
  };
  static constexpr TimeField times[] = {
      {"starts", &IscLease::starts}, {"ends", &IscLease::ends},   {"tstp", &IscLease::tstp},
      {"tsfp", &IscLease::tsfp},     {"atsfp", &IscLease::atsfp}, {"cltt", &IscLease::cltt},
  };
  for (const TimeField& f : times) {
    if (k != f.name) continue;
    next();
    const auto t = time(f.name);
    if (!t) return false;
    lease.*f.field = *t;
    return true;
  }
  if (k == "timestamp") {  // read by dhcpd and not kept
    next();
    return time("timestamp").has_value();
  }
  if (k == "binding") {
    const auto s = binding_state(lease);
    if (!s) return false;
    lease.binding = *s;
    return true;
  }
  if (k == "next" || k == "rewind") {
    next();
    const auto s = binding_state(lease);
    if (!s) return false;
    (k == "next" ? lease.next_binding : lease.rewind_binding) = *s;
    return true;
  }
  if (k == "abandoned" || k == "reserved" || k == "dynamic-bootp") {
    next();
    if (!semi()) return false;
    if (k == "abandoned") lease.binding = lease.next_binding = core::BindingState::abandoned;
    if (k == "reserved") lease.reserved = true;
    if (k == "dynamic-bootp") lease.dynamic_bootp = true;
    return true;
  }
  if (k == "hardware") {
    next();
    if (peek().kind != Kind::word) return expected("a hardware type (ethernet, ...)", peek());
    const std::string type = next().text;
    const Token at = peek();
    const auto text = words_to_semi("a hardware address");
    if (!text) return false;
    const auto bytes = core::parse_hex_bytes(*text);
    if (!bytes) return expected("a hardware address of colon-separated hex bytes", at);
    lease.hardware_type = type;
    lease.hardware = *bytes;
    return true;
  }
  if (k == "uid") {
    next();
    if (peek().kind == Kind::string) {
      const std::string& s = next().text;
      lease.uid = std::vector<std::uint8_t>(s.begin(), s.end());
      return semi();
    }
    const Token at = peek();
    const auto text = words_to_semi("a uid (a quoted string or colon-separated hex bytes)");
    if (!text) return false;
    const auto bytes = core::parse_hex_bytes(*text);
    if (!bytes) return expected("a uid as a quoted string or colon-separated hex bytes", at);
    lease.uid = *bytes;
    return true;
  }
  if (k == "client-hostname") {
    next();
    if (peek().kind != Kind::string) return expected("a quoted host name", peek());
    lease.client_hostname = next().text;
    return semi();
  }
  // set, on, option agent.*, supersede, billing, ddns-*: dhcpd's own bookkeeping.
  out_.skipped.push_back({key.line, k});
  skip_statement();
  return true;
}

void Reader::lease() {
  const std::size_t line = next().line;  // `lease`
  ++out_.lease_declarations;
  const Token& address = peek();
  const auto ip = address.kind == Kind::word ? core::parse_ipv4(address.text) : std::nullopt;
  if (!ip) {
    expected("an IPv4 address after 'lease'", address);
    if (peek().kind == Kind::word) next();
    if (peek().kind == Kind::lbrace) next(), skip_block_rest();
    return;
  }
  next();
  if (peek().kind != Kind::lbrace) {
    expected("'{' after the lease's address", peek());
    return;
  }
  next();
  IscLease lease;
  lease.address = *ip;
  lease.line = line;
  while (true) {
    if (peek().kind == Kind::rbrace) {
      next();
      break;
    }
    if (peek().kind == Kind::end) {
      expected("'}' to close the lease of line " + std::to_string(line), peek());
      return;
    }
    if (!lease_statement(lease)) {
      skip_block_rest();  // the lease is not kept: dhcpd drops a lease it cannot parse too
      return;
    }
  }
  auto [it, fresh] = lease_index_.try_emplace(lease.address, out_.leases.size());
  if (fresh)
    out_.leases.push_back(std::move(lease));
  else
    out_.leases[it->second] = std::move(lease);  // the journal's later declaration wins
}

bool Reader::recorded_state(std::optional<RecordedState>& into) {
  const std::size_t line = next().line;  // `my` or `partner`
  if (!word("state")) return false;
  const Token& name = peek();
  const auto state = name.kind == Kind::word ? core::parse_state(name.text) : std::nullopt;
  if (!state)
    return expected("a failover state (normal, communications-interrupted, partner-down, ...)",
                    name);
  next();
  RecordedState r{*state, std::nullopt, line};
  if (peek().kind == Kind::semi) {
    next();
  } else {
    if (!word("at")) return false;
    const auto t = time("a time after 'at'");
    if (!t) return false;
    r.at = *t;
  }
  into = r;
  return true;
}

void Reader::failover() {
  const std::size_t line = next().line;  // `failover`
  if (!word("peer")) return skip_statement();
  const Token& name = peek();
  if (name.kind != Kind::word && name.kind != Kind::string) {
    expected("a failover peer name", name);
    return skip_statement();
  }
  const std::string peer = next().text;
  if (!word("state")) return skip_statement();
  if (peek().kind != Kind::lbrace) {
    expected("'{' after 'state'", peek());
    return skip_statement();
  }
  next();
  PeerStateRecord r;
  if (auto it = peer_index_.find(peer); it != peer_index_.end()) r = out_.peers[it->second];
  r.peer = peer;
  r.line = line;
  bool ok = true;
  while (ok && peek().kind != Kind::rbrace) {
    if (at_word("my")) {
      ok = recorded_state(r.me);
    } else if (at_word("partner")) {
      ok = recorded_state(r.partner);
    } else if (at_word("mclt")) {
      next();
      const Token at = peek();
      const auto text = words_to_semi("a number of seconds after 'mclt'");
      const std::string digits = text.value_or("");
      ok = text && !digits.empty() && digits.size() < 10 &&
           digits.find_first_not_of("0123456789") == std::string::npos;
      if (ok) r.mclt_s = std::stoll(digits);
      if (text && !ok) expected("a number of seconds after 'mclt'", at);
    } else {
      ok = expected("'my state', 'partner state', 'mclt' or '}'", peek());
    }
  }
  if (!ok) return skip_block_rest();  // a record cut short is not installed, as in dhcpd
  next();
  auto [it, fresh] = peer_index_.try_emplace(peer, out_.peers.size());
  if (fresh)
    out_.peers.push_back(std::move(r));
  else
    out_.peers[it->second] = std::move(r);
}

void Reader::server_duid() {
  next();
  if (peek().kind == Kind::string) {
    out_.server_duid = next().text;
    semi();
    return;
  }
  const Token at = peek();
  const auto text = words_to_semi("a DUID (a quoted string or colon-separated hex bytes)");
  if (!text) return skip_statement();
  const auto bytes = core::parse_hex_bytes(*text);
  if (!bytes) {
    expected("a DUID as a quoted string or colon-separated hex bytes", at);
    return;
  }
  out_.server_duid = std::string(bytes->begin(), bytes->end());
}

void Reader::file() {
  while (peek().kind != Kind::end) {
    const Token& t = peek();
    if (t.kind != Kind::word) {
      expected("a declaration (lease, failover peer, server-duid, ...)", t);
      next();
      continue;
    }
    if (t.text == "lease") {
      lease();
    } else if (t.text == "failover") {
      failover();
    } else if (t.text == "server-duid") {
      server_duid();
    } else if (t.text == "authoring-byte-order") {
      next();
      if (at_word("little-endian") || at_word("big-endian")) {
        out_.authoring_byte_order = next().text;
        semi();
      } else {
        expected("little-endian or big-endian", peek());
        skip_statement();
      }
    } else if (t.text == "host" || t.text == "group" || t.text == "class" || t.text == "subclass" ||
               t.text == "ia-na" || t.text == "ia-ta" || t.text == "ia-pd") {
      // What else dhcpd writes to its lease file (read_conf_file() in lease mode, dhcp
      // server/confpars.c): hosts and classes made by OMAPI, IPv6 leases. Not failover's concern.
      out_.skipped.push_back({t.line, t.text});
      next();
      skip_statement();
    } else {
      expected(
          "a declaration (lease, failover peer, server-duid, authoring-byte-order, host, "
          "group, class, subclass, ia-na, ia-ta, ia-pd)",
          t);
      next();
      skip_statement();
    }
  }
}

}  // namespace

LeasesFile read_dhcpd_leases(std::string_view text, const std::string& file) {
  LeasesFile out;
  out.file = file;
  leases_lexer::Tokens tokens = leases_lexer::tokenize(text);
  Reader(std::move(tokens.tokens), out).file();
  if (!tokens.error.empty()) out.errors.push_back({file, tokens.error_line, tokens.error});
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const LeasesError& a, const LeasesError& b) { return a.line < b.line; });
  return out;
}

const PeerStateRecord* find_peer(const LeasesFile& leases, std::string_view peer) {
  if (peer.empty()) return leases.peers.size() == 1 ? &leases.peers.front() : nullptr;
  for (const PeerStateRecord& r : leases.peers)
    if (r.peer == peer) return &r;
  return nullptr;
}

}  // namespace fosim::sim
