// One path with one latency, shared by the failover link and the client transport.
//
// Items in flight are kept in send order. Everything due at one instant arrives in one event
// (as one TCP read or one burst of frames): the event drains the channel up to its time, so a
// burst of BNDACKs costs one event, not one each.
#pragma once

#include <deque>
#include <optional>
#include <utility>

#include "fosim/core/time.hpp"
#include "fosim/sim/kernel.hpp"
#include "fosim/sim/sim_event.hpp"

namespace fosim::sim {

/// Items of type `T` in flight on one path, in send order.
template <class T>
struct Channel {
  std::deque<std::pair<core::Instant, T>> items;  ///< (arrival, item)
  std::optional<core::Instant> pending;           ///< arrival of the event not yet run, if any

  /// Puts `item` on the path to arrive at `arrival`, posting `event` on `kernel` for that
  /// instant unless it is already queued.
  void send(Kernel& kernel, T item, core::Instant arrival, SimEvent event) {
    items.emplace_back(arrival, std::move(item));
    if (pending && *pending == arrival) return;  // the event for this instant is queued
    pending = arrival;
    kernel.post(arrival, event);
  }

  /// Hands every item due by `now` to `handle`, in send order (the channel's event ran).
  template <class Handle>
  void receive(core::Instant now, Handle handle) {
    pending.reset();
    while (!items.empty() && items.front().first <= now) {
      const T item = items.front().second;
      items.pop_front();
      handle(item);
    }
  }
};

}  // namespace fosim::sim
