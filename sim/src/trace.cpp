#include "fosim/sim/trace.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

namespace fosim::sim {

std::string_view to_string(TraceKind k) {
  switch (k) {
    case TraceKind::state:
      return "state";
    case TraceKind::peer_state:
      return "peer-state";
    case TraceKind::log:
      return "log";
    case TraceKind::link:
      return "link";
    case TraceKind::dhcp:
      return "dhcp";
    case TraceKind::grant:
      return "grant";
    case TraceKind::unanswered:
      return "unanswered";
    case TraceKind::script:
      return "script";
    case TraceKind::monitor:
      return "monitor";
    case TraceKind::message:
      return "message";
  }
  return "?";
}

std::string format_time(core::Instant t) {
  std::int64_t ms = t.time_since_epoch().count();
  const bool negative = ms < 0;
  if (negative) ms = -ms;
  const std::int64_t days = ms / 86400000;
  ms %= 86400000;
  char buf[48];
  const int h = static_cast<int>(ms / 3600000), m = static_cast<int>(ms / 60000 % 60),
            s = static_cast<int>(ms / 1000 % 60), milli = static_cast<int>(ms % 1000);
  if (days > 0)
    std::snprintf(buf, sizeof buf, "%s%lld+%02d:%02d:%02d.%03d", negative ? "-" : "",
                  static_cast<long long>(days), h, m, s, milli);
  else
    std::snprintf(buf, sizeof buf, "%s%02d:%02d:%02d.%03d", negative ? "-" : "", h, m, s, milli);
  return buf;
}

std::string format_ip(std::uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xff) + "." +
         std::to_string((ip >> 8) & 0xff) + "." + std::to_string(ip & 0xff);
}

TextTimeline::TextTimeline(std::ostream& out, std::vector<std::string> hosts, bool include_dhcp)
    : out_(out), hosts_(std::move(hosts)), include_dhcp_(include_dhcp) {
  for (const std::string& h : hosts_) width_ = std::max(width_, h.size());
  width_ = std::max<std::size_t>(width_, 5);
}

void TextTimeline::record(const TraceEvent& e) {
  if (!include_dhcp_ && (e.kind == TraceKind::dhcp || e.kind == TraceKind::grant)) return;
  if (e.kind == TraceKind::message) return;
  std::string who = e.server >= 0 && static_cast<std::size_t>(e.server) < hosts_.size()
                        ? hosts_[static_cast<std::size_t>(e.server)]
                        : std::string("fosim");
  who.resize(width_, ' ');
  out_ << format_time(e.at) << "  " << who << "  " << e.text << "\n";
}

JsonlTimeline::JsonlTimeline(std::ostream& out, std::vector<std::string> hosts)
    : out_(out), hosts_(std::move(hosts)) {}

void JsonlTimeline::record(const TraceEvent& e) {
  if (e.kind == TraceKind::message) return;  // protocol chatter: verbose traces only
  nlohmann::ordered_json j;
  j["t_ms"] = e.at.time_since_epoch().count();
  j["server"] = e.server >= 0 ? nlohmann::ordered_json(hosts_[static_cast<std::size_t>(e.server)])
                              : nlohmann::ordered_json(nullptr);
  j["kind"] = to_string(e.kind);
  if (e.kind == TraceKind::state || e.kind == TraceKind::peer_state) {
    j["from"] = core::to_string(e.from);
    j["to"] = core::to_string(e.to);
    if (!e.cause.empty()) j["cause"] = e.cause;
  }
  if (e.client >= 0) j["client"] = e.client;
  if (e.ip != 0) j["ip"] = format_ip(e.ip);
  if (e.lease_time_s >= 0) j["lease_time_s"] = e.lease_time_s;
  if (!e.grant_kind.empty()) j["grant"] = e.grant_kind;
  if (e.other_client >= 0) j["other_client"] = e.other_client;
  if (e.other_server >= 0) j["other_server"] = hosts_[static_cast<std::size_t>(e.other_server)];
  j["text"] = e.text;
  out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

namespace {

struct Civil {
  long long y;
  int m, d, hh, mm, ss, milli;
};

/// ms since 1970 (not negative) as a civil UTC date and time.
Civil civil(std::int64_t ms) {
  const std::int64_t days = ms / 86400000;
  const std::int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1),
            m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t in_day = ms % 86400000;
  return {static_cast<long long>(yoe + era * 400 + (m <= 2)),
          m,
          d,
          static_cast<int>(in_day / 3600000),
          static_cast<int>(in_day / 60000 % 60),
          static_cast<int>(in_day / 1000 % 60),
          static_cast<int>(in_day % 1000)};
}

}  // namespace

std::string format_utc(std::int64_t ms) {
  const Civil c = civil(std::max<std::int64_t>(0, ms));
  char text[48];
  std::snprintf(text, sizeof text, "%04lld-%02d-%02d %02d:%02d:%02d.%03d", c.y, c.m, c.d, c.hh,
                c.mm, c.ss, c.milli);
  return text;
}

SyslogTimeline::SyslogTimeline(std::ostream& out, std::vector<std::string> hosts, bool rfc5424)
    : out_(out), hosts_(std::move(hosts)), rfc5424_(rfc5424) {}

void SyslogTimeline::record(const TraceEvent& e) {
  const bool isc = e.kind == TraceKind::state || e.kind == TraceKind::peer_state ||
                   e.kind == TraceKind::log || e.kind == TraceKind::link ||
                   e.kind == TraceKind::dhcp || e.kind == TraceKind::grant;  // the DHCPACK line
  if (!isc || e.server < 0 || static_cast<std::size_t>(e.server) >= hosts_.size()) return;
  const std::int64_t ms = std::max<std::int64_t>(0, e.at.time_since_epoch().count());
  const Civil c = civil(ms);
  const std::string& host = hosts_[static_cast<std::size_t>(e.server)];
  const int pid = 1000 + e.server;
  char head[96];
  if (rfc5424_) {
    // <30> = facility daemon (3) * 8 + severity info (6).
    std::snprintf(head, sizeof head, "<30>1 %04lld-%02d-%02dT%02d:%02d:%02d.%03dZ ", c.y, c.m, c.d,
                  c.hh, c.mm, c.ss, c.milli);
    out_ << head << host << " dhcpd " << pid << " - - " << e.text << "\n";
  } else {
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::snprintf(head, sizeof head, "%s %2d %02d:%02d:%02d ", months[c.m - 1], c.d, c.hh, c.mm,
                  c.ss);
    out_ << head << host << " dhcpd[" << pid << "]: " << e.text << "\n";
  }
}

}  // namespace fosim::sim
