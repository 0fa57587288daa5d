// The words that may start a dhcpd.conf statement, and in which ISC dhcpd release series each
// is one: the one table of what differs by version (`fosim check --isc`), with "did you mean"
// for a word that is none of them.
//
// Sources, from ISC's repository (github.com/isc-projects/dhcp), each series at its last tag
// (v4_1_esv_r16_p1, v4_2_8, v4_3_6, v4_4_3):
// - the declarations and statements of server/confpars.c parse_statement(),
//   parse_host_declaration(), parse_class_declaration(), parse_pool_statement() and
//   parse_shared_net_declaration(), and the executable statements of common/parse.c
//   parse_executable_statement(); lease-id-format, parse-vendor-option and pool6 first appear
//   in 4.3 (LEASE_ID_FORMAT, PARSE_VENDOR_OPT, POOL6 are absent from v4_2_8's parser);
// - the server options (`default-lease-time 600;` and the like) of server/stables.c
//   server_options[]: the LDAP options arrive in 4.2, dhcp-cache-threshold, server-id-check,
//   ignore-client-uids and others in 4.3, ping-timeout-ms, ping-cltt-secs, release-on-roam and
//   others in 4.4; abandon-lease-time and dhcpv6-set-tee-times are in 4.1-ESV-R16 (backported)
//   and 4.3 on, not in 4.2.8;
// - the failover peer block's auto-partner-down: a `case AUTO_PARTNER_DOWN` first in v4_2_0's
//   parse_failover_peer(), and RELNOTES "Changes since 4.1.0 (new features)": "A new failover
//   configuration parameter ... auto-partner-down";
// - the failover ports' default: 4.1's parse_failover_peer() says "local port may not be
//   omitted" and "peer port may not be omitted"; since 4.2 both default to 647 (RELNOTES
//   "Changes since 4.1.0 (new features)": "Failover port configuration can now be left to
//   defaults (port 647)", ISC-Bugs #17738).
#include <algorithm>
#include <array>

#include "dhcpd_conf_detail.hpp"
#include "fosim/core/settings.hpp"

namespace fosim::core::conf_detail {
namespace {

constexpr std::uint8_t bit(IscVersion v) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(v));
}
constexpr std::uint8_t all = 0xf;
constexpr std::uint8_t from_4_2 = all & ~bit(IscVersion::v4_1);
constexpr std::uint8_t from_4_3 = bit(IscVersion::v4_3) | bit(IscVersion::v4_4);
constexpr std::uint8_t only_4_4 = bit(IscVersion::v4_4);
constexpr std::uint8_t esv_4_3_4_4 = from_4_3 | bit(IscVersion::v4_1);

/// A word that starts a statement outside a failover peer block, and the series that know it.
struct Row {
  std::string_view keyword;
  std::uint8_t series = all;
};

/// A version fact of the failover peer block.
struct PeerVersionRow {
  std::string_view keyword;
  PeerFact what = PeerFact::statement;
  std::uint8_t series = all;
};

// clang-format off
/// Declarations and statements of the parser (confpars.c, parse.c), then server options
/// (stables.c server_options[]).
constexpr Row statements[] = {
  {"include"}, {"host"}, {"group"}, {"shared-network"}, {"subnet"}, {"subnet6"},
  {"vendor-class"}, {"user-class"}, {"class"}, {"subclass"}, {"hardware"}, {"fixed-address"},
  {"fixed-address6"}, {"pool"}, {"pool6", from_4_3}, {"range"}, {"range6"}, {"prefix6"},
  {"fixed-prefix6"}, {"not"}, {"server-identifier"}, {"option"}, {"failover"}, {"no"},
  {"server-duid"}, {"lease-id-format", from_4_3}, {"db-time-format"}, {"if"}, {"elsif"},
  {"else"}, {"add"}, {"break"}, {"send"}, {"supersede"}, {"allow"}, {"deny"}, {"ignore"},
  {"default"}, {"prepend"}, {"append"}, {"on"}, {"switch"}, {"case"}, {"define"}, {"set"},
  {"unset"}, {"eval"}, {"execute"}, {"return"}, {"log"}, {"parse-vendor-option", from_4_3},
  {"zone"}, {"key"}, {"dynamic"}, {"deleted"}, {"uid"}, {"host-identifier"}, {"match"},
  {"spawn"}, {"lease"}, {"interface"},
  // server options
  {"abandon-lease-time", esv_4_3_4_4}, {"adaptive-lease-time-threshold", all}, {"allow-booting", all},
  {"allow-bootp", all}, {"always-broadcast", all}, {"always-reply-rfc1048", all},
  {"authoritative", all}, {"bind-local-address6", only_4_4}, {"boot-unknown-clients", all},
  {"check-secs-byte-order", only_4_4}, {"client-updates", all}, {"ddns-domainname", all},
  {"ddns-dual-stack-mixed-mode", only_4_4}, {"ddns-guard-id-must-match", only_4_4}, {"ddns-hostname", all},
  {"ddns-local-address4", from_4_3}, {"ddns-local-address6", from_4_3}, {"ddns-other-guard-is-dynamic", only_4_4},
  {"ddns-rev-domainname", all}, {"ddns-ttl", all}, {"ddns-update-style", all},
  {"ddns-updates", all}, {"declines", all}, {"default-lease-time", all},
  {"delayed-ack", all}, {"dhcp-cache-threshold", from_4_3}, {"dhcpv6-lease-file-name", all},
  {"dhcpv6-pid-file-name", all}, {"dhcpv6-set-tee-times", esv_4_3_4_4}, {"do-forward-updates", all},
  {"do-reverse-updates", all}, {"dont-use-fsync", from_4_3}, {"duplicates", all},
  {"dynamic-bootp", all}, {"dynamic-bootp-lease-cutoff", all}, {"dynamic-bootp-lease-length", all},
  {"echo-client-id", from_4_3}, {"filename", all}, {"fqdn-reply", all},
  {"get-lease-hostnames", all}, {"ignore-client-uids", from_4_3}, {"infinite-is-reserved", all},
  {"ldap-base-dn", from_4_2}, {"ldap-debug-file", from_4_2}, {"ldap-dhcp-server-cn", from_4_2},
  {"ldap-gssapi-keytab", from_4_3}, {"ldap-gssapi-principal", from_4_3}, {"ldap-init-retry", from_4_3},
  {"ldap-method", from_4_2}, {"ldap-password", from_4_2}, {"ldap-port", from_4_2},
  {"ldap-referrals", from_4_2}, {"ldap-server", from_4_2}, {"ldap-ssl", from_4_2},
  {"ldap-tls-ca-dir", from_4_2}, {"ldap-tls-ca-file", from_4_2}, {"ldap-tls-cert", from_4_2},
  {"ldap-tls-ciphers", from_4_2}, {"ldap-tls-crlcheck", from_4_2}, {"ldap-tls-key", from_4_2},
  {"ldap-tls-randfile", from_4_2}, {"ldap-tls-reqcert", from_4_2}, {"ldap-username", from_4_2},
  {"lease-file-name", all}, {"leasequery", all}, {"limit-addrs-per-ia", all},
  {"limit-prefs-per-ia", all}, {"limited-broadcast-address", all}, {"local-address", all},
  {"local-address6", only_4_4}, {"local-port", all}, {"log-facility", all},
  {"log-threshold-high", from_4_3}, {"log-threshold-low", from_4_3}, {"max-ack-delay", all},
  {"max-lease-time", all}, {"min-lease-time", all}, {"min-secs", all},
  {"next-server", all}, {"omapi-key", all}, {"omapi-port", all},
  {"one-lease-per-client", all}, {"persist-eui-64-leases", only_4_4}, {"pid-file-name", all},
  {"ping-check", all}, {"ping-cltt-secs", only_4_4}, {"ping-timeout", all},
  {"ping-timeout-ms", only_4_4}, {"preferred-lifetime", all}, {"prefix-length-mode", from_4_3},
  {"release-on-roam", only_4_4}, {"remote-port", all}, {"server-id-check", from_4_3},
  {"server-name", all}, {"site-option-space", all}, {"stash-agent-options", all},
  {"update-conflict-detection", all}, {"update-optimization", all}, {"update-static-leases", all},
  {"use-eui-64", only_4_4}, {"use-host-decl-names", all}, {"use-lease-addr-for-default-route", all},
  {"vendor-option-space", all},  
};

/// What a failover peer block may hold or leave out, by series.
constexpr PeerVersionRow peer_rows[] = {
  // keyword             what                       series
  {"auto-partner-down",  PeerFact::statement,       from_4_2},
  {"port",               PeerFact::may_be_omitted,  from_4_2},
  {"peer port",          PeerFact::may_be_omitted,  from_4_2},
};
// clang-format on

/// The series of `mask`, as "4.1, 4.3, 4.4".
std::string series_text(std::uint8_t mask) {
  std::string out;
  for (std::uint8_t i = 0; i < 4; ++i)
    if ((mask & (1u << i)) != 0)
      out += (out.empty() ? "" : ", ") + std::string(to_string(static_cast<IscVersion>(i)));
  return out;
}

/// The edit distance of `a` and `b` (insert, delete, replace or swap two neighbours), at most
/// `limit + 1`.
std::size_t distance(std::string_view a, std::string_view b, std::size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit + 1);
}

/// A peer block statement as one word: "load balance max seconds" -> "load-balance-max-seconds".
std::string hyphenated(std::string_view keyword) {
  std::string out(keyword);
  std::replace(out.begin(), out.end(), ' ', '-');
  return out;
}

/// The peer block statement `word` was meant to be: the closest keyword (written with hyphens
/// for those of several words) or OMAPI name; nullptr when none is close.
const PeerSetting* closest_peer_setting(std::string_view word) {
  std::vector<std::string> names;
  std::vector<const PeerSetting*> of;
  for (const PeerSetting& s : peer_settings) {
    if (s.unit == Unit::role) continue;
    names.push_back(hyphenated(s.keyword));
    of.push_back(&s);
    if (!s.omapi.empty()) {
      names.push_back(std::string(s.omapi));
      of.push_back(&s);
    }
  }
  const std::vector<std::string_view> views(names.begin(), names.end());
  const std::string_view best = closest(word, views);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (!best.empty() && names[i] == best) return of[i];
  return nullptr;
}

/// " (did you mean `X`?)" for the peer setting `s` when it is not `word` as written.
std::string peer_suggestion(const PeerSetting& s, std::string_view word) {
  std::string out = " (did you mean `" + std::string(s.keyword) + "`?";
  if (word == s.omapi && word != s.keyword)
    out += " `" + std::string(s.omapi) + "` is its OMAPI name";
  return out + ")";
}

/// The words of the peer block statements: the first word of each keyword, and the roles.
bool peer_word(std::string_view w) {
  if (w == "primary" || w == "secondary") return true;
  for (const PeerSetting& s : peer_settings)
    if (s.keyword.substr(0, s.keyword.find(' ')) == w) return true;
  return false;
}

}  // namespace

std::optional<bool> statement_in(std::string_view keyword, IscVersion v, std::string& series) {
  for (const Row& r : statements) {
    if (r.keyword != keyword) continue;
    series = series_text(r.series);
    return (r.series & bit(v)) != 0;
  }
  return std::nullopt;
}

bool peer_fact_in(std::string_view keyword, PeerFact what, IscVersion v, std::string& series) {
  for (const PeerVersionRow& r : peer_rows) {
    if (r.keyword != keyword || r.what != what) continue;
    series = series_text(r.series);
    return (r.series & bit(v)) != 0;
  }
  series = series_text(all);
  return true;
}

std::string_view closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::size_t limit = word.size() <= 5 ? 1 : word.size() <= 10 ? 2 : 3;
  std::string_view best;
  std::size_t best_d = limit + 1;
  for (const std::string_view c : candidates) {
    const std::size_t d = distance(word, c, limit);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::vector<std::string_view> statement_keywords() {
  std::vector<std::string_view> out;
  for (const Row& r : statements) out.push_back(r.keyword);
  return out;
}

// A word that starts no statement: named with its column and the statement it was likely meant
// to be; reading goes on at the next ';', or at the next line that starts a statement (so that a
// line of prose does not swallow the declaration after it).
void Parser::unknown_statement(const Token& t, Scope scope) {
  const std::string key = lower(t.text);
  std::string message = "unknown statement `" + t.text + "`", valid;
  if (peer_word(key)) {
    message += ": a failover peer statement outside a failover peer declaration";
    valid = "failover peer \"NAME\" { " + key + " ...; }";
  } else if (const PeerSetting* p = closest_peer_setting(key)) {
    message += ": a failover peer statement" + peer_suggestion(*p, key);
    valid = "inside failover peer \"NAME\" { ... }: " + std::string(p->keyword) + " ...;";
  } else {
    const std::string_view best = closest(key, statement_keywords());
    if (!best.empty()) message += " (did you mean `" + std::string(best) + "`?)";
    valid = scope == Scope::global ? "a dhcpd.conf statement or declaration (man dhcpd.conf)"
                                   : "a statement of dhcpd.conf (man dhcpd.conf)";
  }
  problem_at(t.line, t.column, std::move(message), std::move(valid));
  const std::size_t line = t.line;
  next();
  while (!at(Token::Kind::end) && !at(Token::Kind::rbrace)) {
    if (at(Token::Kind::semi)) {
      next();
      return;
    }
    if (at(Token::Kind::lbrace)) {
      next();
      skip_block();
      return;
    }
    std::string series;
    if (peek().line != line && at(Token::Kind::word) &&
        statement_in(lower(peek().text), isc_, series))
      return;
    next();
  }
}

// A word that starts no statement of the peer block: ISC's message, with the statement it was
// likely meant to be.
void Parser::unknown_peer_statement(const Token& t) {
  const std::string key = lower(t.text);
  std::string message = "invalid statement in peer declaration: `" + t.text + "`";
  if (const PeerSetting* p = closest_peer_setting(key)) message += peer_suggestion(*p, key);
  std::string valid = "primary, secondary";
  for (const PeerSetting& s : peer_settings)
    if (s.unit != Unit::role) valid += ", " + std::string(s.keyword);
  problem_at(t.line, t.column, std::move(message), std::move(valid));
}

}  // namespace fosim::core::conf_detail
