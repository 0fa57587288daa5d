// The catalogue of wording: every ISC entry reads back to the event it was written from, and
// the lines fosim writes are ISC's own words (written here by hand from server/failover.c and
// server/dhcp.c, not copied from the catalogue).
#include "fosim/sim/isc_wording.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>

#include "fosim/formats/dhcpd_log.hpp"

using fosim::core::State;
namespace sim = fosim::sim;

namespace {

/// A value for each field name a template may have, that reads back to itself.
const std::map<std::string, std::string>& samples() {
  static const std::map<std::string, std::string> s{
      {"peer", "dhcp-failover"},
      {"from", "normal"},
      {"to", "communications-interrupted"},
      {"number", "12"},
      {"reason", "Connection rejected, time mismatch too great."},
      {"ip", "10.0.0.17"},
      {"pool", "10.0.0.1"},
      {"count", "3"},
      {"total", "101"},
      {"free", "51"},
      {"backup", "50"},
      {"lts", "0"},
      {"limit", "5"},
      {"mac", "52:54:00:10:00:06"},
      {"server_id", "10.0.0.2"},
      {"nrr", " (recovering)"},
      {"version", "4.4.3-P1"},
  };
  return s;
}

/// `tpl` with each {field} replaced by its sample.
std::string sample_line(std::string_view tpl) {
  std::string out;
  for (std::size_t i = 0; i < tpl.size();) {
    if (tpl[i] != '{') {
      out += tpl[i++];
      continue;
    }
    const std::size_t close = tpl.find('}', i);
    out += samples().at(std::string(tpl.substr(i + 1, close - i - 1)));
    i = close + 1;
  }
  return out;
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("isc_wording: every ISC entry round-trips: event -> text -> read -> same event") {
    std::size_t isc = 0;
    for (const sim::WordingEntry& e : sim::wording_table()) {
      if (!e.isc) continue;
      ++isc;
      CAPTURE(e.name);
      const std::string line = sample_line(e.text);
      sim::Wording w{};
      const auto body = sim::read_isc_line(line, &w);
      REQUIRE(body.has_value());
      CHECK(w == e.id);
      CHECK(sim::wording_of(*body) == e.id);
      const std::string again = sim::render(*body);
      CHECK(again == line);
      const auto back = sim::read_isc_line(again);
      REQUIRE(back.has_value());
      CHECK(*back == *body);
    }
    CHECK(isc >= 50);
  }

  TEST_CASE("isc_wording: events are written in ISC's words") {
    CHECK(sim::render(sim::StateMove{"dhcp-failover", State::normal,
                                     State::communications_interrupted, sim::Cause::link_lost}) ==
          "failover peer dhcp-failover: I move from normal to communications-interrupted");
    CHECK(sim::render(sim::LinkEvent{"x", sim::LinkChange::disconnected, {}}) ==
          "peer x: disconnected");
    CHECK(sim::render(sim::LinkEvent{"x", sim::LinkChange::timeout, {}}) ==
          "timeout waiting for failover peer x");
    sim::DhcpLine d;
    d.verb = sim::DhcpVerb::request;
    d.outcome = sim::DhcpOutcome::not_responding;
    d.ip = (10u << 24) + 5;
    d.mac = "52:54:00:10:00:06";
    d.nrr = " (recovering)";
    CHECK(sim::render(d) ==
          "DHCPREQUEST for 10.0.0.5 from 52:54:00:10:00:06: not responding "
          "(recovering)");
    sim::FailoverLine f{sim::FailoverNote::invalid_peer_state, "dhcp-failover",
                        State::unknown_state, State::unknown_state, 12};
    CHECK(sim::render(f) == "failover peer dhcp-failover: Invalid state: 12");
  }

  TEST_CASE("isc_wording: a line read back gives the event's fields") {
    const auto m = sim::read_isc_line("failover peer a.b: peer moves from recover to recover-done");
    REQUIRE(m);
    const auto* seen = std::get_if<sim::PeerStateSeen>(&*m);
    REQUIRE(seen != nullptr);
    CHECK(seen->peer == "a.b");
    CHECK(seen->from == State::recover);
    CHECK(seen->to == State::recover_done);
    const auto r = sim::read_isc_line("DHCPREQUEST for 10.0.0.9 (10.0.0.1) from aa:bb:cc:dd:ee:ff");
    REQUIRE(r);
    const auto* dhcp = std::get_if<sim::DhcpLine>(&*r);
    REQUIRE(dhcp != nullptr);
    CHECK(dhcp->verb == sim::DhcpVerb::request);
    CHECK(dhcp->outcome == sim::DhcpOutcome::selecting);
    CHECK(dhcp->server_id == "10.0.0.1");
    CHECK(dhcp->ip == (10u << 24) + 9);
    CHECK_FALSE(sim::read_isc_line("failover peer x: I move from normal to nowhere"));
    CHECK_FALSE(sim::read_isc_line("Wrote 12 leases to leases file."));
  }

  TEST_CASE("isc_wording: the syslog reader classifies with the same table") {
    for (const sim::WordingEntry& e : sim::wording_table()) {
      if (!e.isc) continue;
      CAPTURE(e.name);
      const std::string line = sample_line(e.text);
      const auto c = sim::classify(line);
      if (!c) continue;                           // a line replay does not use
      if (line.substr(0, 4) == "DHCP") continue;  // DHCP lines are read leniently (via eth0, ...)
      CHECK(sim::wording_of(*c) == e.id);
      const std::string peer = std::visit(
          [](const auto& b) -> std::string {
            if constexpr (requires { b.peer; })
              return b.peer;
            else
              return {};
          },
          *c);
      if (line.find("dhcp-failover") != std::string::npos) CHECK(peer == "dhcp-failover");
    }
  }

  TEST_CASE("isc_wording: only fosim's annotations are marked as fosim's") {
    CHECK(sim::entry(sim::Wording::i_move).isc);
    CHECK(sim::entry(sim::Wording::dhcp_ack).isc);
    CHECK_FALSE(sim::entry(sim::Wording::partition_both).isc);
    CHECK_FALSE(sim::entry(sim::Wording::monitor_duplicate).isc);
    CHECK_FALSE(sim::entry(sim::Wording::process_crash).isc);
  }

  TEST_CASE("isc_wording: names: ISC's names of DHCP messages, failover messages and rejects") {
    // ISC dhcpd 4.4: the DHCP verbs of server/dhcp.c's log lines, dhcp_failover_message_name()
    // and dhcp_failover_reject_reason_print() in server/failover.c.
    CHECK(sim::to_string(sim::DhcpVerb::discover) == "DHCPDISCOVER");
    CHECK(sim::to_string(sim::DhcpVerb::release) == "DHCPRELEASE");
    CHECK(sim::to_string(sim::DhcpVerb::inform) == "DHCPINFORM");
    CHECK(sim::to_string(sim::MessageType::bndupd) == "bind-update");
    CHECK(sim::to_string(sim::MessageType::updreqall) == "update-request-all");
    CHECK(sim::to_string(sim::MessageType::disconnect) == "disconnect");
    CHECK(sim::to_string(static_cast<sim::MessageType>(200)) == "?");
    CHECK(sim::to_string(sim::Reject::none).empty());
    CHECK(sim::to_string(sim::Reject::time_mismatch) ==
          "Connection rejected, time mismatch too great.");
    CHECK(sim::to_string(sim::Reject::less_critical_bind_info) ==
          "Less critical binding information.");
    CHECK(sim::to_string(sim::Reject::hba_conflict) == "Hash bucket assignment conflict.");
    CHECK(sim::to_string(static_cast<sim::Reject>(6)) == "Unknown Error.");
  }
}
