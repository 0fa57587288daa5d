// The event kernel: the simulated clock, the future-event list, the run's random generator and
// the trace it reports to, and the loop that runs events in (time, schedule order).
//
// The kernel knows nothing of servers, links or clients: it hands each due event to the
// handler the run loop is given. It checks its invariants in every build (no event is
// scheduled in the past, time never goes backwards): a broken one means a wrong answer.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>

#include "fosim/core/time.hpp"
#include "fosim/sim/event_queue.hpp"
#include "fosim/sim/rng.hpp"
#include "fosim/sim/sim_event.hpp"
#include "fosim/sim/trace.hpp"

namespace fosim::sim {

/// The clock, the queue, the random generator and the trace of one run.
class Kernel {
 public:
  /// A kernel at time 0 drawing from `seed`, reporting to `trace` (may be null).
  Kernel(std::uint64_t seed, TraceSink* trace) : trace_(trace), rng_(seed) {}
  /// A copy of `other`'s clock, queue and generator reporting to `trace` (a clone's kernel).
  Kernel(const Kernel& other, TraceSink* trace)
      : trace_(trace),
        rng_(other.rng_),
        queue_(other.queue_),
        now_(other.now_),
        events_(other.events_) {}
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  /// The current simulated time.
  core::Instant now() const { return now_; }
  /// The clock itself, for the parts of a run that read it as a member.
  const core::Instant& clock() const { return now_; }
  /// The run's random generator.
  Rng& rng() { return rng_; }
  /// The number of events run so far.
  std::uint64_t events() const { return events_; }

  /// Schedules `e` at `at` (never in the past); the id can cancel it.
  EventId schedule(core::Instant at, SimEvent e) {
    require(at >= now_, "an event was scheduled in the past");
    return queue_.schedule(at, e);
  }
  /// Schedules `e` at `at` (never in the past) for good: no id, no cancelling, less work.
  void post(core::Instant at, SimEvent e) {
    require(at >= now_, "an event was scheduled in the past");
    queue_.post(at, e);
  }
  /// Moves the clock on to `t` when no event is due before it (the caller ran them).
  void move_clock(core::Instant t) {
    require(t >= now_, "the clock was moved backwards");
    const std::optional<core::Instant> next = queue_.next_at();
    require(!next || *next >= t, "the clock was moved past a pending event");
    now_ = t;
  }
  /// Calls `f(at, event)` for every pending event, in no particular order.
  template <class F>
  void for_each_pending(F&& f) const {
    queue_.for_each_pending(f);
  }
  /// Cancels a scheduled event; false when it is not pending.
  bool cancel(EventId id) { return queue_.cancel(id); }

  /// Reports an event to the trace, if any.
  void trace(const RunEvent& e) {
    if (trace_ != nullptr) trace_->record(e);
  }
  /// Whether a trace is attached (skip building text when not).
  bool tracing() const { return trace_ != nullptr; }

  /// Runs every event due by `end` in (time, schedule) order, handing each to `handle`, then
  /// moves the clock on to `end` if it is not there yet. When `stop` is given and becomes true
  /// (read every few thousand events), returns false at once with the clock where it is.
  template <class Handle>
  bool run_until(core::Instant end, Handle&& handle, const std::atomic<bool>* stop = nullptr) {
    constexpr std::uint64_t check_every = 4096;
    while (!queue_.empty()) {
      const std::optional<core::Instant> next = queue_.next_at();
      if (!next || *next > end) break;
      if (stop != nullptr && events_ % check_every == 0 && stop->load(std::memory_order_relaxed))
        return false;
      const auto due = queue_.pop();
      require(due.at >= now_, "simulated time went backwards");
      now_ = due.at;
      ++events_;
      handle(due.payload);
    }
    now_ = std::max(now_, end);
    return true;
  }

 private:
  /// Aborts with `what` unless `ok`: a kernel invariant.
  static void require(bool ok, const char* what) {
    if (!ok) fail(what);
  }
  /// Reports a broken invariant and aborts.
  [[noreturn]] static void fail(const char* what);

  TraceSink* trace_;
  Rng rng_;
  EventQueue<SimEvent> queue_;
  core::Instant now_{};
  std::uint64_t events_ = 0;
};

}  // namespace fosim::sim
