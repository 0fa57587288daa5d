// The future-event list of the simulator.
//
// Events are ordered by (at, seq): `at` is the simulated instant, `seq` a counter bumped on
// every schedule, so events due at the same instant run in the order they were scheduled
// (FIFO). The ordering structure is a parameter (priority_order.hpp): the monotone radix heap by
// default, the 4-ary heap for comparison. Cancellation is lazy: cancel() marks the event's slot
// dead and pop() skips dead entries. An `EventId` is a plain value that is always valid to
// hold; cancelling an event that already ran, was already cancelled or never existed is a no-op
// that returns false.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "fosim/core/time.hpp"
#include "fosim/sim/priority_order.hpp"

namespace fosim::sim {

using core::Duration;
using core::Instant;

/// A handle on a scheduled event.
struct EventId {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
  constexpr bool operator==(const EventId&) const = default;
};

/// A priority queue of `Payload`s ordered by (at, seq), on the ordering structure `Order`.
///
/// The payload travels inside the ordered entry, and whether an event is still pending is one
/// bit per slot, so popping reads the entry in order and a compact bit set: with millions of
/// pending events nothing else is touched at random. A slot's generation changes each time it
/// is reused, which keeps an old EventId from cancelling a newer event.
template <class Payload, template <class> class Order = RadixHeap>
class EventQueue {
 public:
  /// An event taken off the queue.
  struct Due {
    Instant at;
    Payload payload;
  };

  /// Schedules `payload` at `at` and returns its id.
  EventId schedule(Instant at, Payload payload) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(generation_.size());
      generation_.push_back(0);
      if (slot / 64 >= pending_.size()) pending_.push_back(0);
    }
    const std::uint32_t generation = ++generation_[slot];
    set_pending(slot, true);
    assert(at.time_since_epoch().count() >= 0);
    order_.push({static_cast<std::uint64_t>(at.time_since_epoch().count()), seq_++, slot,
                 std::move(payload)});
    ++live_;
    return {slot, generation};
  }

  /// Schedules `payload` at `at` for good: it has no id and cannot be cancelled, which spares it
  /// the slot bookkeeping (most events of a run are of this kind).
  void post(Instant at, Payload payload) {
    assert(at.time_since_epoch().count() >= 0);
    order_.push({static_cast<std::uint64_t>(at.time_since_epoch().count()), seq_++, no_slot,
                 std::move(payload)});
    ++live_;
  }

  /// Cancels the event `id`; returns false when it is not pending (ran, cancelled, unknown).
  bool cancel(EventId id) {
    if (!pending(id)) return false;
    set_pending(id.slot, false);  // its entry is dropped (and the slot freed) when it comes up
    --live_;
    return true;
  }

  /// Returns true when the event `id` is still waiting to run.
  bool pending(EventId id) const {
    return id.slot < generation_.size() && is_pending(id.slot) &&
           generation_[id.slot] == id.generation;
  }

  /// Returns the number of events waiting to run.
  std::size_t size() const { return live_; }
  /// Returns true when no event waits.
  bool empty() const { return live_ == 0; }

  /// Calls `f(at, payload)` for every event waiting to run, in no particular order.
  template <class F>
  void for_each_pending(F&& f) const {
    order_.for_each([&](const Entry& e) {
      if (e.slot == no_slot || is_pending(e.slot)) f(at_of(e), e.payload);
    });
  }

  /// Returns the instant of the next event, if any.
  std::optional<Instant> next_at() {
    drop_dead();
    if (order_.empty()) return std::nullopt;
    return at_of(order_.top());
  }

  /// Removes and returns the next event; the queue must not be empty.
  Due pop() {
    drop_dead();
    assert(!order_.empty());
    const Entry& top = order_.top();
    Due due{at_of(top), std::move(top.payload)};
    const std::uint32_t slot = top.slot;
    order_.pop();
    if (slot != no_slot) {
      set_pending(slot, false);
      free_.push_back(slot);
    }
    --live_;
    return due;
  }

 private:
  /// The (at, seq) entry the ordering structure holds; `key` is the instant in milliseconds.
  struct Entry {
    std::uint64_t key;   ///< at, in milliseconds since the start (never negative)
    std::uint64_t tie;   ///< seq: the schedule counter
    std::uint32_t slot;  ///< the slot whose pending bit and generation belong to this event
    Payload payload;
  };

  static constexpr std::uint32_t no_slot = UINT32_MAX;  ///< a post()ed event

  static Instant at_of(const Entry& e) {
    return Instant{Duration{static_cast<std::int64_t>(e.key)}};
  }

  bool is_pending(std::uint32_t slot) const {
    return ((pending_[slot / 64] >> (slot % 64)) & 1u) != 0;
  }
  void set_pending(std::uint32_t slot, bool on) {
    const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
    pending_[slot / 64] = on ? pending_[slot / 64] | bit : pending_[slot / 64] & ~bit;
  }

  void drop_dead() {
    while (!order_.empty() && order_.top().slot != no_slot && !is_pending(order_.top().slot)) {
      free_.push_back(order_.top().slot);
      order_.pop();
    }
  }

  Order<Entry> order_;
  std::vector<std::uint32_t> generation_;  ///< per slot: bumped on every reuse
  std::vector<std::uint64_t> pending_;     ///< per slot: one bit, set while its event waits
  std::vector<std::uint32_t> free_;
  std::uint64_t seq_ = 0;
  std::size_t live_ = 0;
};

}  // namespace fosim::sim
