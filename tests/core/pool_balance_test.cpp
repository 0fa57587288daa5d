// Pool balancing against vectors worked by hand from ISC's dhcp_failover_pool_dobalance()
// (misbalance 15 %, ownership 10 %), secondary_not_hoarding() and dhcp_failover_pool_check().
#include "fosim/core/pool_balance.hpp"

#include <doctest/doctest.h>

#include <vector>

using fosim::core::at_seconds;
using fosim::core::QueuedLease;
using fosim::core::Role;
using fosim::core::Seconds;

namespace {

std::vector<QueuedLease> queue(std::size_t n, bool used, bool peer_wants) {
  return std::vector<QueuedLease>(n, QueuedLease{used, peer_wants});
}

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("pool_balance: rebalance: hand-worked vectors") {
    SUBCASE("100 FREE never used, 0 BACKUP: pass 2 moves 50") {
      const auto own = queue(100, false, false);
      const auto r = fosim::core::rebalance({own, 0, 15, 10, false});
      CHECK(r.total == 100);
      CHECK(r.thresh == 15);
      CHECK(r.hold == 10);
      CHECK(r.lts_before == 50);
      CHECK(r.pass1 == 0);
      CHECK(r.pass2 == 50);
      CHECK(r.lts_after == 0);
      CHECK_FALSE(r.imbalanced);
    }
    SUBCASE("100 FREE used, none hashed to the peer: pass 2 stops at lts = hold = 10") {
      const auto own = queue(100, true, false);
      const auto r = fosim::core::rebalance({own, 0, 15, 10, false});
      CHECK(r.pass2 == 40);  // FREE 60 / BACKUP 40
      CHECK(r.lts_after == 10);
    }
    SUBCASE("100 FREE used, all hashed to the peer: pass 1 moves 60 (to lts = -10)") {
      const auto own = queue(100, true, true);
      const auto r = fosim::core::rebalance({own, 0, 15, 10, false});
      CHECK(r.pass1 == 60);  // FREE 40 / BACKUP 60
      CHECK(r.pass2 == 0);
      CHECK(r.lts_after == -10);
    }
    SUBCASE("own 19, other 81, timer run: lts -31 < panic -30: POOLREQ, nothing moved") {
      const auto own = queue(19, true, true);
      const auto r = fosim::core::rebalance({own, 81, 15, 10, true});
      CHECK(r.lts_before == -31);
      CHECK(r.panic == -30);
      CHECK(r.send_poolreq);
      CHECK(r.transferred.empty());
      // Entering normal (not a timer run) never sends POOLREQ.
      CHECK_FALSE(fosim::core::rebalance({own, 81, 15, 10, false}).send_poolreq);
    }
  }

  TEST_CASE("pool_balance: rebalance: the secondary gives its surplus back the same way") {
    // Secondary holding 70 BACKUP (never used) against 30 FREE: lts = 20, moves 20 to FREE.
    const auto own = queue(70, false, false);
    const auto r = fosim::core::rebalance({own, 30, 15, 10, false});
    CHECK(r.lts_before == 20);
    CHECK(r.pass2 == 20);
    CHECK(r.transferred.front() == 0);  // oldest first
    CHECK(r.transferred.back() == 19);
  }

  TEST_CASE("pool_balance: rebalance: C truncation toward zero and the panic floor") {
    // own 3, other 4: (3 - 4) / 2 = 0 in C (not -1).
    const auto own = queue(3, true, false);
    const auto r = fosim::core::rebalance({own, 4, 15, 10, true});
    CHECK(r.lts_before == 0);
    CHECK(r.thresh == 1);  // (7 * 15 + 50) / 100
    CHECK(r.hold == 1);    // (7 * 10 + 50) / 100
    CHECK(r.panic == -2);
    // A pool of 2: thresh 0, panic -1.
    const auto tiny = queue(0, false, false);
    const auto t = fosim::core::rebalance({tiny, 2, 15, 10, true});
    CHECK(t.thresh == 0);
    CHECK(t.panic == -1);
    CHECK(t.lts_before == -1);
    CHECK_FALSE(t.send_poolreq);  // -1 is not below -1
  }

  TEST_CASE("pool_balance: affinity: secondary not hoarding") {
    CHECK(fosim::core::secondary_not_hoarding(50, 50, 10));
    // FREE 40, BACKUP 60: lts -10, hold 10: -10 > -10 is false: hoarding.
    CHECK_FALSE(fosim::core::secondary_not_hoarding(40, 60, 10));
    CHECK(fosim::core::secondary_not_hoarding(42, 58, 10));  // lts -8
  }

  TEST_CASE("pool_balance: next run time") {
    fosim::core::PoolCheckInput in;
    in.now = at_seconds(100000);
    SUBCASE("never-used leases are 'infinitely old': max-balance decides") {
      in.oldest_free_ends = at_seconds(0);
      in.oldest_backup_ends = at_seconds(0);
      CHECK(fosim::core::next_rebalance(in) == at_seconds(103600));
    }
    SUBCASE("the primary doubles the FREE age, the secondary the BACKUP age") {
      in.oldest_free_ends = at_seconds(99000);    // 1000 s old -> (15000+50)/100 = 150, x2 = 300
      in.oldest_backup_ends = at_seconds(98000);  // 2000 s old -> 300
      CHECK(fosim::core::next_rebalance(in) == at_seconds(100300));
      in.role = Role::secondary;  // FREE 150, BACKUP 600
      CHECK(fosim::core::next_rebalance(in) == at_seconds(100150));
    }
    SUBCASE("an empty queue estimates 0 s: the run comes after min-balance") {
      in.oldest_free_ends = fosim::core::Instant{};  // never used: no bound
      // no BACKUP lease at all: ISC's est2 = 0, so t = now, then last run + min-balance
      in.last_run = at_seconds(99000);
      CHECK(fosim::core::next_rebalance(in) == at_seconds(100000));  // 99060 < now: now
      in.last_run = at_seconds(99980);
      CHECK(fosim::core::next_rebalance(in) == at_seconds(100040));  // 99980 + 60
    }
    SUBCASE("a never-used lease (ends 0) is infinitely old: max-balance decides") {
      in.now = at_seconds(5000);
      in.oldest_free_ends =
          fosim::core::Instant{};  // 5000 s "old" in fosim time, decades old to ISC
      in.oldest_backup_ends = fosim::core::Instant{};
      CHECK(fosim::core::next_rebalance(in) == at_seconds(8600));  // 5000 + max-balance 3600
    }
    SUBCASE("a lease whose ends is in the future has age 0") {
      in.oldest_free_ends = at_seconds(200000);
      CHECK(fosim::core::next_rebalance(in) == at_seconds(100000));
    }
    SUBCASE("min-balance after the last run, jitter, and only ever earlier") {
      in.oldest_free_ends = at_seconds(200000);
      in.last_run = at_seconds(99990);
      in.jitter = Seconds{3};
      CHECK(fosim::core::next_rebalance(in) == at_seconds(100053));  // 99990 + 60 + 3
      in.scheduled = at_seconds(100010);
      CHECK(fosim::core::next_rebalance(in) == at_seconds(100010));
      in.scheduled = at_seconds(200000);
      CHECK(fosim::core::next_rebalance(in) == at_seconds(100053));
    }
  }
}
