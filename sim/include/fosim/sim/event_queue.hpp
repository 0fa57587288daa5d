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

/// The (at, seq) entry the ordering structures hold; `key` is the instant in milliseconds.
struct EventEntry {
  std::uint64_t key;   ///< at, in milliseconds since the start (never negative)
  std::uint64_t tie;   ///< seq: the schedule counter
  std::uint32_t slot;  ///< where the payload is
};

/// A priority queue of `Payload`s ordered by (at, seq), on the ordering structure `Order`.
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
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back({});
    }
    Slot& s = slots_[slot];
    s.payload = std::move(payload);
    s.pending = true;
    assert(at.time_since_epoch().count() >= 0);
    order_.push({static_cast<std::uint64_t>(at.time_since_epoch().count()), seq_++, slot});
    ++live_;
    return {slot, s.generation};
  }

  /// Cancels the event `id`; returns false when it is not pending (ran, cancelled, unknown).
  bool cancel(EventId id) {
    if (id.slot >= slots_.size()) return false;
    Slot& s = slots_[id.slot];
    if (!s.pending || s.generation != id.generation) return false;
    s.pending = false;  // its heap entry is dropped when it reaches the top
    --live_;
    return true;
  }

  /// Returns true when the event `id` is still waiting to run.
  bool pending(EventId id) const {
    return id.slot < slots_.size() && slots_[id.slot].pending &&
           slots_[id.slot].generation == id.generation;
  }

  /// Returns the number of events waiting to run.
  std::size_t size() const { return live_; }
  /// Returns true when no event waits.
  bool empty() const { return live_ == 0; }

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
    const EventEntry top = order_.top();
    order_.pop();
    Slot& s = slots_[top.slot];
    Due due{at_of(top), std::move(s.payload)};
    release(top.slot);
    --live_;
    return due;
  }

 private:
  struct Slot {
    Payload payload{};
    std::uint32_t generation = 0;
    bool pending = false;
  };
  static Instant at_of(const EventEntry& e) {
    return Instant{Duration{static_cast<std::int64_t>(e.key)}};
  }

  void release(std::uint32_t slot) {
    Slot& s = slots_[slot];
    s.pending = false;
    ++s.generation;
    free_.push_back(slot);
  }

  void drop_dead() {
    while (!order_.empty() && !slots_[order_.top().slot].pending) {
      const std::uint32_t slot = order_.top().slot;
      order_.pop();
      release(slot);
    }
  }

  Order<EventEntry> order_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::uint64_t seq_ = 0;
  std::size_t live_ = 0;
};

}  // namespace fosim::sim
