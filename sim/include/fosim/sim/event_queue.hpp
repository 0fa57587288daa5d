// The future-event list of the simulator.
//
// Events are ordered by (at, seq): `at` is the simulated instant, `seq` a counter bumped on
// every schedule, so events due at the same instant run in the order they were scheduled
// (FIFO). The structure is a 4-ary min-heap with lazy cancellation: cancel() marks the event's
// slot dead and pop() skips dead entries. An `EventId` is a plain value that is always valid to
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

namespace fosim::sim {

using core::Duration;
using core::Instant;

/// A handle on a scheduled event.
struct EventId {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
  constexpr bool operator==(const EventId&) const = default;
};

/// A priority queue of `Payload`s ordered by (at, seq).
template <class Payload>
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
    heap_.push_back({at, seq_++, slot});
    sift_up(heap_.size() - 1);
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
    if (heap_.empty()) return std::nullopt;
    return heap_.front().at;
  }

  /// Removes and returns the next event; the queue must not be empty.
  Due pop() {
    drop_dead();
    assert(!heap_.empty());
    const Entry top = heap_.front();
    remove_top();
    Slot& s = slots_[top.slot];
    Due due{top.at, std::move(s.payload)};
    release(top.slot);
    --live_;
    return due;
  }

 private:
  struct Entry {
    Instant at;
    std::uint64_t seq;
    std::uint32_t slot;
    bool before(const Entry& o) const { return at < o.at || (at == o.at && seq < o.seq); }
  };
  struct Slot {
    Payload payload{};
    std::uint32_t generation = 0;
    bool pending = false;
  };
  static constexpr std::size_t arity = 4;

  void release(std::uint32_t slot) {
    Slot& s = slots_[slot];
    s.pending = false;
    ++s.generation;
    free_.push_back(slot);
  }

  void drop_dead() {
    while (!heap_.empty() && !slots_[heap_.front().slot].pending) {
      const std::uint32_t slot = heap_.front().slot;
      remove_top();
      release(slot);
    }
  }

  void remove_top() {
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
  }

  void sift_up(std::size_t i) {
    const Entry e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / arity;
      if (!e.before(heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  void sift_down(std::size_t i) {
    const Entry e = heap_[i];
    const std::size_t n = heap_.size();
    for (;;) {
      const std::size_t first = i * arity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t last = first + arity < n ? first + arity : n;
      for (std::size_t c = first + 1; c < last; ++c)
        if (heap_[c].before(heap_[best])) best = c;
      if (!heap_[best].before(e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::uint64_t seq_ = 0;
  std::size_t live_ = 0;
};

}  // namespace fosim::sim
