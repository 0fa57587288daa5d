// MCLT-limited lease times against vectors worked out by hand from the rule in ISC's
// ack_lease(), and the published field report of an ISC pair (mclt 1800,
// default-lease-time 3600: first grant 1800 s, renewal 3600 s).
#include "fosim/core/mclt.hpp"

#include <doctest/doctest.h>

using fosim::core::at_seconds;
using fosim::core::GrantReason;
using fosim::core::Instant;
using fosim::core::LeaseTimes;
using fosim::core::Seconds;

namespace {

struct Vector {
  int row;
  std::int64_t desired, tsfp, now;
  std::int64_t granted, tstp;
  GrantReason reason;
};

// clang-format off
// Worked by hand, M = 1800. Row 8's tsfp is lowered to the new tstp (2900).
constexpr Vector vectors[] = {
  {1, 3600,     0, 1000, 1800,  5500, GrantReason::capped_at_mclt},
  {2, 3600,  5500, 1900, 3600,  7300, GrantReason::full_after_ack},
  {3, 3600,  2000, 1900, 1900,  6450, GrantReason::partner_bound},
  {4, 1200,     0, 1000, 1200,  2800, GrantReason::uncapped},
  {5, 3600,  1000, 1000, 1800,  5500, GrantReason::capped_at_mclt},
  {6, 3600,  5500, 5500, 1800, 10000, GrantReason::capped_at_mclt},
  {7, 3600,  3000, 1900, 2900,  6950, GrantReason::partner_bound},
  {8,  600, 10000, 2000,  600,  2900, GrantReason::uncapped},
};
// clang-format on

constexpr Seconds mclt{1800};

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("mclt: grant: hand-worked vectors") {
    int checked = 0;
    for (const Vector& v : vectors) {
      CAPTURE(v.row);
      const auto g = fosim::core::grant_lease_time(Seconds{v.desired}, mclt, at_seconds(v.tsfp),
                                                   at_seconds(v.now));
      CHECK(g.lease_time == Seconds{v.granted});
      CHECK(g.reason == v.reason);
      LeaseTimes lease;
      lease.tsfp = at_seconds(v.tsfp);
      const LeaseTimes acked =
          fosim::core::on_ack(lease, Seconds{v.desired}, g.lease_time, at_seconds(v.now));
      CHECK(acked.tstp == at_seconds(v.tstp));
      CHECK(acked.ends == at_seconds(v.now + v.granted));
      CHECK(acked.cltt == at_seconds(v.now));
      ++checked;
    }
    CHECK(checked == 8);
  }

  TEST_CASE("mclt: grant: a shorter promise lowers tsfp") {
    LeaseTimes lease;
    lease.tsfp = at_seconds(10000);
    const LeaseTimes acked =
        fosim::core::on_ack(lease, Seconds{600}, Seconds{600}, at_seconds(2000));
    CHECK(acked.tsfp == at_seconds(2900));
  }

  TEST_CASE("mclt: grant: boundaries around MCLT") {
    // D = MCLT is uncapped; one second more is capped when nothing was acknowledged.
    CHECK(
        fosim::core::grant_lease_time(Seconds{1799}, mclt, Instant{}, at_seconds(100)).lease_time ==
        Seconds{1799});
    CHECK(
        fosim::core::grant_lease_time(Seconds{1800}, mclt, Instant{}, at_seconds(100)).lease_time ==
        Seconds{1800});
    CHECK(
        fosim::core::grant_lease_time(Seconds{1801}, mclt, Instant{}, at_seconds(100)).lease_time ==
        Seconds{1800});
    // n + D == T + M is still the full time; one second later it is bounded.
    CHECK(fosim::core::grant_lease_time(Seconds{3600}, mclt, at_seconds(1800), at_seconds(0))
              .lease_time == Seconds{3600});
    CHECK(fosim::core::grant_lease_time(Seconds{3600}, mclt, at_seconds(1799), at_seconds(0))
              .lease_time == Seconds{3599});
    // tsfp one second in the future: T + M - n.
    CHECK(fosim::core::grant_lease_time(Seconds{3600}, mclt, at_seconds(1001), at_seconds(1000))
              .lease_time == Seconds{1801});
  }

  TEST_CASE("mclt: field report: first grant MCLT, renewals the full hour") {
    // The field report: mclt 1800, default-lease-time 3600, both normal, acks arrive promptly.
    const Seconds d = fosim::core::desired_lease_time({Seconds{3600}, Seconds{86400}, {}});
    REQUIRE(d == Seconds{3600});
    const std::int64_t t0 = 10000;
    LeaseTimes lease;  // never used: tsfp 0
    SUBCASE("with acks") {
      // DISCOVER -> OFFER
      const auto offer = fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t0));
      CHECK(offer.lease_time == Seconds{1800});
      lease = fosim::core::on_offer(lease, at_seconds(t0));
      CHECK(lease.ends == at_seconds(t0 + 120));
      CHECK(lease.tstp == Instant{});  // an OFFER changes no potential expiry
      // REQUEST -> ACK, BNDUPD(ends t0+1800, pot t0+4500), BNDACK
      auto g = fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t0));
      CHECK(g.lease_time == Seconds{1800});
      lease = fosim::core::on_bndack(fosim::core::on_ack(lease, d, g.lease_time, at_seconds(t0)));
      CHECK(lease.tstp == at_seconds(t0 + 4500));
      CHECK(lease.tsfp == at_seconds(t0 + 4500));
      // renew at T1 = t0 + 900
      g = fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t0 + 900));
      CHECK(g.lease_time == Seconds{3600});
      lease =
          fosim::core::on_bndack(fosim::core::on_ack(lease, d, g.lease_time, at_seconds(t0 + 900)));
      CHECK(lease.tsfp == at_seconds(t0 + 6300));
      // renew at t0 + 2700
      g = fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t0 + 2700));
      CHECK(g.lease_time == Seconds{3600});
      lease = fosim::core::on_bndack(
          fosim::core::on_ack(lease, d, g.lease_time, at_seconds(t0 + 2700)));
      CHECK(lease.tsfp == at_seconds(t0 + 8100));
    }
    SUBCASE("partner never acks: every grant stays at MCLT") {
      for (std::int64_t t : {t0, t0 + 900, t0 + 1800, t0 + 2700}) {
        const auto g = fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t));
        CHECK(g.lease_time == Seconds{1800});
        lease = fosim::core::on_ack(lease, d, g.lease_time, at_seconds(t));  // no BNDACK
        CHECK(fosim::core::unacked(lease));
      }
    }
    SUBCASE("partition after the t0+900 ack (tsfp = t0+6300)") {
      lease.tsfp = at_seconds(t0 + 6300);
      CHECK(fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t0 + 2700)).lease_time ==
            Seconds{3600});
      CHECK(fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t0 + 4500)).lease_time ==
            Seconds{3600});
      CHECK(fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t0 + 6300)).lease_time ==
            Seconds{1800});
      CHECK(fosim::core::grant_lease_time(d, mclt, lease.tsfp, at_seconds(t0 + 8100)).lease_time ==
            Seconds{1800});
    }
  }

  TEST_CASE("mclt: desired lease time: default, max and min") {
    using fosim::core::desired_lease_time;
    using fosim::core::LeaseTimeConfig;
    // default-lease-time 60 with max-lease-time 120: min-lease-time defaults to 300 capped
    // at max, so the client gets 120, not 60.
    CHECK(desired_lease_time({Seconds{60}, Seconds{120}, {}}) == Seconds{120});
    CHECK(desired_lease_time({Seconds{3600}, Seconds{86400}, {}}, Seconds{100000}) ==
          Seconds{86400});
    CHECK(desired_lease_time({Seconds{3600}, Seconds{86400}, {}}, Seconds{200}) == Seconds{300});
    CHECK(desired_lease_time({Seconds{3600}, Seconds{86400}, Seconds{60}}, Seconds{200}) ==
          Seconds{200});
    CHECK(desired_lease_time({}) == Seconds{43200});  // ISC's default-lease-time
  }

  TEST_CASE("mclt: timestamps: offers, acks, bndacks, peer updates") {
    LeaseTimes lease;
    lease.ends = at_seconds(5000);
    CHECK(fosim::core::on_offer(lease, at_seconds(1000)).ends ==
          at_seconds(5000));  // keeps later ends
    CHECK(fosim::core::on_offer(lease, at_seconds(4950)).ends == at_seconds(5070));
    lease.tstp = at_seconds(9000);
    lease.atsfp = at_seconds(8000);
    CHECK(fosim::core::unacked(lease));
    const LeaseTimes acked = fosim::core::on_bndack(lease);
    CHECK(acked.tsfp == at_seconds(9000));
    CHECK(acked.atsfp == at_seconds(9000));
    CHECK_FALSE(fosim::core::unacked(acked));
    const LeaseTimes peer = fosim::core::on_peer_update(lease, at_seconds(7000), at_seconds(12000));
    CHECK(peer.ends == at_seconds(7000));
    CHECK(peer.tsfp == at_seconds(12000));
    CHECK(peer.atsfp == at_seconds(12000));
  }
}
