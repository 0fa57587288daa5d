// Checking a `failover peer` declaration as ISC does (its errors, with its wording) and as a
// careful operator would (warnings), and the values a server then runs with.
#include "fosim/core/peer_config.hpp"

#include <algorithm>

#include "fosim/core/settings.hpp"

namespace fosim::core {
namespace {

constexpr std::int64_t one_day_s = 86400;
constexpr std::int64_t uint32_max = 0xffffffffLL;

class Collector {
 public:
  void error(std::string field, std::string message, std::string valid, std::string isc = {}) {
    add(Severity::error, std::move(field), std::move(message), std::move(valid), std::move(isc));
  }
  void warning(std::string field, std::string message, std::string valid, std::string isc = {}) {
    add(Severity::warning, std::move(field), std::move(message), std::move(valid), std::move(isc));
  }
  std::vector<Problem> take() { return std::move(problems_); }

 private:
  void add(Severity s, std::string field, std::string message, std::string valid, std::string isc) {
    problems_.push_back(
        {s, std::move(field), std::move(message), std::move(valid), std::move(isc)});
  }
  std::vector<Problem> problems_;
};

std::string num(std::int64_t v) { return std::to_string(v); }

// A non-negative whole number in the setting's range; ISC reads these with atoi().
void check_range(Collector& out, const PeerConfig& c, std::string_view key) {
  const PeerSetting& s = peer_setting(key);
  const std::optional<std::int64_t>& value = c.*(s.number);
  const std::string field(s.key);
  if (!value) return;
  if (*value < 0)
    out.error(field, field + " " + num(*value) + " is negative", std::string(s.valid),
              "expecting number.");
  else if (*value < s.min || *value > s.max)
    out.error(field, field + " " + num(*value) + " is out of range", std::string(s.valid));
}

// ISC's default for `key`, which substitutes for an omitted value and a configured 0 alike.
std::int64_t or_default(const PeerConfig& c, std::string_view key) {
  const PeerSetting& s = peer_setting(key);
  const std::optional<std::int64_t>& v = c.*(s.number);
  return v && *v > 0 ? *v : s.isc_default.value_or(0);
}

template <class T>
T clamp_to(std::int64_t v, std::int64_t hi) {
  return static_cast<T>(std::clamp<std::int64_t>(v, 0, hi));
}

/// The relationship's name, this server's address and its partner's, and the ports.
void check_addresses(Collector& out, const PeerConfig& c) {
  if (c.name.empty())
    out.error("name", "the failover peer has no name", "a non-empty name, the same on both servers",
              "expecting failover peer name.");

  if (!c.address || c.address->empty())
    out.error("address", "address (this server's failover address) is missing",
              "the IP address or host name this server listens on for its peer",
              "failover peer " + c.name + ": no local address.");
  if (!c.peer_address || c.peer_address->empty())
    out.error("peer_address", "peer address is missing",
              "the partner's failover IP address or host name", "peer address may not be omitted");
  check_range(out, c, "port");
  check_range(out, c, "peer_port");
}

/// How long a server waits for its partner, and how many updates it sends unacknowledged.
void check_timing(Collector& out, const PeerConfig& c) {
  check_range(out, c, "max_response_delay");
  if (c.max_response_delay_s && *c.max_response_delay_s > 0 && *c.max_response_delay_s < 3)
    out.warning("max_response_delay",
                "max_response_delay " + num(*c.max_response_delay_s) +
                    " makes the CONTACT interval (max_response_delay / 3, whole seconds) 0",
                "3 seconds or more");
  check_range(out, c, "max_unacked_updates");
}

/// Load balancing and the MCLT belong to the primary: the secondary learns them in CONNECT.
void check_primary_settings(Collector& out, const PeerConfig& c) {
  const bool secondary = c.role == Role::secondary;
  if (secondary) {
    if (c.split || c.hba)
      out.error(c.split ? "split" : "hba", "a secondary may not define split or hba",
                "remove split/hba from the secondary; the primary's HBA is sent in CONNECT",
                "secondary may not define load balance settings.");
    if (c.mclt_s)
      out.warning("mclt",
                  "mclt on the secondary counts only until the primary's CONNECT replaces it "
                  "(a secondary that restarts without its lease file grants with it meanwhile)",
                  "the same mclt on both, or mclt on the primary only");
  }
  if (const PeerSetting& s = peer_setting("split");
      c.split && (*c.split < s.min || *c.split > s.max))
    out.error("split", "split " + num(*c.split) + " is out of range", std::string(s.valid),
              "split must be between 0 and 256, inclusive");
  if (c.hba && c.hba->size() != 32)
    out.error("hba", "hba has " + num(static_cast<std::int64_t>(c.hba->size())) + " bytes",
              "exactly 32 colon-separated hex bytes",
              c.hba->size() < 32 ? "too few numbers." : "semicolon expected.");
  if (c.split && c.hba)
    out.warning("hba", "both split and hba are given; ISC silently uses the later one",
                "give split or hba, never both");
  if (!secondary) {
    if (!c.split && !c.hba)
      out.error("split", "the primary has neither split nor hba",
                "split 128 (or an hba of 32 bytes)",
                "primary failover server must have hba or split.");
    if (!c.mclt_s || *c.mclt_s == 0)
      out.error("mclt", "the primary has no mclt", "mclt in seconds, e.g. 1800 (must be > 0)",
                "primary failover server must have mclt.");
  }
}

/// An mclt that is negative, or so long that leases and recover-wait last as long.
void check_mclt(Collector& out, const PeerConfig& c) {
  if (c.mclt_s) {
    if (*c.mclt_s < 0)
      out.error("mclt", "mclt " + num(*c.mclt_s) + " is negative", "seconds > 0, e.g. 1800",
                "expecting number.");
    else if (*c.mclt_s > 7 * one_day_s)
      out.warning("mclt",
                  "mclt " + num(*c.mclt_s) +
                      " s is more than a week: first grants and every lease "
                      "during an outage can be that long, and recover-wait lasts that long",
                  "usually 600 to 3600 seconds");
  }
}

/// Load balance max seconds: 0 or unset turns load balancing off.
void check_load_balance_max_seconds(Collector& out, const PeerConfig& c) {
  check_range(out, c, "load_balance_max_seconds");
  if (!c.load_balance_max_seconds || *c.load_balance_max_seconds == 0)
    out.warning("load_balance_max_seconds",
                "load balance max seconds is " +
                    std::string(c.load_balance_max_seconds ? "0" : "not set") +
                    ": load balancing is off and both servers answer every DISCOVER",
                "load balance max seconds 3 (or 5)",
                "WARNING: load balancing will be disabled for failover peer, " + c.name +
                    ", because its load balance max secs is 0");
}

/// An auto-partner-down too short to notice that the link is gone.
void check_auto_partner_down(Collector& out, const PeerConfig& c) {
  check_range(out, c, "auto_partner_down");
  if (c.auto_partner_down_s && *c.auto_partner_down_s > 0) {
    const std::int64_t mrd = or_default(c, "max_response_delay");
    if (*c.auto_partner_down_s < mrd)
      out.warning("auto_partner_down",
                  "auto_partner_down " + num(*c.auto_partner_down_s) +
                      " s is shorter than max_response_delay " + num(mrd) +
                      " s: a server can declare its partner down before it could even notice "
                      "the link is gone",
                  "more than max_response_delay, and long enough that the partner is surely down");
  }
}

/// The pool balancing settings, and min-balance against max-balance.
void check_pool_balancing(Collector& out, const PeerConfig& c) {
  for (const char* key :
       {"max_lease_misbalance", "max_lease_ownership", "min_balance", "max_balance"})
    check_range(out, c, key);
  const std::int64_t min_b = or_default(c, "min_balance");
  const std::int64_t max_b = or_default(c, "max_balance");
  if (min_b > max_b)
    out.warning("min_balance",
                "min_balance " + num(min_b) + " s is more than max_balance " + num(max_b) + " s",
                "min_balance <= max_balance");
}

}  // namespace

std::vector<Problem> validate(const PeerConfig& c) {
  Collector out;
  check_addresses(out, c);
  check_timing(out, c);
  check_primary_settings(out, c);
  check_mclt(out, c);
  check_load_balance_max_seconds(out, c);
  check_auto_partner_down(out, c);
  check_pool_balancing(out, c);
  return out.take();
}

bool has_errors(const std::vector<Problem>& problems) {
  return std::any_of(problems.begin(), problems.end(),
                     [](const Problem& p) { return p.severity == Severity::error; });
}

EffectiveConfig effective(const PeerConfig& c) {
  auto ranged = [&c](std::string_view key) {
    return std::clamp(or_default(c, key), std::int64_t{0}, peer_setting(key).max);
  };
  EffectiveConfig e;
  e.name = c.name;
  e.role = c.role.value_or(Role::primary);
  e.address = c.address.value_or("");
  e.peer_address = c.peer_address.value_or("");
  e.port = static_cast<std::uint16_t>(ranged("port"));
  e.peer_port = static_cast<std::uint16_t>(ranged("peer_port"));
  e.max_response_delay = Seconds{or_default(c, "max_response_delay")};
  e.max_unacked_updates = static_cast<std::uint32_t>(ranged("max_unacked_updates"));
  if (e.role == Role::primary) {
    e.mclt = Seconds{std::max<std::int64_t>(c.mclt_s.value_or(0), 0)};
    // ISC applies split and hba in file order; fosim keeps no order and prefers hba.
    if (c.hba && c.hba->size() == 32) {
      Hba h{};
      std::copy(c.hba->begin(), c.hba->end(), h.begin());
      e.hba = h;
    } else if (c.split) {
      e.hba = hba_from_split(clamp_to<unsigned>(*c.split, 256));
    }
  }
  e.load_balance_max_seconds = static_cast<std::uint32_t>(
      std::clamp<std::int64_t>(c.load_balance_max_seconds.value_or(0), 0, uint32_max));
  e.auto_partner_down = Seconds{std::max<std::int64_t>(c.auto_partner_down_s.value_or(0), 0)};
  e.max_lease_misbalance = static_cast<std::uint32_t>(ranged("max_lease_misbalance"));
  e.max_lease_ownership = static_cast<std::uint32_t>(ranged("max_lease_ownership"));
  e.min_balance = Seconds{or_default(c, "min_balance")};
  e.max_balance = Seconds{or_default(c, "max_balance")};
  return e;
}

}  // namespace fosim::core
