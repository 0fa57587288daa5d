// The order of a server's FREE and BACKUP queues as ISC's lease_insert() keeps it (server/mdb.c):
// sorted by ends; at run time a lease goes before every lease of the same ends (last in, first
// out); while expire_all_pools() builds the queues at start-up (SS_QFOLLOW) a lease of the same
// ends as the one inserted just before into the same queue goes right after it (first in,
// first out), walking the IP hash bucket by bucket (address % 100003).
#include "fosim/sim/lease_db.hpp"

#include <doctest/doctest.h>

using fosim::core::BindingState;
using fosim::core::Instant;
using fosim::sim::LeaseDb;

namespace {

std::vector<std::uint32_t> v(std::initializer_list<std::uint32_t> l) { return l; }

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("lease db: a new pool is queued in address order, first in first out") {
    const LeaseDb db(5, 0x0a000064);  // 10.0.0.100-104, all never used (ends 0)
    CHECK(db.queue(BindingState::free) == v({0, 1, 2, 3, 4}));
  }

  TEST_CASE("lease db: at run time leases of equal ends go last in, first out") {
    // The first pool balance moves .100, .101, .102 to BACKUP in that order, each with ends 0:
    // every insert goes before its equals, so the queue reads .102, .101, .100.
    LeaseDb db(5, 0x0a000064);
    for (std::uint32_t i : {0u, 1u, 2u}) db.set_state(i, BindingState::backup);
    CHECK(db.queue(BindingState::backup) == v({2, 1, 0}));
    CHECK(db.head(BindingState::backup) == 2u);
    CHECK(db.queue(BindingState::free) == v({3, 4}));
    // A later ends still sorts after: .103 freed with ends 50 s goes behind .104 (ends 0).
    db.set_ends(3, Instant{std::chrono::seconds(50)});
    CHECK(db.queue(BindingState::free) == v({4, 3}));
  }

  TEST_CASE("lease db: a start-up rebuilds the queues first in, first out") {
    LeaseDb db(5, 0x0a000064);
    for (std::uint32_t i : {0u, 1u, 2u}) db.set_state(i, BindingState::backup);
    db.load();  // read back: .100, .101, .102 come from the hash in address order
    CHECK(db.queue(BindingState::backup) == v({0, 1, 2}));
    CHECK(db.queue(BindingState::free) == v({3, 4}));
  }

  TEST_CASE("lease db: at start-up a lease of another queue in between breaks the follow") {
    // Hash order .100 (FREE), .101 (ACTIVE), .102 (FREE), .103 (FREE), .104 (FREE), all FREE
    // ends 0. .102 follows an insert into the active queue, so it is placed from the head,
    // before .100; .103 and .104 follow .102 and go right after it: .102, .103, .104, .100.
    LeaseDb db(5, 0x0a000064);
    db.activate(1, 1, Instant{std::chrono::hours(1)});
    db.load();
    CHECK(db.queue(BindingState::free) == v({2, 3, 4, 0}));
  }

  TEST_CASE("lease db: the start-up order follows the hash buckets across a wrap") {
    // 100003 * 42 = 4200126 = 0x004016BE. A range from 0x004016BC holds addresses in buckets
    // 100001, 100002, 0, 1: the hash walk meets the third and fourth first.
    const LeaseDb db(4, 0x004016BC);
    CHECK(db.queue(BindingState::free) == v({2, 3, 0, 1}));
  }

  TEST_CASE("lease db: each pool has its own queues and counts") {
    // Pool 0: 10.0.1.10-12 (indexes 0-2); pool 1: 10.0.2.100-101 (3-4) and 10.0.2.200 (5).
    LeaseDb db({{0, 0x0a00010a, 3, 0}, {3, 0x0a000264, 2, 1}, {5, 0x0a0002c8, 1, 1}});
    CHECK(db.size() == 6);
    CHECK(db.pools() == 2);
    CHECK(db.address(4) == 0x0a000265);  // 10.0.2.101
    CHECK(db.address(5) == 0x0a0002c8);  // 10.0.2.200: the pool's second range
    CHECK(db.pool_of(2) == 0);
    CHECK(db.pool_of(5) == 1);
    CHECK(db.pool_size(1) == 3);
    CHECK(db.queue(BindingState::free, 1) == v({3, 4, 5}));
    db.set_state(0, BindingState::backup);
    db.set_state(4, BindingState::backup);
    CHECK(db.head(BindingState::backup, 0) == 0u);
    CHECK(db.head(BindingState::backup, 1) == 4u);
    CHECK(db.count(BindingState::backup) == 2);
    CHECK(db.count(BindingState::backup, 0) == 1);
    CHECK(db.count(BindingState::free, 1) == 2);
    db.activate(3, 1, Instant{std::chrono::seconds(600)});
    CHECK(db.count(BindingState::active, 1) == 1);
    CHECK(db.count(BindingState::active, 0) == 0);
    CHECK(db.head(BindingState::free, 1) == 5u);
    CHECK(db.head(BindingState::free, 0) == 1u);
  }
}
