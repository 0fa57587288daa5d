// One server's view of the shared address pool: every address with its binding state and
// failover timestamps, plus the queues ISC keeps (free, backup, abandoned: oldest first, in
// lease_insert()'s order) and the timers' work lists (expiries). Pure bookkeeping: the
// failover and DHCP rules live in the server.
//
// Queue order (ISC server/mdb.c lease_insert(), expire_all_pools()): a queue is sorted by
// ends. At run time a lease goes before every lease of the same ends (last in, first out).
// At start-up the queues are built from the lease IP hash, in bucket order (address modulo
// 100003), with SS_QFOLLOW: a lease of the same ends as the one inserted just before into the
// same queue goes right after it (first in, first out); any other goes before its equals.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <queue>
#include <set>
#include <utility>
#include <vector>

#include "fosim/core/binding.hpp"
#include "fosim/core/time.hpp"
#include "fosim/sim/priority_order.hpp"

namespace fosim::sim {

using core::BindingState;
using core::Instant;

/// One address as a server knows it.
struct Lease {
  BindingState state = BindingState::free;
  BindingState rewind = BindingState::free;  ///< the state the peer may know (last sent)
  std::uint32_t client = 0;  ///< client index + 1 of the last binding; 0 = never bound
  Instant starts{};
  Instant ends{};  ///< 0 = never used
  Instant tstp{};
  Instant tsfp{};
  Instant atsfp{};
  Instant cltt{};
  std::uint32_t offered_to = 0;  ///< client index + 1 holding an offer
  Instant offer_until{};
  bool on_send_queue = false;  ///< a BNDUPD is queued
  bool awaiting_ack = false;   ///< a BNDUPD is in flight
  std::uint32_t xid = 0;       ///< xid of the BNDUPD in flight
};

/// A run of consecutive addresses of one pool: lease indexes [index, index + size) are the
/// addresses [first, first + size).
struct AddressSegment {
  std::uint32_t index = 0;  ///< the first lease index
  std::uint32_t first = 0;  ///< its address, host order
  std::uint32_t size = 0;
  std::uint32_t pool = 0;  ///< the failover pool it belongs to
};

/// The failover pools as one server knows them. Each pool has its own FREE, BACKUP and
/// ABANDONED queues (ISC keeps them per `struct pool`); lease indexes run over every pool.
/// Returns the address of lease `i` of `segments` (ordered by index, the first at 0).
std::uint32_t segment_address(const std::vector<AddressSegment>& segments, std::uint32_t i);
/// Returns the lease index of `address` in `segments`, if one of them holds it.
std::optional<std::uint32_t> segment_index(const std::vector<AddressSegment>& segments,
                                           std::uint32_t address);

class LeaseDb {
 public:
  /// Creates `size` addresses from `first_address` on, all FREE and never used (ISC
  /// new_address_range()), queued as a start-up builds them: one pool.
  explicit LeaseDb(std::uint32_t size = 0, std::uint32_t first_address = 0);
  /// Creates the addresses of `segments` (consecutive indexes from 0), as above.
  explicit LeaseDb(std::vector<AddressSegment> segments);

  /// Rebuilds the queues' order as a start-up does when it reads the lease file back.
  void load();

  /// Returns the number of addresses.
  std::uint32_t size() const { return static_cast<std::uint32_t>(leases_.size()); }
  /// Returns address `i` (read only; change it through set_state / touch_ends).
  const Lease& operator[](std::uint32_t i) const { return leases_[i]; }
  /// Returns address `i` for fields that no queue depends on (timestamps, flags).
  Lease& at(std::uint32_t i) { return leases_[i]; }

  /// Moves address `i` to `state`, keeping the queues in step.
  void set_state(std::uint32_t i, BindingState state);
  /// Changes the end time of address `i`, keeping the queues in step.
  void set_ends(std::uint32_t i, Instant ends);
  /// Binds address `i` to `client` (index + 1) as ACTIVE until `ends`.
  void activate(std::uint32_t i, std::uint32_t client, Instant ends);

  /// Returns the address of lease `i` (host order).
  std::uint32_t address(std::uint32_t i) const;
  /// Returns the lease index of `address`, if it is one of the pools' addresses.
  std::optional<std::uint32_t> index_of(std::uint32_t address) const {
    return segment_index(segments_, address);
  }
  /// Returns the number of pools.
  std::uint32_t pools() const { return static_cast<std::uint32_t>(pool_counts_.size()); }
  /// Returns the pool of address `i`.
  std::uint32_t pool_of(std::uint32_t i) const;

  /// Returns the oldest address of pool `pool`'s FREE, BACKUP or ABANDONED queue, if any.
  std::optional<std::uint32_t> head(BindingState queue, std::uint32_t pool = 0) const;
  /// Returns the oldest address of pool `pool`'s FREE, BACKUP or ABANDONED queue that
  /// satisfies `pred`.
  template <class Pred>
  std::optional<std::uint32_t> first_where(BindingState queue, std::uint32_t pool,
                                           Pred pred) const {
    if (const auto* q = queue_of(queue))
      for (auto it = q->lower_bound(first_key(pool)); it != q->end() && it->pool == pool; ++it)
        if (pred(it->lease)) return it->lease;
    return std::nullopt;
  }
  /// Returns the addresses of a free-state queue, pool by pool, oldest first.
  std::vector<std::uint32_t> queue(BindingState state) const;
  /// Returns the addresses of pool `pool`'s free-state queue, oldest first (for rebalancing).
  std::vector<std::uint32_t> queue(BindingState state, std::uint32_t pool) const;
  /// Returns how many addresses are in `state`.
  std::uint32_t count(BindingState state) const { return counts_[core::to_code(state)]; }
  /// Returns how many addresses of pool `pool` are in `state`.
  std::uint32_t count(BindingState state, std::uint32_t pool) const {
    return pool_counts_[pool][core::to_code(state)];
  }
  /// Returns the first lease index of pool `pool`.
  std::uint32_t first_of(std::uint32_t pool) const;
  /// Returns how many addresses pool `pool` has.
  std::uint32_t pool_size(std::uint32_t pool) const;

  /// The index of the ACTIVE lease of client `client` (index + 1), if any.
  std::optional<std::uint32_t> lease_of(std::uint32_t client) const;

  /// Pops every ACTIVE lease whose ends <= now (lazy: entries whose lease changed are skipped).
  std::vector<std::uint32_t> due_expiries(Instant now);
  /// Returns the earliest pending expiry, if any.
  std::optional<Instant> next_expiry();

 private:
  /// (pool, ends, place, address): `place` orders leases of equal ends (smaller first).
  struct Key {
    std::uint32_t pool;
    Instant ends;
    std::int64_t place;
    std::uint32_t lease;  ///< the address index
    auto operator<=>(const Key&) const = default;
  };
  static Key first_key(std::uint32_t pool) {
    return {pool, Instant::min(), std::numeric_limits<std::int64_t>::min(), 0};
  }
  /// Moves lease `i`'s count from state `from` to `to`.
  void recount(std::uint32_t i, BindingState from, BindingState to);
  std::set<Key>* queue_of(BindingState s);
  const std::set<Key>* queue_of(BindingState s) const;
  /// Puts lease `i` on its queue as a run-time insert: before its equals.
  void enqueue(std::uint32_t i);
  /// Puts lease `i` on its queue at `place` among its equals (start-up).
  void enqueue_at(std::uint32_t i, std::int64_t place);
  void dequeue(std::uint32_t i);

  std::vector<Lease> leases_;
  std::vector<std::int64_t> place_;       ///< each queued lease's place among equal ends
  std::int64_t next_runtime_place_ = -1;  ///< decreasing: the newest insert goes first
  std::vector<AddressSegment> segments_;
  std::set<Key> free_, backup_, abandoned_;
  std::array<std::uint32_t, 8> counts_{};
  std::vector<std::array<std::uint32_t, 8>> pool_counts_;
  // Expiry candidates (ends, lease), lazily deleted: an entry is live while its lease is ACTIVE
  // with those ends. Most go to the radix heap; one whose ends lies below the heap's floor (the
  // next expiry last looked at) waits in `early_expiries_`.
  struct Expiry {
    std::uint64_t key;    ///< ends, in milliseconds
    std::uint32_t lease;  ///< no tie needed: due_expiries() sorts what it returns
  };
  void push_expiry(Instant ends, std::uint32_t i);
  const Expiry* first_expiry();
  void pop_expiry();
  bool live(const Expiry& e) const;
  RadixHeap<Expiry, false> expiries_;
  using EndsKey = std::pair<Instant, std::uint32_t>;
  std::priority_queue<EndsKey, std::vector<EndsKey>, std::greater<EndsKey>> early_expiries_;
  Expiry early_top_{};  ///< first_expiry()'s answer when it comes from early_expiries_
  std::vector<std::uint32_t> by_client_;  ///< client index -> lease index + 1 (0 = none)
};

}  // namespace fosim::sim
