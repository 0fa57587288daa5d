// Reading a dhcpd message as the run's typed events: the failover lines with the catalogue
// (isc_wording.hpp) read in reverse, the DHCP lines leniently (ISC's optional parts vary).
#include <algorithm>
#include <cctype>

#include "fosim/core/dhcpd_conf.hpp"
#include "fosim/formats/dhcpd_log.hpp"
#include "fosim/sim/isc_wording.hpp"
#include "log_words.hpp"

namespace fosim::sim {
namespace {

using log_words::field;
using log_words::starts;

/// A hardware address "52:54:00:10:00:06" (ISC may print bytes without a leading zero),
/// normalised to two lower-case digits a byte; empty when `s` is none.
std::string mac_of(std::string_view s) {
  std::string out;
  std::size_t bytes = 0;
  while (!s.empty()) {
    const std::size_t colon = s.find(':');
    const std::string_view b = s.substr(0, colon);
    if (b.empty() || b.size() > 2 || !std::all_of(b.begin(), b.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        }))
      return {};
    if (!out.empty()) out += ':';
    if (b.size() == 1) out += '0';
    for (char c : b) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ++bytes;
    if (colon == std::string_view::npos) break;
    s.remove_prefix(colon + 1);
  }
  return bytes >= 1 && bytes <= 16 ? out : std::string{};
}

/// Takes the verb off the front of `m`; nothing when `m` is not a DHCP line.
std::optional<DhcpVerb> dhcp_verb(std::string_view& m) {
  for (std::size_t v = 0; v <= static_cast<std::size_t>(DhcpVerb::inform); ++v) {
    const std::string_view word = to_string(static_cast<DhcpVerb>(v));
    if (starts(m, word) && m.size() > word.size() && m[word.size()] == ' ') {
      m.remove_prefix(word.size() + 1);
      return static_cast<DhcpVerb>(v);
    }
  }
  return std::nullopt;
}

std::optional<RunEventBody> dhcp_line(std::string_view m) {
  const std::optional<DhcpVerb> verb = dhcp_verb(m);
  if (!verb) return std::nullopt;
  DhcpLine d;
  d.verb = *verb;
  // The suffix after ": " says what the server did with it.
  std::string_view suffix;
  if (const std::size_t colon = m.find(": "); colon != std::string_view::npos) {
    suffix = m.substr(colon + 2);
    m = m.substr(0, colon);
  }
  std::string_view rest = m;
  std::string_view prev;
  while (!rest.empty()) {
    const std::string_view word = field(rest);
    if (word.empty()) break;
    if ((prev == "on" || prev == "for" || prev == "of" ||
         (prev.empty() && d.verb == DhcpVerb::inform)) &&
        d.ip == 0)
      d.ip = core::parse_ipv4(word).value_or(0);
    if ((prev == "from" || prev == "to") && d.mac.empty()) d.mac = mac_of(word);
    prev = word;
  }
  d.outcome = dhcp_suffix_outcome(suffix);
  return d;
}

/// Whether replay uses the lines of ISC's entry `w` (the others are left out as not understood).
bool replayed(Wording w) {
  switch (w) {
    case Wording::i_move:
    case Wording::peer_moves:
    case Wording::both_normal:
    case Wording::link_disconnected:
    case Wording::link_timeout:
    case Wording::link_rejected:
    case Wording::link_peer_rejected:
    case Wording::requesting_full_update:
    case Wording::update_request_sent:
    case Wording::update_request_all_sent:
    case Wording::update_request_nothing:
    case Wording::update_request_all_nothing:
    case Wording::update_request_sending:
    case Wording::update_request_all_sending:
    case Wording::update_done_sent:
    case Wording::peer_update_completed:
    case Wording::sending_updates:
    case Wording::banner:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<RunEventBody> classify(std::string_view m) {
  if (starts(m, "DHCP")) return dhcp_line(m);
  Wording w{};
  std::optional<RunEventBody> body = read_isc_line(m, &w);
  if (!body) {
    const std::optional<Wording> shape = isc_shape(m);
    if (shape != Wording::i_move && shape != Wording::peer_moves) return std::nullopt;
    return UnreadableLine{"not a move between two failover states ISC knows (see fosim states)"};
  }
  if (!replayed(w)) return std::nullopt;
  return body;
}

}  // namespace fosim::sim
