// Reading ISC dhcpd log lines: every header format and every message fosim uses. The lines
// are written by hand from ISC's formats (reference §1.5, dhcp server/dhcp.c).
#include "fosim/formats/dhcpd_log.hpp"

#include <doctest/doctest.h>

using fosim::core::State;
using fosim::sim::classify;
using fosim::sim::DhcpLine;
using fosim::sim::DhcpOutcome;
using fosim::sim::DhcpVerb;
using fosim::sim::FailoverLine;
using fosim::sim::FailoverNote;
using fosim::sim::LinkChange;
using fosim::sim::LinkEvent;
using fosim::sim::LogFormat;
using fosim::sim::parse_log_line;
using fosim::sim::UpdateLine;
using fosim::sim::UpdateStep;

namespace {
// 2026-11-04 10:00:01 UTC in ms since 1970: 20761 days from 1970-01-01 to 2026-11-04, plus 36001 s.
constexpr std::int64_t nov4_10h = (20761LL * 86400 + 36001) * 1000;

/// The event `message` reads as, when it is a `T` (null otherwise, or when it reads as nothing).
template <class T>
std::optional<T> read_as(std::string_view message) {
  const auto body = classify(message);
  if (!body || !std::holds_alternative<T>(*body)) return std::nullopt;
  return std::get<T>(*body);
}

/// The DHCP line `message` reads as (a default one when it is none: the checks then fail).
DhcpLine dhcp(std::string_view message) { return read_as<DhcpLine>(message).value_or(DhcpLine{}); }
}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("dhcpd_log: the pid of the header is kept (a new pid is a new process)") {
    const std::string msg = "Internet Systems Consortium DHCP Server 4.4.3-P1";
    CHECK(parse_log_line("Nov  4 10:00:01 dhcp-a dhcpd[1234]: " + msg, 2026)->pid == 1234u);
    CHECK(parse_log_line("2026-11-04T10:00:01+0000 dhcp-a dhcpd[812]: " + msg, 2026)->pid == 812u);
    CHECK(parse_log_line("<30>1 2026-11-04T10:00:01Z dhcp-a dhcpd 640 - - " + msg, 2026)->pid ==
          640u);
    // No pid: RFC 5424's "-", a tag without one, a bare line, fosim's text timeline.
    CHECK_FALSE(parse_log_line("<30>1 2026-11-04T10:00:01Z dhcp-a dhcpd - - - " + msg, 2026)->pid);
    CHECK_FALSE(parse_log_line("Nov  4 10:00:01 dhcp-a dhcpd: " + msg, 2026)->pid);
    CHECK_FALSE(parse_log_line(msg, 2026)->pid);
    CHECK_FALSE(parse_log_line("00:00:00.000  dhcp-a  " + msg, 2026)->pid);
    // The banner reads as the start it announces.
    REQUIRE(read_as<fosim::sim::Banner>(msg));
    CHECK(read_as<fosim::sim::Banner>(msg)->version == "4.4.3-P1");
  }

  TEST_CASE("dhcpd_log: a host that is not printable ASCII is not a server to replay") {
    // Two such hosts that differ only in invalid bytes would be written to a rebuilt scenario
    // as the same name (JSON replaces each invalid byte), and a syslog HOSTNAME is
    // printable US-ASCII (RFC 5424 6.2.4).
    const std::string msg = "failover peer f: I move from normal to communications-interrupted";
    CHECK(parse_log_line("2026-11-04T10:00:01+0000 dhcp-a dhcpd[5]: " + msg, 2026));
    CHECK_FALSE(parse_log_line("2026-11-04T10:00:01+0000 d\xff\xffhcp-a dhcpd[5]: " + msg, 2026));
    CHECK_FALSE(parse_log_line("Nov  4 10:00:01 d\x01hcp-a dhcpd[5]: " + msg, 2026));
    CHECK_FALSE(parse_log_line("<30>1 2026-11-04T10:00:01Z dhcp\x80-a dhcpd 5 - - " + msg, 2026));
  }

  TEST_CASE("dhcpd_log: classic syslog and journalctl's short formats") {
    const auto a = parse_log_line(
        "Nov  4 10:00:01 dhcp-a dhcpd[1234]: failover peer dhcp-failover: I move from normal to "
        "communications-interrupted",
        2026);
    REQUIRE(a);
    CHECK(a->format == LogFormat::classic);
    CHECK(a->time_ms == nov4_10h);
    CHECK(a->host == "dhcp-a");
    CHECK(a->message ==
          "failover peer dhcp-failover: I move from normal to communications-interrupted");
    // journalctl -o short pads the day with a zero; short-precise adds microseconds.
    const auto b = parse_log_line(
        "Nov 04 10:00:01.250731 dhcp-b dhcpd[99]: peer dhcp-failover: disconnected", 2026);
    REQUIRE(b);
    CHECK(b->time_ms == nov4_10h + 250);
    CHECK(b->host == "dhcp-b");
    // Another program's line, and journalctl's boot marker, are not dhcpd's.
    CHECK_FALSE(parse_log_line(
        "Nov  4 10:00:01 dhcp-a dhclient[77]: DHCPACK of 10.0.0.5 from 10.0.0.1", 2026));
    CHECK_FALSE(parse_log_line("-- Boot 0f2c5e3b1a6d4b0e9d1f2a3b4c5d6e7f --", 2026));
    CHECK_FALSE(parse_log_line(
        "Nov  4 10:00:01 dhcp-a systemd[1]: Started isc-dhcp-server.service.", 2026));
  }

  TEST_CASE("dhcpd_log: RFC 5424 and ISO-dated lines, time zones to UTC") {
    const auto a = parse_log_line(
        R"(<30>1 2026-11-04T11:00:01.500+01:00 dhcp-a dhcpd 1234 - [meta sequenceId="7" x="a\]b"] timeout waiting for failover peer dhcp-failover)",
        0);
    REQUIRE(a);
    CHECK(a->format == LogFormat::rfc5424);
    CHECK(a->time_ms == nov4_10h + 500);
    CHECK(a->message == "timeout waiting for failover peer dhcp-failover");
    const auto b = parse_log_line(
        "2026-11-04T10:00:01Z dhcp-b dhcpd: Sent update done message to dhcp-failover", 0);
    REQUIRE(b);
    CHECK(b->format == LogFormat::iso);
    CHECK(b->time_ms == nov4_10h);
    // journalctl -o short-iso writes the offset without a colon.
    const auto c = parse_log_line(
        "2026-11-04T05:00:01-0500 dhcp-b dhcpd[5]: Sending updates to dhcp-failover.", 0);
    REQUIRE(c);
    CHECK(c->time_ms == nov4_10h);
    CHECK_FALSE(
        parse_log_line("<30>1 2026-11-04T10:00:01Z dhcp-a kea-dhcp4 9 - - DHCP4_LEASE_ALLOC", 0));
    // A zone cut short, a day that does not exist, an hour past 23: said, not guessed.
    CHECK(parse_log_line("2026-11-04T10:00:01.250+ dhcp-b dhcpd[6]: peer p: disconnected", 0)
              ->bad_time);
    CHECK(
        parse_log_line("2026-02-30T10:00:01Z dhcp-b dhcpd[6]: peer p: disconnected", 0)->bad_time);
    CHECK(parse_log_line("Feb 30 10:00:01 dhcp-b dhcpd[6]: peer p: disconnected", 2026)->bad_time);
    CHECK(parse_log_line("Feb 29 10:00:01 dhcp-b dhcpd[6]: peer p: disconnected", 2028)->time_ms);
    CHECK(parse_log_line("Nov  4 25:00:01 dhcp-b dhcpd[6]: peer p: disconnected", 2026)->bad_time);
    // rsyslog with a space for the T.
    CHECK(parse_log_line("2026-11-04 10:00:01 dhcp-b dhcpd[6]: peer p: disconnected", 0)->time_ms ==
          nov4_10h);
  }

  TEST_CASE("dhcpd_log: bare dhcpd -d output and fosim's own timeline") {
    const auto bare =
        parse_log_line("failover peer dhcp-failover: I move from startup to normal\r", 0);
    REQUIRE(bare);
    CHECK(bare->format == LogFormat::bare);
    CHECK_FALSE(bare->time_ms);
    CHECK(bare->message == "failover peer dhcp-failover: I move from startup to normal");
    const auto f = parse_log_line("1+01:00:16.350  dhcp-b  peer dhcp-failover: disconnected", 0);
    REQUIRE(f);
    CHECK(f->format == LogFormat::fosim);
    CHECK(f->time_ms == (86400 + 3616) * 1000LL + 350);
    CHECK(f->host == "dhcp-b");
    // fosim's annotations are not what a server logged.
    CHECK_FALSE(parse_log_line(
        "01:00:00.000  fosim   dhcp-a crashes (no goodbye on the failover link)", 0));
  }

  TEST_CASE("dhcpd_log: failover messages") {
    const auto m = read_as<fosim::sim::StateMove>(
        "failover peer dhcp-failover: I move from communications-interrupted to partner-down");
    REQUIRE(m);
    CHECK(m->peer == "dhcp-failover");
    CHECK(m->from == State::communications_interrupted);
    CHECK(m->to == State::partner_down);
    const auto p = read_as<fosim::sim::PeerStateSeen>(
        "failover peer x: peer moves from unknown-state to "
        "recover-wait");
    REQUIRE(p);
    CHECK(p->from == State::unknown_state);
    CHECK(p->to == State::recover_wait);
    const auto normal = read_as<FailoverLine>("failover peer x: Both servers normal");
    REQUIRE(normal);
    CHECK(normal->note == FailoverNote::both_normal);
    CHECK(normal->peer == "x");
    const auto closed = read_as<LinkEvent>("peer x: disconnected");
    REQUIRE(closed);
    CHECK(closed->change == LinkChange::disconnected);
    const auto timeout = read_as<LinkEvent>("timeout waiting for failover peer x");
    REQUIRE(timeout);
    CHECK(timeout->change == LinkChange::timeout);
    CHECK(timeout->peer == "x");
    const auto answered = read_as<UpdateLine>("Update request all from x: nothing pending");
    REQUIRE(answered);
    CHECK(answered->step == UpdateStep::request_all_nothing);
    const auto completed = read_as<FailoverLine>("failover peer x: peer update completed.");
    REQUIRE(completed);
    CHECK(completed->note == FailoverNote::peer_update_completed);
    const auto sending = read_as<UpdateLine>("Sending updates to x.");
    REQUIRE(sending);
    CHECK(sending->step == UpdateStep::sending);
    CHECK(sending->peer == "x");
    // "CONNECT to x rejected": the peer rejected our CONNECT.
    const auto rejected = read_as<LinkEvent>(
        "Failover CONNECT to x rejected: Connection rejected, time mismatch too great.");
    REQUIRE(rejected);
    CHECK(rejected->change == LinkChange::peer_rejected);
    CHECK_FALSE(rejected->up());
    const auto banner =
        read_as<fosim::sim::Banner>("Internet Systems Consortium DHCP Server 4.4.3-P1");
    REQUIRE(banner);
    CHECK(banner->version == "4.4.3-P1");
    // ISC's shape with a state no ISC knows: said so, not taken as a move.
    const auto bad = read_as<fosim::sim::UnreadableLine>(
        "failover peer x: I move from normal to "
        "nowhere");
    REQUIRE(bad);
    CHECK(bad->problem.find("not a move between two failover states") != std::string::npos);
    CHECK_FALSE(classify("Wrote 12 leases to leases file."));
    // ISC's lines replay makes nothing of: the link coming up, pool balance.
    CHECK_FALSE(classify("failover peer x: connected to peer"));
    CHECK_FALSE(
        classify("balanced pool 10.0.0.1  total 100  free 50  backup 50  lts 0  "
                 "max-misbal 15"));
  }

  TEST_CASE("dhcpd_log: DHCP lines with ISC's optional parts") {
    const DhcpLine d = dhcp(
        "DHCPDISCOVER from 0:16:3e:A:b:c (laptop) via eth0: load balance to peer dhcp-failover");
    CHECK(d.verb == DhcpVerb::discover);
    CHECK(d.mac == "00:16:3e:0a:0b:0c");
    CHECK(d.outcome == DhcpOutcome::load_balance);
    const DhcpLine r = dhcp(
        "DHCPREQUEST for 192.168.102.120 (192.168.102.100) from 52:54:00:02:bf:f8 via 10.0.0.1");
    CHECK(r.verb == DhcpVerb::request);
    CHECK(r.ip == 0xc0a86678);
    CHECK(r.mac == "52:54:00:02:bf:f8");
    CHECK(r.outcome == DhcpOutcome::plain);
    const DhcpLine a = dhcp("DHCPACK on 192.168.102.120 to 52:54:00:02:bf:f8 (host) via eth0");
    CHECK(a.verb == DhcpVerb::ack);
    CHECK(a.ip == 0xc0a86678);
    CHECK(dhcp("DHCPRELEASE of 192.168.102.120 from 52:54:00:02:bf:f8 via eth0 (found)").verb ==
          DhcpVerb::release);
    CHECK(
        dhcp("DHCPDISCOVER from 52:54:00:02:bf:f8 via eth0: peer holds all free leases").outcome ==
        DhcpOutcome::peer_holds_all_free);
    CHECK(dhcp("DHCPDISCOVER from 52:54:00:02:bf:f8 via eth0: network 192.168.102.0/24: no "
               "free leases")
              .outcome == DhcpOutcome::no_free_leases);
    CHECK(dhcp("DHCPREQUEST for 10.0.0.9 from 52:54:00:02:bf:f8 via eth0: not responding "
               "(recovering)")
              .outcome == DhcpOutcome::not_responding);
    CHECK_FALSE(classify("DHCPLEASEQUERY from 10.0.0.1"));
  }

  TEST_CASE("dhcpd_log: a time shown as the log's header shows its clock") {
    // 2026-11-04 07:12:03 UTC: 20761 days after 1970-01-01, plus 25923 s.
    const std::int64_t t = (std::int64_t{20761} * 86400 + 7 * 3600 + 12 * 60 + 3) * 1000;
    CHECK(log_clock(LogFormat::classic, t) == "Nov  4 07:12:03");
    CHECK(log_clock(LogFormat::iso, t + 250) == "2026-11-04 07:12:03.250");
    CHECK(log_clock(LogFormat::rfc5424, t) == "2026-11-04 07:12:03");
    CHECK(log_clock(LogFormat::bare, t).empty());
    CHECK(log_clock(LogFormat::fosim, t).empty());
    // The round trip through the reader.
    CHECK(parse_log_line("Nov  4 07:12:03 a dhcpd: x", 2026)->time_ms == t);
  }
}
