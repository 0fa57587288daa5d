#include "fosim/sim/trace.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "fosim/sim/isc_wording.hpp"
#include "fosim/sim/wall_clock.hpp"

namespace fosim::sim {

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

void TextTimeline::record(const RunEvent& e) {
  const TraceKind kind = e.kind();
  if (!include_dhcp_ && (kind == TraceKind::dhcp || kind == TraceKind::grant)) return;
  if (kind == TraceKind::message || kind == TraceKind::process) return;
  std::string who = e.server >= 0 && static_cast<std::size_t>(e.server) < hosts_.size()
                        ? hosts_[static_cast<std::size_t>(e.server)]
                        : std::string("fosim");
  who.resize(width_, ' ');
  out_ << (start_ ? format_utc(*start_ + e.at.time_since_epoch().count()) : format_time(e.at))
       << "  " << who << "  " << render(e) << "\n";
}

namespace {

/// The event's own fields, after the ones timeline.jsonl has always had (docs/outputs.md).
void typed_fields(const RunEvent& e, nlohmann::ordered_json& j) {
  j["event"] = entry(wording_of(e.what)).name;
  if (const auto* l = e.as<LinkEvent>()) {
    j["link"] = l->up() ? "up" : "down";
    j["why"] = to_string(l->change);
    if (!l->reason.empty()) j["reason"] = l->reason;
  } else if (const auto* d = e.as<DhcpLine>()) {
    j["message"] = to_string(d->verb);
    if (d->outcome != DhcpOutcome::plain) j["outcome"] = to_string(d->outcome);
    if (d->lease_time_s < 0 && d->client >= 0) j["client"] = d->client;
    if (d->lease_time_s < 0 && e.verbatim.empty() && d->ip != 0) j["ip"] = format_ip(d->ip);
  } else if (const auto* u = e.as<Unanswered>()) {
    using A = Unanswered::Attempt;
    j["message"] = to_string(u->attempt == A::discover ? DhcpVerb::discover : DhcpVerb::request);
  } else if (const auto* s = e.as<ScriptLine>()) {
    using A = ScriptLine::Action;
    j["action"] = to_string(s->action);
    if (s->action == A::partition || s->action == A::heal)
      j["direction"] = to_string(s->direction);
    else if (s->action != A::clients)
      j["target"] = s->host;
    if (s->action == A::client) j["send"] = s->send;
    if (s->skipped) j["skipped"] = true;
  } else if (const auto* p = e.as<ProcessEvent>()) {
    j["action"] = to_string(p->action);
  } else if (const auto* m = e.as<MonitorFinding>()) {
    j["finding"] = to_string(m->kind);
  } else if (const auto* f = e.as<FailoverLine>()) {
    if (f->note == FailoverNote::invalid_peer_state) j["number"] = f->number;
  }
}

}  // namespace

JsonlTimeline::JsonlTimeline(std::ostream& out, std::vector<std::string> hosts)
    : out_(out), hosts_(std::move(hosts)) {}

void JsonlTimeline::record(const RunEvent& e) {
  const TraceKind kind = e.kind();
  if (kind == TraceKind::message) return;  // protocol chatter: verbose traces only
  nlohmann::ordered_json j;
  j["t_ms"] = e.at.time_since_epoch().count();
  if (start_) j["time"] = format_iso(*start_ + e.at.time_since_epoch().count());
  j["server"] = e.server >= 0 ? nlohmann::ordered_json(hosts_[static_cast<std::size_t>(e.server)])
                              : nlohmann::ordered_json(nullptr);
  j["kind"] = to_string(kind);
  if (const auto* m = e.as<StateMove>()) {
    j["from"] = core::to_string(m->from);
    j["to"] = core::to_string(m->to);
    if (m->cause != Cause::none) j["cause"] = to_string(m->cause);
  } else if (const auto* p = e.as<PeerStateSeen>()) {
    j["from"] = core::to_string(p->from);
    j["to"] = core::to_string(p->to);
  } else if (const auto* d = e.as<DhcpLine>()) {
    if (d->lease_time_s >= 0) {
      if (d->client >= 0) j["client"] = d->client;
      if (d->ip != 0) j["ip"] = format_ip(d->ip);
      j["lease_time_s"] = d->lease_time_s;
      if (!d->grant_kind.empty()) j["grant"] = d->grant_kind;
    } else if (!e.verbatim.empty() && d->ip != 0) {
      j["ip"] = format_ip(d->ip);
    }
  } else if (const auto* u = e.as<Unanswered>()) {
    if (u->client >= 0) j["client"] = u->client;
  } else if (const auto* f = e.as<MonitorFinding>()) {
    if (f->client >= 0) j["client"] = f->client;
    if (f->ip != 0) j["ip"] = format_ip(f->ip);
    if (f->other_client >= 0) j["other_client"] = f->other_client;
    if (f->other_server >= 0) j["other_server"] = hosts_[static_cast<std::size_t>(f->other_server)];
  }
  typed_fields(e, j);
  j["text"] = render(e);
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
    : out_(out), hosts_(std::move(hosts)), rfc5424_(rfc5424), starts_(hosts_.size(), 0) {}

void SyslogTimeline::record(const RunEvent& e) {
  const auto* process = std::get_if<ProcessEvent>(&e.what);
  if (process != nullptr && process->action == ProcessAction::start && e.server >= 0 &&
      static_cast<std::size_t>(e.server) < starts_.size())
    ++starts_[static_cast<std::size_t>(e.server)];
  const TraceKind kind = e.kind();
  const bool isc = kind == TraceKind::state || kind == TraceKind::peer_state ||
                   kind == TraceKind::log || kind == TraceKind::link || kind == TraceKind::dhcp ||
                   kind == TraceKind::grant;  // the DHCPACK line
  if (!isc || e.server < 0 || static_cast<std::size_t>(e.server) >= hosts_.size()) return;
  const std::int64_t ms = std::max<std::int64_t>(0, start_ + e.at.time_since_epoch().count());
  const Civil c = civil(ms);
  const std::string& host = hosts_[static_cast<std::size_t>(e.server)];
  const int pid =
      1000 + e.server + 2 * std::max(0, starts_[static_cast<std::size_t>(e.server)] - 1);
  char head[96];
  if (rfc5424_) {
    // <30> = facility daemon (3) * 8 + severity info (6).
    std::snprintf(head, sizeof head, "<30>1 %04lld-%02d-%02dT%02d:%02d:%02d.%03dZ ", c.y, c.m, c.d,
                  c.hh, c.mm, c.ss, c.milli);
    out_ << head << host << " dhcpd " << pid << " - - " << render(e) << "\n";
  } else {
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::snprintf(head, sizeof head, "%s %2d %02d:%02d:%02d ", months[c.m - 1], c.d, c.hh, c.mm,
                  c.ss);
    out_ << head << host << " dhcpd[" << pid << "]: " << render(e) << "\n";
  }
}

}  // namespace fosim::sim
