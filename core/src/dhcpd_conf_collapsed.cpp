// Reading a dhcpd.conf whose line breaks were lost: noticing one (a single line with a `#`
// comment that has statements after it), saying so in a note, and ending each comment where a
// statement plausibly begins. dhcpd itself would ignore everything after the first `#`.
#include "dhcpd_conf_detail.hpp"

namespace fosim::core::conf_detail {

void Parser::detect_collapsed(std::string_view text) {
  // Collapsed: a single line that has a comment with more after it.
  const std::string_view trimmed = text.substr(0, text.find_last_not_of(" \t\r\n") + 1);
  const std::size_t hash = trimmed.find('#');
  collapsed_ = trimmed.find('\n') == std::string_view::npos && hash != std::string_view::npos &&
               trimmed.find(';', hash) != std::string_view::npos;
  if (!collapsed_) return;
  ConfProblem note;  // (built field by field: GCC 12 warns falsely on the aggregate here)
  note.severity = Severity::warning;
  note.place.file = file_;
  note.place.line = 1;
  note.message =
      "the file is one line with # comments in it (were its line breaks lost?): dhcpd would "
      "ignore "
      "everything after the first #; fosim ends each comment where a statement begins";
  note.valid = "one statement or comment a line";
  out_.notes.push_back(std::move(note));
}

// On a collapsed line: skips a comment's words up to the first plausible statement.
void Parser::skip_comment(bool in_peer) {
  next();
  while (!at(Token::Kind::end) && !at(Token::Kind::rbrace) && !at(Token::Kind::hash) &&
         !(in_peer ? plausible_peer_statement() : plausible_statement()))
    next();
}

// Whether the tokens at hand read as a statement of a failover peer block.
bool Parser::plausible_peer_statement() const {
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

// Whether the tokens at hand read as a statement outside a failover peer block.
bool Parser::plausible_statement() const {
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

}  // namespace fosim::core::conf_detail
